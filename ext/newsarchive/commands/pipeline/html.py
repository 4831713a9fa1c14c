"""HTML read into the pipeline's model: what the Revue and Substack readers share.

:class:`RichText` turns HTML prose (paragraphs, lists, quotes, code, links, images) into
the model's blocks and inlines, noting what it cannot map with its line;
:func:`structure_problem` refuses HTML whose elements are not closed in order (a file cut
short); the rest are small helpers for elements, text and YouTube addresses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from bs4 import Tag
from bs4.element import NavigableString, PageElement, PreformattedString

from newsarchive.commands.pipeline.model import (
    Block,
    Code,
    CodeBlock,
    Emphasis,
    Heading,
    Hyperlink,
    Inline,
    InlineImage,
    LineBreak,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Text,
)
from newsarchive.core.urls import is_http_url, strip_tracking

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


CONTAINERS = frozenset(
    {"p", "div", "section", "article", "header", "footer", "center", "main", "aside"}
)


BLOCK_ELEMENTS = CONTAINERS | frozenset(
    {"ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr"}
)


TRANSPARENT_INLINE = frozenset(
    {"span", "font", "u", "ins", "mark", "small", "big", "abbr", "cite", "time", "label"}
)


DROPPED = frozenset({"script", "style", "noscript", "template"})


HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _StructureCheck(HTMLParser):
    """Every element is closed, in order: a truncated or mangled export is refused."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int]] = []
        self.problem: tuple[int, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0]
        if self.problem or tag in VOID_ELEMENTS:
            return
        if self.open and self.open[-1][0] == tag:
            self.open.pop()
        elif any(name == tag for name, _ in self.open):
            inner, inner_line = self.open[-1]
            self.problem = (inner_line, f"<{inner}> is not closed before </{tag}> (line {line})")
        else:
            self.problem = (line, f"</{tag}> closes no open element")


def structure_problem(body: str) -> tuple[int, str] | None:
    """The first element not closed in order (line, message), or None when all are."""
    checker = _StructureCheck()
    checker.feed(body)
    # What the parser could not read yet: a tag cut off starts it (text inside an element
    # left open, such as <script>, is held there too, and told below as never closed).
    rest = checker.rawdata
    if not checker.problem and rest.startswith("<"):
        line = body.count("\n", 0, len(body) - len(rest)) + 1
        checker.problem = (line, "a tag is cut off at the end of the file (truncated file?)")
    checker.close()
    if not checker.problem and checker.open:
        tag, line = checker.open[0]
        checker.problem = (line, f"<{tag}> is never closed (truncated file?)")
    return checker.problem


def significant(nodes: Iterable[PageElement]) -> list[PageElement]:
    """Elements and non-blank text, without comments and other markup declarations."""
    return [
        node
        for node in nodes
        if isinstance(node, Tag)
        or (
            isinstance(node, NavigableString)
            and not isinstance(node, PreformattedString)
            and node.strip()
        )
    ]


def collapse(text: str) -> str:
    """``text`` on one line, runs of white space as one space."""
    return " ".join(text.split())


def clean_image_url(src: str) -> str:
    """An image URL without a cache-busting query (Revue's ``?1587019270``); '' if not http(s)."""
    src = src.strip()
    if not is_http_url(src):
        return ""
    parts = urlsplit(src)
    if parts.query.isdigit():
        src = urlunsplit(parts._replace(query=""))
    return src


