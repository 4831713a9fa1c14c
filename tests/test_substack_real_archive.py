"""The Substack imports on a copy of the real archive (#1–#159 and a later issue by hand):
``check`` passes after each, and running them again changes nothing."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from conftest import REPO
from newsarchive.commands.cli import main

FIXTURES = Path(__file__).resolve().parent / "substack_fixtures"

LATER = """---
issue: 349
follows: 159
date: 2026-08-28
title: "Weekly Kaggle News #349"
---
# Weekly Kaggle News #349

手で書いた号。
"""


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "archive"
    (root / "issues").mkdir(parents=True)
    for page in (REPO / "issues").glob("[0-9]*.md"):
        shutil.copy(page, root / "issues" / page.name)
    shutil.copytree(REPO / "docs" / "years", root / "docs" / "years")
    shutil.copy(REPO / "docs" / "tags.toml", root / "docs" / "tags.toml")
    (root / "issues" / "0349.md").write_text(LATER, encoding="utf-8")
    (root / "docs" / "years" / "2026.md").write_text("# 2026年\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    status = main(["check"])
    assert status == 0, capsys.readouterr().out


def test_export_then_feed_into_the_real_archive(archive, capsys):
    check_passes(capsys)
    revue_era = {name: data for name, data in snapshot(archive).items() if name < "issues/0160"}
    main(["import-substack", str(FIXTURES / "export")])
    check_passes(capsys)
    main(["import-feed", str(FIXTURES / "feed" / "feed.xml")])
    check_passes(capsys)
    after = snapshot(archive)
    # The Revue era is untouched; the later page now follows the newest import.
    assert {name: after[name] for name in revue_era} == revue_era
    assert "\nfollows: 165\n" in after["issues/0349.md"].decode("utf-8")
    assert "\nfollows: 161\n" in after["issues/0163.md"].decode("utf-8")
    assert "follows" not in after["issues/0160.md"].decode("utf-8")  # #159 is here
    # With the vocabulary, cards get tags (the Kaggle competition, the paper …).
    assert ":tags:" in after["issues/0160.md"].decode("utf-8")
    # Again: nothing changes.
    main(["import-substack", str(FIXTURES / "export")])
    main(["import-feed", str(FIXTURES / "feed" / "feed.xml")])
    assert snapshot(archive) == after


# -- re-posts: Substack's archive holds the Revue era again ----------------------------------

#: The re-posts: issue -> (post_id, what the body holds of the page's cards, links added).
REPOSTS = {
    3: ("103003.kaggle-new-year-2020", "all", ()),  # a slug without a number
    18: ("103018.weekly-kaggle-news-18", "all", ()),
    40: (
        "103040.weekly-kaggle-issue-40-20-09-18",
        "all",
        ("https://www.kaggle.com/competitions/only-in-the-repost", "https://zenn.dev/x/y"),
    ),
    100: ("103100.weekly-kaggle-news-issue-100-21-11-12", "half", ()),
}


def card_urls(page: Path) -> list[str]:
    """The page's links as its re-post holds them: as cards, the intro's links included."""
    from newsarchive.core.sources import read_page

    read = read_page(page)
    return [card.url for card in read.cards] + [link.message for link in read.links]


def repost_body(urls: list[str]) -> str:
    """A re-post's body in Substack's shape: each link a heading with its commentary,
    YouTube links as Substack's video embeds, the others with a tracking parameter."""
    from newsarchive.commands.pipeline.html import youtube_id

    parts = []
    for index, url in enumerate(urls):
        if video := youtube_id(url):
            parts.append(
                f'<div id="youtube2-{video}" class="youtube-wrap" data-attrs="{{&quot;videoId'
                f'&quot;:&quot;{video}&quot;}}" data-component-name="Youtube2ToDOM"></div>'
            )
        else:
            tracked = url + ("&" if "?" in url else "?") + "utm_source=substack"
            parts.append(f'<h3><a href="{html.escape(tracked)}">リンク {index}</a></h3>')
        parts.append(f"<p>コメント {index}。</p>")
    return "".join(parts)


