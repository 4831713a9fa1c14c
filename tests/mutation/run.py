"""Mutation testing (mutmut), one module at a time: does a test fail when the code is changed?

``make mutants`` (or ``python -m tests.mutation.run [MODULE ...]``) mutates each module
named in :data:`MODULES` (a path under ``ext/newsarchive/``) and runs, for each mutant,
only that module's own fast tests (never the real book). Each module gets its own folder
``_build/mutants/<module>/``: mutmut expects the package under ``src/``, so ``src`` there
is a link to ``ext/``; the repository's data files (``docs/``, ``issues/`` …) are linked
into its ``mutants/`` folder, where the tests run. A module's results are kept there
(``mutmut results`` inside that folder lists the survivors) and summed up in
``_build/mutants/summary.md`` as each module finishes, so a stopped run still tells.

mutmut runs one mutant at a time (``--max-children 1``) at the lowest priority
(``nice -n 19``): the machine is shared.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / "_build" / "mutants"
#: What is never linked into a module's folder: the code and tests (mutmut copies those),
#: build output, the environment.
NOT_LINKED = {"ext", "tests", "_build", ".git", ".venv", "setup.cfg", "pyproject.toml"}


@dataclass(frozen=True)
class Module:
    path: str  #: under ext/newsarchive/
    tests: tuple[str, ...]  #: the test files (or test ids) that guard it
    select: str = ""  #: a ``-k`` expression: the slow tests of those files left out
    #: its tests share a build between tests: survivors are run again (see :func:`recheck`)
    shared: bool = False


#: The tests of the workflow's import step, which runs the command in another process (no
#: mutant reaches it).
REFUSED_FAST = (
    "not import_step and not outcome_not_a_failure and not fails_the_step and not the_workflow"
)

#: Each module and its own fast tests: they build tiny Sphinx projects or run the
#: command line on fixtures, never the real book (``-m "not book and not browser"``).
MODULES = (
    Module("core/text.py", ("tests/test_text.py", "tests/test_editor_new.py")),
    Module("core/urls.py", ("tests/test_urls.py", "tests/test_revue_emit.py")),
    Module("core/frontmatter.py", ("tests/test_front_matter.py", "tests/test_editor_check.py")),
    Module("core/cards.py", ("tests/test_card_rules.py", "tests/test_editor_check.py")),
    Module("core/vocabulary.py", ("tests/test_vocabulary.py",)),
    Module(
        "commands/substack/body.py",
        (
            "tests/test_substack_body.py",
            "tests/test_substack_body_embeds.py",
            "tests/test_substack_body_shapes.py",
            "tests/test_substack_body_footnotes.py",
            "tests/test_substack_body_inline.py",
            "tests/test_substack_body_lists.py",
            "tests/test_substack_body_chrome.py",
            "tests/test_substack_body_addresses.py",
            "tests/test_substack_body_blocks.py",
            "tests/test_substack_body_links.py",
            "tests/test_substack_body_components.py",
            "tests/test_substack_body_text.py",
            "tests/test_substack_import.py",
        ),
        select="not pages_build and not any_tag_end and not later_issues",
    ),
    Module(
        "commands/revue/parse.py",
        ("tests/test_revue_parse.py", "tests/test_revue_parse_rules.py"),
        select="not all_159",
    ),
    Module(
        "commands/pipeline/html.py",
        (
            "tests/test_revue_parse.py",
            "tests/test_substack_body.py",
            "tests/test_substack_body_embeds.py",
            "tests/test_substack_body_shapes.py",
            "tests/test_substack_body_footnotes.py",
            "tests/test_pipeline_html_rules.py",
        ),
        select="not all_159",
    ),
    Module("sphinxext/entries.py", ("tests/test_tags.py",), shared=True),
    Module("sphinxext/exports.py", ("tests/test_exports.py",), shared=True),
    Module(
        "commands/pipeline/emit.py",
        ("tests/test_revue_emit.py", "tests/test_revue_emit_round_trip.py"),
    ),
    Module(
        "sphinxext/domain.py",
        ("tests/test_tags.py", "tests/test_rules.py", "tests/test_exports.py"),
        shared=True,
    ),
    Module(
        "commands/pipeline/placement.py",
        (
            "tests/test_revue_command.py",
            "tests/test_substack_import.py",
            "tests/test_placement_rules.py",
        ),
        select="not cut_at_any_line_end and not keeps_every_tweet and not pages_build",
    ),
    Module(
        "commands/revue/command.py",
        ("tests/test_revue_command.py", "tests/test_revue_command_rules.py"),
        select="not cut_at_any_line_end and not keeps_every_tweet",
    ),
    Module(
        "commands/substack/importer.py",
        (
            "tests/test_substack_import.py",
            "tests/test_substack_feed.py",
            "tests/test_substack_importer_rules.py",
        ),
        select="not pages_build",
    ),
    Module(
        "commands/substack/reposts.py",
        (
            "tests/test_substack_reposts.py",
            "tests/test_substack_import.py",
            "tests/test_substack_real_archive.py",
        ),
        select="not pages_build and not export_then_feed and not every_revue_issue",
    ),
    Module("commands/pipeline/tagger.py", ("tests/test_import_tagger.py",)),
    Module(
        "commands/pipeline/options.py",
        ("tests/test_import_options.py", "tests/test_importer_help.py"),
    ),
    Module(
        "commands/pipeline/model.py",
        ("tests/test_revue_parse.py", "tests/test_revue_emit.py", "tests/test_revue_model_text.py"),
        select="not all_159",
    ),
    Module(
        "commands/substack/export.py",
        (
            "tests/test_substack_import.py",
            "tests/test_substack_export_rules.py",
            "tests/test_importer_help.py",
        ),
        "not pages_build",
    ),
    Module(
        "commands/substack/feed.py",
        (
            "tests/test_substack_feed.py",
            "tests/test_substack_feed_rules.py",
            "tests/test_substack_refused.py",
            "tests/test_importer_help.py",
        ),
        select=REFUSED_FAST,
    ),
    Module(
        "commands/substack/api.py",
        (
            "tests/test_substack_refused.py",
            "tests/test_substack_api_rules.py",
            "tests/test_substack_api_progress.py",
        ),
        REFUSED_FAST,
    ),
    Module(
        "commands/substack/refusals.py",
        ("tests/test_substack_refused.py", "tests/test_substack_feed_rules.py"),
        REFUSED_FAST,
    ),
)


#: Left out of every run: the whole real archive checked (slow; the modules are
#: checked on small pages).
DESELECT = ("tests/test_editor_check.py::test_the_real_archive_passes",)

#: mutmut's exit codes, as its results name them.
KILLED = {1, 3, 37}  # a test failed (or errored)
TIMEOUT = {36, 24, -24, 152, 255}  # killed for taking too long: counted apart
SURVIVED = {0}
NO_TESTS = {5, 33}


def slug(module: Module) -> str:
    return module.path.removesuffix(".py").replace("/", ".")


def prepare(module: Module) -> Path:
    """The module's own folder, laid out as mutmut expects; any earlier run removed."""
    folder = WORK / slug(module)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "mutants").mkdir(parents=True)
    (folder / "src").symlink_to(REPO / "ext")
    (folder / "tests").symlink_to(REPO / "tests")
    (folder / "pyproject.toml").symlink_to(REPO / "pyproject.toml")
    for entry in REPO.iterdir():
        if entry.name not in NOT_LINKED and entry.name != "mutants":
            (folder / "mutants" / entry.name).symlink_to(entry)
    lines = [
        "[mutmut]",
        "source_paths = src/newsarchive",
        f"only_mutate = src/newsarchive/{module.path}",
        "pytest_add_cli_args_test_selection =",
        *(f"    {test}" for test in module.tests),
        "pytest_add_cli_args =",
        "    -m",
        "    not book and not browser",
        "    -p",
        "    no:cacheprovider",
        *(f"    --deselect={test}" for test in DESELECT),
        *(["    -k", f"    {module.select}"] if module.select else []),
        "use_git_change_detection = false",
        "",
    ]
    (folder / "setup.cfg").write_text("\n".join(lines), encoding="utf-8")
    return folder


