"""Page weight: the bytes a reader's Chromium downloads from the book, served gzipped.

    python -m tests.bench.weight --html DIR

``DIR`` is a built book (``make html``), served gzipped on 127.0.0.1 by ``gzserve.py``,
which counts every byte it sends (headers and bodies). A *visit* opens a page in a browser
context and waits until the page has loaded and the network has been quiet for half a
second (what a reader's browser fetches unasked: styles, scripts, fonts, images in view,
data a page script loads at once). Nothing is timed: the figures are byte counts, so they
are the same on a busy machine.

- a *first visit*: a fresh context (empty cache) opens the page;
- a *later page*: in the same context, after a first visit to an issue page, another page
  is opened (the files the two share come from the browser's cache, as the server allows
  them to be kept for ten minutes).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from tests.bench.chromium import launch
from tests.bench.gzserve import ByteCounter, serve_gzipped

#: The kinds of page a reader meets, by path in the book. The issue page first: a reader
#: arriving from a search engine or a shared link lands on one.
PAGES = {
    "issue": "issues/0100.html",
    "home": "index.html",
    "tag": "tags/nlp.html",
    "overview": "docs/overview.html",
    "finder": "links/index.html",
    "search": "search.html",
}
#: The issue's goals (issue #16): a first visit to an issue page, and any page after it.
FIRST_VISIT_LIMIT = 250_000
LATER_PAGE_LIMIT = 60_000
#: Phone and desktop widths: the theme loads other images and scripts at each.
WIDTHS = {"phone": (412, 823), "desktop": (1280, 900)}


@dataclass
class Visit:
    path: str
    sent: int
    files: list[tuple[str, int]]

    def heaviest(self, count: int = 8) -> str:
        ordered = sorted(self.files, key=lambda item: -item[1])[:count]
        return ", ".join(f"{path} {size / 1000:.1f} KB" for path, size in ordered)


#: How long the network must stay quiet (no request open, no byte sent) after ``load``.
QUIET_MS = 500
#: A page still fetching after this long is reported, not waited for.
GIVE_UP_MS = 30_000


def visit(page, base: str, counter: ByteCounter, path: str) -> Visit:
    """Open ``path`` and count what the server sent for it until the network was quiet.

    Quiet is judged by the requests the page opened and the server's count, not by
    Playwright's ``networkidle``, which now and then never comes on a page that is done.
    """
    pending: set[object] = set()

    def opened(request) -> None:
        pending.add(request)

    def closed(request) -> None:
        pending.discard(request)

    page.on("request", opened)
    page.on("requestfinished", closed)
    page.on("requestfailed", closed)
    try:
        counter.reset()
        page.goto(f"{base}/{path}", wait_until="load")
        waited, quiet, sent = 0, 0, -1
        while quiet < QUIET_MS:
            page.wait_for_timeout(100)
            waited += 100
            if pending or counter.sent != sent:
                quiet, sent = 0, counter.sent
            else:
                quiet += 100
            if waited > GIVE_UP_MS:
                urls = sorted(request.url for request in pending)  # type: ignore[attr-defined]
                raise RuntimeError(f"{path}: still fetching after {GIVE_UP_MS} ms: {urls}")
    finally:
        page.remove_listener("request", opened)
        page.remove_listener("requestfinished", closed)
        page.remove_listener("requestfailed", closed)
    return Visit(path, counter.sent, list(counter.log))


def first_and_later(
    browser, base: str, counter: ByteCounter, first: str, later: list[str], width: str
) -> tuple[Visit, list[Visit]]:
    """A first visit to ``first`` in a fresh context, then each of ``later`` after it (each
    in its own context that first visited ``first``, so one later page's files do not
    make the next one's lighter)."""
    size = dict(zip(("width", "height"), WIDTHS[width], strict=True))
    opened = None
    after = []
    for path in later or [None]:
        context = browser.new_context(viewport=size)
        try:
            page = context.new_page()
            start = visit(page, base, counter, first)
            opened = opened or start
            if path is not None:
                after.append(visit(page, base, counter, path))
        finally:
            context.close()
    assert opened is not None
    return opened, after


def measure(html: Path) -> dict[str, tuple[Visit, list[Visit]]]:
    """Per width: the first visit to the issue page, then every other kind of page."""
    from playwright.sync_api import sync_playwright

    base, counter, server = serve_gzipped(html)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                later = [path for name, path in PAGES.items() if name != "issue"]
                later.insert(0, "issues/0099.html")
                return {
                    width: first_and_later(browser, base, counter, PAGES["issue"], later, width)
                    for width in WIDTHS
                }
            finally:
                browser.close()
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=Path("_build/html"))
    args = parser.parse_args()
    for width, (first, later) in measure(args.html).items():
        print(f"{width}: first visit {first.path}: {first.sent / 1000:.1f} KB")
        print(f"  heaviest: {first.heaviest()}")
        for page in later:
            print(f"{width}: later {page.path}: {page.sent / 1000:.1f} KB")
            print(f"  heaviest: {page.heaviest(4)}")


if __name__ == "__main__":
    main()
