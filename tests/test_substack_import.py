"""``newsarchive import-substack``: the export in, pages that pass check and build, out.

The archive is a copy of the ``test-basic`` root (issues #1–#3); the export is
``substack_fixtures/export`` (posts.csv and posts/<id>.<slug>.html in Substack's shapes).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
import zipfile
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOTS
from newsarchive.commands.cli import main
from newsarchive.commands.pipeline.placement import Manifest, Report
from newsarchive.commands.substack.body import clean_url
from newsarchive.commands.substack.importer import (
    Importer,
    Post,
    given_numbers,
    slug_of,
    tokyo_date,
)

EXPORT = Path(__file__).resolve().parent / "substack_fixtures" / "export"
PUBLISHED = {
    160: "101001.weekly-kaggle-news-160",
    161: "101002.weekly-kaggle-news-161",
    163: "101003.weekly-kaggle-news-163",
}
#: Substack's chrome in the fixtures: none of it may reach a page.
CHROME = (
    "subscription-widget-wrap-editor",
    "button-wrapper",
    "captioned-button-wrap",
    "header-anchor-parent",
    "image-link-expand",
    "footnote-anchor",
    "footnote-number",
)
CHROME_TEXT = ("Subscribe", "Share", "Thanks for reading", "Type your email", "§")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    return root


def run(archive: Path, *args: str | Path) -> int:
    return main(
        [
            "import-substack",
            "--out",
            str(archive / "issues"),
            "--years-dir",
            str(archive / "years"),
            "--no-tags",
            *map(str, args),
        ]
    )


def check(archive: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    status = main(
        [
            "check",
            str(archive / "issues"),
            "--vocabulary",
            str(archive / "tags.toml"),
            "--years-dir",
            str(archive / "years"),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    return out


def pages(archive: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(archive)): p.read_bytes()
        for p in sorted(archive.rglob("*"))
        if p.is_file() and "_build" not in p.parts
    }


def zipped(tmp_path: Path, *, folder: str = "", skip: str = "") -> Path:
    target = tmp_path / "export.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(EXPORT.rglob("*")):
            name = path.relative_to(EXPORT).as_posix()
            if path.is_file() and name != skip:
                archive.write(path, folder + name)
    return target


def test_published_numbered_posts_become_pages(archive, capsys):
    assert run(archive, EXPORT) == 1  # the poll is kept as text, and said
    captured = capsys.readouterr()
    names = sorted(p.name for p in (archive / "issues").glob("0*.md"))
    assert names == ["0001.md", "0002.md", "0003.md", "0160.md", "0161.md", "0163.md"]
    first = (archive / "issues" / "0160.md").read_text(encoding="utf-8")
    assert first.startswith(
        "---\nissue: 160\n"
        "date: 2023-01-06\n"  # sent 2023-01-05 22:00 UTC: the 6th in Tokyo
        'title: "Weekly Kaggle News #160"\n'
        "source: https://weeklykagglenews.substack.com/p/weekly-kaggle-news-160\n"
        "follows: 3\n---\n# Weekly Kaggle News #160\n\nSubstack での配信を始めました\n"
    )
    later = (archive / "issues" / "0163.md").read_text(encoding="utf-8")
    assert "\nfollows: 161\n" in later and "\ndate: 2023-01-27\n" in later
    assert "---\n# Weekly Kaggle News #163\n\n## News\n" in later  # no subtitle, no intro
    assert "follows" not in (archive / "issues" / "0161.md").read_text(encoding="utf-8")
    assert (archive / "years" / "2023.md").is_file()
    assert "issues: 3 written, 0 unchanged, 0 skipped" in captured.out
    assert "1 without an issue number, 1 drafts, 2 not newsletter posts" in captured.out
    assert "101006.year-end-special.html: no issue number in the title '年始の特別号'" in (
        captured.err
    )
    assert "101001.weekly-kaggle-news-160.html:2: unknown Substack block" in captured.err
    manifest = json.loads((archive / "issues/substack/imported.json").read_text("utf-8"))
    assert manifest["pages"]["0161.md"]["source"] == PUBLISHED[161]
    assert manifest["about"].startswith(
        "Pages written by `newsarchive import-substack` and `newsarchive import-feed`, "
    )
    check(archive, capsys)


def test_a_post_without_a_number_is_imported_when_given_one(archive, capsys):
    run(archive, EXPORT, "--number", "101006.year-end-special=162")
    special = (archive / "issues" / "0162.md").read_text(encoding="utf-8")
    assert 'title: "年始の特別号"' in special and "\ndate: 2023-01-20\n" in special
    assert "follows" not in (archive / "issues" / "0163.md").read_text(encoding="utf-8")
    check(archive, capsys)
    assert main(["import-substack", str(EXPORT), "--number", "nonsense"]) == 1
    assert "expected POST=N" in capsys.readouterr().err


def test_the_same_export_gives_the_same_bytes_from_a_folder_or_a_zip(archive, tmp_path, capsys):
    run(archive, EXPORT)
    first = pages(archive)
    run(archive, zipped(tmp_path))
    assert pages(archive) == first
    run(archive, zipped(tmp_path, folder="substack-export-2026/"))
    assert pages(archive) == first
    assert "issues: 0 written, 3 unchanged, 0 skipped" in capsys.readouterr().out


def test_hand_edits_are_kept_unless_forced(archive, capsys):
    run(archive, EXPORT)
    page = archive / "issues" / "0161.md"
    page.write_text(page.read_text("utf-8").replace("SIGNATE で", "SIGNATE（編集）で"), "utf-8")
    edited = page.read_bytes()
    capsys.readouterr()
    assert run(archive, EXPORT) == 1
    assert page.read_bytes() == edited
    assert "0161.md:1: edited by hand since the import of 101002" in capsys.readouterr().err
    run(archive, EXPORT, "--force")
    assert "（編集）" not in page.read_text("utf-8")


def test_an_archive_with_later_issues(archive, capsys):
    page = archive / "issues" / "0348.md"
    page.write_text(
        '---\nissue: 348\nfollows: 3\ndate: 2026-08-21\ntitle: "Weekly Kaggle News #348"\n'
        "---\n# Weekly Kaggle News #348\n\n手で書いた号。\n",
        encoding="utf-8",
    )
    (archive / "years" / "2026.md").write_text("# 2026年\n", encoding="utf-8")
    check(archive, capsys)
    run(archive, EXPORT)
    assert "0348.md: follows: 3 now 163" in capsys.readouterr().err
    text = page.read_text("utf-8")
    assert "\nfollows: 163\n" in text and "手で書いた号。" in text
    check(archive, capsys)
    # Once the missing issues are in, the declared gap goes (and the page says nothing else).
    run(archive, EXPORT, "--number", "101006.year-end-special=162")
    for number in range(164, 348):
        (archive / "issues" / f"{number:04d}.md").write_text(
            f"---\nissue: {number}\ndate: 2026-0{1 + number // 60}-{1 + number % 28:02d}\n"
            f'title: "#{number}"\n---\n# #{number}\n',
            encoding="utf-8",
        )
    run(archive, EXPORT, "--number", "101006.year-end-special=162")
    assert "0348.md: follows: 163 removed (no issue is missing before it now)" in (
        capsys.readouterr().err
    )
    assert page.read_text("utf-8") == text.replace("follows: 163\n", "")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda e: (e / "posts/101002.weekly-kaggle-news-161.html").write_text(
                "<p>途中で<a href='https://a.com'>切れ", "utf-8"
            ),
            "posts/101002.weekly-kaggle-news-161.html:1: <p> is never closed (truncated file?)",
        ),
        (
            lambda e: (e / "posts/101002.weekly-kaggle-news-161.html").write_text(
                '<div class="subscription-widget-wrap-editor"><div class="subscription-widget">'
                '<p class="cta-caption">Thanks for reading!</p></div></div>'
                '<p class="button-wrapper"><a class="button primary" '
                'href="https://weeklykagglenews.substack.com/subscribe?"><span>Subscribe now'
                "</span></a></p>",
                "utf-8",
            ),
            "101002.weekly-kaggle-news-161.html:1: the post holds nothing but Substack chrome",
        ),
        (
            lambda e: (e / "posts/101002.weekly-kaggle-news-161.html").unlink(),
            "posts.csv:3: 101002.weekly-kaggle-news-161: no posts/101002.weekly-kaggle-news-161"
            ".html in the export",
        ),
        (
            lambda e: (e / "posts/101002.weekly-kaggle-news-161.html").write_bytes(b"\xff\xfe<p>"),
            "101002.weekly-kaggle-news-161.html:1: cannot be read",
        ),
        (
            lambda e: (e / "posts.csv").write_text(
                (e / "posts.csv")
                .read_text("utf-8")
                .replace("101002.weekly-kaggle-news-161,2023-01-12T22:01:40.002Z,", "101002.w,"),
                "utf-8",
            ),
            "posts.csv:3: 10 columns expected; row not imported",
        ),
    ],
)
def test_a_bad_post_is_reported_and_the_others_imported(archive, tmp_path, capsys, damage, message):
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    damage(export)
    capsys.readouterr()
    assert run(archive, export) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "1 not imported" in captured.out
    assert (archive / "issues" / "0160.md").is_file()
    assert (archive / "issues" / "0163.md").is_file()
    assert not (archive / "issues" / "0161.md").exists()
    # 163 now follows 160: the numbering stays consistent for check
    assert "\nfollows: 160\n" in (archive / "issues" / "0163.md").read_text("utf-8")
    check(archive, capsys)


def test_missing_columns_are_named(archive, tmp_path, capsys):
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    table = export / "posts.csv"
    header = table.read_text("utf-8").splitlines()[0].split(",")
    table.write_text(",".join(header[:7] + header[8:]) + "\n", encoding="utf-8")
    assert run(archive, export) == 1
    err = capsys.readouterr().err
    assert "posts.csv:1: missing column(s) title; no post can be imported" in err
    (export / "posts.csv").write_text("post_id,title\n1.a,#1\n", encoding="utf-8")
    assert run(archive, export) == 1
    assert "is_published, email_sent_at or inbox_sent_at or post_date" in capsys.readouterr().err


def test_what_is_not_a_substack_export(archive, tmp_path, capsys):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive_zip:
        archive_zip.writestr("README.txt", "hello")
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("not a zip", encoding="utf-8")
    before = pages(archive)
    for path, message in (
        (other, "not a Substack export: no posts.csv in it"),
        (not_zip, "not a Substack export: neither a folder nor a zip file"),
        (tmp_path / "missing", "no such file or folder"),
        (tmp_path, "not a Substack export: no posts.csv in it"),
    ):
        assert run(archive, path) == 1
        captured = capsys.readouterr()
        assert f"{path}: {message}" in captured.err
        assert "Traceback" not in captured.err
    assert pages(archive) == before


# -- built: every link and text of the published posts on its page --------------------------


def expected_links_and_texts(html: str) -> tuple[set[str], list[str]]:
    """Links and text runs of a post body, read straight from its HTML (chrome left out)."""
    soup = BeautifulSoup(html, "html.parser")
    for name in CHROME:
        for node in soup.select(f".{name}"):
            node.decompose()
    # An embedded post is drawn from its data-attrs (read below), not from its preview.
    for node in soup.select("form, svg, button, a.embedded-post"):
        node.decompose()
    links = {clean_url(a["href"]) for a in soup.find_all("a", href=True)}
    # A card's site is shown without the dash or brackets around it in the post.
    texts = [" ".join(s.split()).strip(" —–-|()") for s in soup.find_all(string=True)]
    texts = [text for text in texts if text]
    for component in soup.select("[data-attrs]"):
        attrs = json.loads(component["data-attrs"])
        for key in ("full_text", "title", "truncated_body_text", "publication_name"):
            if attrs.get(key):
                texts.append(" ".join(attrs[key].split()))
        if attrs.get("url"):
            links.add(clean_url(attrs["url"]))
        if attrs.get("videoId"):
            links.add(f"https://www.youtube.com/watch?v={attrs['videoId']}")
    return links, texts


def test_imported_pages_build_with_every_link_and_text(archive, tmp_path, capsys):
    from sphinx.testing.util import SphinxTestApp

    run(archive, EXPORT)
    check(archive, capsys)
    app = SphinxTestApp("html", srcdir=archive, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = app.warning.getvalue()
    assert "WARNING" not in warnings.replace("unknown Substack block", ""), warnings
    table = (EXPORT / "posts.csv").read_text("utf-8")
    for number, post_id in PUBLISHED.items():
        html = (EXPORT / "posts" / f"{post_id}.html").read_text("utf-8")
        built = BeautifulSoup(
            (app.outdir / "issues" / f"{number:04d}.html").read_text("utf-8"), "html.parser"
        )
        main_text = built.select_one("main") or built
        hrefs = {a["href"] for a in main_text.find_all("a", href=True)}
        # Spaces aside: highlighted code is split into spans.
        text = "".join(main_text.get_text().split())
        links, texts = expected_links_and_texts(html)
        # A link to an issue of the newsletter points to our page of it.
        own = {
            f"https://weeklykagglenews.substack.com/p/{pid.split('.', 1)[1]}": f"{n:04d}.html"
            for n, pid in PUBLISHED.items()
        }
        assert {own.get(link.split("?")[0], link) for link in links} <= hrefs
        if number == 161:
            assert "0160.html" in hrefs
        for fragment in texts:
            assert "".join(fragment.split()) in text, fragment
        for chrome in CHROME_TEXT:
            assert chrome not in text
        assert not any("utm_" in href or "substack.com/subscribe" in href for href in hrefs)
        assert post_id.split(".", 1)[1] in table
    draft = "下書きの本文"
    for page in app.outdir.rglob("*.html"):
        assert draft not in page.read_text("utf-8")
    footnotes = BeautifulSoup(
        (app.outdir / "issues" / "0160.html").read_text("utf-8"), "html.parser"
    )
    first, second = footnotes.select("a.footnote-reference")
    assert first.get_text() == "[1]" and second.get_text() == "[2]"
    (note,) = footnotes.select(f"aside.footnote{first['href']}")
    assert "Revue は 2023 年 1 月に終了しました。" in note.get_text()
    source = footnotes.select_one("a.wkn-source")
    assert source.get_text() == "原文（Substack）"
    assert source["href"] == "https://weeklykagglenews.substack.com/p/weekly-kaggle-news-160"


def test_the_source_is_where_the_post_links_itself_unless_given(archive, tmp_path, capsys):
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    body = export / "posts/101003.weekly-kaggle-news-163.html"
    body.write_text(
        body.read_text("utf-8").replace(
            "https://weeklykagglenews.substack.com/p/", "https://news.example.jp/p/"
        ),
        "utf-8",
    )
    run(archive, export)
    page = (archive / "issues" / "0163.md").read_text("utf-8")
    assert "\nsource: https://news.example.jp/p/weekly-kaggle-news-163\n" in page
    # No link to itself: the newsletter's address.
    first = (archive / "issues" / "0161.md").read_text("utf-8")
    assert "\nsource: https://weeklykagglenews.substack.com/p/weekly-kaggle-news-161\n" in first
    run(archive, export, "--url", "https://example.substack.com/", "--force")
    page = (archive / "issues" / "0163.md").read_text("utf-8")
    assert "\nsource: https://example.substack.com/p/weekly-kaggle-news-163\n" in page


# -- a post cut short never costs a page its content --------------------------------------
CARD = re.compile(r"^:::\{link\} (\S+)$", re.MULTILINE)


def imported(archive: Path, tmp_path: Path, number: int) -> tuple[Path, Path, Path, bytes]:
    """The export copied and imported whole: (export, issue's post, its page, page bytes)."""
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    run(archive, export)
    page = archive / "issues" / f"{number:04d}.md"
    return export, export / "posts" / f"{PUBLISHED[number]}.html", page, page.read_bytes()


def test_a_post_cut_short_is_refused_naming_the_file_and_the_cards(archive, tmp_path, capsys):
    export, post, page, full = imported(archive, tmp_path, 160)
    html = post.read_text("utf-8")
    manifest = (archive / "issues/substack/imported.json").read_bytes()
    lost = [
        "https://www.youtube.com/watch?v=6a6L_9USZxg",
        "https://twitter.com/kaggle/status/1610000000000000000",
        "https://mlwriter.substack.com/p/grandmaster-interview",
    ]
    assert CARD.findall(full.decode("utf-8"))[-3:] == lost
    # The post ends before its second section: three cards and some text lost.
    cut = html[: html.index('<h2 class="header-anchor-post">動画とツイート')]
    post.write_text(cut, "utf-8")
    capsys.readouterr()
    assert run(archive, export) == 1
    assert page.read_bytes() == full
    assert (archive / "issues/substack/imported.json").read_bytes() == manifest
    captured = capsys.readouterr()
    assert (
        f"{page}:1: the import of {PUBLISHED[160]} would remove 3 card(s) ({', '.join(lost)}); "
    ) in captured.err
    assert "left alone (is the post cut short? --force overwrites it)" in captured.err
    assert "1 kept (would lose content)" in captured.out
    # --force writes the shorter page and says what it removed.
    run(archive, export, "--force")
    assert not set(lost) & set(CARD.findall(page.read_text("utf-8")))
    # (The figure kept its link, beside the marks whose text was cut off.)
    assert (
        f"{page}: --force: the import of {PUBLISHED[160]} removed 3 card(s) "
        f"({', '.join(lost)}); 196 word(s) or character(s) of text (from the line "
    ) in capsys.readouterr().err


def test_text_alone_lost_is_refused_too(archive, tmp_path, capsys):
    export, post, page, full = imported(archive, tmp_path, 161)
    post.write_text(post.read_text("utf-8").replace("<p>参加登録は 2 月末まで。</p>", ""), "utf-8")
    capsys.readouterr()
    assert run(archive, export) == 1
    assert page.read_bytes() == full
    err = capsys.readouterr().err
    assert (
        f"{page}:1: the import of {PUBLISHED[161]} would remove 10 word(s) or character(s) of text"
        in err
    )
    assert "of text (from the line '参加登録は 2 月末まで。'); left alone" in err
    assert "card(s)" not in err


def test_a_post_cut_at_any_tag_end_never_removes_content(archive, tmp_path, capsys):
    """Every cut after a tag of a post: the page stays as it was, the cut being recognised
    as a truncated file (an element never closed), refused for what it would remove, or
    harmless (the cut removed only Substack's chrome)."""
    export, post, page, full = imported(archive, tmp_path, 161)
    html = post.read_text("utf-8")
    verdicts: Counter[str] = Counter()
    for end in [at + 1 for at, char in enumerate(html) if char == ">"][:-1]:
        post.write_text(html[:end], "utf-8")
        capsys.readouterr()
        run(archive, export)
        err = capsys.readouterr().err
        assert page.read_bytes() == full, f"cut after character {end} changed the page"
        if f"{post}:1: <" in err and "is never closed (truncated file?)" in err:
            verdicts["truncated"] += 1
        elif f"{page}:1: the import of {PUBLISHED[161]} would remove" in err:
            verdicts["refused"] += 1
        else:
            assert PUBLISHED[161] not in err, err
            verdicts["harmless"] += 1
    assert verdicts["truncated"] and verdicts["refused"], verdicts


def test_the_day_in_tokyo_whatever_the_machine_s_zone(monkeypatch):
    try:
        for zone in ("UTC", "America/New_York", "Asia/Tokyo"):
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            # A time without zone is UTC: 22:00 UTC is the next morning in Tokyo.
            assert tokyo_date(dt.datetime(2023, 1, 5, 22, 0)) == dt.date(2023, 1, 6)
            assert tokyo_date(dt.datetime(2023, 1, 5, 14, 59)) == dt.date(2023, 1, 5)
            # A time with its zone is taken as it is.
            jst = dt.timezone(dt.timedelta(hours=9))
            assert tokyo_date(dt.datetime(2023, 1, 5, 16, 0, tzinfo=jst)) == dt.date(2023, 1, 5)
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        (
            "https://weeklykagglenews.substack.com/p/weekly-kaggle-news-160",
            "weekly-kaggle-news-160",
        ),
        ("https://news.example.jp/p/year-end//", "year-end"),
        ("https://weeklykagglenews.substack.com/about", ""),
        ("https://weeklykagglenews.substack.com/", ""),
    ],
)
def test_slug_of_a_post_url(url, slug):
    assert slug_of(url) == slug


