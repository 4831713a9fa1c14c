"""From Substack posts to issue pages: what ``import-substack`` and ``import-feed`` share.

A post (from the export or the feed) becomes an issue of the pipeline's model and is
written by its emitter, as Revue's issues are, with its guarantees: the same input gives
the same bytes, a page edited by hand is left alone unless ``--force`` (a manifest records
what the import wrote), and so is a page the import would take cards or text from (a post
cut short), naming the file and what would be lost (``place_page``). Where
numbers jump, ``follows:`` is written; a later page whose ``follows:`` the import makes
wrong gets that one line corrected, and says so.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tqdm import tqdm

from newsarchive.commands.editor.new import JST, YEAR_TEMPLATE
from newsarchive.commands.pipeline.emit import emit_page
from newsarchive.commands.pipeline.model import Issue, Paragraph, Text
from newsarchive.commands.pipeline.options import add_page_options
from newsarchive.commands.pipeline.placement import (
    Manifest,
    Report,
    open_manifest,
    place_page,
    write_file,
)
from newsarchive.commands.pipeline.tagger import load_tagger, with_tags
from newsarchive.commands.substack.body import (
    SubstackFormatError,
    clean_url,
    parse_body,
    without_controls,
)
from newsarchive.commands.substack.reposts import (
    is_repost,
    lacking_links,
    lacking_notice,
    number_ranges,
)
from newsarchive.core.frontmatter import read_front_matter
from newsarchive.core.sources import issue_files, number_from_name
from newsarchive.core.substack_posts import (
    POSTS_TABLE,
    SUBSTACK_HOST,
    PostsTableError,
    load_posts,
    save_posts,
)
from newsarchive.core.vocabulary import VocabularyError

#: The newsletter on Substack; a post's page is ``<this>/p/<slug>``.
SUBSTACK_URL = f"https://{SUBSTACK_HOST}"

#: ``#160`` (or the full-width ``＃160``) anywhere in a title.
ISSUE_NUMBER = re.compile(r"[#＃]\s*(\d{1,5})(?!\d)")


#: The record of what the Substack imports wrote, under OUT.
MANIFEST = "substack/imported.json"
#: The commands that write it, as it says.
SUBSTACK_IMPORTS = "`newsarchive import-substack` and `newsarchive import-feed`"


class SourceError(Exception):
    """An export or a feed that cannot be read at all (not a zip, HTTP 404 …).

    ``line``: where in the source the problem is, when it is known (a feed's syntax error).
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def run_import(
    args: argparse.Namespace,
    read: Callable[[Importer], list[Post]],
    *,
    source: str,
    progress: str,
    only_new: bool = False,
) -> int:
    """Read the posts with ``read`` and import them; the command's exit status."""
    importer = Importer.from_args(args, manifest=MANIFEST)
    if importer is None:
        return 1
    importer.only_new = only_new
    try:
        posts = read(importer)
    except SourceError as error:
        where = source if error.line is None else f"{source}:{error.line}"
        print(f"{where}: {error}", file=sys.stderr)
        return 1
    return importer.run(posts, progress=progress)


@dataclass(frozen=True)
class Post:
    """One published newsletter post, wherever it was read from."""

    where: str  #: the file (or feed entry) for messages
    key: str  #: what ``--number KEY=N`` names: the post id, its slug or its URL
    slug: str
    title: str
    subtitle: str
    sent: dt.datetime
    source: str
    html: str


def add_common_arguments(parser: argparse.ArgumentParser, *, manifest: str) -> None:
    add_page_options(
        parser,
        manifest=f"OUT/{manifest}",  # pragma: no mutate
        force_note=(  # pragma: no mutate
            "; never a page of an issue first published elsewhere "  # pragma: no mutate
            "(a Revue issue re-posted on Substack keeps the page it has)"  # pragma: no mutate
        ),
    )
    parser.add_argument(
        "--years-dir",
        type=Path,
        default=Path("docs/years"),
        help="year pages, created for a new year (default: docs/years)",  # pragma: no mutate
    )
    parser.add_argument(
        "--number",
        action="append",
        default=[],
        metavar="POST=N",  # pragma: no mutate
        help="import a post whose title has no issue number as issue N "  # pragma: no mutate
        "(POST: its id, slug or URL); may be repeated",  # pragma: no mutate
    )


def given_numbers(values: list[str]) -> dict[str, int]:
    """``--number POST=N`` values; raises ``ValueError`` naming a malformed one."""
    numbers: dict[str, int] = {}
    for value in values:
        key, _, number = value.rpartition("=")
        key = key.strip()
        # isdecimal, not isdigit: "²" is a digit that int() cannot read.
        if not key or not number.isdecimal() or int(number) < 1:
            raise ValueError(f"--number {value!r}: expected POST=N, e.g. 101006.year-end=162")
        numbers[key] = int(number)
    return numbers


def tokyo_date(moment: dt.datetime) -> dt.date:
    """The calendar day in Tokyo of ``moment`` (a time without zone is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Asia/Tokyo")).date()
    except Exception:  # no time zone data on this system: Japan's offset is fixed
        return moment.astimezone(JST).date()


def slug_of(url: str) -> str:
    """The slug of a Substack post URL (``…/p/<slug>``), or ''."""
    path = urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[-1] if "/p/" in path else ""


@dataclass
class Importer:
    """Writes posts as pages into ``out``, keeping the archive's numbering consistent."""

    out: Path
    years_dir: Path
    manifest: Manifest
    report: Report
    force: bool
    numbers: dict[str, int]
    tagger: Any = None
    #: import-feed: a post whose page exists is left alone, whoever wrote it
    only_new: bool = False
    #: slug -> issue number of every post read (``OUT/substack/posts.json``); None: not kept
    posts_table: Path | None = None
    #: the issues whose posts were re-posts, left as they are
    reposts: list[int] = dataclasses.field(default_factory=list)

    @classmethod
    def from_args(cls, args: argparse.Namespace, *, manifest: str) -> Importer | None:
        """The importer for ``args``, or None after printing why it cannot run."""
        report = Report()
        try:
            numbers = given_numbers(args.number)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return None
        loaded = open_manifest(args.manifest or args.out / manifest, report, SUBSTACK_IMPORTS)
        try:
            tagger = None if args.no_tags else load_tagger(args.vocabulary, report)
        except VocabularyError as error:
            print(f"{error.format()} (--no-tags imports without tags)", file=sys.stderr)
            return None
        importer = cls(args.out, args.years_dir, loaded, report, args.force, numbers, tagger)
        importer.posts_table = args.out / POSTS_TABLE
        return importer

    def number_of(self, post: Post) -> int | None:
        for key in (post.key, post.slug, post.source):
            if key in self.numbers:
                return self.numbers[key]
        match = ISSUE_NUMBER.search(post.title)
        return int(match[1]) if match and int(match[1]) > 0 else None

    def run(self, posts: Iterable[Post], *, progress: str) -> int:
        """Import ``posts``; print the problems and the summary; the exit status."""
        numbered: dict[int, Post] = {}
        for post in posts:
            number = self.number_of(post)
            if number is None:
                self.report.notices.append(
                    f"{post.where}: no issue number in the title {post.title!r}; skipped "
                    f"(--number {post.key}=N imports it as issue N)"
                )
                self.report.outcomes["unnumbered"] += 1
                continue
            if number in numbered:
                self.report.problems.append(
                    f"{post.where}:1: issue #{number} is also imported from "
                    f"{numbered[number].where}; not imported"
                )
                self.report.outcomes["failed"] += 1
                continue
            numbered[number] = post
        existing = {
            number: path
            for path in issue_files(self.out)
            if (number := number_from_name(path)) is not None
        }
        self._record_posts(numbered)
        for number in self._reposts(numbered, existing):
            del numbered[number]
        if self.only_new and not self.force:
            for number in sorted(set(numbered) & set(existing)):
                self.report.outcomes["present"] += 1
                del numbered[number]
        issues: dict[int, Issue] = {}
        for number, post in sorted(numbered.items()):
            issue = self._issue(post, number)
            if issue is not None:
                issues[number] = issue
        every = sorted(set(existing) | set(issues))
        bar = tqdm(
            sorted(issues.items()), desc=progress, unit="issue", file=sys.stderr, disable=None
        )
        for number, issue in bar:
            follows = _before(every, number)
            if follows is not None and follows + 1 != number:
                issue = dataclasses.replace(issue, follows=follows)
            self._write(issue, numbered[number])
        if issues:
            self._correct_later_pages(existing, set(issues), every)
            if self.report.outcomes["written"] or self.report.outcomes["unchanged"]:
                self.manifest.save()
        return self.finish()

    def _record_posts(self, numbered: dict[int, Post]) -> None:
        """Each post's slug and issue into the posts table, which the build reads to point
        links to any post of the newsletter (whatever its slug) to the issue's page."""
        path = self.posts_table
        if path is None or not numbered:
            return
        try:
            table = load_posts(path)
        except PostsTableError as error:
            self.report.problems.append(f"{error}; not updated")
            return
        table.update({post.slug: number for number, post in numbered.items() if post.slug})
        if save_posts(path, table):
            self.report.notices.append(f"{path}: the posts' addresses recorded")

    def _reposts(self, numbered: dict[int, Post], existing: dict[int, Path]) -> list[int]:
        """The issues whose post is a re-post (see :mod:`.reposts`): their pages are left
        as they are; a re-post holding cards whose links a page lacks is said, per page."""
        for number, post in sorted(numbered.items()):
            page = existing.get(number)
            recorded = page is not None and self.manifest.recorded(page.name) is not None
            if page is None or not is_repost(page, post.source, recorded=recorded):
                continue
            self.reposts.append(number)
            if not post.html:  # listed by the archive API without its body
                continue
            lacking = lacking_links(page, post.html)
            if isinstance(lacking, str):
                self.report.notices.append(
                    f"{post.where}: {lacking}; its links are not compared with {page}"
                )
            elif lacking:
                self.report.notices.append(lacking_notice(page, post.key, lacking))
        return self.reposts

    def _issue(self, post: Post, number: int) -> Issue | None:
        try:
            body = parse_body(post.html)
        except SubstackFormatError as error:
            self.report.problems.append(f"{post.where}:{error.line}: {error.message}")
            self.report.outcomes["failed"] += 1
            return None
        self.report.problems.extend(f"{post.where}:{n.line}: {n.message}" for n in body.notes)
        subtitle = " ".join(without_controls(post.subtitle).split())
        intro = (Paragraph((Text(subtitle),)),) if subtitle else ()
        issue = Issue(
            number=number,
            date=tokyo_date(post.sent),
            title=" ".join(without_controls(post.title).split()),
            source=clean_url(post.source),
            intro=intro,
            items=tuple(body.items),
            footnotes=tuple(body.footnotes),
        )
        if self.tagger is not None:
            issue = with_tags(issue, self.tagger)
        self.report.count_items(issue)
        return issue

    def _write(self, issue: Issue, post: Post) -> None:
        outcome = place_page(
            self.out / f"{issue.number:04d}.md",
            emit_page(issue).encode("utf-8"),
            self.manifest,
            self.report,
            source=post.key,
            force=self.force,
            cut="the post",
        )
        if outcome == "written":
            self._year_page(issue.date.year)

    def _year_page(self, year: int) -> None:
        page = self.years_dir / f"{year}.md"
        if self.years_dir.is_dir() and not page.exists():
            write_file(page, YEAR_TEMPLATE.format(year=year).encode("utf-8"))
            self.report.notices.append(f"{page}: new year page")

    def _correct_later_pages(
        self, existing: dict[int, Path], imported: set[int], every: list[int]
    ) -> None:
        """A page after the imported ones whose ``follows:`` is no longer the issue before it
        (a page no issue comes before is left to ``check``: there is no issue to name)."""
        for number, path in sorted(existing.items()):
            if number in imported:
                continue
            value = str((read_front_matter(path) or {}).get("follows", "")).strip()
            if not value.isdigit():
                continue
            declared = int(value)
            before = _before(every, number)
            if before is None or before == declared:
                continue
            if before + 1 == number:
                replacement, said = "", "removed (no issue is missing before it now)"
            else:
                replacement, said = f"follows: {before}\n", f"now {before}"
            text = path.read_text(encoding="utf-8")
            new_text, count = re.subn(
                rf"(?m)^follows:[ \t]*{declared}[ \t]*\n", replacement, text, count=1
            )
            if count:
                write_file(path, new_text.encode("utf-8"))
                if self.manifest.recorded(path.name):
                    self.manifest.record(path.name, new_text.encode("utf-8"), "follows")
                self.report.notices.append(
                    f"{path}: follows: {declared} {said}: the imported issues come before it"
                )

    def finish(self) -> int:
        for line in self.report.notices + self.report.problems:
            print(line, file=sys.stderr)
        outcomes = self.report.outcomes
        print(self.report.summary())
        print(
            f"posts: {outcomes['present']} already in the archive (left alone), "
            f"{outcomes['unnumbered']} without an issue number, {outcomes['draft']} drafts, "
            f"{outcomes['other']} not newsletter posts"
            + (f", {outcomes['paid']} paid-only (not public)" if outcomes["paid"] else "")
        )
        if self.reposts:
            count = len(self.reposts)
            print(
                f"{count} re-post{'s' if count > 1 else ''} of issues already in the book "
                f"({number_ranges(self.reposts)}) left as they are"
            )
        return 1 if self.report.problems else 0


def _before(numbers: list[int], number: int) -> int | None:
    earlier = [n for n in numbers if n < number]
    return earlier[-1] if earlier else None
