"""``newsarchive check``: lint the archive for a pull request, without running Sphinx.

Every problem is one line, ``file:line: message``; the exit status is 1 when there is any.
It checks what the build would warn about (front matter, cards, tags, raw HTML, malformed
MyST) and what only the whole archive shows (numbers unique and contiguous, dates
increasing, file names matching numbers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from docutils.parsers.rst.directives import _directive_registry

from newsarchive.core.cards import judge_card
from newsarchive.core.frontmatter import judge_front_matter
from newsarchive.core.sourcefiles import not_utf8
from newsarchive.core.sources import Card, Page, claim_order, issue_files, issue_path, read_page

if TYPE_CHECKING:
    from newsarchive.core.vocabulary import Vocabulary

#: Directives an issue page may use besides ``link``: docutils' and Sphinx's usual ones.
KNOWN_DIRECTIVES = frozenset(_directive_registry) | {
    "link",
    "issue-list",
    "code-block",
    "sourcecode",
    "literalinclude",
    "toctree",
    "only",
    "seealso",
    "versionadded",
    "versionchanged",
    "deprecated",
    "glossary",
    "hlist",
    "centered",
    "index",
    "highlight",
    "eval-rst",
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def github(self) -> str:
        """A GitHub Actions annotation, shown on the pull request's diff."""
        path = _escape(self.path, property_value=True)
        return f"::error file={path},line={self.line}::{_escape(self.message)}"


def _escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


@dataclass
class Issue:
    """What the archive-wide checks need from one page's front matter."""

    page: Page
    number: int | None = None
    date: dt.date | None = None
    #: ``follows: N`` declares a deliberate gap: the issues after #N were never archived here
    follows: int | None = None
    lines: dict[str, int] = field(default_factory=dict)


class Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path | str, line: int, message: str) -> None:
        self.problems.append(Problem(str(path), line, message))


# -- front matter ------------------------------------------------------------------------
def check_front_matter(page: Page, report: Report) -> Issue:
    """The page's front matter, judged by the rules the build applies."""
    matter, findings = judge_front_matter(page.text)
    for finding in findings:
        report.add(page.path, finding.line, finding.message)
    return Issue(page, matter.number, matter.date, matter.follows, dict(matter.lines))


# -- one page ----------------------------------------------------------------------------
def check_page(page: Page, issue: Issue, vocabulary: Vocabulary | None, report: Report) -> None:
    path = page.path
    named = page.number_from_name
    if named is None:
        report.add(path, 1, "file name must be the issue number, zero-padded: NNNN.md")
    elif issue.number is not None and issue_path(path.parent, issue.number).name != path.name:
        expected = issue_path(path.parent, issue.number).name
        report.add(path, issue.lines["issue"], f"issue {issue.number} belongs in {expected}")
    for note in [*page.notes, *page.refused]:
        report.add(path, note.line, note.message)
    html_by_line: dict[int, list[str]] = defaultdict(list)
    for note in page.html:
        html_by_line[note.line].append(" ".join(note.message.split()))
    for line, snippets in html_by_line.items():
        report.add(path, line, f"raw HTML is shown as text: {' … '.join(snippets)[:80]!r}")
    refused_lines = {note.line for note in page.refused}
    for note in page.directives:
        if note.message == "raw" and note.line in refused_lines:
            continue  # refused: nothing is shown
        if note.message == "raw":
            report.add(path, note.line, "raw output ({raw}) is shown as text")
        elif note.message not in KNOWN_DIRECTIVES:
            report.add(path, note.line, f"unknown directive {{{note.message}}}")
    for note in page.links:
        scheme = urlsplit(note.message).scheme.lower()
        if scheme and scheme not in LINK_SCHEMES:
            report.add(path, note.line, f"link must be http or https, not {note.message!r}")
    check_headings(page, report)
    seen: dict[str, int] = {}
    for card in page.cards:
        check_card(path, card, vocabulary, report)
        if card.url and card.url in seen:
            report.add(
                path, card.line, f"URL already in this issue's card at line {seen[card.url]}"
            )
        seen.setdefault(card.url, card.line)


def check_headings(page: Page, report: Report) -> None:
    """Heading levels go down one at a time, from H1 (as MyST requires)."""
    open_levels = [0]
    for line, level in page.headings:
        parent = max(open_level for open_level in open_levels if open_level < level)
        if parent + 1 != level:
            message = (
                f"headings start at H{level}, not H1"
                if parent == 0
                else f"heading jumps from H{parent} to H{level}"
            )
            report.add(page.path, line, message)
        open_levels = [open_level for open_level in open_levels if open_level < level] + [level]


def check_card(path: Path, card: Card, vocabulary: Vocabulary | None, report: Report) -> None:
    """The card judged by the rules the build applies."""
    judged = judge_card(
        card.url,
        card.options,
        line=card.line,
        lines=card.option_lines,
        vocabulary=vocabulary,
        repeated=card.repeated,
    )
    for finding in judged.findings:
        report.add(path, finding.line, finding.message)


