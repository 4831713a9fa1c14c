"""Read a Revue export: file name, title line, source line and the issue's HTML.

The HTML is read with BeautifulSoup (``html.parser``), item by item at the top level:
the intro ``<h3>``, headers ``<h2>``, link items ``<p><img/><strong><a/> — <a/></strong>
excerpt</p>`` followed by their commentary ``<p><p>…</p></p>``, and Revue's shortcodes
``[embed URL]``, ``[tweet URL]`` and ``[caption …]<img/>…[/caption]``. Anything else is
kept as plain paragraphs and noted with its line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement, PreformattedString

from newsarchive.commands.pipeline.html import (
    BLOCK_ELEMENTS,
    CONTROL_CHARACTERS,
    TRANSPARENT_INLINE,
    RichText,
    clean_image_url,
    collapse,
    significant,
    structure_problem,
    youtube_id,
)
from newsarchive.commands.pipeline.model import (
    Block,
    Card,
    Figure,
    Header,
    Issue,
    Item,
    Note,
    Paragraph,
    Prose,
    Text,
    Unmapped,
)
from newsarchive.core.urls import is_http_url, strip_tracking


class RevueFormatError(Exception):
    """A Revue export that cannot be imported, with the line where the problem is."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


#: The HTML starts on line 3 (line 1 is the title, line 2 the Revue URL).
BODY_OFFSET = 2

FILE_NAME = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})_(?P<title>.*)\.md")
ISSUE_NUMBER = re.compile(r"#\s*(\d+)\s*$")

# Revue's shortcodes stand on lines of their own; they become elements so that the HTML
# parser places them (and gives their line) like any other item.
_EMBED_OR_TWEET = re.compile(r"^[ \t]*\[(embed|tweet)[ \t]+([^\]\s\"<>]+)[ \t]*\][ \t]*$", re.M)
_CAPTION = re.compile(r"^([ \t]*)\[caption([^\]\n]*)\](.*?)\[/caption\]", re.M | re.S)
_UNCLOSED_CAPTION = re.compile(r"^[ \t]*\[caption\b", re.M)

#: What a link item's excerpt may hold besides text.
EXCERPT_ELEMENTS = (
    frozenset({"p", "br", "a", "strong", "b", "em", "i", "code"}) | TRANSPARENT_INLINE
)
DASHES = frozenset("—–-")


def read_issue(path: Path) -> Issue:
    """Parse the Revue export at ``path``; raises :class:`RevueFormatError`."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise RevueFormatError(line, f"not UTF-8 text (byte 0x{byte:02x})") from None
    return parse_issue(text, name=path.name)


def parse_issue(text: str, *, name: str) -> Issue:
    """Parse one Revue export; ``name`` is its file name (``YYYY-MM-DD_<title>.md``)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Control characters are invisible and not allowed in XML output (feeds, epub).
    text = CONTROL_CHARACTERS.sub(lambda match: " " if match[0] in "\x0b\x0c" else "", text)
    if not text.strip():
        raise RevueFormatError(1, "empty file")
    date = _date_of(name)
    lines = text.split("\n", BODY_OFFSET)
    title, number = _title_of(lines[0])
    if len(lines) < 2 or not lines[1].strip():
        raise RevueFormatError(2, "no Revue URL on line 2 (truncated file?)")
    source = lines[1].strip()
    if not is_http_url(source):
        raise RevueFormatError(2, f"line 2 must be the issue's Revue URL, not {source[:60]!r}")
    body = lines[2] if len(lines) > 2 else ""
    if not body.strip():
        raise RevueFormatError(3, "no issue content after the Revue URL (truncated file?)")
    body = _elements_for_shortcodes(body)
    _check_structure(body)
    builder = _IssueBuilder(body)
    builder.read(BeautifulSoup(body, "html.parser"))
    return Issue(
        number=number,
        date=date,
        title=title,
        source=source,
        intro=tuple(builder.intro),
        items=tuple(builder.items),
        notes=tuple(builder.notes),
    )


def _date_of(name: str) -> dt.date:
    match = FILE_NAME.fullmatch(name)
    if not match:
        raise RevueFormatError(1, "file name must look like YYYY-MM-DD_<title>.md")
    try:
        return dt.date.fromisoformat(match["date"])
    except ValueError:
        raise RevueFormatError(1, f"file name has no valid date: {match['date']!r}") from None


