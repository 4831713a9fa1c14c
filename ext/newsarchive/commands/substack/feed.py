"""``newsarchive import-feed``: the newsletter's RSS or Atom feed in, new issue pages out.

Substack's ``/feed`` carries each post's full HTML in ``content:encoded`` and its subtitle
in ``description``. Only posts not yet in the archive are imported: a page that exists is
left alone, whoever wrote it, unless ``--force``. The feed is read by ``feedparser``
(RSS 0.9x–2.0, RSS 1.0 and Atom, broken encodings and dates included); its HTML is not
sanitized there because ours is read into text and never passed through.

A server that answers with something else is named for what it sent: a bot check
(Cloudflare's "Just a moment..." page, which a command cannot pass), an HTML page, an
HTTP error. Exit status :data:`EXIT_REFUSED` (3) says that no route gave the posts.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any
from xml.parsers import expat

import feedparser

from newsarchive.commands.httpclient import FetchError, get
from newsarchive.commands.substack.api import MAX_PAGES, ArchiveAPI, publication_of
from newsarchive.commands.substack.importer import (
    MANIFEST,
    SUBSTACK_URL,
    Importer,
    Post,
    SourceError,
    add_common_arguments,
    run_import,
    slug_of,
)
from newsarchive.commands.substack.refusals import (
    BOT_CHECK_ADVICE,
    BOTH_REFUSED_ADVICE,
    Refused,
    is_html,
    refusal,
    refused_answer,
)
from newsarchive.core.urls import is_http_url

#: A feed larger than this is refused rather than read into memory.
MAX_FEED_BYTES = 50_000_000
#: The whole download (connection, redirects, headers and body) ends by then.
TIMEOUT_SECONDS = 60
#: The exit status when the posts could not be had at all: the server refused the feed
#: (an HTTP error, a bot check, an HTML page) or could not be reached, and so did the
#: archive API for a feed at Substack's address. The weekly sync opens an issue on it.
EXIT_REFUSED = 3


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import-feed",
        help="import new posts from the newsletter's RSS or Atom feed",  # pragma: no mutate
        description=(  # pragma: no mutate
            "Read an RSS or Atom feed (a file, or an http(s) URL such as "  # pragma: no mutate
            f"{SUBSTACK_URL}/feed) and write each post whose title carries an "  # pragma: no mutate
            "issue number and whose page OUT/NNNN.md does not exist yet. "  # pragma: no mutate
            "Existing pages are never touched unless --force. When a feed at "  # pragma: no mutate
            "Substack's address (<host>/feed) is refused (a bot check, 403, "  # pragma: no mutate
            "429, 5xx, an HTML page), the same host's archive API "  # pragma: no mutate
            "(/api/v1/archive, /api/v1/posts/<slug>) is read instead, with "  # pragma: no mutate
            "the same result: the same post gives the same page by the feed, "  # pragma: no mutate
            "the export or the API."  # pragma: no mutate
        ),
        epilog=(  # pragma: no mutate
            "Exit status 0 when every new post was imported; 1 when a post "  # pragma: no mutate
            "could not be read, or something was kept as plain text; 3 when "  # pragma: no mutate
            "the server gave no posts (it refused the feed: an HTTP error, a "  # pragma: no mutate
            "bot check, an HTML page, or no answer; and, for a feed at "  # pragma: no mutate
            "<host>/feed, its archive API as well)."  # pragma: no mutate
        ),
    )
    parser.add_argument(
        "feed",
        metavar="FEED",  # pragma: no mutate
        help="feed file or http(s) URL",  # pragma: no mutate
    )
    parser.add_argument(
        "--api-pages",
        type=int,
        default=MAX_PAGES,
        metavar="N",  # pragma: no mutate
        help=(  # pragma: no mutate
            "when a feed at <host>/feed is refused, read at most N pages of "  # pragma: no mutate
            "25 posts of the host's Substack archive API (default: "  # pragma: no mutate
            f"{MAX_PAGES})"  # pragma: no mutate
        ),
    )
    parser.add_argument(
        "--no-api",
        action="store_true",
        help=(  # pragma: no mutate
            "when the feed is refused, do not try the host's Substack archive "  # pragma: no mutate
            "API"  # pragma: no mutate
        ),
    )
    add_common_arguments(parser, manifest=MANIFEST)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    refused: list[Refused] = []

    def read(importer: Importer) -> list[Post]:
        try:
            return read_feed(fetch(args.feed), args.feed, importer)
        except Refused as error:
            publication = None if args.no_api else publication_of(args.feed)
            if publication is None:
                refused.append(error)
                advice = f" {BOT_CHECK_ADVICE}" if error.bot_check else ""
                raise SourceError(f"{error}.{advice}") from None
            feed_error = error
        print(
            f"{args.feed}: {feed_error}; reading the archive API at "
            f"{publication}/api/v1/archive instead",
            file=sys.stderr,
        )
        try:
            return ArchiveAPI(publication, importer, max_pages=args.api_pages).posts()
        except Refused as error:
            refused.append(error)
            raise SourceError(
                f"{feed_error}; the archive API refused too: {error}. {BOTH_REFUSED_ADVICE}"
            ) from None

    status = run_import(
        args,
        read,
        source=args.feed,
        progress="import-feed",  # pragma: no mutate
        only_new=True,
    )
    return EXIT_REFUSED if refused else status


def fetch(feed: str) -> bytes:
    """The feed's bytes, from an http(s) URL or a file."""
    if "://" not in feed:
        path = Path(feed)
        if not path.is_file():
            raise SourceError("no such file (give a file or an http(s) URL)")
        if path.stat().st_size > MAX_FEED_BYTES:
            raise SourceError(f"larger than {MAX_FEED_BYTES:,} bytes")
        return path.read_bytes()
    if not is_http_url(feed):
        raise SourceError("only http and https URLs are fetched")
    try:
        response = get(
            feed,
            purpose="feed import",
            accept="application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.1",
            timeout=TIMEOUT_SECONDS,
            max_bytes=MAX_FEED_BYTES,
        )
    except FetchError as error:
        if error.status is not None:
            raise refused_answer(error, "the feed") from None
        raise Refused(f"cannot be fetched: {error.reason}") from None
    if is_html(response.content_type, response.body):
        raise refusal(f"HTTP {response.status}", {}, response.body, "text/html", "the feed")
    return response.body


