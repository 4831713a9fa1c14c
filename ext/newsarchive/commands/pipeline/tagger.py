"""Each imported card's tags, suggested from the tag vocabulary (``docs/tags.toml``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from newsarchive.commands.pipeline.model import Card, Issue, blocks_text
from newsarchive.commands.pipeline.placement import Report

Tagger = Callable[[Card], list[str]]


def load_tagger(vocabulary_path: Path, report: Report) -> Tagger | None:
    """``suggest_tags`` bound to the vocabulary, or None when there is no vocabulary."""
    from newsarchive.core.tagging import suggest_tags
    from newsarchive.core.vocabulary import Vocabulary

    if not vocabulary_path.is_file():
        report.notices.append(
            f"note: {vocabulary_path}: no tag vocabulary; cards are written without :tags:"
        )
        return None
    vocabulary = Vocabulary.load(vocabulary_path)

    def tagger(card: Card) -> list[str]:
        return suggest_tags(
            url=card.url,
            title=card.title,
            # Rules read the URL's host; the site only when the URL has none.
            site=card.site,
            excerpt=card.excerpt,
            commentary=blocks_text(card.commentary),
            vocabulary=vocabulary,
        )

    return tagger


def with_tags(issue: Issue, tagger: Tagger) -> Issue:
    items = tuple(
        dataclasses.replace(item, tags=tuple(tagger(item))) if isinstance(item, Card) else item
        for item in issue.items
    )
    return dataclasses.replace(issue, items=items)
