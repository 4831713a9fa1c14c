"""The importers' tagger (``commands/pipeline/tagger.py``): each card an import writes gets
the tags its vocabulary's rules give, from every part of the card; other items are left
as they are; without a vocabulary, a note and no tags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from newsarchive.commands.pipeline.model import (
    Card,
    CodeBlock,
    Header,
    Issue,
    ListBlock,
    Paragraph,
    Prose,
    Quote,
    Text,
)
from newsarchive.commands.pipeline.placement import Report
from newsarchive.commands.pipeline.tagger import load_tagger, with_tags
from newsarchive.core.vocabulary import VocabularyError

#: One tag for each part of a card a rule can read.
VOCABULARY = """\
[[tag]]
slug = "paper"
ja = "論文"
en = "Papers"
sites = ["arxiv.org"]

[[tag]]
slug = "kaggle"
ja = "Kaggle"
en = "Kaggle"
title_keywords = ["Kaggle"]

[[tag]]
slug = "gbdt"
ja = "勾配ブースティング"
en = "GBDT"
keywords = ["LightGBM"]

[[tag]]
slug = "video"
ja = "動画"
en = "Videos"
keywords = ["動画"]

[[tag]]
slug = "llm"
ja = "大規模言語モデル"
en = "LLM"
keywords = ["GPT"]
"""


@pytest.fixture
def tagger(tmp_path: Path):
    path = tmp_path / "tags.toml"
    path.write_text(VOCABULARY, "utf-8")
    report = Report()
    loaded = load_tagger(path, report)
    assert loaded is not None
    assert report.notices == [] and report.problems == []
    return loaded


def card(url: str = "https://example.com/a", **fields: Any) -> Card:
    return Card(**{"kind": "link", "line": 1, "url": url, "title": "A page", **fields})


def test_each_part_of_a_card_is_read(tagger):
    assert tagger(card("https://arxiv.org/abs/2301.00001")) == ["paper"]
    assert tagger(card(title="Kaggle の新コンペ")) == ["kaggle"]
    assert tagger(card(excerpt="A LightGBM tutorial")) == ["gbdt"]
    commentary = (Paragraph((Text("解説"),)), Paragraph((Text("動画です"),)))
    assert tagger(card(commentary=commentary)) == ["video"]
    # Commentary in lists and quotes is read too.
    nested = (ListBlock(False, ((Paragraph((Text("GPT"),)),),)), Quote((Paragraph(()),)))
    assert tagger(card(commentary=nested)) == ["llm"]
    # A title keyword reads the title only; a keyword reads title, excerpt and commentary.
    assert tagger(card(excerpt="Kaggle")) == []
    assert tagger(card(title="LightGBM と GPT の動画")) == ["gbdt", "video", "llm"]


def test_a_card_s_site_is_its_name_and_its_url_decides(tagger):
    """The site shown (a name such as "arXiv") is not the host a site rule reads: the URL's
    host is, whatever the card's site says; the site only for a URL without host."""
    assert tagger(card("https://arxiv.org/abs/1", site="arXiv")) == ["paper"]
    assert tagger(card("https://example.com/a", site="arxiv.org")) == []
    assert tagger(card("https://export.arxiv.org/abs/1", site="")) == ["paper"]
    # A link without a host (kept as the post wrote it) is known by its site alone.
    assert tagger(card("/abs/1", site="arxiv.org")) == ["paper"]
    assert tagger(card("/abs/1")) == []


def test_every_card_of_an_issue_is_tagged_and_nothing_else_changes(tagger):
    items = (
        Header(1, (Text("News"),)),
        card("https://arxiv.org/abs/1", tags=("old",)),
        Prose(2, (Paragraph((Text("Kaggle LightGBM"),)),)),
        card("https://example.com/b", title="Kaggle", kind="video"),
        card("https://example.com/c", commentary=(CodeBlock("GPT"),)),
        card("https://example.com/d", tags=("kept-nowhere",)),
    )
    issue = Issue(1, dt.date(2023, 1, 6), "Weekly Kaggle News #1", "https://x.test/p/1", (), items)
    tagged = with_tags(issue, tagger)
    assert [getattr(item, "tags", None) for item in tagged.items] == [
        None,
        ("paper",),  # the tags suggested, not those the card had
        None,
        ("kaggle",),
        ("llm",),
        (),
    ]
    assert tagged.items[0] == items[0] and tagged.items[2] == items[2]
    assert tagged.items[3] == Card(
        kind="video", line=1, url="https://example.com/b", title="Kaggle", tags=("kaggle",)
    )
    assert tagged == Issue(1, issue.date, issue.title, issue.source, (), tagged.items)
    assert issue.items == items  # the issue given is not changed


def test_no_vocabulary_is_a_note_and_no_tagger(tmp_path):
    report = Report()
    missing = tmp_path / "docs" / "tags.toml"
    assert load_tagger(missing, report) is None
    assert report.notices == [
        f"note: {missing}: no tag vocabulary; cards are written without :tags:"
    ]
    assert report.problems == []
    # A folder is no vocabulary either.
    missing.mkdir(parents=True)
    assert load_tagger(missing, Report()) is None


def test_a_broken_vocabulary_is_an_error(tmp_path):
    path = tmp_path / "tags.toml"
    path.write_text('[[tag]]\nslug = "Not A Slug"\n', "utf-8")
    with pytest.raises(VocabularyError):
        load_tagger(path, Report())