@pytest.mark.parametrize(
    ("title", "number"),
    [("Weekly Kaggle News #1", 1), ("＃ 162 年末号", 162), ("#0", None), ("News 160", None)],
)
def test_the_issue_number_of_a_title(archive, title, number):
    importer = Importer(archive, archive, Manifest(archive / "m.json", {}), Report(), False, {})
    post = Post("x.html", "1.x", "x", title, "", dt.datetime(2023, 1, 1), "", "")
    assert importer.number_of(post) == number


def test_a_follows_line_corrected_by_the_import_is_still_the_import_s_page(archive, capsys):
    run(archive, EXPORT)
    assert "\nfollows: 161\n" in (archive / "issues" / "0163.md").read_text("utf-8")
    run(archive, EXPORT, "--number", "101006.year-end-special=162")
    assert "follows" not in (archive / "issues" / "0163.md").read_text("utf-8")
    capsys.readouterr()
    # The corrected page is recorded as the import's: the same import again changes nothing.
    run(archive, EXPORT, "--number", "101006.year-end-special=162")
    assert "issues: 0 written, 4 unchanged, 0 skipped" in capsys.readouterr().out


def test_year_pages_are_made_only_where_they_live(archive, tmp_path, capsys):
    run(archive, EXPORT)
    page = archive / "years" / "2023.md"
    assert page.read_text("utf-8").startswith("# 2023年\n\n:::{issue-list}\n:year: 2023\n")
    assert f"{page}: new year page" in capsys.readouterr().err
    elsewhere = tmp_path / "elsewhere"
    status = main(
        [
            "import-substack",
            str(EXPORT),
            "--out",
            str(elsewhere / "issues"),
            "--no-tags",
            "--years-dir",
            str(elsewhere / "no-years"),
        ]
    )
    assert status == 1  # the poll kept as text
    assert not (elsewhere / "no-years").exists()
    assert "new year page" not in capsys.readouterr().err


