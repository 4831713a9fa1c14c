"""The built book as the web's validators see it: the Nu HTML Checker finds no error on any
page, every page describes itself and the site has an icon (no 404 on any page).

The Nu HTML Checker is vnu-jar, pinned in package.json and package-lock.json (``npm ci``),
run once on every page with Debian's Java (it is slow to start).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import REPO, soup_of

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: How the checker's warning for an ``article`` without a heading begins.
ARTICLE_WITHOUT_HEADING = "Article lacks heading."


def html_pages(root: Path) -> list[Path]:
    """Every page of the site (the theme's own files under _static are not pages)."""
    return sorted(p for p in root.rglob("*.html") if p.relative_to(root).parts[0] != "_static")


def run_vnu(pages: list[Path]) -> list[dict]:
    """The checker's messages for ``pages`` (errors and warnings), in one run."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install Debian's default-jre-headless (make system-deps)")
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `npm ci --ignore-scripts` (make node-deps)")
    done = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--stdout", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(done.stdout)["messages"]


@pytest.fixture(scope="module")
def book(real_book):
    assert real_book.returncode == 0, real_book.log[-3000:]
    return real_book


@pytest.fixture(scope="module")
def vnu_messages(book) -> list[dict]:
    return run_vnu(html_pages(book.html))


def _where(message: dict) -> str:
    page = urlsplit(message.get("url", "")).path.rsplit("/html/", 1)[-1]
    return f"{page}:{message.get('lastLine', '?')}: {message['message']}"


def test_every_kind_of_page_is_checked(book):
    pages = {p.relative_to(book.html).as_posix() for p in html_pages(book.html)}
    kinds = {
        "index.html",
        "issues/0001.html",
        "tags/index.html",
        "tags/nlp.html",
        "sites/index.html",
        "sites/speakerdeck.com.html",
        "tags/kaggle/2.html",
        "docs/overview.html",
        "docs/years/2020.html",
        "links/index.html",
        "search.html",
        "competitions/index.html",
        "competitions/kaggle/titanic.html",
    }
    assert kinds <= pages
    assert len(pages) > 400


def test_the_nu_html_checker_finds_no_error(vnu_messages):
    # "non-document-error" is a page the checker could not read.
    errors = [_where(m) for m in vnu_messages if m["type"] in {"error", "non-document-error"}]
    assert errors == []


def test_every_card_article_has_a_heading(vnu_messages, book):
    headless = [m for m in vnu_messages if m["message"].startswith(ARTICLE_WITHOUT_HEADING)]
    # The theme's own <article class="bd-article"> holds the page's sections, so the checker
    # finds no heading of its own (a warning about the theme's markup, on every page): it
    # shows that the warning is recognised; cards must never get it.
    assert any("bd-article" in m.get("extract", "") for m in headless)
    assert [_where(m) for m in headless if "wkn-card" in m.get("extract", "")] == []
    # The card's title is that heading, one level below the section holding the card.
    card = book.page("issues/0001.html").select_one("section > article.wkn-card")
    section_heading = card.find_parent("section").find(["h1", "h2", "h3", "h4", "h5"])
    title = card.find(class_="wkn-card-title")
    assert title.name == f"h{int(section_heading.name[1]) + 1}"
    assert title.find("a")["href"] == card.select_one(".wkn-card-title a")["href"]


def test_forms_name_no_empty_action(book):
    form = book.page("search.html").select_one("form[role=search]")
    assert form is not None
    assert form.get("action", None) != ""


def test_every_page_describes_itself(book):
    """A non-empty description on every page; pages share one only where they also share
    their title (competitions the newsletter named alike), never by default."""
    by_description: dict[str, set[str]] = defaultdict(set)
    for page in html_pages(book.html):
        soup = soup_of(page)
        metas = soup.find_all("meta", attrs={"name": "description"})
        name = page.relative_to(book.html).as_posix()
        assert len(metas) == 1, name
        description = " ".join(metas[0].get("content", "").split())
        assert description, name
        by_description[description].add(soup.title.get_text() if soup.title else name)
    shared = {d: titles for d, titles in by_description.items() if len(titles) > 1}
    assert shared == {}
    assert len(by_description) > 400


def test_every_page_names_the_sites_icon(book):
    icons = set()
    for page in html_pages(book.html):
        links = soup_of(page).select('link[rel="icon"]')
        name = page.relative_to(book.html).as_posix()
        assert len(links) == 1, name
        target = (page.parent / links[0]["href"]).resolve()
        assert target.is_file(), name
        icons.add(target)
    (icon,) = icons
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<svg")


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the book and records every request's path and status."""

    answered: list[tuple[str, int]]
    icon_asked: threading.Event

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = urlsplit(self.path).path
        self.answered.append((path, int(code) if str(code).isdigit() else 0))
        if path.endswith(("/favicon.ico", "/favicon.svg")):
            self.icon_asked.set()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.browser
def test_the_browser_finds_the_sites_icon_and_nothing_is_missing(browser, book):
    """Chromium asks for the page's icon (for /favicon.ico when the page names none): the
    server answers it, and no request of the home, an issue, a tag page, the finder's old
    address (the listing it leads to) or search ends in an error. Requests are recorded by
    the server, where the browser's own icon requests arrive too."""
    handler = type(
        "Handler",
        (_RecordingHandler,),
        {"answered": [], "icon_asked": threading.Event()},
    )
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(book.html))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        # The home loads nothing from other sites. Chromium does not ask for an icon while
        # requests are intercepted, so this first page is opened without a route.
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/index.html")
        page.wait_for_load_state("networkidle")
        assert handler.icon_asked.wait(timeout=60), "the browser never asked for an icon"
        context.close()
        # Other pages show remote thumbnails: every request not to our server is aborted.
        context = browser.new_context()
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base) else route.abort()
            ),
        )
        page = context.new_page()
        for name in ("issues/0001.html", "tags/nlp.html", "links/index.html", "search.html"):
            page.goto(urljoin(base + "/", name))
            page.wait_for_load_state("networkidle")
        context.close()
    finally:
        server.shutdown()
    failed = [(path, code) for path, code in handler.answered if code >= 400]
    assert failed == [], failed
    assert ("/_static/favicon.svg", 200) in handler.answered
