"""The Substack importer's rules (``commands/substack/importer.py``), one at a time: which
number a post gets, posts that cannot be imported, where numbers jump (``follows:``),
re-posts, the year pages, the records it keeps, what it says and its exit status.

Posts are given to the importer as both imports give them (:class:`Post`); the archive is
a copy of the ``test-basic`` root (issues #1–#3, year pages for 2020 and 2021)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS
from newsarchive.commands.cli import main
from newsarchive.commands.pipeline.placement import Manifest, Report
from newsarchive.commands.substack.importer import (
    MANIFEST,
    SUBSTACK_IMPORTS,
    Importer,
    Post,
    SourceError,
    given_numbers,
    run_import,
)
from substack_importing import page
from terminal import on_a_terminal

BODY = '<h3><a href="https://example.com/{n}">Link {n}</a></h3><p>Comment {n}.</p>'
SENT = dt.datetime(2023, 1, 5, 22, 0, tzinfo=dt.UTC)  # 2023-01-06 in Tokyo


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    return root


def post(number: int | None, **fields: object) -> Post:
    """A published post of issue ``number`` (None: a title without one)."""
    slug = f"weekly-kaggle-news-{number}" if number else "about"
    values: dict[str, object] = {
        "where": f"posts/{slug}.html",
        "key": f"9{number or 0}.{slug}",
        "slug": slug,
        "title": f"Weekly Kaggle News #{number}" if number else "About",
        "subtitle": "",
        "sent": SENT,
        "source": f"https://news.example.jp/p/{slug}",
        "html": BODY.format(n=number),
    }
    return Post(**{**values, **fields})  # type: ignore[arg-type]


def importer(archive: Path, **fields: object) -> Importer:
    out = archive / "issues"
    made = Importer(
        out,
        archive / "years",
        Manifest.load(out / MANIFEST, SUBSTACK_IMPORTS),
        Report(),
        bool(fields.pop("force", False)),
        dict(fields.pop("numbers", {})),  # type: ignore[call-overload]
    )
    made.posts_table = out / "substack" / "posts.json"
    for name, value in fields.items():
        setattr(made, name, value)
    return made


def imported(archive: Path, posts: list[Post], capsys, **fields: object) -> tuple[int, str, str]:
    """Import ``posts``: the exit status, what was printed and what was said on stderr."""
    capsys.readouterr()
    status = importer(archive, **fields).run(posts, progress="import-test")
    shown = capsys.readouterr()
    return status, shown.out, shown.err


# -- which number a post gets --------------------------------------------------------------


def test_a_given_number_by_the_post_s_key_slug_or_address_comes_before_the_title(archive):
    made = importer(
        archive,
        numbers={"90.about": 5, "weekly-kaggle-news-7": 6, "https://x.test/p/z": 8, "z": 9},
    )
    assert made.number_of(post(None)) == 5
    assert made.number_of(post(7)) == 6  # its slug, over the title's #7
    assert made.number_of(post(None, key="1.y", slug="y", source="https://x.test/p/z")) == 8
    # The key first, then the slug, then the address.
    assert made.number_of(post(None, key="90.about", slug="z")) == 5
    assert made.number_of(post(None, key="1.y", slug="z", source="https://x.test/p/z")) == 9
    assert made.number_of(post(12)) == 12


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("Weekly Kaggle News # 160", 160),
        ("Weekly Kaggle News #00012", 12),
        ("#12345", 12345),
        ("#123456", None),  # more digits than an issue number has
        ("Issue 160 (#161)", 161),
        ("#0 then #5", None),  # the first number counts
        ("＃１６２", 162),
        ("", None),
    ],
)
def test_the_number_in_a_title(archive, title, number):
    assert importer(archive).number_of(post(None, title=title)) == number


def test_given_numbers_are_read_after_their_last_equals_sign_and_trimmed():
    assert given_numbers([]) == {}
    assert given_numbers(["a=b=3", " 90.about =12"]) == {"a=b": 3, "90.about": 12}
    assert given_numbers(["x=1", "x=2"]) == {"x": 2}  # the last one given
    with pytest.raises(ValueError) as refused:
        given_numbers(["x=1", "y=-1"])
    assert str(refused.value) == "--number 'y=-1': expected POST=N, e.g. 101006.year-end=162"
    assert given_numbers(["x=１２"]) == {"x": 12}


@pytest.mark.parametrize("value", [" =5", "\t=5", "x=²", "x=5²", "x= 5"])
def test_a_number_option_without_a_post_or_a_number_is_refused(value):
    """A blank key would number every post without a slug or address; "²" is a digit."""
    with pytest.raises(ValueError, match="expected POST=N"):
        given_numbers([value])


# -- posts that are not imported -----------------------------------------------------------


def test_a_post_without_a_number_is_said_and_skipped(archive, capsys):
    status, out, err = imported(archive, [post(None), post(4)], capsys)
    assert status == 0
    assert err.startswith(
        "posts/about.html: no issue number in the title 'About'; skipped "
        "(--number 90.about=N imports it as issue N)\n"
    )
    assert "issues: 1 written, 0 unchanged" in out
    assert "1 without an issue number" in out
    assert not (archive / "issues" / "0000.md").exists()


def test_a_second_post_of_an_issue_is_not_imported(archive, capsys):
    second = post(4, where="posts/again.html", html=BODY.format(n="again"))
    status, out, err = imported(archive, [post(4), second], capsys)
    assert status == 1
    assert (
        "posts/again.html:1: issue #4 is also imported from posts/weekly-kaggle-news-4.html; "
        "not imported\n"
    ) in err
    assert "issues: 1 written, 0 unchanged, 0 skipped (edited by hand), 0 kept (would lose " in out
    assert "content), 1 not imported" in out
    assert "https://example.com/4" in page(archive, 4)
    assert "again" not in page(archive, 4)


def test_a_post_that_cannot_be_read_is_named_at_its_line_and_the_others_imported(archive, capsys):
    empty = post(5, html="  \n")
    status, out, err = imported(archive, [post(4), empty], capsys)
    assert status == 1
    assert "posts/weekly-kaggle-news-5.html:1: the post has no content\n" in err
    assert ", 1 not imported" in out
    assert (archive / "issues" / "0004.md").exists()
    assert not (archive / "issues" / "0005.md").exists()


def test_what_a_post_keeps_as_text_is_a_problem_at_its_line(archive, capsys):
    html = BODY.format(n=4) + '\n<div class="poll-embed">Vote</div>'
    status, _, err = imported(archive, [post(4, html=html)], capsys)
    assert status == 1
    assert "posts/weekly-kaggle-news-4.html:2: unknown Substack block" in err
    assert (archive / "issues" / "0004.md").exists()


def test_nothing_to_import_writes_no_record(archive, capsys):
    status, out, _ = imported(archive, [post(4, html="")], capsys)
    assert status == 1
    assert "issues: 0 written, 0 unchanged, 0 skipped (edited by hand), 0 kept" in out
    assert not (archive / "issues" / MANIFEST).exists()
    assert sorted(p.name for p in (archive / "issues").glob("*.md")) == [
        "0001.md",
        "0002.md",
        "0003.md",
    ]


def test_pages_left_alone_write_no_record(archive, capsys):
    by_hand = "---\nissue: 4\nsource: https://news.example.jp/p/x\n---\n# By hand\n"
    (archive / "issues" / "0004.md").write_text(by_hand, "utf-8")
    status, out, err = imported(archive, [post(4)], capsys)
    assert status == 1
    assert "0004.md:1: not written by the import of 94.weekly-kaggle-news-4" in err
    assert "0 written, 0 unchanged, 1 skipped" in out
    assert not (archive / "issues" / MANIFEST).exists()


# -- what a page holds of its post ---------------------------------------------------------


def test_the_title_subtitle_source_and_day_of_a_page(archive, capsys):
    odd = post(
        4,
        title="  Weekly\tKaggle\u0007 News\n #4 ",
        subtitle=" LLM,\n  画像\u0007 ",
        source="https://news.example.jp/p/weekly-kaggle-news-4?utm_source=email",
    )
    imported(archive, [odd], capsys)
    text = page(archive, 4)
    assert text.startswith(
        '---\nissue: 4\ndate: 2023-01-06\ntitle: "Weekly Kaggle News #4"\n'
        "source: https://news.example.jp/p/weekly-kaggle-news-4\n---\n"
        "# Weekly Kaggle News #4\n\nLLM, 画像\n\n:::{link} https://example.com/4\n"
    )


def test_a_post_without_subtitle_has_no_intro(archive, capsys):
    imported(archive, [post(4, subtitle=" \n ")], capsys)
    assert "# Weekly Kaggle News #4\n\n:::{link} https://example.com/4\n" in page(archive, 4)


# -- where numbers jump: follows -----------------------------------------------------------


def test_a_page_after_a_gap_follows_the_issue_before_it(archive, capsys):
    imported(archive, [post(4), post(6), post(9)], capsys)
    assert "follows" not in page(archive, 4)
    assert "\nfollows: 4\n" in page(archive, 6)
    assert "\nfollows: 6\n" in page(archive, 9)


def later_page(archive: Path, number: int, follows: str) -> Path:
    path = archive / "issues" / f"{number:04d}.md"
    path.write_text(
        f"---\nissue: {number}\nfollows: {follows}\ndate: 2023-03-03\n"
        f'title: "Weekly Kaggle News #{number}"\n---\n# Weekly Kaggle News #{number}\n\n手で。\n',
        "utf-8",
    )
    return path


def test_a_later_page_s_follows_is_corrected_or_removed_and_said(archive, capsys):
    gap = later_page(archive, 9, "3")
    status, _, err = imported(archive, [post(5)], capsys)
    assert status == 0
    assert "\nfollows: 5\ndate:" in gap.read_text("utf-8")
    assert f"{gap}: follows: 3 now 5: the imported issues come before it\n" in err
    again = later_page(archive, 7, "5")
    _, _, err = imported(archive, [post(6)], capsys)  # 7 follows 6 now: no gap left
    assert "\nfollows: 7\ndate:" in gap.read_text("utf-8")
    assert f"{gap}: follows: 5 now 7: the imported issues come before it\n" in err
    text = again.read_text("utf-8")
    assert "follows" not in text and text.startswith("---\nissue: 7\ndate: 2023-03-03\n")


def test_the_removal_of_a_follows_line_is_said(archive, capsys):
    later = later_page(archive, 5, "3")
    _, _, err = imported(archive, [post(4)], capsys)
    assert (
        f"{later}: follows: 3 removed (no issue is missing before it now): the imported "
        "issues come before it\n"
    ) in err
    assert "follows" not in later.read_text("utf-8")


def test_a_follows_still_right_or_not_a_number_is_left_as_it_is(archive, capsys):
    right = later_page(archive, 9, "3")
    odd = later_page(archive, 12, "nine")
    before = right.read_bytes(), odd.read_bytes()
    _, _, err = imported(archive, [post(2, html=BODY.format(n=2))], capsys)
    assert (right.read_bytes(), odd.read_bytes()) == before
    assert "follows:" not in err


def test_only_the_follows_line_is_corrected(archive, capsys):
    later = later_page(archive, 9, "3")
    text = later.read_text("utf-8").replace("手で。", "follows: 3\n\n手で。")
    later.write_text(text, "utf-8")
    imported(archive, [post(5)], capsys)
    assert later.read_text("utf-8") == text.replace("follows: 3\ndate", "follows: 5\ndate", 1)


def test_a_corrected_page_not_written_by_the_import_stays_unrecorded(archive, capsys):
    later_page(archive, 9, "3")
    imported(archive, [post(5)], capsys)
    record = json.loads((archive / "issues" / MANIFEST).read_text("utf-8"))
    assert sorted(record["pages"]) == ["0005.md"]


# -- re-posts ------------------------------------------------------------------------------


def test_one_re_post_is_said_in_the_singular_and_its_page_kept(archive, capsys):
    before = (archive / "issues" / "0002.md").read_bytes()
    status, out, err = imported(archive, [post(2, html="")], capsys, posts_table=None)
    assert status == 0
    assert "1 re-post of issues already in the book (#2) left as they are\n" in out
    assert (archive / "issues" / "0002.md").read_bytes() == before
    assert err == ""  # listed without its body: nothing compared, nothing said


def test_a_re_post_that_cannot_be_read_is_said_and_its_page_kept(archive, capsys):
    before = (archive / "issues" / "0002.md").read_bytes()
    chrome = '<div class="subscription-widget-wrap-editor"><p>Subscribe</p></div>'
    posts = [post(2, html=chrome), post(3, html="")]
    status, out, err = imported(archive, posts, capsys, posts_table=None)
    assert status == 0
    page2 = archive / "issues" / "0002.md"
    assert err == (
        f"posts/weekly-kaggle-news-2.html: line 1: the post holds nothing but Substack "
        f"chrome; its links are not compared with {page2}\n"
    )
    assert "2 re-posts of issues already in the book (#2–#3) left as they are\n" in out
    assert page2.read_bytes() == before


def test_a_re_post_holding_only_the_page_s_links_says_nothing(archive, capsys):
    html = '<h3><a href="https://example.com/articles/one?id=7&amp;lang=ja">One</a></h3>'
    status, out, err = imported(archive, [post(2, html=html)], capsys, posts_table=None)
    assert status == 0 and err == ""
    assert "1 re-post of issues" in out


def test_no_re_post_no_word_of_them(archive, capsys):
    _, out, _ = imported(archive, [post(4)], capsys)
    assert "re-post" not in out


# -- import-feed's only new posts ----------------------------------------------------------


def test_only_new_posts_leave_every_page_that_exists_unless_forced(archive, capsys):
    imported(archive, [post(4)], capsys)
    path = archive / "issues" / "0004.md"
    path.write_text(path.read_text("utf-8").replace("Comment 4.", "Edited."), "utf-8")
    again = [post(4, html=BODY.format(n=4) + "<p>More.</p>"), post(5)]
    status, out, _ = imported(archive, again, capsys, only_new=True)
    assert status == 0
    assert "Edited." in path.read_text("utf-8")
    assert "issues: 1 written" in out and "posts: 1 already in the archive (left alone)" in out
    status, out, _ = imported(archive, again, capsys, only_new=True, force=True)
    assert "More." in path.read_text("utf-8") and "Edited." not in path.read_text("utf-8")
    assert "posts: 0 already in the archive" in out


# -- year pages ----------------------------------------------------------------------------


def test_a_new_year_gets_its_page_once(archive, capsys):
    _, _, err = imported(archive, [post(4)], capsys)
    year = archive / "years" / "2023.md"
    assert f"{year}: new year page\n" in err
    assert year.read_text("utf-8") == "# 2023年\n\n:::{issue-list}\n:year: 2023\n:::\n"
    year.write_text("# 2023年（編集）\n", "utf-8")
    _, _, err = imported(archive, [post(5)], capsys)
    assert year.read_text("utf-8") == "# 2023年（編集）\n"
    assert "new year page" not in err


def test_a_year_page_is_made_only_for_a_page_written(archive, capsys):
    imported(archive, [post(4)], capsys)
    year = archive / "years" / "2023.md"
    year.unlink()
    _, out, _ = imported(archive, [post(4)], capsys)
    assert "0 written, 1 unchanged" in out
    assert not year.exists()
    # Nor where the year pages do not live.
    shutil.rmtree(archive / "years")
    imported(archive, [post(5)], capsys)
    assert not (archive / "years").exists()


# -- the records ---------------------------------------------------------------------------


def test_the_posts_table_records_every_numbered_post_with_a_slug(archive, capsys):
    posts = [post(2, html=""), post(4), post(5, slug=""), post(None)]
    _, _, err = imported(archive, posts, capsys)
    table = archive / "issues" / "substack" / "posts.json"
    assert json.loads(table.read_text("utf-8"))["posts"] == {
        "weekly-kaggle-news-2": 2,
        "weekly-kaggle-news-4": 4,
    }
    assert f"{table}: the posts' addresses recorded\n" in err
    _, _, err = imported(archive, posts, capsys)
    assert "addresses recorded" not in err


def test_a_posts_table_that_cannot_be_read_is_a_problem_and_kept(archive, capsys):
    table = archive / "issues" / "substack" / "posts.json"
    table.parent.mkdir(parents=True)
    table.write_text("{not json", "utf-8")
    status, out, err = imported(archive, [post(4)], capsys)
    assert status == 1
    assert f"{table}: cannot be read: " in err and "; not updated\n" in err
    assert table.read_text("utf-8") == "{not json"
    assert "issues: 1 written" in out


def test_no_posts_table_when_told_none_or_nothing_is_numbered(archive, capsys):
    table = archive / "issues" / "substack" / "posts.json"
    imported(archive, [post(4)], capsys, posts_table=None)
    assert not table.exists()
    imported(archive, [post(None)], capsys)
    assert not table.exists()


def test_the_record_of_the_import(archive, capsys):
    imported(archive, [post(4)], capsys)
    record = json.loads((archive / "issues" / MANIFEST).read_text("utf-8"))
    assert record["pages"]["0004.md"]["source"] == "94.weekly-kaggle-news-4"
    assert SUBSTACK_IMPORTS in record["about"]


# -- what is said --------------------------------------------------------------------------


def test_the_summary_names_what_was_not_imported_and_paid_posts_only_when_there_are(
    archive, capsys
):
    made = importer(archive)
    made.report.outcomes.update(draft=2, other=3)
    capsys.readouterr()
    assert made.run([post(4)], progress="test") == 0
    out = capsys.readouterr().out
    assert out.endswith(
        "posts: 0 already in the archive (left alone), 0 without an issue number, 2 drafts, "
        "3 not newsletter posts\n"
    )
    made = importer(archive)
    made.report.outcomes.update(paid=1)
    made.run([], progress="test")
    assert ", 0 not newsletter posts, 1 paid-only (not public)\n" in capsys.readouterr().out


def test_notices_come_before_problems(archive, capsys):
    status, _, err = imported(archive, [post(None), post(5, html="  ")], capsys)
    assert status == 1
    lines = err.splitlines()
    assert lines[0].startswith("posts/about.html: no issue number")
    assert lines[-1] == "posts/weekly-kaggle-news-5.html:1: the post has no content"


# -- the command line ----------------------------------------------------------------------


def command(archive: Path, *args: str) -> list[str]:
    out = ["--out", str(archive / "issues"), "--years-dir", str(archive / "years")]
    return ["import-substack", str(archive / "no-export"), *out, *args]


def test_a_malformed_number_option_stops_before_anything_is_read(archive, capsys):
    assert main(command(archive, "--no-tags", "--number", "about")) == 1
    shown = capsys.readouterr()
    assert shown.err == ("error: --number 'about': expected POST=N, e.g. 101006.year-end=162\n")
    assert shown.out == ""


def test_a_vocabulary_that_cannot_be_read_stops_the_import(archive, tmp_path, capsys):
    vocabulary = tmp_path / "tags.toml"
    vocabulary.write_text("[[tag]]\nslug = 1\n", "utf-8")
    assert main(command(archive, "--vocabulary", str(vocabulary))) == 1
    shown = capsys.readouterr()
    assert shown.err.startswith(f"{vocabulary}:")
    assert shown.err.endswith(" (--no-tags imports without tags)\n")
    assert shown.out == ""


def test_a_source_that_cannot_be_read_is_named(archive, capsys):
    import argparse

    def unreadable(_: Importer) -> list[Post]:
        raise SourceError("not a zip file")

    args = argparse.Namespace(
        out=archive / "issues",
        years_dir=archive / "years",
        manifest=None,
        force=False,
        number=[],
        no_tags=True,
        vocabulary=archive / "tags.toml",
    )
    assert run_import(args, unreadable, source="export.zip", progress="test") == 1
    shown = capsys.readouterr()
    assert shown.err == "export.zip: not a zip file\n" and shown.out == ""


def test_the_importer_of_the_options(archive):
    import argparse

    args = argparse.Namespace(
        out=archive / "issues",
        years_dir=archive / "years",
        manifest=None,
        force=True,
        number=["90.about=5"],
        no_tags=False,
        vocabulary=archive / "tags.toml",
    )
    made = Importer.from_args(args, manifest=MANIFEST)
    assert made is not None
    assert (made.out, made.years_dir, made.force, made.numbers) == (
        archive / "issues",
        archive / "years",
        True,
        {"90.about": 5},
    )
    assert made.manifest.path == archive / "issues" / MANIFEST
    assert made.manifest.imports == SUBSTACK_IMPORTS
    assert made.posts_table == archive / "issues" / "substack" / "posts.json"
    assert made.tagger is not None and made.only_new is False
    args.manifest = archive / "elsewhere.json"
    args.no_tags = True
    made = Importer.from_args(args, manifest=MANIFEST)
    assert made is not None and made.tagger is None
    assert made.manifest.path == archive / "elsewhere.json"


# -- progress ------------------------------------------------------------------------------


def test_progress_is_shown_on_a_terminal_only(archive, capsys, monkeypatch):
    """On a terminal (a pseudo-terminal here) the import shows a progress bar of issues on
    stderr, named as the command names it; elsewhere, nothing."""
    _, _, err = imported(archive, [post(4)], capsys)
    assert "import-test" not in err and "issue/s" not in err
    shown = on_a_terminal(
        monkeypatch, lambda: importer(archive).run([post(5), post(6)], progress="import-test")
    )
    assert "import-test" in shown and "2/2" in shown and "issue/s" in shown
    assert "import-test" not in capsys.readouterr().out


# -- the options both Substack imports have ------------------------------------------------


@pytest.mark.parametrize("name", ["import-substack", "import-feed"])
def test_the_substack_imports_options(archive, name, capsys):
    with pytest.raises(SystemExit):
        main([name, "--help"])
    # Lines joined (argparse breaks them after a hyphen too).
    shown = " ".join(re.sub(r"-\n\s*", "-", capsys.readouterr().out).split())
    assert "--years-dir YEARS_DIR" in shown and "--number POST=N" in shown
    # --force's help says which pages it never overwrites; no value is left unnamed.
    assert "a Revue issue re-posted on Substack keeps the page it has" in shown
    assert "None" not in shown


def test_the_substack_imports_defaults(archive, tmp_path, monkeypatch, capsys):
    """Without --years-dir, a new year's page goes to docs/years (where the book has
    them); --number may be given again and again."""
    (tmp_path / "docs" / "years").mkdir(parents=True)
    shutil.copytree(archive / "issues", tmp_path / "issues")
    monkeypatch.chdir(tmp_path)
    export = Path(__file__).resolve().parent / "substack_fixtures" / "export"
    numbers = ["--number", "101006.year-end-special=162", "--number", "101005.about=159"]
    status = main(["import-substack", str(export), "--no-tags", *numbers])
    assert status == 1  # the poll of #160 kept as text
    assert (tmp_path / "docs" / "years" / "2023.md").is_file()
    assert (tmp_path / "issues" / "0162.md").is_file()
    assert not (tmp_path / "issues" / "0159.md").exists()  # a page, not a newsletter post
    capsys.readouterr()


def test_a_follows_on_the_first_page_is_left_to_check(archive, capsys):
    """No issue comes before the first page: there is nothing to correct its follows: to
    (it was written "follows: None")."""
    shutil.move(archive / "issues" / "0001.md", archive / "0001.md")
    first = archive / "issues" / "0002.md"
    first.write_text(first.read_text("utf-8").replace("issue: 2\n", "issue: 2\nfollows: 1\n"))
    before = first.read_bytes()
    status, _, err = imported(archive, [post(12)], capsys)
    assert status == 0
    assert first.read_bytes() == before
    assert "follows:" not in err
    assert "\nfollows: 3\n" in page(archive, 12)


def test_a_lost_record_is_written_again_from_pages_as_the_import_writes_them(archive, capsys):
    imported(archive, [post(4)], capsys)
    record = archive / "issues" / MANIFEST
    kept = record.read_bytes()
    record.unlink()
    status, out, _ = imported(archive, [post(4)], capsys)
    assert status == 0 and "0 written, 1 unchanged" in out
    assert record.read_bytes() == kept


def test_a_page_the_import_wrote_is_never_a_re_post(archive, capsys):
    """Whatever its source says now: a page in the record is the import's, and one edited
    by hand since is left alone as such."""
    imported(archive, [post(4)], capsys)
    path = archive / "issues" / "0004.md"
    revue = "https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-4-1"
    path.write_text(
        path.read_text("utf-8").replace("https://news.example.jp/p/weekly-kaggle-news-4", revue)
    )
    status, out, err = imported(archive, [post(4)], capsys)
    assert status == 1
    assert f"{path}:1: edited by hand since the import of 94.weekly-kaggle-news-4; left" in err
    assert "re-post" not in out + err


# -- each post counted once ----------------------------------------------------------------


def test_each_post_left_out_is_counted(archive, capsys):
    imported(archive, [post(2), post(3)], capsys)  # re-posts: the pages are the book's
    imported(archive, [post(4), post(5)], capsys)
    posts = [
        post(None),
        post(None, key="91.other", where="posts/other.html"),
        post(4, where="posts/a.html"),
        post(5, where="posts/b.html"),
        post(6, html=" "),
        post(7, html=" "),
        post(8),
    ]
    status, out, err = imported(archive, posts, capsys, only_new=True)
    assert status == 1
    assert "issues: 1 written, 0 unchanged, 0 skipped (edited by hand), 0 kept" in out
    assert "content), 2 not imported" in out
    assert "posts: 2 already in the archive (left alone), 2 without an issue number" in out
    assert (archive / "issues" / "0008.md").exists()
    duplicates = [post(9), post(9, where="posts/c.html"), post(9, where="posts/d.html"), post(10)]
    status, out, err = imported(archive, duplicates, capsys)
    assert "issues: 2 written" in out and "content), 2 not imported" in out
    assert "posts/d.html:1: issue #9 is also imported from posts/weekly-kaggle-news-9.html" in err
    assert (archive / "issues" / "0010.md").exists()  # the posts after a duplicate too


def test_slugs_end_where_only_slashes_end(archive):
    from newsarchive.commands.substack.importer import slug_of

    assert slug_of("https://news.example.jp/p/LAST-X") == "LAST-X"
    assert slug_of("https://news.example.jp/p/a/b/") == "b"


# -- what the command line reads -----------------------------------------------------------


def test_a_record_that_cannot_be_read_protects_every_page(archive, capsys):
    imported(archive, [post(4)], capsys)
    record = archive / "issues" / MANIFEST
    record.write_text("{broken", "utf-8")
    export = Path(__file__).resolve().parent / "substack_fixtures" / "export"
    args = ["--out", str(archive / "issues"), "--years-dir", str(archive / "years")]
    capsys.readouterr()
    status = main(["import-substack", str(export), *args, "--no-tags"])
    shown = capsys.readouterr()
    assert status == 1
    assert f"{record}:1: unreadable manifest (" in shown.err
    assert "every existing page is treated as edited by hand" in shown.err


def test_no_vocabulary_is_said_and_cards_have_no_tags(archive, tmp_path, capsys):
    export = Path(__file__).resolve().parent / "substack_fixtures" / "export"
    missing = tmp_path / "none.toml"
    args = ["--out", str(archive / "issues"), "--years-dir", str(archive / "years")]
    main(["import-substack", str(export), *args, "--vocabulary", str(missing)])
    err = capsys.readouterr().err
    assert f"note: {missing}: no tag vocabulary; cards are written without :tags:\n" in err
    assert ":tags:" not in page(archive, 160)


def test_the_command_s_progress_is_named_after_it(archive, capsys, monkeypatch):
    export = Path(__file__).resolve().parent / "substack_fixtures" / "export"
    args = ["--out", str(archive / "issues"), "--years-dir", str(archive / "years")]
    shown = on_a_terminal(
        monkeypatch, lambda: main(["import-substack", str(export), *args, "--no-tags"])
    )
    assert "import-substack: 100%" in shown and "3/3" in shown


# -- a corrected follows: recorded ---------------------------------------------------------


def test_a_page_whose_follows_the_import_corrected_stays_the_import_s(archive, capsys):
    """Recorded with its corrected bytes: when its post changes, the page is written again,
    not taken for one edited by hand."""
    imported(archive, [post(9)], capsys)
    imported(archive, [post(5)], capsys)
    path = archive / "issues" / "0009.md"
    assert "\nfollows: 5\n" in path.read_text("utf-8")
    record = json.loads((archive / "issues" / MANIFEST).read_text("utf-8"))
    assert record["pages"]["0009.md"]["source"] == "follows"  # what wrote it last
    changed = post(9, html=BODY.format(n=9) + "<p>Added.</p>")
    status, out, err = imported(archive, [changed], capsys)
    assert status == 0, err
    assert "issues: 1 written" in out
    assert "Added." in path.read_text("utf-8")


def test_every_re_post_is_found_whatever_comes_before_it(archive, capsys):
    """A new issue before a re-post, and a re-post listed without its body before one whose
    links the page lacks: each is taken for what it is."""
    shutil.move(archive / "issues" / "0001.md", archive / "0001.md")
    posts = [post(1), post(2, html=""), post(3, html=BODY.format(n="only-in-the-re-post"))]
    status, out, err = imported(archive, posts, capsys, posts_table=None)
    assert status == 0, err
    assert "2 re-posts of issues already in the book (#2–#3) left as they are\n" in out
    assert "issues: 1 written, 0 unchanged, 0 skipped" in out
    assert (
        f"{archive / 'issues' / '0003.md'}:1: the Substack re-post (93.weekly-kaggle-news-3) "
        "has 1 link this page lacks: https://example.com/only-in-the-re-post; "
    ) in err
