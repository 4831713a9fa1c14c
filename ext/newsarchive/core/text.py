"""Plain text for people: Japanese dates, and a page's intro as one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from newsarchive.nodes import link_card

if TYPE_CHECKING:
    import datetime as dt

WEEKDAYS = "月火水木金土日"


def japanese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def intro_text(doctree: nodes.document, limit: int = 300) -> str:
    """The issue's intro prose (before the first card), for descriptions."""
    words: list[str] = []
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(parent, link_card) for parent in _ancestors(paragraph)):
            continue
        words.append(" ".join(paragraph.astext().split()))
        if sum(map(len, words)) > limit:
            break
    text = " ".join(words)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found