def not_a_feed(data: bytes, problem: object) -> SourceError:
    """The error for bytes that are no feed, at the line of their XML error if they have one.

    feedparser's own position is off by a line when it has put an XML declaration in front,
    so the bytes as given are parsed again for it.
    """
    if not data.strip():
        return SourceError("not an RSS or Atom feed (it is empty)")
    if is_html("", data):
        return SourceError("not an RSS or Atom feed but an HTML page")
    try:
        ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        line, column = error.position
        reason = expat.ErrorString(error.code)
        return SourceError(f"not an RSS or Atom feed ({reason}, column {column + 1})", line=line)
    return SourceError(f"not an RSS or Atom feed{f' ({problem})' if problem else ''}")


def read_feed(data: bytes, name: str, importer: Importer) -> list[Post]:
    """The feed's posts; an entry without a link, date or content is reported."""
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") or (parsed.get("bozo") and not parsed.entries):
        raise not_a_feed(data, parsed.get("bozo_exception"))
    posts: list[Post] = []
    for index, entry in enumerate(parsed.entries, start=1):
        where = f"{name}: entry {index}"
        link = str(entry.get("link") or "")
        title = str(entry.get("title") or "")
        html = _content(entry)
        moment = entry.get("published_parsed") or entry.get("updated_parsed")
        missing = [
            what
            for what, value in (("link", is_http_url(link)), ("date", moment), ("content", html))
            if not value
        ]
        if missing:
            importer.report.problems.append(
                f"{where} ({title!r}): no {', no '.join(missing)}; not imported"
            )
            importer.report.outcomes["failed"] += 1
            continue
        summary = str(entry.get("summary") or "")
        subtitle = summary if summary.strip() != html.strip() and "<" not in summary else ""
        posts.append(
            Post(
                where=f"{where} ({link})",
                key=slug_of(link) or link,
                slug=slug_of(link),
                title=title,
                subtitle=subtitle,
                sent=_utc(moment),
                source=link,
                html=html,
            )
        )
    return posts


def _content(entry: Any) -> str:
    """The post's full HTML (``content:encoded`` / Atom content); '' when the feed has only
    a summary (a page of the subtitle alone would pass for the post)."""
    for content in entry.get("content") or ():
        if content.get("value", "").strip():
            return str(content["value"])
    return ""


def _utc(moment: time.struct_time) -> dt.datetime:
    # feedparser gives UTC as a struct_time; timegm reads it as UTC.
    return dt.datetime.fromtimestamp(calendar.timegm(moment), tz=dt.UTC)
