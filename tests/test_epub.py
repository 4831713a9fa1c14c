"""The archive as an e-book: ``-b epub`` of the real sources builds without a warning and
Debian's epubcheck finds nothing wrong with it.

An e-book holds its own files only: no remote thumbnail (cards show the site's initial), no
link to the website's own pages (the link finder, search) or its Atom feeds.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import build_real_sources

pytestmark = pytest.mark.book

BASENAME = "WeeklyKaggleNews"  # Sphinx's epub_basename: the project's name without spaces


@dataclass(frozen=True)
class BuiltEpub:
    path: Path
    returncode: int
    log: str


@pytest.fixture(scope="module")
def ebook(tmp_path_factory: pytest.TempPathFactory) -> BuiltEpub:
    """The whole archive as an EPUB, built once with -W (like ``make epub``)."""
    out = tmp_path_factory.mktemp("real-epub")
    done = build_real_sources("epub", out)
    return BuiltEpub(out / "epub" / f"{BASENAME}.epub", done.returncode, done.stdout + done.stderr)


def epubcheck_command() -> list[str]:
    """Debian's ``epubcheck`` is an executable jar (it runs through binfmt's jarwrapper when
    that is set up): run it with Java, which works either way."""
    found = shutil.which("epubcheck")
    if found is None:
        pytest.fail("epubcheck is missing: install Debian's epubcheck (make system-deps)")
    target = Path(found).resolve()
    if target.suffix != ".jar":
        return [str(target)]
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install Debian's default-jre-headless (make system-deps)")
    return [java, "-jar", str(target)]


@pytest.fixture(scope="module")
def checked(ebook, tmp_path_factory) -> list[dict]:
    assert ebook.returncode == 0, ebook.log[-3000:]
    report = tmp_path_factory.mktemp("epubcheck") / "report.json"
    subprocess.run(
        [*epubcheck_command(), str(ebook.path), "--json", str(report)],
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(report.read_text(encoding="utf-8"))["messages"]


@pytest.fixture(scope="module")
def pages(ebook) -> dict[str, BeautifulSoup]:
    assert ebook.returncode == 0, ebook.log[-3000:]
    with zipfile.ZipFile(ebook.path) as archive:
        return {
            name: BeautifulSoup(archive.read(name), "html.parser")
            for name in archive.namelist()
            if name.endswith(".xhtml")
        }


def test_the_ebook_builds_without_a_warning(ebook):
    assert ebook.returncode == 0, ebook.log[-3000:]
    assert "WARNING" not in ebook.log


def test_epubcheck_finds_nothing(checked):
    found = [f"{m['severity']} {m['ID']}: {m['message']} ({m['locations'][:1]})" for m in checked]
    assert found == []


def test_the_ebook_has_every_issue_and_no_remote_image(pages):
    issues = [name for name in pages if name.startswith("issues/")]
    assert len(issues) == 159
    cards = [card for name in issues for card in pages[name].select("article.wkn-card")]
    assert len(cards) == 1198
    images = [img["src"] for page in pages.values() for img in page.find_all("img")]
    assert [src for src in images if urlsplit(src).scheme] == []
    # Every card still shows its site's initial where the website shows a thumbnail.
    assert all(card.select_one(".wkn-thumb-fallback") for card in cards)


def test_links_inside_the_ebook_lead_to_its_own_files(pages, ebook):
    with zipfile.ZipFile(ebook.path) as archive:
        files = set(archive.namelist())
    missing = set()
    for name, page in pages.items():
        for link in page.find_all("a", href=True):
            parts = urlsplit(link["href"])
            if parts.scheme or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path))
            if target not in files:
                missing.add((name, link["href"]))
    assert missing == set()