def test_cards_get_tags_from_the_vocabulary(archive, tmp_path):
    vocabulary = tmp_path / "tags.toml"
    vocabulary.write_text(
        '[[tag]]\nslug = "paper"\nja = "論文"\nen = "Paper"\nsites = ["arxiv.org"]\n', "utf-8"
    )
    main(
        [
            "import-substack",
            str(EXPORT),
            "--out",
            str(archive / "issues"),
            "--years-dir",
            str(archive / "years"),
            "--vocabulary",
            str(vocabulary),
        ]
    )
    page = (archive / "issues" / "0160.md").read_text("utf-8")
    assert page.count(":tags:") == 1
    assert ":::{link} https://arxiv.org/abs/2301.00001\n" in page
    card = page[page.index(":::{link} https://arxiv.org/abs/2301.00001") :]
    assert card[: card.index("\n\n")].endswith("\n:tags: paper")


def test_number_options():
    assert given_numbers(["101006.year-end=162", " https://x.test/p/a=b =1"]) == {
        "101006.year-end": 162,
        "https://x.test/p/a=b": 1,  # the number is after the last "="
    }
    for wrong in ("nonsense", "=5", "post=0", "post=x", "post="):
        with pytest.raises(ValueError, match="expected POST=N"):
            given_numbers([wrong])


