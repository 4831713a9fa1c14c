"""The Substack imports run into a test archive (``issues/`` and ``years/`` of a copied test
root), as the command line runs them, and the pages they write read back."""

from __future__ import annotations

from pathlib import Path

from newsarchive.commands.cli import main


def run_import(command: str, source: str | Path, archive: Path, *args: str) -> int:
    """``newsarchive COMMAND SOURCE`` into ``archive``, without tags (no vocabulary needed)."""
    out = ["--out", str(archive / "issues"), "--years-dir", str(archive / "years")]
    return main([command, str(source), *out, "--no-tags", *args])


def page(archive: Path, number: int) -> str:
    return (archive / "issues" / f"{number:04d}.md").read_text("utf-8")
