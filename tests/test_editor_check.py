"""``newsarchive check``: one injected mistake of each kind, reported at its file and line."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO
from newsarchive.commands.cli import main

DATES = {1: "2020-01-03", 2: "2020-01-10", 3: "2020-01-17"}


def clean_page(number: int) -> str:
    """An issue page; the line numbers of the mistakes below refer to it."""
    return f"""\
---
issue: {number}
date: {DATES[number]}
title: "Weekly Kaggle News #{number}"
source: https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-{number}-1000
---
# Weekly Kaggle News #{number}

## News

Intro with a [link](https://www.kaggle.com/) and `<code>` that is not HTML.

:::{{link}} https://arxiv.org/abs/2004.0493{number}
:title: "A paper: \\"quoted\\" & 1 < 2"
:image: https://example.com/{number}.png
:site: arxiv.org
:excerpt: "An excerpt."
:tags: paper, nlp

Commentary with **bold** and a [link](https://example.com/?a=1).
:::

## Competitions

:::{{link}} https://www.kaggle.com/c/competition-{number}
:title: "Competition {number}"

% a MyST comment, not shown
Another commentary.
:::
"""


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """A clean archive of three issues and the real vocabulary, as the current folder."""
    (tmp_path / "issues").mkdir()
    (tmp_path / "docs").mkdir()
    shutil.copy(REPO / "docs/tags.toml", tmp_path / "docs/tags.toml")
    (tmp_path / "docs/years").mkdir()
    shutil.copy(REPO / "docs/years/2020.md", tmp_path / "docs/years/2020.md")
    for number in DATES:
        (tmp_path / f"issues/{number:04d}.md").write_text(clean_page(number), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *argv: str) -> tuple[int, list[tuple[str, int, str]]]:
    status = main(["check", *argv])
    out = capsys.readouterr().out
    problems = []
    for row in out.splitlines():
        path, line, message = re.match(r"^(.+?):(\d+): (.*)$", row).groups()
        problems.append((path, int(line), message))
    return status, problems


def replace(old: str, new: str, page: str = "issues/0002.md") -> Callable[[], None]:
    def edit() -> None:
        path = Path(page)
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def rename(old: str, new: str, *edits: tuple[str, str]) -> Callable[[], None]:
    def edit() -> None:
        Path(old).rename(new)
        for before, after in edits:
            replace(before, after, new)()

    return edit


P2 = "issues/0002.md"
P3 = "issues/0003.md"
URL2 = "https://arxiv.org/abs/2004.04932"

#: mistake -> (how to make it, every problem expected: file, line, part of the message)
MISTAKES: dict[str, tuple[Callable[[], None], list[tuple[str, int, str]]]] = {
    "issue not a number": (
        replace("issue: 2\n", "issue: two\n"),
        [(P2, 2, "'issue' must be a positive whole number like 18, not 'two'")],
    ),
    "issue quoted": (
        replace("issue: 2\n", 'issue: "2"\n'),
        [(P2, 2, "'issue' must be a positive whole number")],
    ),
    "date not ISO": (
        replace("date: 2020-01-10", "date: 10/01/2020"),
        [(P2, 3, "'date' must be a date like 2020-04-17, not '10/01/2020'")],
    ),
    "date impossible": (
        replace("date: 2020-01-10", "date: 2020-02-30"),
        [(P2, 3, "'date' must be a date like 2020-04-17, not '2020-02-30'")],
    ),
    "title missing": (
        replace('title: "Weekly Kaggle News #2"\n', ""),
        [(P2, 1, "front matter has no 'title'")],
    ),
    "title not text": (
        replace('title: "Weekly Kaggle News #2"', "title: 2020"),
        [(P2, 4, "'title' must be text")],
    ),
    "title cut by a comment": (
        replace('title: "Weekly Kaggle News #2"', "title: Weekly Kaggle News #2"),
        [(P2, 4, "'title' is cut short by '#2' (a YAML comment): quote the value")],
    ),
    "title with HTML": (
        replace('title: "Weekly Kaggle News #2"', 'title: "News <b>2</b>"'),
        [(P2, 4, "'title' contains HTML")],
    ),
    "source not http": (
        replace("source: https://", "source: ftp://"),
        [(P2, 5, "'source' must be an http or https URL")],
    ),
    "field given twice": (
        replace("date: 2020-01-10\n", "date: 2020-01-10\ndate: 2020-01-11\n"),
        [(P2, 4, "front matter has 'date' twice")],
    ),
    "front matter not YAML": (
        replace('title: "Weekly Kaggle News #2"', 'title: "Weekly Kaggle News #2'),
        [(P2, 5, "front matter is not valid YAML")],
    ),
    "front matter missing": (
        lambda: Path(P2).write_text(clean_page(2).split("---\n", 2)[2], encoding="utf-8"),
        [(P2, 1, "no front matter")],
    ),
    "front matter never closed": (
        replace(
            "source: https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-2-1000\n---\n",
            "source: https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-2-1000\n",
        ),
        [(P2, 1, "front matter is never closed")],
    ),
    "number used twice": (
        replace("issue: 3\n", "issue: 2\n", P3),
        [
            (P3, 2, "issue 2 belongs in 0002.md"),
            (P3, 2, "issue number 2 is also used by issues/0002.md"),
        ],
    ),
    "number missing": (
        rename(P3, "issues/0004.md", ("issue: 3\n", "issue: 4\n")),
        [("issues/0004.md", 2, "issue #4 follows #2: #3 is missing")],
    ),
    "declared gap that does not match": (
        rename(P3, "issues/0004.md", ("issue: 3\n", "issue: 4\nfollows: 1\n")),
        [("issues/0004.md", 3, "follows: 1, but the issue before it here is #2")],
    ),
    "date not after the previous issue": (
        replace("date: 2020-01-17", "date: 2020-01-10", P3),
        [(P3, 3, "date 2020-01-10 is not after #2's date 2020-01-10")],
    ),
    "year page missing": (
        replace("date: 2020-01-17", "date: 2021-01-01", P3),
        [(P3, 3, "no year page docs/years/2021.md: the 2021 issues are not in the navigation")],
    ),
    "file name not the padded number": (
        rename(P2, "issues/2.md"),
        [("issues/2.md", 2, "issue 2 belongs in 0002.md")],
    ),
    "file name not a number": (
        rename(P2, "issues/0002-draft.md"),
        [("issues/0002-draft.md", 1, "file name must be the issue number, zero-padded")],
    ),
    "card without title": (
        replace(':title: "A paper: \\"quoted\\" & 1 < 2"\n', ""),
        [(P2, 13, "link card has no :title: (required)")],
    ),
    "card without URL": (
        replace(f":::{{link}} {URL2}", ":::{link}"),
        [(P2, 13, "link card has no URL")],
    ),
    "card link not http": (
        replace(f":::{{link}} {URL2}", ":::{link} ftp://example.com/file"),
        [(P2, 13, "link card URL must be http or https, not 'ftp://example.com/file'")],
    ),
    "tracking parameters": (
        replace(URL2, URL2 + "?utm_source=twitter&fbclid=x"),
        [(P2, 13, "link card URL has tracking parameters (utm_source, fbclid); remove them")],
    ),
    "image not http": (
        replace(":image: https://example.com/2.png", ":image: javascript:alert(1)"),
        [(P2, 15, "link card :image: must be http or https, not 'javascript:alert(1)'")],
    ),
    "card option with HTML": (
        replace('"An excerpt."', '"<script>alert(1)</script>"'),
        [(P2, 17, "link card :excerpt: contains HTML")],
    ),
    "unknown option": (
        replace(":site: arxiv.org\n", ":site: arxiv.org\n:colour: red\n"),
        [(P2, 17, "Unknown option key: 'colour'")],
    ),
    "unknown status": (
        replace(":site: arxiv.org\n", ":site: arxiv.org\n:status: gone\n"),
        [(P2, 17, "link card :status: must be 'live' or 'dead', not 'gone'")],
    ),
    "unknown tag": (
        replace(":tags: paper, nlp", ":tags: paper, nlpp"),
        [(P2, 18, "unknown tag 'nlpp'; did you mean 'nlp'?")],
    ),
    "URL repeated in one issue": (
        replace("https://www.kaggle.com/c/competition-2", URL2),
        [(P2, 25, "URL already in this issue's card at line 13")],
    ),
    "raw HTML in the intro": (
        replace("Intro with a", "Intro <b>with</b> a"),
        [(P2, 11, "raw HTML is shown as text: '<b> … </b>'")],
    ),
    "raw HTML block": (
        replace("## Competitions\n", '## Competitions\n\n<div class="x">\nblock\n</div>\n'),
        [(P2, 25, "raw HTML is shown as text: '<div class=\"x\"> block </div>'")],
    ),
    "raw HTML in a commentary": (
        replace("Another commentary.", "Another <img src=x onerror=alert(1)> commentary."),
        [(P2, 29, "raw HTML is shown as text: '<img src=x onerror=alert(1)>'")],
    ),
    "link not http in a commentary": (
        replace("(https://example.com/?a=1)", "(ftp://example.com/file)"),
        [(P2, 20, "link must be http or https, not 'ftp://example.com/file'")],
    ),
    "fence never closed": (
        lambda: Path(P2).write_text(clean_page(2).removesuffix(":::\n"), encoding="utf-8"),
        [(P2, 25, ":::{link} is never closed")],
    ),
    "fence closed too late": (
        replace(
            "Commentary with **bold** and a [link](https://example.com/?a=1).\n:::\n",
            "Commentary with **bold** and a [link](https://example.com/?a=1).\n",
        ),
        [
            (P2, 13, ":::{link} is not closed before the directive at line 24"),
            (P2, 24, ":::{link} is never closed"),
        ],
    ),
    "heading level skipped": (
        replace("## Competitions\n", "#### Competitions\n"),
        [(P2, 23, "heading jumps from H2 to H4")],
    ),
    "unknown directive": (
        replace(f":::{{link}} {URL2}", f":::{{lnk}} {URL2}"),
        [(P2, 13, "unknown directive {lnk}")],
    ),
}


def test_the_clean_archive_passes(archive, capsys):
    assert check(capsys) == (0, [])


def test_a_declared_gap_is_not_a_mistake(archive, capsys):
    """The newsletter went on elsewhere after #159; an issue may say which one it follows."""
    rename(P3, "issues/0004.md", ("issue: 3\n", "issue: 4\nfollows: 2\n"))()
    assert check(capsys) == (0, [])


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_is_reported_at_its_file_and_line(archive, capsys, mistake):
    make, expected = MISTAKES[mistake]
    make()
    status, problems = check(capsys)
    assert status == 1
    assert len(problems) == len(expected), problems
    for (path, line, message), (want_path, want_line, want_message) in zip(
        problems, sorted(expected), strict=True
    ):
        assert (path, line) == (want_path, want_line), problems
        assert want_message in message, problems


def test_broken_vocabulary(archive, capsys):
    vocabulary = Path("docs/tags.toml")
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace('slug = "kaggle"', 'slug = "Kaggle!"', 1), "utf-8")
    line = text[: text.index('slug = "kaggle"')].count("\n") + 1
    status, problems = check(capsys)
    assert status == 1
    assert [(path, line) for path, line, _ in problems] == [("docs/tags.toml", line)]
    assert "bad slug 'Kaggle!'" in problems[0][2]


def test_named_pages_and_vocabulary(archive, capsys):
    replace(":tags: paper, nlp", ":tags: nlpp")()
    assert check(capsys, "issues/0001.md") == (0, [])
    status, problems = check(capsys, "issues/0002.md", "docs/tags.toml")
    assert status == 1
    assert problems == [(P2, 18, "unknown tag 'nlpp'; did you mean 'nlp'?")]
    status, problems = check(capsys, "issues/0002.md", "--vocabulary", "missing.toml")
    assert (status, problems) == (0, [])  # no vocabulary: tags are not checked


def test_github_annotations(archive, capsys):
    replace(":tags: paper, nlp", ":tags: nlpp")()
    assert main(["check", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert out == (f"::error file={P2},line=18::unknown tag 'nlpp'; did you mean 'nlp'?\n")


def test_missing_path(archive, capsys):
    status, problems = check(capsys, "nowhere")
    assert status == 1
    assert problems == [("nowhere", 1, "no such file or folder")]


def test_the_real_archive_passes(capsys, monkeypatch):
    """The whole archive, like CI on a pull request. (Its speed is a benchmark's business:
    a timed assertion fails on a busy machine, not on a slow check.)"""
    monkeypatch.chdir(REPO)
    status, problems = check(capsys)
    assert (status, problems) == (0, [])
