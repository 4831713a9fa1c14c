"""Where an imported page goes (``commands/pipeline/placement.py``): the rules every
importer shares, checked on the module itself: what a write would remove, the manifest
as written, and the import's summary."""

from __future__ import annotations

import datetime as dt
import json

from newsarchive.commands.pipeline.model import (
    Card,
    Figure,
    Header,
    Issue,
    Paragraph,
    Prose,
    Text,
    Unmapped,
)
from newsarchive.commands.pipeline.placement import (
    MANIFEST_ABOUT,
    Manifest,
    Report,
    losses,
    open_manifest,
)

CARD = ":::{link} https://e.com/1\n:title: t\n:::\n"


# -- what a write would remove ------------------------------------------------------------
def test_a_thematic_break_hides_no_card_above_it():
    """The body alone starts with text and holds a ``---`` line: it must not be read as
    front matter, or the cards above the break are not compared."""
    old = f"---\nissue: 1\n---\n# T\n\n{CARD}\n---\n\nAfter.\n".encode()
    new = b"---\nissue: 1\n---\n# T\n\n---\n\nAfter.\n"
    assert losses(old, new)[0] == "1 card(s) (https://e.com/1)"


def test_a_page_without_front_matter_is_compared_whole():
    assert losses(b"# T\n\nSome words.\n", b"# T\n") == [
        "2 word(s) or character(s) of text (from the line 'Some words.')"
    ]


def test_the_first_line_after_an_empty_front_matter_is_text():
    assert losses(b"---\n---\nLost line.\n", b"---\n---\n") == [
        "2 word(s) or character(s) of text (from the line 'Lost line.')"
    ]


def test_a_new_page_that_is_not_utf8_is_compared_without_a_traceback():
    old = b"---\nissue: 1\n---\n# T\n\nword other\n"
    assert losses(old, b"---\nissue: 1\n---\n# T\n\n\x82 word other\n") == []
    assert losses(old, b"---\nissue: 1\n---\n# T\n\n\x82 word\n") == [
        "1 word(s) or character(s) of text (from the line 'word other')"
    ]


# -- the manifest ---------------------------------------------------------------------------
def test_pages_kept_from_an_earlier_manifest_are_written_with_sorted_keys(tmp_path):
    """A page the import does not write again keeps its entry, in the same order of keys
    as every other, so the file diffs well whoever wrote it."""
    path = tmp_path / "imported.json"
    path.write_text(
        json.dumps({"pages": {"0002.md": {"source": "b.md", "sha256": "22"}}}), encoding="utf-8"
    )
    manifest = Manifest.load(path)
    manifest.record("0001.md", b"page one", "a.md")
    manifest.save()
    text = path.read_text(encoding="utf-8")
    assert text.index('"about"') < text.index('"pages"')
    assert text.index('"0001.md"') < text.index('"0002.md"')
    kept = text[text.index('"0002.md"') :]
    assert kept.index('"sha256": "22"') < kept.index('"source": "b.md"')


def test_an_unreadable_manifest_is_replaced_by_one_of_the_same_imports(tmp_path):
    path = tmp_path / "imported.json"
    path.write_text("{not json", encoding="utf-8")
    report = Report()
    imports = "`newsarchive import-x`"
    manifest = open_manifest(path, report, imports)
    assert (manifest.pages, manifest.imports) == ({}, imports)
    assert report.problems[0].startswith(f"{path}:1: unreadable manifest (")
    manifest.save()
    about = json.loads(path.read_text(encoding="utf-8"))["about"]
    assert about == MANIFEST_ABOUT.format(imports=imports)


# -- the summary ------------------------------------------------------------------------------
def test_every_item_is_counted_and_the_summary_is_three_lines():
    text = (Paragraph((Text("x"),)),)
    issue = Issue(
        number=1,
        date=dt.date(2020, 1, 1),
        title="T",
        source="https://e.com/",
        items=(
            Header(1, (Text("H"),)),
            Header(2, (Text("H"),)),
            Figure(3, "https://e.com/a.png"),
            Figure(4, "https://e.com/b.png"),
            Prose(5, text),
            Prose(6, text),
            Unmapped(7, text, "why"),
            Unmapped(8, text, "why"),
            Card("link", 9, "https://e.com/1", "t", commentary=text),
            Card("link", 10, "https://e.com/2", "t"),
            Card("video", 11, "https://e.com/3", "t", commentary=text),
            Card("tweet", 12, "https://e.com/4", "t"),
        ),
    )
    report = Report()
    report.count_items(issue)
    report.count_items(issue)
    report.outcomes.update(written=2, unchanged=3, skipped=4, kept=5, failed=6)
    assert report.summary() == (
        "issues: 2 written, 3 unchanged, 4 skipped (edited by hand), 5 kept (would lose "
        "content), 6 not imported\n"
        "cards: 4 links, 2 videos, 2 tweets; 4 with commentary (2 of the links)\n"
        "other items: 4 headers, 4 images, 4 text blocks, 4 kept as plain text"
    )
