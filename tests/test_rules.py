"""One rule set: the build and ``newsarchive check`` give the same verdict on the same pages.

The ``verdicts`` root holds pages with mistakes in front matter and cards (a quoted issue
number, an ISO week date, impossible dates, unsafe values, bad URLs, unknown tags …).
The build's warnings of the shared rules and check's problems must be the same set of
``file:line: message``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from newsarchive.commands.editor.check import check_paths

#: Warning subtypes of the rules the build shares with check.
SHARED = ("frontmatter", "card", "tag")
#: check's messages from those rules (its archive-wide checks say other things).
SHARED_MESSAGES = ("front matter", "no front matter", "link card", "unknown tag")
_WARNING = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): WARNING: (?P<message>.*) \[newsarchive\.(?P<kind>\w+)\]$"
)


def build_verdicts(app) -> set[tuple[str, int, str]]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    found = set()
    for row in text.splitlines():
        match = _WARNING.match(row.replace(str(app.srcdir) + "/", ""))
        if match and match["kind"] in SHARED:
            found.add((match["file"], int(match["line"]), match["message"]))
    return found


def check_verdicts(srcdir: Path) -> set[tuple[str, int, str]]:
    problems = check_paths([srcdir / "issues"], srcdir / "tags.toml")
    return {
        (str(Path(problem.path).relative_to(srcdir)), problem.line, problem.message)
        for problem in problems
        if problem.message.startswith(SHARED_MESSAGES)
    }


@pytest.mark.sphinx("html", testroot="verdicts")
def test_build_and_check_give_the_same_verdicts(app):
    app.build()
    built = build_verdicts(app)
    checked = check_verdicts(Path(app.srcdir))
    assert built == checked
    # The cases the two used to disagree on, and one of every kind of rule, are there.
    for expected in (
        (
            "issues/0001.md",
            2,
            "front matter 'issue' must be a positive whole number like 18, not '1'",
        ),
        (
            "issues/0002.md",
            3,
            "front matter 'date' must be a date like 2020-04-17, not '2021-W02-5'",
        ),
        ("issues/0006.md", 36, "link card :image: must be http or https, not '/etc/passwd'"),
        ("issues/0006.md", 42, "unknown tag 'nlpp'; did you mean 'nlp'?"),
    ):
        assert expected in built
    assert {path for path, _, _ in built} == {f"issues/000{n}.md" for n in range(1, 9)}


@pytest.mark.sphinx("html", testroot="verdicts")
def test_rejected_issues_are_left_out_of_the_archive(app):
    """An issue whose number or date the rules refuse is not placed in the archive."""
    from newsarchive.sphinxext.domain import news_domain

    app.build()
    numbers = sorted(record.number for record in news_domain(app.env).issues())
    assert numbers == [4, 5, 6]