def _title_of(line: str) -> tuple[str, int]:
    if not line.startswith("# ") or not line[2:].strip():
        raise RevueFormatError(1, "line 1 must be the title, '# Weekly Kaggle News #N'")
    title = " ".join(line[2:].split())
    match = ISSUE_NUMBER.search(title)
    if not match or int(match[1]) < 1:
        raise RevueFormatError(1, f"no issue number ('#N') at the end of the title {title!r}")
    return title, int(match[1])


def _elements_for_shortcodes(body: str) -> str:
    def embed_or_tweet(match: re.Match[str]) -> str:
        # The URL holds no '"' (nor blanks, "<", ">"): the pattern stops at them.
        return f'<revue-{match[1]} url="{match[2]}"></revue-{match[1]}>'

    def caption(match: re.Match[str]) -> str:
        return f"{match[1]}<revue-caption>{match[3]}</revue-caption>"

    body = _CAPTION.sub(caption, _EMBED_OR_TWEET.sub(embed_or_tweet, body))
    if leftover := _UNCLOSED_CAPTION.search(body):
        line = body.count("\n", 0, leftover.start()) + 1 + BODY_OFFSET
        raise RevueFormatError(line, "[caption] without [/caption] (truncated file?)")
    return body


def _check_structure(body: str) -> None:
    if problem := structure_problem(body):
        line, message = problem
        raise RevueFormatError(line + BODY_OFFSET, message)


def _visible_text(node: PageElement) -> str:
    """The text of ``node``; a line break counts as a space."""
    if not isinstance(node, Tag):
        return str(node)
    return "".join(
        " " if isinstance(part, Tag) else str(part)  # a Tag here is a <br>
        for part in node.descendants
        if (isinstance(part, Tag) and part.name == "br")
        or (isinstance(part, NavigableString) and not isinstance(part, PreformattedString))
    )


