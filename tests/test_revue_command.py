"""``newsarchive import-revue``: pages, manifest, reruns, hand edits and bad input."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from newsarchive.commands.cli import main
from newsarchive.commands.pipeline.placement import losses

FIXTURES = Path(__file__).resolve().parent / "revue_fixtures"
GOOD = FIXTURES / "good"
PAGES = ["0018.md", "0040.md", "0051.md"]


def run(*args: str | Path) -> int:
    return main(["import-revue", *map(str, args)])


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "issues"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A copy of the good fixtures that a test may change."""
    directory = tmp_path / "revue-src"
    shutil.copytree(GOOD, directory)
    return directory


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_imports_a_directory(out, capsys):
    assert run("--out", out, "--no-tags", GOOD) == 0
    assert sorted(p.name for p in out.glob("*.md")) == PAGES
    page = (out / "0018.md").read_text(encoding="utf-8")
    assert page.startswith("---\nissue: 18\ndate: 2020-04-17\n")
    assert ":::{link} https://www.youtube.com/watch?v=6a6L_9USZxg&feature=youtu.be\n" in page
    assert ":::{link} https://arxiv.org/abs/2004.04938\n" in page
    assert 'title: "Weekly Kaggle Issue #40"' in (out / "0040.md").read_text(encoding="utf-8")
    manifest = json.loads((out / "revue" / "imported.json").read_text(encoding="utf-8"))
    assert sorted(manifest["pages"]) == PAGES
    assert manifest["pages"]["0040.md"]["source"] == "2020-09-18_Weekly Kaggle Issue #40.md"
    captured = capsys.readouterr()
    assert "issues: 3 written, 0 unchanged, 0 skipped" in captured.out
    assert "cards: 4 links, 0 videos, 0 tweets; 3 with commentary (3 of the links)" in captured.out
    assert captured.err == ""


def test_every_item_type_is_counted(out, capsys):
    assert run("--out", out, "--no-tags", FIXTURES / "shapes") == 0
    summary = capsys.readouterr().out
    assert "cards: 2 links, 1 videos, 1 tweets; 4 with commentary (2 of the links)" in summary
    assert "other items: 1 headers, 1 images, 1 text blocks, 0 kept as plain text" in summary


def test_same_input_gives_the_same_bytes(out, capsys):
    assert run("--out", out, "--no-tags", GOOD) == 0
    first = snapshot(out)
    assert run("--out", out, "--no-tags", *sorted(GOOD.iterdir())) == 0
    assert snapshot(out) == first
    assert "issues: 0 written, 3 unchanged, 0 skipped" in capsys.readouterr().out.splitlines()[-3]


def test_a_page_edited_by_hand_is_left_alone_unless_forced(out, capsys):
    assert run("--out", out, "--no-tags", GOOD) == 0
    page = out / "0040.md"
    edited = page.read_text(encoding="utf-8").replace("PyTorch", "PyTorch (edited)")
    page.write_text(edited, encoding="utf-8")
    capsys.readouterr()

    assert run("--out", out, "--no-tags", GOOD) == 1
    captured = capsys.readouterr()
    assert page.read_text(encoding="utf-8") == edited
    assert f"{page}:1: edited by hand" in captured.err and "--force" in captured.err
    assert "issues: 0 written, 2 unchanged, 1 skipped" in captured.out

    assert run("--out", out, "--no-tags", "--force", GOOD) == 0
    assert "(edited)" not in page.read_text(encoding="utf-8")
    assert run("--out", out, "--no-tags", GOOD) == 0  # the manifest knows the new page


def test_a_page_the_import_did_not_write_is_left_alone(out, capsys):
    out.mkdir()
    (out / "0018.md").write_text("# Written by the editor\n", encoding="utf-8")
    assert run("--out", out, "--no-tags", GOOD) == 1
    assert (out / "0018.md").read_text(encoding="utf-8") == "# Written by the editor\n"
    assert "0018.md:1: not written by the import" in capsys.readouterr().err


def test_its_own_page_is_updated_when_the_export_changes(out, sources):
    assert run("--out", out, "--no-tags", sources) == 0
    export = sources / "2020-09-18_Weekly Kaggle Issue #40.md"
    export.write_text(
        export.read_text(encoding="utf-8").replace("距離学習", "距離学習（更新）"), encoding="utf-8"
    )
    assert run("--out", out, "--no-tags", sources) == 0
    assert "距離学習（更新）" in (out / "0040.md").read_text(encoding="utf-8")


