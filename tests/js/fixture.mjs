// The tests' fixture (tests/js/searchcore_fixture.py): a real index written by search_index.py
// from a small Sphinx project, and the Python side's answers. SEARCHCORE_FIXTURE names a
// folder that script has filled (tests/test_searchcore_js.py and `make mutants-js` do so);
// without it the script is run here, into a temporary folder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "..", "..");

function built() {
  if (process.env.SEARCHCORE_FIXTURE) return process.env.SEARCHCORE_FIXTURE;
  const folder = mkdtempSync(join(tmpdir(), "searchcore-"));
  process.on("exit", () => rmSync(folder, { recursive: true, force: true }));
  const venv = join(REPO, ".venv", "bin", "python");
  const python = existsSync(venv) ? venv : "python3";
  const done = spawnSync(python, [join(HERE, "searchcore_fixture.py"), folder], { encoding: "utf-8" });
  if (done.status !== 0) {
    throw new Error(`tests/js/searchcore_fixture.py failed (${done.status}):\n${done.stdout}${done.stderr}`);
  }
  return folder;
}

export const FIXTURE = built();
export const INDEX = join(FIXTURE, "html", "_search");
export const python = JSON.parse(readFileSync(join(FIXTURE, "python.json"), "utf-8"));

export function readIndex(name) {
  return JSON.parse(readFileSync(join(INDEX, name), "utf-8"));
}

// A fetch of the index's files as the page's loadJson does it (a promise of parsed JSON),
// from a folder or from a table of files, recording every name asked for.
export function fakeLoad(files) {
  const asked = [];
  const load = (name) => {
    asked.push(name);
    return Promise.resolve().then(() => {
      if (typeof files === "function") return files(name);
      if (!Object.prototype.hasOwnProperty.call(files, name)) throw new Error(`no file ${name}`);
      return structuredClone(files[name]);
    });
  };
  return { load, asked };
}

export const loadFromDisk = (name) => readIndex(name);