class _IssueBuilder:
    """Walks the top level of an issue's HTML and collects intro, items and notes."""

    def __init__(self, body: str) -> None:
        self.body_lines = body.count("\n") + 1
        self.intro: list[Block] = []
        self.items: list[Item] = []
        self.notes: list[Note] = []
        self.rich = RichText(self.note, self.line_of)
        self._awaiting_commentary = False

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(line, message))

    def line_of(self, node: PageElement) -> int:
        """The file line where ``node`` (or, for text, its first visible character) is."""
        if isinstance(node, Tag):
            return (node.sourceline or 1) + BODY_OFFSET
        text = str(node)
        following = next((n for n in node.next_elements if isinstance(n, Tag)), None)
        end = (following.sourceline or 1) if following is not None else self.body_lines
        start = end - text.count("\n")
        leading = text[: len(text) - len(text.lstrip())]
        return start + leading.count("\n") + BODY_OFFSET

    def read(self, soup: BeautifulSoup) -> None:
        for node in significant(soup.contents):
            self._read_item(node)

    def _add(self, item: Item) -> None:
        self.items.append(item)
        self._awaiting_commentary = isinstance(item, Card)

    def _unmapped(
        self, node: PageElement, reason: str, kept: list[PageElement] | None = None
    ) -> None:
        """``node`` kept as plain text, and said; ``kept``: what of it (all by default)."""
        line = self.line_of(node)
        blocks = self.rich.blocks([node] if kept is None else kept)
        self.note(line, f"{reason}; kept as a plain paragraph")
        self._add(Unmapped(line, blocks, reason))

    def _read_item(self, node: PageElement) -> None:
        if not isinstance(node, Tag):
            self._unmapped(node, "text outside any item")
            return
        line = self.line_of(node)
        name = node.name
        if name == "hr" or (name == "div" and not significant(node.contents)):
            return  # separators
        if name == "h3":
            blocks = self.rich.blocks(node.contents)
            if not self.items and not self.intro:
                self.intro.extend(blocks)
            else:
                self._add(Prose(line, blocks))
        elif name == "h2":
            self._add(Header(line, self.rich.inlines(node.contents)))
        elif name == "p" and is_text_block(node):
            self._read_text_block(node, line)
        elif name == "p" and node.find("strong", recursive=False):
            card = self._link_card(node, line)
            if card is None:
                self._unmapped(node, "link item of an unknown shape")
            else:
                self._add(card)
        elif name in ("revue-embed", "revue-tweet"):
            self._shortcode_card(node, line)
        elif name == "revue-caption":
            self._figure(node, line)
        else:
            self._unmapped(node, f"unknown item <{name}>")

    def _read_text_block(self, node: Tag, line: int) -> None:
        blocks = self.rich.blocks(node.contents)
        last = self.items[-1] if self.items else None
        if self._awaiting_commentary and isinstance(last, Card):
            self.items[-1] = dataclasses.replace(last, commentary=blocks)
            self._awaiting_commentary = False
        elif blocks:
            self._add(Prose(line, blocks))

    def _link_card(self, node: Tag, line: int) -> Card | None:
        # A <strong> is among the parts (the item is read as a link for it), so there is
        # a part to take, and one more after an image.
        parts = significant(node.contents)
        image = ""
        first = parts.pop(0)
        if isinstance(first, Tag) and first.name == "img":
            image = clean_image_url(str(first.get("src", "")))
            first = parts.pop(0)
        if not isinstance(first, Tag) or first.name != "strong":
            return None
        heading = _link_heading(first)
        if heading is None:
            return None
        title_link, site_link = heading
        if any(isinstance(p, Tag) and p.name not in EXCERPT_ELEMENTS for p in parts):
            return None
        url = ""
        if site_link is not None:
            url = strip_tracking(str(site_link.get("href", "")).strip())
        if not is_http_url(url):
            url = strip_tracking(str(title_link.get("href", "")).strip())
        if not is_http_url(url):
            return None
        title = collapse(title_link.get_text())
        if not title:
            self.note(line, "link item without a title; its URL is used instead")
            title = url
        excerpt = collapse(" ".join(_visible_text(part) for part in parts))
        return Card(
            kind="link",
            line=line,
            url=url,
            title=title,
            image=image,
            site=collapse(site_link.get_text()) if site_link is not None else "",
            excerpt=excerpt,
        )

    def _shortcode_card(self, node: Tag, line: int) -> None:
        written = html.unescape(str(node.get("url", "")))
        url = strip_tracking(written)
        if not is_http_url(url):
            # The shortcode's only content is its URL: kept as written, as the text it was.
            kind = node.name.removeprefix("revue-")
            reason = f"{kind} of a non-http URL"
            self.note(line, f"{reason}; kept as a plain paragraph")
            self._add(Unmapped(line, (Paragraph((Text(f"[{kind} {written}]"),)),), reason))
            return
        if node.name == "revue-tweet":
            user = re.match(r"/([A-Za-z0-9_]+)/status", urlsplit(url).path)
            title = f"Tweet by @{user[1]}" if user else "Tweet"
            self._add(Card(kind="tweet", line=line, url=url, title=title))
            return
        video = youtube_id(url)
        if video:
            image = f"https://i.ytimg.com/vi/{video}/hqdefault.jpg"
            self._add(Card("video", line, url, f"YouTube: {video}", image=image))
        else:
            self._add(Card("video", line, url, f"Video: {url}"))

    def _figure(self, node: Tag, line: int) -> None:
        # The caption's element stands for Revue's shortcode: what is kept is inside it.
        parts = significant(node.contents)
        if not parts or not isinstance(parts[0], Tag) or parts[0].name != "img":
            self._unmapped(node, "[caption] without an image", node.contents)
            return
        image = parts[0]
        src = clean_image_url(str(image.get("src", "")))
        if not src:  # its caption is kept (the image, which cannot be, is said once)
            self._unmapped(node, "[caption] image is not an http(s) URL", parts[1:])
            return
        alt = collapse(str(image.get("alt", "")))
        self._add(Figure(line, src, alt, self.rich.inlines(parts[1:])))


def is_text_block(node: Tag) -> bool:
    """Revue's text item: ``<p>`` holding only blocks (``<p>``, lists, quotes, code)."""
    parts = significant(node.contents)
    return bool(parts) and all(isinstance(p, Tag) and p.name in BLOCK_ELEMENTS for p in parts)


def _link_heading(strong: Tag) -> tuple[Tag, Tag | None] | None:
    """The title link and the '— domain' link of a link item, or None for another shape."""
    parts = significant(strong.contents)
    if not parts or not isinstance(parts[0], Tag) or parts[0].name != "a":
        return None
    if len(parts) == 1:
        return parts[0], None
    if (
        len(parts) == 3
        and isinstance(parts[1], NavigableString)
        and parts[1].strip() in DASHES
        and isinstance(parts[2], Tag)
        and parts[2].name == "a"
    ):
        return parts[0], parts[2]
    return None