# -- the whole archive -------------------------------------------------------------------
def check_sequence(issues: list[Issue], report: Report) -> None:
    """Numbers unique and contiguous, dates increasing with the number.

    A gap is not reported when a page's number could not be read: that page may fill it,
    and its own problem is reported already.
    """
    gaps = all(issue.number is not None for issue in issues)
    by_number: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.number is not None:
            by_number[issue.number].append(issue)
    previous: Issue | None = None
    for number in sorted(by_number):
        first, *others = sorted(
            by_number[number], key=lambda issue: claim_order(number, issue.page.path)
        )
        for other in others:
            report.add(
                other.page.path,
                other.lines["issue"],
                f"issue number {number} is also used by {first.page.path}",
            )
        if previous is not None and previous.number is not None:
            _check_step(previous, first, report, gaps=gaps)
        previous = first


def _check_step(previous: Issue, issue: Issue, report: Report, *, gaps: bool) -> None:
    assert previous.number is not None and issue.number is not None
    gap = issue.number - previous.number - 1
    if issue.follows is not None and issue.follows != previous.number:
        report.add(
            issue.page.path,
            issue.lines["follows"],
            f"follows: {issue.follows}, but the issue before it here is #{previous.number}",
        )
    elif gap and gaps and issue.follows is None:
        missing = f"#{previous.number + 1}" + (f"–#{issue.number - 1} are" if gap > 1 else " is")
        report.add(
            issue.page.path,
            issue.lines["issue"],
            f"issue #{issue.number} follows #{previous.number}: {missing} missing "
            f"(if they were never in this archive, add 'follows: {previous.number}')",
        )
    if previous.date and issue.date and issue.date <= previous.date:
        report.add(
            issue.page.path,
            issue.lines["date"],
            f"date {issue.date} is not after #{previous.number}'s date {previous.date}",
        )


def load_vocabulary(path: Path | None, report: Report) -> Vocabulary | None:
    if path is None or not path.is_file():
        return None
    try:
        from newsarchive.core.vocabulary import Vocabulary, VocabularyError
    except ModuleNotFoundError:
        return None
    try:
        return Vocabulary.load(path)
    except VocabularyError as error:
        report.add(path, getattr(error, "line", None) or 1, str(error))
        return None


def check_competitions(path: Path | None, report: Report) -> None:
    """The curated competition file, by the rules the build reads it with."""
    if path is None or not path.is_file():
        return
    from newsarchive.core.competition_data import load_catalog

    for problem in load_catalog(path).problems:
        report.add(path, problem.line, problem.message)


def check_year_pages(issues: list[Issue], years_dir: Path | None, report: Report) -> None:
    """Each year with issues has its page (else its issues are not in the navigation)."""
    if years_dir is None or not years_dir.is_dir():
        return
    first_of_year: dict[int, Issue] = {}
    for issue in sorted(issues, key=lambda i: (i.number or 0, str(i.page.path))):
        if issue.date is not None:
            first_of_year.setdefault(issue.date.year, issue)
    for year, issue in sorted(first_of_year.items()):
        page = years_dir / f"{year}.md"
        if not page.is_file():
            report.add(
                issue.page.path,
                issue.lines["date"],
                f"no year page {page}: the {year} issues are not in the navigation "
                "(newsarchive new creates it)",
            )


def check_paths(
    paths: list[Path],
    vocabulary_path: Path | None,
    years_dir: Path | None = None,
    competitions_path: Path | None = None,
) -> list[Problem]:
    """Every problem of the issue pages, vocabulary and competition file named by
    ``paths``, sorted."""
    report = Report()
    pages: list[Path] = []
    for path in paths:
        if path.name == "competitions.toml":
            competitions_path = path
        elif path.suffix == ".toml":
            vocabulary_path = path
        elif path.is_dir():
            pages += issue_files(path)
        elif path.is_file():
            pages.append(path)
        else:
            report.add(path, 1, "no such file or folder")
    vocabulary = load_vocabulary(vocabulary_path, report)
    check_competitions(competitions_path, report)
    issues = []
    for path in pages:
        try:
            page = read_page(path)
        except OSError as error:
            report.add(path, 1, f"cannot be read: {error.strerror or error}")
            continue
        except UnicodeDecodeError:
            line, message = not_utf8(path.read_bytes()) or (1, "not UTF-8")
            report.add(path, line, message)
            continue
        issue = check_front_matter(page, report)
        check_page(page, issue, vocabulary, report)
        issues.append(issue)
    check_sequence(issues, report)
    check_year_pages(issues, years_dir, report)
    return sorted(set(report.problems))


# -- the command -------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="lint the archive (issue pages and tag vocabulary) without building it",
        description=(
            "Check issue pages and the tag vocabulary and print file:line: message for "
            "each problem; exit status 1 when there is any. Without PATH: issues/ and "
            "docs/tags.toml."
        ),
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="issue pages, folders, tags.toml"
    )
    parser.add_argument(
        "--vocabulary",
        type=Path,
        default=Path("docs/tags.toml"),
        help="the tag vocabulary (docs/tags.toml)",
    )
    parser.add_argument(
        "--competitions",
        type=Path,
        default=Path("docs/competitions.toml"),
        help="the curated competition file (docs/competitions.toml)",
    )
    parser.add_argument(
        "--years-dir",
        type=Path,
        default=Path("docs/years"),
        help="the year pages (docs/years); not checked when the folder is missing",
    )
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: annotations for GitHub Actions, shown on the pull request",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths or [Path("issues")]
    problems = check_paths(paths, args.vocabulary, args.years_dir, args.competitions)
    for problem in problems:
        print(problem.github() if args.format == "github" else problem)
    files = len({problem.path for problem in problems})
    if problems:
        print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    return 0
