"""``newsarchive import-feed``: new posts from a feed served on 127.0.0.1, and only those."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest
from conftest import ROOTS
from newsarchive.commands.cli import main
from test_substack_import import EXPORT, check, pages, run

FEEDS = Path(__file__).resolve().parent / "substack_fixtures" / "feed"


@pytest.fixture
def archive(tmp_path: Path, capsys) -> Path:
    """test-basic with #160, #161 and #163 imported from the export."""
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    run(root, EXPORT)
    capsys.readouterr()
    return root


@pytest.fixture
def site(tmp_path: Path, serve) -> str:
    served = tmp_path / "served"
    shutil.copytree(FEEDS, served)
    (served / "page.html").write_text("<!doctype html><title>x</title><p>not a feed", "utf-8")
    return serve(served)


def feed(archive: Path, source: str, *args: str) -> int:
    return main(
        [
            "import-feed",
            source,
            "--out",
            str(archive / "issues"),
            "--years-dir",
            str(archive / "years"),
            "--no-tags",
            *args,
        ]
    )


def test_new_posts_are_imported_and_existing_pages_left_alone(archive, site, capsys):
    page = archive / "issues" / "0163.md"
    page.write_text(page.read_text("utf-8") + "\n手で足した一文。\n", "utf-8")
    before = pages(archive)
    assert feed(archive, f"{site}/feed.xml") == 0
    captured = capsys.readouterr()
    assert "issues: 2 written, 0 unchanged, 0 skipped" in captured.out
    assert "posts: 1 already in the archive (left alone)" in captured.out
    after = pages(archive)
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {
        "issues/0164.md",
        "issues/0165.md",
        "issues/substack/imported.json",
        "issues/substack/posts.json",  # the feed's posts' addresses, with the export's
    }
    table = json.loads(after["issues/substack/posts.json"])["posts"]
    assert {slug: table[slug] for slug in ("weekly-kaggle-news-160", "weekly-kaggle-news-165")} == {
        "weekly-kaggle-news-160": 160,
        "weekly-kaggle-news-165": 165,
    }
    newest = (archive / "issues" / "0165.md").read_text("utf-8")
    assert newest.startswith(
        "---\nissue: 165\ndate: 2023-02-10\n"
        'title: "Weekly Kaggle News #165"\n'
        "source: https://weeklykagglenews.substack.com/p/weekly-kaggle-news-165\n---\n"
        "# Weekly Kaggle News #165\n\n画像コンペ特集\n\n## News\n"
    )
    assert ":::{link} https://www.kaggle.com/competitions/image-matching-challenge-2023\n" in newest
    assert ":::{link} https://www.youtube.com/watch?v=ZYXWVUTSRQP\n" in newest
    assert "Subscribe" not in newest and "Thanks for reading" not in newest
    tweet = (archive / "issues" / "0164.md").read_text("utf-8")
    assert ':title: "Tweet by u++ (@upura0)"' in tweet and "Share" not in tweet
    check(archive, capsys)
    # Again: nothing to do, nothing touched.
    assert feed(archive, f"{site}/feed.xml") == 0
    assert pages(archive) == after
    assert "issues: 0 written" in capsys.readouterr().out


def test_force_rewrites_a_page_that_exists(archive, site, capsys):
    page = archive / "issues" / "0163.md"
    assert ":::{link} https://www.kaggle.com/discussions/general/380000\n" in page.read_text()
    assert feed(archive, f"{site}/feed.xml", "--force") == 0
    assert "フィードの版の #163" in page.read_text("utf-8")
    # The feed's version has no card: what --force removed is said.
    assert (
        f"{page}: --force: the import of weekly-kaggle-news-163 removed 1 card(s) "
        "(https://www.kaggle.com/discussions/general/380000)"
    ) in capsys.readouterr().err


def test_a_feed_file_and_an_atom_feed(archive, capsys):
    assert feed(archive, str(FEEDS / "feed.xml")) == 0
    assert feed(archive, str(FEEDS / "atom.xml")) == 0
    atom = (archive / "issues" / "0166.md").read_text("utf-8")
    assert "source: https://weeklykagglenews.substack.com/p/weekly-kaggle-news-166\n" in atom
    assert "\ndate: 2023-02-17\n" in atom and "Atom 版の要約" in atom
    check(archive, capsys)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("where", "message", "status"),
    [
        ("{site}/missing.xml", "answered HTTP 404 File not found with an HTML page", 3),
        ("{site}/page.html", "answered HTTP 200 with an HTML page, not the feed.", 3),
        ("{tmp}/page.html", "not an RSS or Atom feed but an HTML page", 1),
        ("http://127.0.0.1:{port}/feed.xml", "cannot be fetched", 3),
        ("ftp://127.0.0.1/feed", "only http and https URLs are fetched", 1),
        ("{tmp}/nothing.xml", "no such file", 1),
    ],
)
def test_a_feed_that_cannot_be_read(archive, site, tmp_path, capsys, where, message, status):
    """Exit status 3 when the server gave no feed, 1 when what was given is not one."""
    source = where.format(site=site, port=closed_port(), tmp=tmp_path)
    (tmp_path / "page.html").write_text("<!doctype html><title>x</title>", "utf-8")
    before = pages(archive)
    assert feed(archive, source) == status
    captured = capsys.readouterr()
    assert f"{source}: {message}" in captured.err
    assert "Traceback" not in captured.err
    assert pages(archive) == before


def test_an_entry_without_content_is_reported_and_the_rest_imported(archive, tmp_path, capsys):
    text = (FEEDS / "feed.xml").read_text("utf-8")
    start = text.index("<content:encoded><![CDATA[<p>第 164 号です。")
    end = text.index("</content:encoded>", start) + len("</content:encoded>")
    broken = tmp_path / "broken.xml"
    broken.write_text(text[:start] + text[end:], "utf-8")
    assert feed(archive, str(broken)) == 1
    err = capsys.readouterr().err
    assert "entry 2 ('Weekly Kaggle News #164'): no content; not imported" in err
    assert (archive / "issues" / "0165.md").exists()
    assert not (archive / "issues" / "0164.md").exists()
    assert "\nfollows: 163\n" in (archive / "issues" / "0165.md").read_text("utf-8")
    check(archive, capsys)
