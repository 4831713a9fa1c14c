"""The Substack imports on a copy of the real archive (#1–#159 and a later issue by hand):
``check`` passes after each, and running them again changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO
from newsarchive.commands.cli import main

FIXTURES = Path(__file__).resolve().parent / "substack_fixtures"

LATER = """---
issue: 349
follows: 159
date: 2026-08-28
title: "Weekly Kaggle News #349"
---
# Weekly Kaggle News #349

手で書いた号。
"""


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "archive"
    (root / "issues").mkdir(parents=True)
    for page in (REPO / "issues").glob("[0-9]*.md"):
        shutil.copy(page, root / "issues" / page.name)
    shutil.copytree(REPO / "docs" / "years", root / "docs" / "years")
    shutil.copy(REPO / "docs" / "tags.toml", root / "docs" / "tags.toml")
    (root / "issues" / "0349.md").write_text(LATER, encoding="utf-8")
    (root / "docs" / "years" / "2026.md").write_text("# 2026年\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    status = main(["check"])
    assert status == 0, capsys.readouterr().out


def test_export_then_feed_into_the_real_archive(archive, capsys):
    check_passes(capsys)
    revue_era = {name: data for name, data in snapshot(archive).items() if name < "issues/0160"}
    main(["import-substack", str(FIXTURES / "export")])
    check_passes(capsys)
    main(["import-feed", str(FIXTURES / "feed" / "feed.xml")])
    check_passes(capsys)
    after = snapshot(archive)
    # The Revue era is untouched; the later page now follows the newest import.
    assert {name: after[name] for name in revue_era} == revue_era
    assert "\nfollows: 165\n" in after["issues/0349.md"].decode("utf-8")
    assert "\nfollows: 161\n" in after["issues/0163.md"].decode("utf-8")
    assert "follows" not in after["issues/0160.md"].decode("utf-8")  # #159 is here
    # With the vocabulary, cards get tags (the Kaggle competition, the paper …).
    assert ":tags:" in after["issues/0160.md"].decode("utf-8")
    # Again: nothing changes.
    main(["import-substack", str(FIXTURES / "export")])
    main(["import-feed", str(FIXTURES / "feed" / "feed.xml")])
    assert snapshot(archive) == after
