"""``newsarchive import-revue``'s own rules: what it counts as not imported, a file that
cannot be read, its help's record, its progress bar on a terminal."""

from __future__ import annotations

import io
import shutil
import sys
import threading
from pathlib import Path

import pytest
from newsarchive.commands.cli import main
from tqdm import tqdm

FIXTURES = Path(__file__).resolve().parent / "revue_fixtures"
GOOD = FIXTURES / "good"
ISSUE_18 = GOOD / "2020-04-17_Weekly Kaggle News #18.md"


def run(*args: str | Path) -> int:
    return main(["import-revue", *map(str, args)])


def first_summary_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("issues: "))


def test_every_file_not_imported_is_counted(tmp_path, capsys):
    sources = tmp_path / "revue"
    sources.mkdir()
    for bad in (FIXTURES / "bad").iterdir():
        shutil.copy(bad, sources)
    shutil.copy(ISSUE_18, sources)
    # Two more copies of #18 under other dates: each is a duplicate of the first.
    for day in ("18", "19"):
        shutil.copy(ISSUE_18, sources / f"2020-04-{day}_Weekly Kaggle News #18.md")
    assert run("--out", tmp_path / "issues", "--no-tags", sources) == 1
    captured = capsys.readouterr()
    assert first_summary_line(captured.out) == (
        "issues: 1 written, 0 unchanged, 0 skipped (edited by hand), 0 kept (would lose "
        "content), 5 not imported"
    )
    assert captured.err.count("is also imported from") == 2


def test_files_that_cannot_be_read_are_named_and_the_others_imported(tmp_path, capsys):
    # A process's memory read from its start fails (nothing is mapped at address 0), even
    # for root, for whom no permission makes a file unreadable.
    unreadable = [Path("/proc/self/mem"), Path("/proc/thread-self/mem")]
    out = tmp_path / "issues"
    assert run("--out", out, "--no-tags", *unreadable, ISSUE_18) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{path}:1: cannot read: Input/output error" for path in unreadable
    ]
    assert first_summary_line(captured.out).endswith(", 2 not imported")
    assert [page.name for page in out.glob("*.md")] == ["0018.md"]


def test_the_help_names_the_record_s_default(capsys):
    with pytest.raises(SystemExit) as done:
        run("--help")
    assert done.value.code == 0
    shown = capsys.readouterr()
    assert shown.out.startswith("usage: newsarchive import-revue ")
    assert "(default: OUT/revue/imported.json)" in " ".join(shown.out.split())
    assert shown.err == ""


class Terminal(io.StringIO):
    """Standard error as a terminal shows it: the progress bar is drawn there."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_progress_counts_issues_and_is_gone_when_done(tmp_path, monkeypatch):
    # tqdm's own lock is shared with every process forked from this one (mutation testing
    # forks one per mutant): a bar that fails while drawing keeps it, and every later bar
    # would wait for it for ever. This bar gets a lock of its own, and no monitor thread
    # (which takes the lock now and then).
    monkeypatch.setattr(tqdm, "_lock", threading.RLock(), raising=False)
    monkeypatch.setattr(tqdm, "monitor_interval", 0)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert run("--out", tmp_path / "issues", "--no-tags", GOOD) == 0
    shown = terminal.getvalue()
    assert "| 0/3 [" in shown and "issue/s]" in shown
    # Cleared when done: the last thing drawn is blanks between carriage returns.
    assert shown.endswith("\r")
    assert shown.rstrip("\r").rsplit("\r", 1)[-1].strip() == ""


def test_off_a_terminal_no_progress_is_shown(tmp_path, capsys):
    assert run("--out", tmp_path / "issues", "--no-tags", GOOD) == 0
    assert capsys.readouterr().err == ""
