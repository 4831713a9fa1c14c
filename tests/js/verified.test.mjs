// Engine.verified: a word's rare keys lead to candidate entries, checked in their own text,
// so a rare word of common pairs does not read the common pairs' pages. Checked against the
// fixture's real index (tests/js/searchcore_fixture.py) and its index built for this
// (VERIFY_ISSUES), and always against the answer the postings alone give.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import {
  Engine,
  VERIFY_MISSES,
  covered,
  exactKeys,
  haystack,
  parseQuery,
  pieceKeys,
  pieces,
  queryPlan,
  shardOf,
} from "../../ext/newsarchive/sphinxext/static/searchcore.js";
import { INDEX, fakeLoad, python, readIndex } from "./fixture.mjs";

const segmenter = new Intl.Segmenter("ja", { granularity: "word" });
const keepAll = () => true;
const planOf = (text) => queryPlan(parseQuery(text).words, (word) => pieces(word, segmenter));

// The pages of a key, as its shard names them ([] for a key held in its shard).
function pagesOf(files, meta, key) {
  const value = files(`s/${shardOf(key, meta.shards)}.json`)[key];
  return value && !Array.isArray(value) ? value.pages : [];
}

// The exact results' issues and, for each, the entries holding a word as typed.
const exactOf = (result) =>
  result.exact.map((found) => ({
    number: found.number,
    entries: found.hits
      .filter((hit) => hit.exact.some(Boolean))
      .map((hit) => hit.entry)
      .sort((a, b) => a - b),
  }));

describe("haystack", () => {
  it("joins an entry's title, site, excerpt and text as search_index.haystack does", () => {
    for (const [fields, joined] of python.haystack) {
      assert.equal(haystack([0, "anchor", ...fields, ...Array(4 - fields.length).fill(""), ["tag"], []]).split("\u0000").slice(0, fields.length).join("\u0000"), joined);
    }
    assert.equal(haystack([0, "a", "Ｔｉｔｌｅ", "Site", "Ex  cerpt", "TEXT", ["t"], ["k"]]), "title\u0000site\u0000ex cerpt\u0000text");
  });
});

describe("Engine.verified on the fixture's index", () => {
  const meta = readIndex("meta.json");
  const fromDisk = (name) => readIndex(name);
  const numbers = readdirSync(join(INDEX, "i")).length;

  it("finds a rare word of paged pairs without their pages", async () => {
    const query = planOf("データ分析の例");
    const [common, rare] = [["デー", "タ分"], ["析の", "の例"]];
    for (const key of common) assert.ok(pagesOf(fromDisk, meta, key).length > 1, key);
    for (const key of rare) assert.deepEqual(pagesOf(fromDisk, meta, key), [], key);
    const whole = await new Engine(meta, fakeLoad(fromDisk).load).search(query, keepAll, Infinity, { everything: true });
    assert.deepEqual(whole.exact.map((found) => found.number), [11, 9]);
    for (const wanted of [1, 2]) {
      const loads = fakeLoad(fromDisk);
      const result = await new Engine(meta, loads.load).search(query, keepAll, wanted);
      assert.deepEqual(exactOf(result).slice(0, wanted), exactOf(whole).slice(0, wanted), `${wanted}`);
      assert.deepEqual(loads.asked.filter((name) => name.startsWith("p/")), [], `${wanted}`);
      // #10 holds the rare pairs, not the word: its entry is read and left out.
      assert.equal(loads.asked.some((name) => name.startsWith("e/10/")), wanted === 2, `${wanted}`);
      assert.deepEqual([result.complete, result.exactCover], [false, wanted === 1 ? 11 : 9], `${wanted}`);
    }
  });

  it("gives the postings' own first results for every query and every number wanted", async () => {
    const queries = ["データ分析の例", "データ分析", "データ 分析の例", "析の例", "機械学習", "bert 翻訳", "lightgbm", "search news"];
    for (const text of queries) {
      const query = planOf(text);
      const whole = await new Engine(meta, fakeLoad(fromDisk).load).search(query, keepAll, Infinity, { everything: true });
      for (let wanted = 1; wanted <= Math.min(numbers, whole.exact.length + 1); wanted++) {
        const result = await new Engine(meta, fakeLoad(fromDisk).load).search(query, keepAll, wanted);
        const shown = Math.min(wanted, whole.exact.length);
        assert.deepEqual(exactOf(result).slice(0, shown), exactOf(whole).slice(0, shown), `${text} ${wanted}`);
      }
    }
  });
});