def test_an_unreadable_manifest_protects_every_page(out, capsys):
    assert run("--out", out, "--no-tags", GOOD) == 0
    (out / "revue" / "imported.json").write_text("{not json", encoding="utf-8")
    (out / "0018.md").write_text("changed\n", encoding="utf-8")
    assert run("--out", out, "--no-tags", GOOD) == 1
    err = capsys.readouterr().err
    assert "imported.json:1: unreadable manifest" in err
    assert "0018.md:1: not written by the import" in err
    assert (out / "0018.md").read_text(encoding="utf-8") == "changed\n"
    # Pages identical to what the import writes are recorded again.
    manifest = json.loads((out / "revue" / "imported.json").read_text(encoding="utf-8"))
    assert sorted(manifest["pages"]) == ["0040.md", "0051.md"]


def test_bad_files_are_reported_and_the_others_imported(out, sources, capsys):
    for bad in (FIXTURES / "bad").iterdir():
        shutil.copy(bad, sources)
    latin1 = sources / "2020-01-24_Weekly Kaggle News #6.md"
    latin1.write_bytes(b"# Weekly Kaggle News #6\nhttps://x.org/6\n<p><p>caf\xe9</p></p>\n")

    assert run("--out", out, "--no-tags", sources) == 1
    captured = capsys.readouterr()
    assert sorted(p.name for p in out.glob("*.md")) == PAGES
    assert captured.err.splitlines() == [
        f"{sources}/2020-01-03_Weekly Kaggle News #3.md:1: empty file",
        f"{sources}/2020-01-10_Weekly Kaggle News #4.md:6: "
        "a tag is cut off at the end of the file (truncated file?)",
        f"{sources}/2020-01-17_Weekly Kaggle News #5.md:1: "
        "line 1 must be the title, '# Weekly Kaggle News #N'",
        f"{sources}/2020-01-24_Weekly Kaggle News #6.md:3: not UTF-8 text (byte 0xe9)",
    ]
    assert "4 not imported" in captured.out


def test_unknown_shapes_are_kept_written_and_reported(out, tmp_path, capsys):
    export = tmp_path / "2021-07-02_Weekly Kaggle News #81.md"
    export.write_text(
        "# Weekly Kaggle News #81\nhttps://x.org/81\n<h3><p>Intro</p></h3>\n<hr>\n"
        "<table><tr><td>a cell</td></tr></table>\n",
        encoding="utf-8",
    )
    assert run("--out", out, "--no-tags", export) == 1
    captured = capsys.readouterr()
    assert "% Revue item kept as text" in (out / "0081.md").read_text(encoding="utf-8")
    assert "a cell" in (out / "0081.md").read_text(encoding="utf-8")
    assert f"{export}:5: unknown item <table>; kept as a plain paragraph" in captured.err
    assert "1 kept as plain text" in captured.out


def test_missing_paths_and_duplicate_numbers(out, tmp_path, capsys):
    copy = tmp_path / "2020-04-18_Weekly Kaggle News #18.md"
    shutil.copy(GOOD / "2020-04-17_Weekly Kaggle News #18.md", copy)
    assert run("--out", out, "--no-tags", GOOD, copy, tmp_path / "nowhere") == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nowhere'}: no such file or directory" in err
    assert f"{copy}:1: issue #18 is also imported from {GOOD}" in err
    # The first one named wins; the others after the duplicate are still imported.
    shutil.rmtree(out)
    assert run("--out", out, "--no-tags", copy, GOOD) == 1
    captured = capsys.readouterr()
    first = GOOD / "2020-04-17_Weekly Kaggle News #18.md"
    assert captured.err == f"{first}:1: issue #18 is also imported from {copy}\n"
    assert "1 not imported" in captured.out
    assert sorted(p.name for p in out.glob("*.md")) == PAGES


def test_cards_get_tags_from_the_vocabulary(out, tmp_path):
    vocabulary = tmp_path / "tags.toml"
    vocabulary.write_text(
        '[[tag]]\nslug = "video"\nja = "動画"\nen = "Videos"\nsites = ["youtu.be"]\n',
        encoding="utf-8",
    )
    assert run("--out", out, "--vocabulary", vocabulary, FIXTURES / "shapes") == 0
    page = (out / "0078.md").read_text(encoding="utf-8")
    assert page.count(":tags:") == 1
    assert "/Hpm1Cd7rxSY/hqdefault.jpg\n:tags: video\n" in page
    # --no-tags: the vocabulary is not used.
    run("--out", out, "--vocabulary", vocabulary, "--no-tags", "--force", FIXTURES / "shapes")
    assert ":tags:" not in (out / "0078.md").read_text(encoding="utf-8")


