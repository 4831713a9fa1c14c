"""A server on 127.0.0.1 that answers like a Substack publication behind Cloudflare.

``/feed`` is the RSS feed (``substack_fixtures/feed/feed.xml``) or, as Cloudflare answers
a job it takes for a bot, its "Just a moment..." challenge; ``/api/v1/archive`` lists the
posts newest first (at most ``page_cap`` a call, as Substack caps ``limit``) and
``/api/v1/posts/<slug>`` gives one with its ``body_html``. The posts are the export
fixture's published ones (``substack_fixtures/export``), so a page read through the API
can be compared with the same post read from the export. Each test sets what each route
answers (``feed``, ``archive``, ``posts``) and reads what was asked (``asked``).
"""

from __future__ import annotations

import csv
import gzip
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).resolve().parent / "substack_fixtures"
PUBLICATION = "https://weeklykagglenews.substack.com"

#: Cloudflare's managed challenge as it answers a client that runs no script (cut down:
#: the real page is the same shape, with a longer script).
CHALLENGE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow"></head><body><div class="main-wrapper"
role="main"><div class="main-content"><noscript><div class="h2"><span id="challenge-error-text">
Enable JavaScript and cookies to continue</span></div></noscript></div></div><script>
(function(){window._cf_chl_opt={cvId: '3',cZone: "weeklykagglenews.substack.com",cType:
'managed'};var a=document.createElement('script');a.src=
'/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f0000000000abcd';
document.getElementsByTagName('head')[0].appendChild(a);}());</script></body></html>"""


def export_posts() -> list[dict[str, Any]]:
    """The export fixture's published posts as the API gives them, newest first."""
    rows = list(csv.DictReader((FIXTURES / "export" / "posts.csv").open(encoding="utf-8")))
    posts = []
    for row in rows:
        if row["is_published"] != "true":
            continue
        post_id, _, slug = row["post_id"].partition(".")
        posts.append(
            {
                "id": int(post_id),
                "slug": slug,
                "title": row["title"],
                "subtitle": row["subtitle"],
                "post_date": row["post_date"],
                "email_sent_at": row["email_sent_at"] or None,
                "type": row["type"],
                "audience": row["audience"],
                "canonical_url": f"{PUBLICATION}/p/{slug}",
                "body_html": (FIXTURES / "export" / "posts" / f"{row['post_id']}.html").read_text(
                    "utf-8"
                ),
            }
        )
    return sorted(posts, key=lambda post: post["post_date"], reverse=True)


def post(number: int, *, post_id: int, date: str, **fields: Any) -> dict[str, Any]:
    """A newsletter post #number, open to everyone, with a one-card body."""
    slug = f"weekly-kaggle-news-{number}"
    return {
        "id": post_id,
        "slug": slug,
        "title": f"Weekly Kaggle News #{number}",
        "subtitle": "",
        "post_date": date,
        "type": "newsletter",
        "audience": "everyone",
        "canonical_url": f"{PUBLICATION}/p/{slug}",
        "body_html": (
            f'<h2>News</h2><p><a href="https://www.kaggle.com/competitions/c{number}">'
            f"Competition {number}</a></p><p>第 {number} 号のコメント。</p>"
        ),
        **fields,
    }


@dataclass
class Publication:
    base: str = ""
    posts: list[dict[str, Any]] = field(default_factory=export_posts)
    #: what /feed answers: "feed", "challenge", "html", "429", "503"
    feed: str = "challenge"
    #: what /api/v1/archive answers: "list", "challenge", "absent", "malformed", "not-a-list",
    #: "no-fields", "same-page" (offset ignored), "endless" (a new issue on every page)
    archive: str = "list"
    #: what /api/v1/posts/<slug> answers: "post", "challenge", "malformed"
    post: str = "post"
    page_cap: int = 25
    asked: list[str] = field(default_factory=list)  #: path?query of every request

    def offsets(self) -> list[int]:
        return [
            int(parse_qs(urlsplit(path).query)["offset"][0])
            for path in self.asked
            if path.startswith("/api/v1/archive")
        ]


def _handler(publication: Publication) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            publication.asked.append(self.path)
            parts = urlsplit(self.path)
            path, query = unquote(parts.path), parse_qs(parts.query)
            if path in {"/feed", "/feed.xml"}:  # the second is not Substack's address
                self.feed()
            elif path == "/api/v1/archive":
                self.archive(query)
            elif path.startswith("/api/v1/posts/"):
                self.one_post(path.removeprefix("/api/v1/posts/"))
            else:
                self.send(404, b"<html><title>Not found</title></html>", "text/html")

        def feed(self) -> None:
            mode = publication.feed
            if mode == "feed":
                body = (FIXTURES / "feed" / "feed.xml").read_bytes()
                self.send(200, body, "application/rss+xml; charset=utf-8")
            elif mode == "challenge":
                self.challenge()
            elif mode == "html":
                self.send(200, b"<!DOCTYPE html><html><title>Weekly Kaggle News</title>", "")
            else:
                self.send(int(mode), b"error code: 1015", "text/plain")

        def archive(self, query: dict[str, list[str]]) -> None:
            mode = publication.archive
            offset = int(query.get("offset", ["0"])[0])
            limit = min(int(query.get("limit", ["25"])[0]), publication.page_cap)
            if mode == "challenge":
                return self.challenge()
            if mode == "malformed":
                return self.send(200, b'[{"id": 1, "slug": ', "application/json")
            if mode == "absent":  # a host that is not Substack
                return self.send(404, b"<!doctype html><title>Not found</title>", "text/html")
            if mode == "not-a-list":
                return self.json({"error": "Publication not found"})
            if mode == "same-page":
                offset = 0
            if mode == "endless":
                listed = [
                    post(5_000 - n, post_id=900_000 + n, date="2024-01-01T00:00:00Z")
                    for n in range(offset, offset + limit)
                ]
                publication.posts += listed
            else:
                listed = publication.posts[offset : offset + limit]
            if mode == "no-fields":
                listed = [{"id": p["id"], "title": p["title"]} for p in listed]
            self.json([{k: v for k, v in p.items() if k != "body_html"} for p in listed])

        def one_post(self, slug: str) -> None:
            mode = publication.post
            if mode == "challenge":
                return self.challenge()
            if mode == "malformed":
                return self.send(200, b"{not json", "application/json")
            found = [p for p in publication.posts if p["slug"] == slug]
            if not found:
                return self.send(404, b'{"error":"Post not found"}', "application/json")
            self.json(found[0])

        def challenge(self) -> None:
            body = gzip.compress(CHALLENGE)
            self.send_response(403)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("cf-mitigated", "challenge")
            self.send_header("Server", "cloudflare")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def json(self, value: Any) -> None:
            self.send(200, json.dumps(value, ensure_ascii=False).encode(), "application/json")

        def send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def serve_publication() -> Iterator[Publication]:
    """A running :class:`Publication` (for a fixture: yields, then stops the server)."""
    publication = Publication()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(publication))
    server.daemon_threads = True
    # A short poll: shutdown() waits for it, once per test (and per mutant).
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    publication.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield publication
    server.shutdown()
    server.server_close()