describe("Engine.verified on an index built for it", () => {
  const files = python.verifySample;
  const meta = files["meta.json"];
  const fromTable = (name) => {
    if (!Object.prototype.hasOwnProperty.call(files, name)) throw new Error(`no file ${name}`);
    return structuredClone(files[name]);
  };
  const abcdef = planOf("abcdef");
  const entriesAsked = (asked) => asked.filter((name) => name.startsWith("e/"));
  const pagesAsked = (asked) => asked.filter((name) => name.startsWith("p/"));

  it("holds the rare pairs without the word in ten issues before four that hold it", () => {
    assert.ok(pagesOf(fromTable, meta, "ab").length > 1);
    assert.deepEqual([pagesOf(fromTable, meta, "cd"), pagesOf(fromTable, meta, "ef")], [[], []]);
    assert.ok(VERIFY_MISSES < 10);
  });

  it("gives way to the postings after more than VERIFY_MISSES entries without the word", async () => {
    const loads = fakeLoad(fromTable);
    const result = await new Engine(meta, loads.load).search(abcdef, keepAll, 1);
    assert.deepEqual(exactOf(result), [{ number: 4, entries: [0] }]);
    assert.equal(entriesAsked(loads.asked).length, VERIFY_MISSES + 1);
    assert.ok(pagesAsked(loads.asked).length > 0);
  });

  it("reads the candidates newest first, as many at once as results are missing", async () => {
    const keep = (number) => number <= 8;
    const loads = fakeLoad(fromTable);
    const result = await new Engine(meta, loads.load).search(abcdef, keep, 3);
    assert.deepEqual(exactOf(result).map((found) => found.number), [4, 3, 2]);
    // Three at once (#8..#6, none), three (#5..#3, two), then one: #1 is not read.
    const asked = [8, 7, 6, 5, 4, 3, 2].map((number) => `e/${number}/0.json`);
    assert.deepEqual(entriesAsked(loads.asked), asked);
    assert.deepEqual(pagesAsked(loads.asked), []);
    assert.deepEqual([result.exactCover, result.cover, result.complete, result.apart], [2, 2, false, []]);
  });

  it("is whole once every candidate is read and the words have no pieces", async () => {
    const keep = (number) => number <= 8;
    const loads = fakeLoad(fromTable);
    const result = await new Engine(meta, loads.load).search(abcdef, keep, 10);
    assert.deepEqual(exactOf(result).map((found) => found.number), [4, 3, 2, 1]);
    assert.deepEqual([result.exactCover, result.cover, result.complete], [0, 0, true]);
    assert.deepEqual(pagesAsked(loads.asked), []);
    assert.equal(entriesAsked(loads.asked).length, 8);
  });

  it("leaves words with pieces to the postings once the candidates run out", async () => {
    const keep = (number) => number <= 8;
    const query = queryPlan(["abcdef"], () => ["abc", "def"]);
    assert.ok(pieceKeys(query).length > 0);
    const loads = fakeLoad(fromTable);
    const result = await new Engine(meta, loads.load).search(query, keep, 10);
    assert.deepEqual(exactOf(result).map((found) => found.number), [4, 3, 2, 1]);
    assert.equal(result.complete, true);
    assert.ok(pagesAsked(loads.asked).length > 0);
  });

  it("needs two rare keys a word, or all its keys if it has fewer", async () => {
    // "abcd": ab (paged) and cd: one rare key of two, the postings alone decide.
    const loads = fakeLoad(fromTable);
    const result = await new Engine(meta, loads.load).search(planOf("abcd"), keepAll, 1);
    assert.deepEqual(exactOf(result), [{ number: 4, entries: [0] }]);
    assert.deepEqual(entriesAsked(loads.asked), []);
    // "cdef": both keys rare and held in their shard: the postings answer without pages.
    const whole = fakeLoad(fromTable);
    const cdef = await new Engine(meta, whole.load).search(planOf("cdef"), keepAll, 1);
    assert.deepEqual(exactOf(cdef).map((found) => found.number).slice(0, 1), [14]);
    assert.deepEqual([entriesAsked(whole.asked), pagesAsked(whole.asked)], [[], []]);
  });

  it("leaves a word to the postings when its rare pairs lie inside one of its pieces", async () => {
    // The rare pairs of "abcdef" cover "cdef": a piece of its own, found mostly without "ab".
    const inOnePiece = queryPlan(["abcdef"], () => ["ab", "cdef"]);
    const loads = fakeLoad(fromTable);
    const result = await new Engine(meta, loads.load).search(inOnePiece, keepAll, 1);
    assert.deepEqual(exactOf(result), [{ number: 4, entries: [0] }]);
    assert.deepEqual(entriesAsked(loads.asked), []);
    // Pieces the rare pairs run across do not stop it.
    const across = queryPlan(["abcdef"], () => ["abc", "def"]);
    const other = fakeLoad(fromTable);
    await new Engine(meta, other.load).search(across, (number) => number <= 8, 1);
    assert.ok(entriesAsked(other.asked).length > 0);
  });

  it("keeps to the entries kept, reading no other", async () => {
    const keep = (number, entry) => number <= 2 && entry === 0;
    const loads = fakeLoad(fromTable);
    const result = await new Engine(meta, loads.load).search(abcdef, keep, 1);
    assert.deepEqual(exactOf(result), [{ number: 2, entries: [0] }]);
    assert.deepEqual(entriesAsked(loads.asked), ["e/2/0.json"]);
  });

  it("finds a word without rare keys by its postings beside a word found by its rare keys", async () => {
    const query = planOf("abcdef ab");
    const keep = (number) => number <= 8;
    const whole = await new Engine(meta, fakeLoad(fromTable).load).search(query, keep, Infinity, { everything: true });
    assert.deepEqual(exactOf(whole).map((found) => found.number), [4, 3, 2, 1]);
    for (const wanted of [1, 2, 4]) {
      const loads = fakeLoad(fromTable);
      const result = await new Engine(meta, loads.load).search(query, keep, wanted);
      assert.deepEqual(exactOf(result).slice(0, wanted), exactOf(whole).slice(0, wanted), `${wanted}`);
      // Only "abcdef"'s candidates are read (entry 0); "ab" comes from its pages.
      const read = entriesAsked(loads.asked);
      assert.ok(read.length > 0 && read.every((name) => name.endsWith("/0.json")), read.join());
      assert.ok(pagesAsked(loads.asked).length > 0);
    }
    // Not every page of "ab" for the first result: the line stops at the issue found.
    const first = fakeLoad(fromTable);
    await new Engine(meta, first.load).search(query, keep, 1);
    assert.ok(pagesAsked(first.asked).length < pagesOf(fromTable, meta, "ab").length);
  });

  it("is the part of the word from its first checked key to its last", () => {
    const plan = { word: "abcdefgh", single: false, checks: [["ef", 4], ["cd", 2]] };
    assert.equal(covered(plan), "cdef");
    assert.equal(covered({ word: "機械学習", single: false, checks: [["学習", 2]] }), "学習");
    assert.equal(covered({ word: "x", single: true, checks: [["x", 0]] }), "x");
    assert.equal(covered({ word: "😀ab😀", single: false, checks: [["b😀", 2], ["😀a", 0]] }), "😀ab😀");
  });
});
