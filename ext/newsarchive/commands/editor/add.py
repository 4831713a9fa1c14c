"""``newsarchive add URL``: append a card filled from the linked page's metadata.

The page is fetched (see :mod:`newsarchive.commands.editor.fetch`), its Open Graph / Twitter meta
read, tracking parameters dropped, and a ``:::{link}`` card appended to the newest issue
(or ``--issue N``) with an empty commentary for the editor to write.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.commands.editor.fetch import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    FetchError,
    Metadata,
    fetch,
    is_html,
    read_metadata,
)
from newsarchive.core.cards import suspicious_markup, unknown_tag
from newsarchive.core.sourcefiles import not_utf8
from newsarchive.core.sources import (
    Page,
    append_card,
    card_text,
    issue_files,
    issue_path,
    newest_issue,
    number_from_name,
    read_page,
)
from newsarchive.core.urls import is_http_url, site_of, strip_tracking, tracking_params

#: Longer excerpts are cut (with "…"): a card shows a teaser, not the article.
EXCERPT_LIMIT = 300


class Refused(Exception):
    """Nothing is written; the message says why (exit status 2 for bad input)."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "add",
        help="append a card for URL to the newest issue",
        description=(
            "Fetch URL, read its Open Graph / Twitter metadata (or <title> and the meta "
            "description), drop tracking parameters and append a filled link card to the "
            "newest issue (or --issue N). Redirects are followed and reported; missing "
            "metadata is listed; a URL already in the archive is named with its issues."
        ),
    )
    parser.add_argument("url", metavar="URL", help="the link (http or https)")
    parser.add_argument("--issue", type=int, metavar="N", help="the issue (default: the newest)")
    parser.add_argument("--tags", default="", help="tags from the vocabulary, e.g. nlp,paper")
    parser.add_argument("--title", help="the card's title, instead of the page's")
    parser.add_argument(
        "--offline", action="store_true", help="do not fetch: write the card from URL and --title"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"give up after this many seconds ({DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"read at most this much of the page ({DEFAULT_MAX_BYTES})",
    )
    parser.add_argument("--dir", type=Path, default=Path("issues"), help="issue folder (issues)")
    parser.add_argument(
        "--vocabulary",
        type=Path,
        default=Path("docs/tags.toml"),
        help="the tag vocabulary (docs/tags.toml)",
    )
    parser.set_defaults(func=run)


@dataclass
class Outcome:
    """What ``add`` found out, to tell the editor."""

    url: str
    notes: list[str] = field(default_factory=list)  #: what happened
    warnings: list[str] = field(default_factory=list)  #: what the editor should look at


def run(args: argparse.Namespace) -> int:
    try:
        page = _target_page(args.dir, args.issue)
        tags = _resolved_tags(args.tags, args.vocabulary)
        url = _requested_url(args.url)
        outcome = Outcome(url)
        metadata = Metadata() if args.offline else _fetched(outcome, args)
        urls = {url, outcome.url}
        _refuse_repeat(read_page(page), urls)
    except Refused as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return refusal.status
    except UnicodeDecodeError:
        line, message = not_utf8(page.read_bytes()) or (1, "not UTF-8")
        print(f"error: {page}:{line}: {message}", file=sys.stderr)
        return 2
    if params := tracking_params(args.url.strip()):
        outcome.notes.append(f"removed tracking parameters: {', '.join(params)}")
    if args.title:
        metadata.title, metadata.sources["title"] = args.title, "--title"
    title = " ".join(metadata.title.split())
    excerpt = _shortened(metadata.excerpt)
    card = card_text(
        outcome.url,
        title=title,
        image=metadata.image,
        site=site_of(outcome.url),
        excerpt=excerpt,
        tags=tags,
    )
    try:
        # Checked again under the page's lock: another add may have written it meanwhile.
        line = append_card(page, card, check=lambda current: _refuse_repeat(current, urls))
    except Refused as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return refusal.status
    print(f"{page}:{line}: card added for {outcome.url}")
    for source in ("title", "excerpt", "image"):
        if source in metadata.sources:
            outcome.notes.append(f"{source} from {metadata.sources[source]}")
    for note in outcome.notes:
        print(f"  {note}")
    _warn_gaps(outcome, title=title, excerpt=excerpt, image=metadata.image)
    _warn_elsewhere(outcome, page, args.dir, {url, outcome.url})
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _target_page(directory: Path, number: int | None) -> Path:
    if number is not None:
        path = issue_path(directory, number)
        if not path.is_file():
            raise Refused(f"no issue #{number} ({path} does not exist)")
        return path
    newest = newest_issue(directory)
    if newest is None:
        raise Refused(f"no issue in {directory}/ yet; start one with: newsarchive new")
    return newest