# -- re-posts: their Substack addresses resolve inside the book ----------------------------


def test_links_to_reposts_point_to_the_pages_the_book_has(archive, tmp_path, capsys):
    """Re-posts of #1 (by hand: no source) and #2 under slugs with a date and with no
    number: the pages stay, and #161's links to those posts lead to them."""
    from sphinx.testing.util import SphinxTestApp

    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    slugs = {1: "weekly-kaggle-issue-1-20-12-25", 2: "new-year-greetings"}
    with (export / "posts.csv").open("a", encoding="utf-8") as table:
        for number, slug in slugs.items():
            table.write(
                f"10200{number}.{slug},2023-03-01T00:00:00.000Z,true,2023-03-01T00:00:00.000Z,,"
                f"newsletter,everyone,Weekly Kaggle News #{number},,\n"
            )
            (export / "posts" / f"10200{number}.{slug}.html").write_text(
                f'<h3><a href="https://example.com/repost-{number}">再掲</a></h3><p>本文。</p>',
                "utf-8",
            )
    body = export / "posts" / f"{PUBLISHED[161]}.html"
    body.write_text(
        "".join(
            f'<p><a href="https://weeklykagglenews.substack.com/p/{slug}?r=x">#{n} の再掲</a></p>'
            for n, slug in slugs.items()
        )
        + body.read_text("utf-8"),
        "utf-8",
    )
    before = pages(archive)
    run(archive, export)
    captured = capsys.readouterr()
    assert "2 re-posts of issues already in the book (#1–#2) left as they are" in captured.out
    for number, line in ((1, 5), (2, 1)):  # at the page's source line (#2 has none)
        name = f"issues/{number:04d}.md"
        assert pages(archive)[name] == before[name]
        assert (
            f"{archive / name}:{line}: the Substack re-post (10200{number}.{slugs[number]}) has "
            f"1 link this page lacks: https://example.com/repost-{number}; "
        ) in captured.err
    app = SphinxTestApp("html", srcdir=archive, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    built = BeautifulSoup((app.outdir / "issues" / "0161.html").read_text("utf-8"), "html.parser")
    links = {" ".join(a.get_text().split()): a["href"] for a in built.select("a[href]")}
    assert links["#1 の再掲"] == "0001.html"  # a link in the intro
    assert links["#2 の再掲"] == "0002.html"  # a card (a paragraph of a link alone)


def test_a_substack_page_missing_from_the_record_is_no_repost(archive, capsys):
    """The record lost: a page whose source is the post's is still the Substack era's, left
    alone as not written by the import, and --force writes it again."""
    run(archive, EXPORT)
    (archive / "issues/substack/imported.json").unlink()
    page = archive / "issues" / "0161.md"
    page.write_text(page.read_text("utf-8").replace("SIGNATE で", "SIGNATE（編集）で"), "utf-8")
    capsys.readouterr()
    assert run(archive, EXPORT) == 1
    captured = capsys.readouterr()
    assert f"{page}:1: not written by the import of {PUBLISHED[161]}; left alone" in captured.err
    assert "re-post" not in captured.out + captured.err
    assert "（編集）" in page.read_text("utf-8")
    run(archive, EXPORT, "--force")
    assert "（編集）" not in page.read_text("utf-8")


@pytest.mark.parametrize(
    ("source", "recorded", "repost"),
    [
        ("https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-2-999", False, True),
        ("", False, True),  # a page by hand
        ("https://weeklykagglenews.substack.com/p/weekly-kaggle-news-2", False, False),
        ("https://substack.com/@upura/p/weekly-kaggle-news-2", False, False),
        ("https://news.example.jp/p/weekly-kaggle-news-2", False, False),  # the post's domain
        ("https://other.example.jp/p/weekly-kaggle-news-2", False, True),
        ("https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-2-999", True, False),
    ],
)
def test_which_post_is_a_repost(archive, source, recorded, repost):
    from newsarchive.commands.substack.reposts import is_repost

    page = archive / "issues" / "0002.md"
    if source:
        page.write_text(
            page.read_text("utf-8").replace("\n---\n", f"\nsource: {source}\n---\n", 1), "utf-8"
        )
    post_source = "https://news.example.jp/p/weekly-kaggle-news-2"
    assert is_repost(page, post_source, recorded=recorded) is repost


@pytest.mark.parametrize(
    ("numbers", "shown"),
    [([3], "#3"), ([100, 18, 40], "#18, #40, #100"), ([*range(1, 160)], "#1–#159"),
     ([1, 2, 3, 5, 7, 8], "#1–#3, #5, #7–#8"), ([2, 2], "#2")],
)  # fmt: skip
def test_issue_numbers_are_shown_as_runs(numbers, shown):
    from newsarchive.commands.substack.reposts import number_ranges

    assert number_ranges(numbers) == shown


def test_the_posts_table_is_sorted_and_written_only_when_it_changes(tmp_path):
    from newsarchive.core.substack_posts import load_posts, save_posts

    path = tmp_path / "issues" / "substack" / "posts.json"
    posts = {"weekly-kaggle-news-160": 160, "kaggle-new-year": 2, "weekly-kaggle-news-18": 18}
    assert save_posts(path, posts) is True
    text = path.read_text("utf-8")
    assert text.index('"kaggle-new-year": 2') < text.index('"weekly-kaggle-news-160": 160')
    assert text.index('"weekly-kaggle-news-160"') < text.index('"weekly-kaggle-news-18"')
    assert text.endswith("}\n") and "\n    " in text  # one post a line, for diffs
    assert load_posts(path) == posts
    stamp = path.stat().st_mtime_ns
    assert save_posts(path, dict(reversed(posts.items()))) is False
    assert path.stat().st_mtime_ns == stamp
    assert load_posts(tmp_path / "none.json") == {}
