"""The second route of ``import-feed``: a Substack publication's archive API.

When ``https://<name>.substack.com/feed`` is refused (Cloudflare's bot check, 403, 429,
5xx, an HTML page), the same host still answers two JSON addresses its own web pages use:

- ``/api/v1/archive?sort=new&offset=K&limit=N``: the posts newest first, at most
  :data:`PAGE_SIZE` a call (``id``, ``slug``, ``title``, ``subtitle``, ``post_date``,
  ``type``, ``audience``, ``canonical_url``), without their bodies;
- ``/api/v1/posts/<slug>``: one post, with its ``body_html``.

The list is read page by page until a page lists no new issue (newest first, so every
older issue has its page too) or is empty, and at most ``max_pages`` pages; only the new
issues' posts are then downloaded. Each becomes the same :class:`Post` as the export's
row of it (its key is the export's ``<id>.<slug>``, its date the send date, its source
the canonical URL), so the same post gives the same page by either route. Podcasts,
threads and other kinds are counted, not read; a paid-only post (or one the API gives no
``body_html`` for) is said and not imported: its text is not public.

A custom domain is taken for a Substack publication when its feed is at ``/feed``, as
Substack's are, and its ``/api/v1/archive`` answers Substack's list of posts; whatever
else it answers (a 404 page, JSON of another shape) is named and ends the route.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from tqdm import tqdm

from newsarchive.commands.httpclient import FetchError, get
from newsarchive.commands.substack.importer import Importer, Post, SourceError
from newsarchive.commands.substack.refusals import Refused, is_html, refusal, refused_answer
from newsarchive.core.sources import issue_files, number_from_name
from newsarchive.core.urls import is_http_url

#: Posts asked for per call: Substack gives no more.
PAGE_SIZE = 25
#: Calls to the list at most (``--api-pages``): 40 pages are 1,000 posts.
MAX_PAGES = 40
MAX_JSON_BYTES = 20_000_000
TIMEOUT_SECONDS = 60
#: The send date: the first of these that the post has (the export's order).
DATE_FIELDS = ("email_sent_at", "post_date")
#: ``audience`` of posts whose text only paying subscribers get.
PAID_AUDIENCES = frozenset({"only_paid", "founding"})
#: What a listed post must have to be read.
LISTED_FIELDS = {"id": int, "slug": str, "title": str, "post_date": str}


def publication_of(feed_url: str) -> str | None:
    """The publication's address when ``feed_url`` is at Substack's feed address
    (``<origin>/feed``), else None."""
    parts = urlsplit(feed_url)
    if not is_http_url(feed_url) or parts.path.rstrip("/") != "/feed" or parts.query:
        return None
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Listed:
    """A post as the archive list gives it (no body)."""

    id: int
    slug: str
    title: str
    subtitle: str
    post_date: str
    type: str
    audience: str
    canonical_url: str
    where: str


@dataclass
class ArchiveAPI:
    """The archive API at ``base`` (``https://<name>.substack.com``), read for ``importer``."""

    base: str
    importer: Importer
    max_pages: int = MAX_PAGES
    #: the issue numbers that have a page
    existing: set[int] = field(init=False)

    def __post_init__(self) -> None:
        self.existing = {
            n for path in issue_files(self.importer.out) if (n := number_from_name(path))
        }

    def posts(self) -> list[Post]:
        """Every listed post for the importer: the new issues with their bodies, the others
        without (the importer counts them as present or unnumbered)."""
        listed = self.listed()
        report = self.importer.report
        posts: list[Post] = []
        wanted: list[Listed] = []
        for entry in listed:
            if entry.type != "newsletter":
                report.outcomes["other"] += 1
            elif entry.audience in PAID_AUDIENCES:
                report.notices.append(
                    f"{entry.where}: {entry.slug}: paid-only (audience {entry.audience}); "
                    "not imported: its text is not public"
                )
                report.outcomes["paid"] += 1
            elif self._is_new(entry):
                wanted.append(entry)
            else:
                posts.append(self._post(entry, entry.canonical_url, "", {}))
        bar = tqdm(
            wanted,
            desc="archive API",  # pragma: no mutate
            unit="post",  # pragma: no mutate
            file=sys.stderr,
            disable=None,
        )
        for entry in bar:
            post = self._read_post(entry)
            if post is not None:
                posts.append(post)
        return posts

    def listed(self) -> list[Listed]:
        """The list, newest first, up to the first page without a new issue."""
        seen: set[int] = set()
        listed: list[Listed] = []
        # The posts the list gave, those that cannot be read too: the next page starts after.
        offset = 0
        for call in range(self.max_pages):
            url = f"{self.base}/api/v1/archive?" + urlencode(
                {"sort": "new", "offset": offset, "limit": PAGE_SIZE}
            )
            try:
                page = self._json(url)
            except Refused as error:
                raise Refused(f"{url}: {error}", bot_check=error.bot_check) from None
            if not isinstance(page, list) or not all(isinstance(p, dict) for p in page):
                raise Refused(f"{url}: answered JSON that is not Substack's list of posts")
            said = len(self.importer.report.problems)
            entries = [self._listed(url, index, raw) for index, raw in enumerate(page, start=1)]
            fresh = [e for e in entries if e is not None and e.id not in seen]
            if page and call == 0 and not fresh:
                first = self.importer.report.problems[said].removeprefix(f"{url}: ")
                raise Refused(f"{url}: answered no post that can be read ({first})")
            seen.update(e.id for e in fresh)
            listed.extend(fresh)
            offset += len(page)
            # Empty, the same posts again (an offset not honoured) or none new: done.
            if not any(e.type == "newsletter" and self._is_new(e) for e in fresh):
                return listed
        self.importer.report.notices.append(
            f"{self.base}/api/v1/archive: stopped after {self.max_pages} pages "
            f"({len(listed)} posts; --api-pages reads more); older posts not read"
        )
        return listed

    def _listed(self, url: str, index: int, raw: dict[str, Any]) -> Listed | None:
        where = f"{url}: post {index}"
        missing = [
            name for name, kind in LISTED_FIELDS.items() if not isinstance(raw.get(name), kind)
        ]
        if missing or not raw["slug"].strip() or "/" in raw["slug"]:
            self.importer.report.problems.append(
                f"{where}: no {', no '.join(missing) or 'usable slug'}; not imported"
            )
            self.importer.report.outcomes["failed"] += 1
            return None
        canonical = raw.get("canonical_url")
        if not (isinstance(canonical, str) and is_http_url(canonical)):
            canonical = f"{self.base}/p/{raw['slug']}"
        return Listed(
            id=raw["id"],
            slug=raw["slug"],
            title=raw["title"],
            subtitle=_text(raw.get("subtitle")),
            post_date=raw["post_date"],
            type=_text(raw.get("type")) or "newsletter",
            audience=_text(raw.get("audience")) or "everyone",
            canonical_url=canonical,
            where=where,
        )

    def _is_new(self, entry: Listed) -> bool:
        number = self.importer.number_of(self._post(entry, entry.canonical_url, "", {}))
        return number is not None and (self.importer.force or number not in self.existing)

    def _read_post(self, entry: Listed) -> Post | None:
        report = self.importer.report
        url = f"{self.base}/api/v1/posts/{entry.slug}"
        try:
            answer = self._json(url)
        except SourceError as error:
            report.problems.append(f"{url}: {error}; not imported")
            report.outcomes["failed"] += 1
            return None
        if not isinstance(answer, dict):
            report.problems.append(f"{url}: answered JSON that is not a post; not imported")
            report.outcomes["failed"] += 1
            return None
        html = answer.get("body_html")
        if not isinstance(html, str) or not html.strip():
            if answer.get("audience") in PAID_AUDIENCES:
                report.notices.append(
                    f"{url}: paid-only (audience {answer['audience']}); not imported: its "
                    "text is not public"
                )
                report.outcomes["paid"] += 1
            else:
                report.problems.append(f"{url}: no body_html; not imported")
                report.outcomes["failed"] += 1
            return None
        canonical = answer.get("canonical_url")
        if not (isinstance(canonical, str) and is_http_url(canonical)):
            canonical = entry.canonical_url
        post = self._post(entry, canonical, html, answer, where=url)
        if post.sent == _NO_DATE:
            report.problems.append(f"{url}: no valid date ({entry.post_date!r}); not imported")
            report.outcomes["failed"] += 1
            return None
        return post

    def _post(
        self,
        entry: Listed,
        source: str,
        html: str,
        full: dict[str, Any],
        *,
        where: str | None = None,
    ) -> Post:
        title = full.get("title") if isinstance(full.get("title"), str) else entry.title
        subtitle = full.get("subtitle") if "subtitle" in full else entry.subtitle
        return Post(
            where=where or entry.where,
            key=f"{entry.id}.{entry.slug}",  # the export's post_id
            slug=entry.slug,
            title=str(title),
            subtitle=_text(subtitle),
            sent=_sent(full, entry.post_date),
            source=source,
            html=html,
        )

    def _json(self, url: str) -> Any:
        """The JSON at ``url``; :class:`Refused` for anything else, named."""
        try:
            response = get(
                url,
                purpose="feed import",
                accept="application/json",
                timeout=TIMEOUT_SECONDS,
                max_bytes=MAX_JSON_BYTES,
            )
        except FetchError as error:
            if error.status is not None:
                raise refused_answer(error, "JSON") from None
            raise Refused(f"cannot be fetched: {error.reason}") from None
        if is_html(response.content_type, response.body):
            raise refusal(f"HTTP {response.status}", {}, response.body, "text/html", "JSON")
        try:
            return json.loads(response.body.decode(response.charset or "utf-8"))
        except (UnicodeDecodeError, LookupError, ValueError) as error:
            raise Refused(f"answered what is not JSON ({error})") from None


#: The date of a post whose dates cannot be read (reported, never written).
_NO_DATE = dt.datetime.min.replace(tzinfo=dt.UTC)


def _sent(full: dict[str, Any], listed_date: str) -> dt.datetime:
    """The send date, as the export's: the email's, else the post's."""
    values = [full.get(name) for name in DATE_FIELDS] + [listed_date]
    for value in values:
        if isinstance(value, str) and value.strip():
            try:
                moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                return _NO_DATE
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return _NO_DATE


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