def export_with_reposts(tmp_path: Path, archive: Path) -> Path:
    """Substack's export holding #161 and the re-posts of :data:`REPOSTS` (no poll: an
    import of it says nothing is wrong)."""
    export = tmp_path / "export"
    (export / "posts").mkdir(parents=True)
    source = FIXTURES / "export"
    rows = (source / "posts.csv").read_text("utf-8").splitlines()
    kept = [rows[0]] + [row for row in rows if row.startswith("101002.")]
    shutil.copy(source / "posts/101002.weekly-kaggle-news-161.html", export / "posts")
    for number, (post_id, share, added) in REPOSTS.items():
        urls = card_urls(archive / "issues" / f"{number:04d}.md")
        urls = urls[: len(urls) // 2] if share == "half" else urls
        title = "Weekly Kaggle Issue #40" if number == 40 else f"Weekly Kaggle News #{number}"
        kept.append(
            f"{post_id},2023-03-01T00:00:00.000Z,true,2023-03-01T00:00:00.000Z,,newsletter,"
            f"everyone,{title},,"
        )
        body = repost_body([*urls, *added])
        (export / "posts" / f"{post_id}.html").write_text(body, encoding="utf-8")
    (export / "posts.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return export


def test_reposts_of_revue_issues_leave_their_pages_as_they_are(archive, tmp_path, capsys):
    before = snapshot(archive)
    export = export_with_reposts(tmp_path, archive)
    capsys.readouterr()
    assert main(["import-substack", str(export)]) == 0
    captured = capsys.readouterr()
    after = snapshot(archive)
    # Every page is as it was but the later one by hand, which now follows #161; beside
    # them, the new #161 and the records of the import.
    later = "issues/0349.md"
    assert after[later] == before[later].replace(b"follows: 159", b"follows: 161")
    assert {name: after[name] for name in before if name != later} == {
        name: data for name, data in before.items() if name != later
    }
    assert sorted(set(after) - set(before)) == [
        "docs/years/2023.md",
        "issues/0161.md",
        "issues/substack/imported.json",
        "issues/substack/posts.json",
    ]
    manifest = json.loads(after["issues/substack/imported.json"])
    assert sorted(manifest["pages"]) == ["0161.md"]
    # One line for the re-posts, nothing about the pages "not written by the import".
    assert captured.out.count("re-post") == 1
    assert "4 re-posts of issues already in the book (#3, #18, #40, #100) left as they are\n" in (
        captured.out
    )
    assert "issues: 1 written, 0 unchanged, 0 skipped" in captured.out
    assert "not written by" not in captured.err
    # The re-post of #40 holds two links its page lacks: said, at the page's source line.
    assert (
        "issues/0040.md:5: the Substack re-post (103040.weekly-kaggle-issue-40-20-09-18) has 2 "
        "links this page lacks: https://www.kaggle.com/competitions/only-in-the-repost, "
        "https://zenn.dev/x/y; the page is left as it is\n"
    ) in captured.err
    assert captured.err.count("this page lacks") == 1  # #100 lacks nothing the re-post has
    # Every post's slug is recorded, the numberless one included.
    posts = json.loads(after["issues/substack/posts.json"])["posts"]
    assert posts == {
        "kaggle-new-year-2020": 3,
        "weekly-kaggle-issue-40-20-09-18": 40,
        "weekly-kaggle-news-161": 161,
        "weekly-kaggle-news-18": 18,
        "weekly-kaggle-news-issue-100-21-11-12": 100,
    }
    check_passes(capsys)
    # Again, and with --force: the same bytes, the same words.
    assert main(["import-substack", str(export)]) == 0
    again = capsys.readouterr()
    assert snapshot(archive) == after
    first_run_only = (
        "issues/substack/posts.json: the posts' addresses recorded\n",
        "docs/years/2023.md: new year page\n",
        "issues/0349.md: follows: 159 now 161: the imported issues come before it\n",
    )
    for line in first_run_only:
        assert line in captured.err
    assert again.err == "".join(
        line for line in captured.err.splitlines(keepends=True) if line not in first_run_only
    )
    assert again.out.replace("0 written, 1 unchanged", "1 written, 0 unchanged") == captured.out
    assert main(["import-substack", str(export), "--force"]) == 0
    assert snapshot(archive) == after


def test_a_repost_s_links_are_compared_whatever_their_shape(archive, tmp_path, capsys):
    """The real #40 as its re-post holds it: YouTube embeds, tracking parameters, an
    address without ``www.`` or with a final slash are the page's links."""
    from newsarchive.commands.substack.reposts import lacking_links

    page = archive / "issues" / "0040.md"
    urls = card_urls(page)
    assert any("youtube.com/watch" in url for url in urls)
    assert any("://www.aclweb.org" in url for url in urls)
    assert lacking_links(page, repost_body(urls)) == []
    odd = [
        urlunsplit(parts._replace(netloc=parts.netloc.removeprefix("www."), path=parts.path + "/"))
        if "youtube" not in parts.netloc
        else parts.geturl()
        for parts in map(urlsplit, urls)
    ]
    assert odd != urls
    assert lacking_links(page, repost_body(odd)) == []
    assert lacking_links(page, repost_body([*urls, "https://example.com/new"])) == [
        "https://example.com/new"
    ]
    assert lacking_links(page, "<p>切れた<a href='https://a.com'>本文") == (
        "line 1: <p> is never closed (truncated file?)"
    )


def test_a_repost_cut_short_is_said_and_changes_nothing(archive, tmp_path, capsys):
    export = export_with_reposts(tmp_path, archive)
    body = export / "posts" / f"{REPOSTS[18][0]}.html"
    body.write_text(body.read_text("utf-8")[:-5], encoding="utf-8")
    before = snapshot(archive)
    capsys.readouterr()
    assert main(["import-substack", str(export)]) == 0
    err = capsys.readouterr().err
    assert f"{body}: line 1: " in err
    assert "its links are not compared with issues/0018.md" in err
    assert snapshot(archive)["issues/0018.md"] == before["issues/0018.md"]


def test_reposts_of_every_revue_issue_holding_its_links_are_one_line(archive, tmp_path, capsys):
    """The real export's case: all 159 issues re-posted, each with the links of its page as
    Substack writes them (tracking parameters of tweets and others dropped, videos embedded)."""
    export = tmp_path / "all-159"
    (export / "posts").mkdir(parents=True)
    rows = [(FIXTURES / "export" / "posts.csv").read_text("utf-8").splitlines()[0]]
    for number in range(1, 160):
        post_id = f"200{number:03d}.weekly-kaggle-news-{number}"
        rows.append(
            f"{post_id},2023-03-01T00:00:00.000Z,true,2023-03-01T00:00:00.000Z,,newsletter,"
            f"everyone,Weekly Kaggle News #{number},,"
        )
        urls = card_urls(archive / "issues" / f"{number:04d}.md")
        (export / "posts" / f"{post_id}.html").write_text(repost_body(urls), "utf-8")
    (export / "posts.csv").write_text("\n".join(rows) + "\n", "utf-8")
    before = snapshot(archive)
    capsys.readouterr()
    assert main(["import-substack", str(export)]) == 0
    captured = capsys.readouterr()
    assert captured.err == "issues/substack/posts.json: the posts' addresses recorded\n"
    assert "159 re-posts of issues already in the book (#1–#159) left as they are" in (captured.out)
    after = snapshot(archive)
    assert {name: after[name] for name in before} == before