def test_a_broken_vocabulary_stops_the_import(out, tmp_path, capsys):
    vocabulary = tmp_path / "tags.toml"
    vocabulary.write_text("[[tag]\n", encoding="utf-8")
    assert run("--out", out, "--vocabulary", vocabulary, GOOD) == 1
    assert f"{vocabulary}:1: " in capsys.readouterr().err
    assert not out.exists()


def test_no_vocabulary_means_no_tags(out, tmp_path, capsys):
    assert run("--out", out, "--vocabulary", tmp_path / "none.toml", GOOD) == 0
    assert ":tags:" not in (out / "0018.md").read_text(encoding="utf-8")
    assert "no tag vocabulary" in capsys.readouterr().err


def test_help(capsys):
    with pytest.raises(SystemExit) as done:
        run("--help")
    assert done.value.code == 0
    assert "--force" in capsys.readouterr().out


# -- an export cut short never costs a page its content -----------------------------------
REAL_EXPORTS = sorted((Path(__file__).resolve().parents[1] / "issues" / "revue").glob("*.md"))


@pytest.mark.parametrize("export", REAL_EXPORTS[::10], ids=lambda p: p.name.split("_")[0])
def test_an_export_cut_at_any_line_end_never_removes_content(export, tmp_path, capsys):
    out, sources = tmp_path / "issues", tmp_path / "revue"
    sources.mkdir()
    cut = sources / export.name
    shutil.copyfile(export, cut)
    assert run("--out", out, "--no-tags", sources) == 0
    (page,) = out.glob("*.md")
    full = page.read_bytes()
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    refused: list[int] = []
    for end in range(1, len(lines)):
        cut.write_text("".join(lines[:end]), encoding="utf-8")
        capsys.readouterr()
        status = run("--out", out, "--no-tags", sources)
        assert page.read_bytes() == full, f"cut after line {end} changed {page.name}"
        err = capsys.readouterr().err
        if status == 0:
            assert err == ""  # nothing lost: the cut removed nothing the page holds
        elif "would remove" in err:
            refused.append(end)
            assert f"{page}:1: the import of {export.name} would remove " in err
            assert "; left alone (is the export cut short? --force overwrites it)" in err
    assert refused  # cuts between items are recognised by what they would remove
    # --force is how an editor says the shorter page is wanted.
    cut.write_text("".join(lines[: refused[-1]]), encoding="utf-8")
    assert run("--out", out, "--no-tags", "--force", sources) == 0
    assert len(page.read_bytes()) < len(full)


def test_the_importer_itself_keeps_every_tweet_and_video(tmp_path, capsys):
    """The importer's output, not the committed pages: every [tweet URL] and [embed URL]
    of the 159 exports is a card of its issue."""
    import re

    from newsarchive.core.sources import read_page

    out = tmp_path / "issues"
    run("--out", out, "--no-tags", *REAL_EXPORTS)
    capsys.readouterr()
    for kind in ("tweet", "embed"):
        wanted = {}
        for export in REAL_EXPORTS:
            urls = re.findall(rf"\[{kind}\s+([^\]\s]+)\s*\]", export.read_text(encoding="utf-8"))
            number = int(re.search(r"#\s*(\d+)", export.read_text(encoding="utf-8")).group(1))
            if urls:
                wanted[number] = urls
        assert sum(map(len, wanted.values())) == {"tweet": 6, "embed": 36}[kind]
        for number, urls in wanted.items():
            cards = {card.url for card in read_page(out / f"{number:04d}.md").cards}
            for url in urls:
                assert any(url.split("?")[0] in card for card in cards), (number, url)


# -- what an import would remove, as said to the editor ------------------------------------
def page_of(*urls: str, text: str = "") -> bytes:
    cards = "".join(f":::{{link}} {url}\n:title: t\n:::\n\n" for url in urls)
    return f"---\nissue: 1\n---\n# T\n\n{cards}{text}".encode()


