"""Cases where the build and ``newsarchive check`` used to disagree: now both report each,
at the same file and line, with the same words where the rule is shared."""

from __future__ import annotations

import re
import shutil

from conftest import ROOTS, build_srcdir
from newsarchive.commands.editor.check import check_paths

CARDS = """
:::{link} https://example.com/twice
:title: "First"
:title: "Second"
:::

:::{link} \x01https://example.com/control
:title: "A control character before the URL"
:::

A {raw}`<b>raw role</b>` in prose.
"""

ALIASES = """---
issue: 3
date: 2021-01-08
title: "Test News #3"
laughs: &a ["lol", "lol"]
more: [*a, *a]
---
# Test News #3
"""


def test_build_and_check_agree_on_what_they_used_to_disagree_on(tmp_path):
    srcdir = tmp_path / "book"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    issues = srcdir / "issues"
    cards = issues / "0002.md"
    original = cards.read_text(encoding="utf-8")
    cards.write_text(original + CARDS, encoding="utf-8")
    base = original.count("\n") + 1  # the line of CARDS' first row
    (issues / "0003.md").write_text(ALIASES, encoding="utf-8")
    # 0001.md is issue 1 by its name; 0009.md claims it too and is the one to blame.
    stray = (issues / "0001.md").read_text(encoding="utf-8").replace("issue: 1", "issue: 1 ")
    (issues / "0009.md").write_text(stray, encoding="utf-8")
    (issues / "0001.md").touch()

    app = build_srcdir(srcdir)
    text = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue()).replace(f"{srcdir}/", "")
    built = {
        (m["file"], int(m["line"]), m["message"])
        for m in re.finditer(
            r"^(?P<file>issues/\d+\.md):(?P<line>\d+): (?:WARNING|ERROR): (?P<message>.*?)"
            r"(?: \[[\w.]+\])?$",
            text,
            re.M,
        )
    }
    checked = {
        (str(p.path).replace(f"{srcdir}/", ""), p.line)
        for p in check_paths([issues], srcdir / "tags.toml")
    }
    expected = {
        ("issues/0002.md", base + 3, "link card has :title: twice (first at line "),
        ("issues/0002.md", base + 6, "link card URL must be http or https, not '\\x01https"),
        ("issues/0002.md", base + 10, "raw HTML is shown as text: '<b>raw role</b>'"),
        ("issues/0003.md", 5, "front matter repeats a value with a YAML anchor"),
        ("issues/0009.md", 2, "issue number 1 is also used by issues/0001"),
    }
    for path, line, start in expected:
        assert any(f == path and n == line and m.startswith(start) for f, n, m in built), (
            path,
            line,
            start,
            sorted(built),
        )
        assert (path, line) in checked, (path, line, sorted(checked))
    # Nothing reported against the page that owns issue 1.
    assert not [row for row in built if row[0] == "issues/0001.md"]
    assert not [row for row in checked if row[0] == "issues/0001.md"]


def test_lines_after_line_breaks_inside_a_paragraph(tmp_path):
    """Raw HTML on the third line of a paragraph (soft and hard breaks before it) is
    reported by check on that line (the build names the paragraph's first line: docutils
    gives inline nodes no line of their own)."""
    srcdir = tmp_path / "book"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    page = srcdir / "issues" / "0002.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(
        original + "\nFirst line of a paragraph\\\nsecond line,\nthird <b>bold</b> line.\n",
        encoding="utf-8",
    )
    line = original.count("\n") + 4
    (problem,) = [p for p in check_paths([page], None) if "raw HTML" in p.message]
    assert problem.line == line