def _resolved_tags(text: str, vocabulary_path: Path) -> list[str]:
    """The slugs of ``--tags``; unknown tags refuse the card (with the closest known)."""
    if not text.strip():
        return []
    from newsarchive.core.vocabulary import Vocabulary, VocabularyError, parse_tag_list

    try:
        vocabulary = Vocabulary.load(vocabulary_path)
    except (OSError, VocabularyError) as error:
        raise Refused(f"cannot read the tag vocabulary {vocabulary_path}: {error}") from None
    slugs: list[str] = []
    for name in parse_tag_list(text):
        tag = vocabulary.resolve(name)
        if tag is None:
            raise Refused(f"{unknown_tag(vocabulary, name)} (tags are in {vocabulary_path})")
        if tag.slug not in slugs:
            slugs.append(tag.slug)
    return slugs


def _requested_url(text: str) -> str:
    url = text.strip()
    if not is_http_url(url) or any(ch.isspace() for ch in url):
        raise Refused(f"only http and https links can be cards, not {text!r}")
    return strip_tracking(url)


def _fetched(outcome: Outcome, args: argparse.Namespace) -> Metadata:
    try:
        response = fetch(outcome.url, timeout=args.timeout, max_bytes=args.max_bytes)
    except FetchError as error:
        raise Refused(
            f"{error}\n  nothing written; to write the card without fetching:\n"
            f'  newsarchive add --offline --title "…" {outcome.url}',
            status=1,
        ) from None
    for status, target in response.redirects:
        outcome.notes.append(f"redirected ({status}) to {target}")
    if response.redirects:
        outcome.url = strip_tracking(response.url)
        outcome.notes.append(f"the card links to where the redirects end: {outcome.url}")
    if response.truncated:
        outcome.warnings.append(
            f"the page is larger than {args.max_bytes} bytes; only its beginning was read"
        )
    if not is_html(response):
        kind = response.content_type or "no content type"
        outcome.warnings.append(f"the answer is {kind}, not an HTML page: no metadata to read")
        return Metadata()
    return read_metadata(response.body, response.url, response.charset)


def _refuse_repeat(page: Page, urls: set[str]) -> None:
    for card in page.cards:
        if card.url in urls:
            raise Refused(f"{page.path}:{card.line}: {card.url} is already in this issue", status=1)


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LIMIT else text[: EXCERPT_LIMIT - 1].rstrip() + "…"


def _warn_gaps(outcome: Outcome, *, title: str, excerpt: str, image: str) -> None:
    values = {"title": title, "excerpt": excerpt, "image": image}
    missing = [name for name, value in values.items() if not value]
    if missing:
        required = " (title is required: write it, or use --title)" if not title else ""
        outcome.warnings.append(f"no {', '.join(missing)} found; fill in by hand{required}")
    for name in ("title", "excerpt"):
        if kind := suspicious_markup(values[name]):
            outcome.warnings.append(
                f"the {name} contains {kind}; the book shows it as text: edit it if need be"
            )


def _warn_elsewhere(outcome: Outcome, page: Path, directory: Path, urls: set[str]) -> None:
    """Name the other issues that already link to the URL."""
    found = []
    for other in issue_files(directory):
        if other == page:
            continue
        for card in read_page(other).cards:
            if card.url in urls:
                number = number_from_name(other)
                found.append(f"#{number} ({other}:{card.line})")
    if found:
        outcome.warnings.append(f"{outcome.url} is already in the archive: {', '.join(found)}")
