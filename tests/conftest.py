"""Shared fixtures: Sphinx's test fixtures, the real book (built once), a browser."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

pytest_plugins = ["sphinx.testing.fixtures"]

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).resolve().parent / "roots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def build_real_sources(builder: str, out: Path) -> subprocess.CompletedProcess[str]:
    """The archive's own sources built as ``make`` builds them (``-W``, doctrees apart) into
    ``out/<builder>``."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-c", "docs", "-W", "--keep-going"]
    command += ["-j", "auto", "-d", str(out / "doctrees"), ".", str(out / builder)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class BuiltBook:
    html: Path
    returncode: int
    log: str

    def page(self, name: str) -> BeautifulSoup:
        return soup_of(self.html / name)


@pytest.fixture(scope="session")
def real_book(tmp_path_factory: pytest.TempPathFactory) -> BuiltBook:
    """The whole archive, built once per test session with -W, like ``make html``."""
    out = tmp_path_factory.mktemp("real-book")
    done = build_real_sources("html", out)
    return BuiltBook(out / "html", done.returncode, done.stdout + done.stderr)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve():
    """serve(directory) -> base URL of a static HTTP server on 127.0.0.1."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


def build_root(
    root: str, workdir: Path, buildername: str = "html", **kwargs: object
) -> SphinxTestApp:
    """Copy ``roots/test-<root>`` into ``workdir`` and build it; the app is returned.

    For fixtures wider than one test (Sphinx's ``make_app`` is per test).
    """
    import shutil

    srcdir = workdir / f"{root}-{buildername}"
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    return build_srcdir(srcdir, buildername, **kwargs)


def build_srcdir(srcdir: Path, buildername: str = "html", **kwargs: object) -> SphinxTestApp:
    """Build the Sphinx project in ``srcdir`` (in place); the app is returned."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(buildername, srcdir=srcdir, status=StringIO(), warning=StringIO(), **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


#: A small root built as a published site: absolute addresses, Open Graph, feeds.
PUBLISHED = {
    "html_baseurl": "https://archive.example.org/wkn/",
    "html_theme": "sphinx_book_theme",
    "extensions": ["myst_parser", "sphinxext.opengraph", "newsarchive"],
    "ogp_site_url": "https://archive.example.org/wkn/",
    "ogp_social_cards": {"enable": False},
}


@pytest.fixture(scope="session")
def published_basic(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    """The basic root as a published site, built once for the meta, feed and export tests."""
    return build_root("basic", tmp_path_factory.mktemp("published"), confoverrides=PUBLISHED)


@pytest.fixture(scope="session")
def published_hostile(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    """The hostile root (values that try to become markup) as a published site."""
    return build_root("hostile", tmp_path_factory.mktemp("published"), confoverrides=PUBLISHED)


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(path: Path) -> tuple[ET.Element, list[ET.Element]]:
    """An Atom feed's root and its entries."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def meta(html: BeautifulSoup, name: str) -> str:
    """The content of a page's ``<meta>`` named ``name`` (property or name)."""
    tag = html.find("meta", attrs={"property": name}) or html.find("meta", attrs={"name": name})
    assert tag is not None, name
    return tag["content"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses the real book carries the ``book`` marker, however it gets the
    book (directly or through another fixture), so ``pytest -m "not book"`` stays quick."""
    for item in items:
        if "real_book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.book)


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small archive (two issues, the real vocabulary) as the current folder."""
    import shutil

    (tmp_path / "issues").mkdir()
    (tmp_path / "docs").mkdir()
    shutil.copy(REPO / "docs/tags.toml", tmp_path / "docs/tags.toml")
    for number, day in ((1, "2020-01-03"), (2, "2020-01-10")):
        (tmp_path / f"issues/{number:04d}.md").write_text(
            f'---\nissue: {number}\ndate: {day}\ntitle: "Weekly Kaggle News #{number}"\n---\n'
            f"# Weekly Kaggle News #{number}\n\n## News\n",
            encoding="utf-8",
        )
    monkeypatch.chdir(tmp_path)
    return tmp_path
