"""``import-feed``'s archive API route shows its progress on a terminal, and only there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOTS
from substack_importing import run_import
from substack_like import Publication, post, serve_publication
from terminal import on_a_terminal


@pytest.fixture
def publication():
    yield from serve_publication()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    return root


def test_the_posts_read_are_shown_on_a_terminal_only(
    archive, publication: Publication, capsys, monkeypatch
):
    publication.posts = [
        post(n, post_id=300_000 + n, date="2023-02-09T22:00:00Z") for n in (172, 171, 170)
    ]
    assert run_import("import-feed", f"{publication.base}/feed", archive) == 0
    err = capsys.readouterr().err
    assert "archive API:" not in err and "post/s" not in err
    for number in (170, 171, 172):
        (archive / "issues" / f"{number:04d}.md").unlink()
    shown = on_a_terminal(
        monkeypatch, lambda: run_import("import-feed", f"{publication.base}/feed", archive)
    )
    assert "archive API: 100%" in shown and "3/3" in shown and "post/s" in shown
    assert "archive API:" not in capsys.readouterr().out