def youtube_id(url: str) -> str:
    """The video id of a YouTube URL, or ''."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    candidate = ""
    if host == "youtu.be":
        candidate = parts.path.strip("/")
    elif host == "youtube.com":
        if parts.path == "/watch":
            candidate = dict(parse_qsl(parts.query)).get("v", "")
        elif parts.path.startswith(("/embed/", "/shorts/", "/v/")):
            candidate = parts.path.split("/")[2]
    return candidate if re.fullmatch(r"[A-Za-z0-9_-]{6,20}", candidate) else ""


class RichText:
    """HTML prose (intro, commentary, captions; Revue's and Substack's) as model blocks and
    inlines; a reader subclasses it for its own elements."""

    def __init__(
        self, note: Callable[[int, str], None], line_of: Callable[[PageElement], int]
    ) -> None:
        self.note = note
        self.line_of = line_of

    def blocks(self, nodes: Iterable[PageElement]) -> tuple[Block, ...]:
        out: list[Block] = []
        run: list[PageElement] = []

        def flush() -> None:
            out.extend(_paragraphs(self.inlines(run)))
            run.clear()

        for node in nodes:
            if not isinstance(node, Tag) or node.name not in BLOCK_ELEMENTS:
                run.append(node)
                continue
            flush()
            out.extend(self._block(node))
        flush()
        return tuple(out)

    def _block(self, node: Tag) -> list[Block]:
        name = node.name
        if name in ("ul", "ol"):
            items = []
            for child in significant(node.contents):
                content = (
                    child.contents if isinstance(child, Tag) and child.name == "li" else [child]
                )
                items.append(self.blocks(content))
            return [ListBlock(name == "ol", tuple(items))] if items else []
        if name == "blockquote":
            inner = self.blocks(node.contents)
            return [Quote(inner)] if inner else []
        if name == "pre":
            code = node.get_text().removeprefix("\n").rstrip("\n")
            return [CodeBlock(code)] if code.strip() else []
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            children = self.inlines(node.contents)
            return [Heading(int(name[1]), children)] if children else []
        if name == "table":
            self.note(self.line_of(node), "a table is kept as plain text")
            return list(_paragraphs(self.inlines([node])))
        # A container's blocks; an <hr> (void: no contents) gives none.
        return list(self.blocks(node.contents))

    def inlines(self, nodes: Iterable[PageElement]) -> tuple[Inline, ...]:
        return _tidy(self._inlines(nodes))

    def _inlines(self, nodes: Iterable[PageElement]) -> list[Inline]:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, PreformattedString):
                continue  # comments, doctype, processing instructions
            if isinstance(node, NavigableString):
                out.append(Text(HTML_WHITESPACE.sub(" ", str(node))))
            elif isinstance(node, Tag):
                out.extend(self._inline(node))
        return out

    def _inline(self, node: Tag) -> list[Inline]:
        name = node.name
        if name == "br":
            return [LineBreak()]
        if name in ("strong", "b"):
            return [Strong(tuple(self._inlines(node.contents)))]
        if name in ("em", "i"):
            return [Emphasis(tuple(self._inlines(node.contents)))]
        if name in ("code", "tt", "kbd", "samp"):
            return [Code(" ".join(node.get_text().split("\n")))]
        if name == "a":
            return self._hyperlink(node)
        if name == "img":
            src = clean_image_url(str(node.get("src", "")))
            if src:
                return [InlineImage(src, collapse(str(node.get("alt", ""))))]
            self.note(self.line_of(node), "an image without an http(s) URL is left out")
            return []
        if name in DROPPED:
            self.note(self.line_of(node), f"<{name}> is left out")
            return []
        if name not in TRANSPARENT_INLINE and name not in BLOCK_ELEMENTS and name != "li":
            self.note(self.line_of(node), f"unknown element <{name}> kept as its text")
        return self._inlines(node.contents)

    def _hyperlink(self, node: Tag) -> list[Inline]:
        children = self._inlines(node.contents)
        href = str(node.get("href", "")).strip()
        if not href:
            return children
        url = strip_tracking(href)
        # A host with a space is words typed where the address should be ('http://Preferred
        # Networks' in #66): no browser reaches it, so the words stay and the link goes.
        if not is_http_url(url) or any(ch.isspace() for ch in urlsplit(url).netloc):
            self.note(self.line_of(node), f"link to {href[:60]!r} is not http(s); kept as text")
            return children
        return [Hyperlink(url, tuple(children))]


def _tidy(children: list[Inline]) -> tuple[Inline, ...]:
    """Merge neighbouring text; no spaces at the ends or around line breaks."""
    merged: list[Inline] = []
    for child in children:
        if isinstance(child, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(HTML_WHITESPACE.sub(" ", merged[-1].text + child.text))
        else:
            merged.append(child)
    for index, child in enumerate(merged):
        if not isinstance(child, Text):
            continue
        text = child.text
        if index == 0 or isinstance(merged[index - 1], LineBreak):
            text = text.lstrip()
        if index == len(merged) - 1 or isinstance(merged[index + 1], LineBreak):
            text = text.rstrip()
        merged[index] = Text(text)
    return tuple(child for child in merged if not (isinstance(child, Text) and not child.text))


def _paragraphs(children: tuple[Inline, ...]) -> list[Paragraph]:
    """Paragraphs of ``children``, split where two or more line breaks follow each other."""
    paragraphs: list[list[Inline]] = [[]]
    breaks = 0
    for child in children:
        if isinstance(child, LineBreak):
            breaks += 1
            continue
        if breaks >= 2:
            paragraphs.append([])
        elif breaks == 1 and paragraphs[-1]:
            paragraphs[-1].append(LineBreak())
        breaks = 0
        paragraphs[-1].append(child)
    # A paragraph holds something but line breaks, or nothing: a break is only added
    # before what follows it, and blank text beside a break was trimmed by _tidy.
    return [Paragraph(_tidy(p)) for p in paragraphs if p]
