"""Text of a read page for people: its intro as one line (descriptions, feeds)."""

from __future__ import annotations

from docutils import nodes

from newsarchive.sphinxext.nodes import link_card


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