@dataclass
class Row:
    """One module's run: how many mutants, and what became of them."""

    module: str
    tests: str
    minutes: float = 0.0
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    untested: int = 0  #: no selected test reaches the mutated function
    timeout: int = 0  #: stopped for taking too long (an endless loop, or a busy machine)
    other: int = 0  #: not checked, interrupted
    survivors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> str:
        judged = self.killed + self.survived + self.untested + self.timeout
        caught = self.killed + self.timeout
        return f"{100 * caught / judged:.1f} %" if judged else "–"

    def count(self, codes: dict[str, int | None]) -> None:
        """Take the verdicts from mutmut's record of the module (mutant -> exit code)."""
        values = list(codes.values())
        self.mutants = len(values)
        self.killed = sum(code in KILLED for code in values)
        self.survived = sum(code in SURVIVED for code in values)
        self.untested = sum(code in NO_TESTS for code in values)
        self.timeout = sum(code in TIMEOUT for code in values)
        self.other = self.mutants - self.killed - self.survived - self.untested - self.timeout
        self.survivors = sorted(key for key, code in codes.items() if code in SURVIVED | NO_TESTS)


def run(module: Module) -> Row:
    folder = prepare(module)
    started = time.monotonic()
    mutmut = Path(sys.executable).with_name("mutmut")
    with (folder / "mutmut.log").open("w", encoding="utf-8") as log:
        subprocess.call(
            ["nice", "-n", "19", str(mutmut), "run", "--max-children", "1"],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    if module.shared:
        recheck(module, result(module))
    return result(module, minutes=round((time.monotonic() - started) / 60, 1))


def recheck(module: Module, row: Row) -> None:
    """Each survivor run against the module's whole test files.

    mutmut runs a mutant against the tests it saw call the mutated function; a fixture
    shared by several tests (one Sphinx build for a test module) is seen calling it from
    the first of them only, so the tests that check its output are not run. A survivor
    that fails them is killed; they are written to ``rechecked.json``.
    """
    mutants = WORK / slug(module) / "mutants"
    selection = [f"--deselect={test}" for test in DESELECT]
    selection += ["-k", module.select] if module.select else []
    pytest = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    command = ["nice", "-n", "19", *pytest, "-m", "not book and not browser", *selection]

    def status(mutant: str) -> int:
        return subprocess.call(
            [*command, *module.tests],
            cwd=mutants,
            env={**os.environ, "MUTANT_UNDER_TEST": mutant, "PYTHONPATH": f"{mutants / 'src'}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    if not row.survivors:
        return
    if status("") != 0:  # the code as it is must pass, or no failure means anything
        print(f"  {module.path}: the tests fail without a mutant; survivors not rechecked")
        return
    record = mutants / "rechecked.json"
    killed = json.loads(record.read_text("utf-8")) if record.is_file() else []
    # A test failed (1); not an error of the run itself.
    killed += [name for name in row.survivors if status(name) == 1]
    record.write_text(json.dumps(sorted(set(killed)), indent=1) + "\n", "utf-8")


def result(module: Module, *, minutes: float = 0.0) -> Row:
    """What mutmut recorded for ``module`` (its last run, finished or not)."""
    row = Row(module.path, " ".join(test.removeprefix("tests/") for test in module.tests))
    row.minutes = minutes
    meta = WORK / slug(module) / "mutants" / "src" / "newsarchive" / f"{module.path}.meta"
    # Not run yet, or stopped while mutmut wrote its record: nothing to count.
    with contextlib.suppress(OSError, ValueError, KeyError):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        rechecked = WORK / slug(module) / "mutants" / "rechecked.json"
        if rechecked.is_file():
            codes.update(dict.fromkeys(json.loads(rechecked.read_text("utf-8")), 1))
        row.count(codes)
    return row


def summary(rows: list[Row]) -> str:
    lines = [
        "| module | mutants | not run | killed | timeout | survived | untested | kill rate "
        "| tests |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        lines.append(
            f"| `{row.module}` | {row.mutants} | {row.other} | {row.killed} | {row.timeout} "
            f"| {row.survived} | {row.untested} | {row.rate} | {row.tests} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules", nargs="*", help="paths under ext/newsarchive/ (default: every module listed)"
    )
    parser.add_argument(
        "--report", action="store_true", help="only sum up the runs already made (no mutation)"
    )
    parser.add_argument(
        "--recheck",
        action="store_true",
        help="only run the survivors of runs already made against the whole test files",
    )
    args = parser.parse_args(argv)
    known = {module.path: module for module in MODULES}
    unknown = [name for name in args.modules if name not in known]
    if unknown:
        parser.error(f"not in the list: {', '.join(unknown)} (known: {', '.join(known)})")
    chosen = [known[name] for name in args.modules] if args.modules else list(MODULES)
    WORK.mkdir(parents=True, exist_ok=True)
    if args.recheck:
        for module in chosen:
            print(f"rechecking {module.path}", flush=True)
            recheck(module, result(module))
    if args.report or args.recheck:
        done = [row for row in (result(module) for module in chosen) if row.mutants]
        print(summary(done), end="")
        for row in done:
            print("".join(f"  {name}\n" for name in row.survivors), end="")
        return 0
    rows: list[Row] = []
    for module in chosen:
        print(f"mutating {module.path} (tests: {' '.join(module.tests)})", flush=True)
        row = run(module)
        rows.append(row)
        print(f"  {row.rate} of {row.mutants} killed in {row.minutes} min", flush=True)
        # Every module run so far, this run's and earlier ones.
        every = [result(module) for module in MODULES]
        for known in every:
            known.minutes = next((r.minutes for r in rows if r.module == known.module), 0.0)
        done = [known for known in every if known.mutants]
        (WORK / "summary.md").write_text(summary(done), encoding="utf-8")
        (WORK / "summary.json").write_text(
            json.dumps([asdict(row) for row in done], indent=2) + "\n", encoding="utf-8"
        )
    print(summary(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
