"""What an issue holds, independent of where it was published (Revue, Substack) and of MyST.

The readers (``revue.parse``, ``substack.body``) build these values; ``emit`` writes them
as a MyST page. Rich text (intro, commentary, captions) is a small tree of blocks and
inlines, so that neither side needs to know the other's markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

# Inline content ------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Hyperlink:
    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class InlineImage:
    url: str
    alt: str


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class FootnoteRef:
    """A reference to the footnote ``label`` (defined in :attr:`Issue.footnotes`)."""

    label: str


Inline = Text | Strong | Emphasis | Code | Hyperlink | InlineImage | LineBreak | FootnoteRef

# Blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class Quote:
    children: tuple[Block, ...]


@dataclass(frozen=True)
class CodeBlock:
    text: str


Block = Paragraph | Heading | ListBlock | Quote | CodeBlock

# Items of an issue -------------------------------------------------------------------------

CardKind = Literal["link", "video", "tweet"]


@dataclass(frozen=True)
class Card:
    """A curated link (or a video or tweet shown as one) and the editor's commentary."""

    kind: CardKind
    line: int
    url: str
    title: str
    image: str = ""
    site: str = ""
    excerpt: str = ""
    commentary: tuple[Block, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Header:
    """A section heading between cards."""

    line: int
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Figure:
    """An image item with its caption."""

    line: int
    image: str
    alt: str = ""
    caption: tuple[Inline, ...] = ()
    #: where the image links (the full-size image, or a page)
    target: str = ""


@dataclass(frozen=True)
class Prose:
    """A text item that does not follow a card."""

    line: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Unmapped:
    """Content of an unknown shape, kept as plain paragraphs."""

    line: int
    blocks: tuple[Block, ...]
    reason: str
    origin: str = "Revue"


Item = Card | Header | Figure | Prose | Unmapped


@dataclass(frozen=True)
class Note:
    """Something the importer kept but could not map exactly, with its source line."""

    line: int
    message: str


@dataclass(frozen=True)
class Footnote:
    """A footnote's text, written at the end of the page."""

    label: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Issue:
    number: int
    date: dt.date
    title: str
    source: str
    intro: tuple[Block, ...] = ()
    items: tuple[Item, ...] = ()
    notes: tuple[Note, ...] = field(default=(), compare=False)
    footnotes: tuple[Footnote, ...] = ()
    #: the issue before this one in the archive, when numbers jump (``follows:``)
    follows: int | None = None

    @property
    def cards(self) -> list[Card]:
        return [item for item in self.items if isinstance(item, Card)]


# Plain text (for tagging and tests) -----------------------------------------------------------


def inline_text(children: tuple[Inline, ...]) -> str:
    parts: list[str] = []
    for child in children:
        if isinstance(child, Text | Code):
            parts.append(child.text)
        elif isinstance(child, Strong | Emphasis | Hyperlink):
            parts.append(inline_text(child.children))
        elif isinstance(child, InlineImage):
            parts.append(child.alt)
        elif isinstance(child, FootnoteRef):
            continue
        else:
            parts.append("\n")
    return "".join(parts)


def blocks_text(blocks: tuple[Block, ...]) -> str:
    """The words of ``blocks``, one paragraph a line."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            lines.append(inline_text(block.children))
        elif isinstance(block, ListBlock):
            lines.extend(blocks_text(item) for item in block.items)
        elif isinstance(block, Quote):
            lines.append(blocks_text(block.children))
        else:
            lines.append(block.text)
    return "\n".join(lines)