def test_losses_name_three_cards_at_most_and_the_first_line_gone():
    four = [f"https://e.com/{n}" for n in range(1, 5)]
    assert losses(page_of(*four), page_of())[0] == (
        "4 card(s) (https://e.com/1, https://e.com/2, https://e.com/3, …)"
    )
    assert losses(page_of(*four[:3]), page_of())[0] == (
        "3 card(s) (https://e.com/1, https://e.com/2, https://e.com/3)"
    )
    # The same URL twice is two cards.
    assert losses(page_of(four[0], four[0]), page_of(four[0])) == [
        "1 card(s) (https://e.com/1)",
        "7 word(s) or character(s) of text (words repeated fewer times)",
    ]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("y" * 60 + "\n", "", f"1 word(s) or character(s) of text (from the line {'y' * 60!r})"),
        ("z" * 61 + "\n", "", f"1 word(s) or character(s) of text (from the line {'z' * 60!r}…)"),
        ("a b\n\nc a\n", "a b c\n", "1 word(s) or character(s) of text (from the line 'a b')"),
        ("語 語\n", "語\n", "1 word(s) or character(s) of text (from the line '語 語')"),
        ("new words only\n", "new words only\nand more\n", None),
    ],
)
def test_losses_of_text(old, new, said):
    assert losses(page_of(text=old), page_of(text=new)) == ([said] if said else [])


def test_a_page_that_is_not_utf8_is_compared_without_a_traceback():
    current = b"---\nissue: 1\n---\n# T\n\n\x82\xa0 word\n"
    assert losses(current, page_of()) == [
        "1 word(s) or character(s) of text (from the line '\ufffd\ufffd word')"
    ]


def test_the_manifest_as_written(tmp_path, capsys):
    """Sorted, indented, names as they are (not escaped), a line end: a file that diffs well."""
    sources, out = tmp_path / "書き出し", tmp_path / "new" / "issues"  # folders made as needed
    sources.mkdir()
    export = sources / "2020-04-17_週刊 Kaggle News #18.md"
    shutil.copy(GOOD / "2020-04-17_Weekly Kaggle News #18.md", export)
    (sources / "2020-01-01_a folder.md").mkdir()  # not an export
    assert run("--out", out, "--no-tags", sources) == 0
    page = (out / "0018.md").read_bytes()
    expected = {
        "about": (
            "Pages written by `newsarchive import-revue`, with the sha256 of what it wrote. "
            "A page whose content differs was edited by hand; the import leaves it alone "
            "unless --force."
        ),
        "pages": {"0018.md": {"sha256": hashlib.sha256(page).hexdigest(), "source": export.name}},
    }
    text = (out / "revue" / "imported.json").read_text(encoding="utf-8")
    assert text == json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert "週刊" in text


@pytest.mark.parametrize(
    ("manifest", "why"), [("[]", "no 'pages' object"), ('{"pages": 1}', "no 'pages' object")]
)
def test_a_manifest_of_another_shape_is_named(out, capsys, manifest, why):
    assert run("--out", out, "--no-tags", GOOD) == 0
    (out / "revue" / "imported.json").write_text(manifest, encoding="utf-8")
    capsys.readouterr()
    assert run("--out", out, "--no-tags", GOOD) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{out / 'revue' / 'imported.json'}:1: unreadable manifest ({why}); "
        "every existing page is treated as edited by hand"
    )


def test_a_folder_without_exports_is_named(tmp_path, capsys):
    assert run("--out", tmp_path / "issues", "--no-tags", tmp_path) == 1
    assert capsys.readouterr().err == (
        f"{tmp_path}: no Revue exports (YYYY-MM-DD_<title>.md) here\n"
    )


def test_a_cut_export_is_refused_in_the_words_of_an_export(sources, out, capsys):
    export = sources / "2020-04-17_Weekly Kaggle News #18.md"
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    assert run("--out", out, "--no-tags", sources) == 0
    page = out / "0018.md"
    full = page.read_bytes()
    for end in range(len(lines) - 1, 2, -1):  # the longest cut that loses something
        export.write_text("".join(lines[:end]), encoding="utf-8")
        capsys.readouterr()
        if run("--out", out, "--no-tags", sources) == 1:
            break
    err = capsys.readouterr().err
    assert f"{page}:1: the import of {export.name} would remove " in err
    assert "; left alone (is the export cut short? --force overwrites it)\n" in err
    assert page.read_bytes() == full


def test_front_matter_fields_are_the_import_s_to_set():
    before = b"---\nissue: 163\nfollows: 161\ndate: 2023-01-27\n---\n# T\n\nText.\n"
    after = b"---\nissue: 163\ndate: 2023-01-28\n---\n# T\n\nText.\n"
    assert losses(before, after) == []
    assert losses(before, after.replace(b"Text.", b"")) == [
        "1 word(s) or character(s) of text (from the line 'Text.')"
    ]
