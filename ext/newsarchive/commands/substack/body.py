"""Read a Substack post's HTML (the export's ``posts/<id>.<slug>.html`` or a feed's
``content:encoded``) into the archive's content model.

Substack writes a flat run of blocks: paragraphs, headings (with an anchor widget inside),
lists, quotes, code, ``<div><hr></div>`` separators, and components marked by class and a
JSON ``data-attrs``: ``captioned-image-container``, ``youtube-wrap``, ``tweet``,
``embedded-post-wrap``, subscribe widgets and buttons, footnotes. The mapping:

- a heading, paragraph or list item that is one link (optionally followed by its site)
  with commentary after it becomes a card; the commentary runs to the next heading, card,
  component or rule; other links stay in prose;
- videos, tweets and embedded posts become cards (commentary after them is theirs);
- images with captions become figures; footnotes become MyST footnotes;
- subscribe widgets, subscribe/share/comment buttons, heading anchors and other chrome
  are dropped; tracking parameters are removed from every URL;
- anything else is kept as text and noted with its line.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypeGuard
from urllib.parse import unquote, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement

from newsarchive.commands.pipeline.html import (
    CONTROL_CHARACTERS,
    RichText,
    collapse,
    significant,
    structure_problem,
    youtube_id,
)
from newsarchive.commands.pipeline.model import (
    Block,
    Card,
    CodeBlock,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Header,
    Heading,
    Hyperlink,
    Inline,
    InlineImage,
    Item,
    ListBlock,
    Note,
    Paragraph,
    Prose,
    Quote,
    Strong,
    Text,
    Unmapped,
)
from newsarchive.core.urls import is_http_url, strip_tracking

ORIGIN = "Substack"

#: Query parameters Substack adds to its own links to count referrals and sign-ins.
SUBSTACK_TRACKING = frozenset(
    {"r", "s", "triedRedirect", "isFreemail", "token", "showWelcome", "publication_id"}
    | {"post_id", "play_audio", "sd", "next"}
)
#: Query parameters of a shared tweet's link (who shared it, from which app).
TWITTER_TRACKING = frozenset({"s", "t", "ref_src", "ref_url"})

#: Chrome: dropped wherever it appears (widgets, anchor buttons, image zoom icons …).
CHROME_CLASSES = frozenset(
    {
        "subscription-widget-wrap",
        "subscription-widget-wrap-editor",
        "subscription-widget",
        "subscribe-widget",
        "header-anchor-parent",
        "header-anchor-widget",
        "header-anchor",
        "image-link-expand",
        "paywall-jump",
        "install-substack-app-embed",
        "install-substack-app-embed-web",
        "post-ufi",
        "share-dialog",
        "community-chat",
        "restack-image",
        "directMessage",
    }
)
CHROME_ELEMENTS = frozenset({"form", "button", "svg", "input", "script", "style", "noscript"})
#: Components whose wrapper adds nothing: their contents are read as blocks.
TRANSPARENT_CLASSES = frozenset({"body", "markup", "available-content", "image2-inset"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
PROSE_ELEMENTS = frozenset({"p", "ul", "ol", "blockquote", "pre"}) | HEADINGS

_HOST = r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}"
#: What may follow a card's link: its site, as ``— site``, ``(site)``, ``| site`` …
_SITE_TEXT = re.compile(rf"^\s*(?:[-–—|:・/]\s*)?[(\[（]?\s*(?P<site>{_HOST})\s*[)\]）]?\s*$")
_SEPARATOR_TEXT = re.compile(r"^\s*(?:[-–—|:・/]\s*)?[(\[（]?\s*$")
_SITE_CLOSE = re.compile(r"^\s*[)\]）]?\s*$")


class SubstackFormatError(Exception):
    """A post body that cannot be imported (truncated, empty …), with its line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class Body:
    """What a post's HTML holds, in the model's terms."""

    items: list[Item] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    chrome: int = 0


# URLs ---------------------------------------------------------------------------------------


def is_substack_host(host: str) -> bool:
    host = host.lower()
    return host == "substack.com" or host.endswith(".substack.com")


def clean_url(url: str) -> str:
    """``url`` without tracking parameters (and, on Substack, its referral parameters)."""
    url = strip_tracking(url.strip())
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("mobile.")
    if not parts.query:
        return url
    if is_substack_host(host):
        dropped = SUBSTACK_TRACKING
    elif host in ("twitter.com", "x.com"):
        dropped = TWITTER_TRACKING
    else:
        return url
    kept = [
        pair
        for pair in parts.query.split("&")
        if pair and unquote(pair.split("=", 1)[0]) not in dropped
    ]
    return urlunsplit(parts._replace(query="&".join(kept)))


def original_image(src: str) -> str:
    """The image behind Substack's CDN (``substackcdn.com/image/fetch/<sizes>/<url>``)."""
    src = src.strip()
    parts = urlsplit(src)
    if parts.hostname == "substackcdn.com" and "/image/fetch/" in parts.path:
        inner = unquote(src.rpartition("/")[2])
        if is_http_url(inner):
            src = inner
    return src if is_http_url(src) else ""


def data_attrs(node: Tag) -> dict[str, Any]:
    """A component's ``data-attrs`` JSON ({} when absent or unreadable)."""
    raw = str(node.get("data-attrs") or "")
    for text in (raw, html.unescape(raw)):  # some exports escape it twice
        try:
            value = json.loads(text)
        except ValueError:
            continue
        return value if isinstance(value, dict) else {}
    return {}


def _classes(node: Tag) -> set[str]:
    value = node.get("class")
    if isinstance(value, str):
        return set(value.split())
    return set(value or ())


def _text_of(value: Any) -> str:
    return collapse(value) if isinstance(value, str) else ""


def _attribute(node: PageElement | None, name: str) -> str:
    """The attribute ``name`` of ``node`` ('' when it has none, or is no element)."""
    return str(node.get(name) or "") if isinstance(node, Tag) else ""


def _address(node: PageElement | None, name: str = "href") -> str:
    """The http(s) address in the attribute ``name`` of ``node``, without tracking parameters;
    '' when it holds none."""
    url = clean_url(_attribute(node, name))
    return url if is_http_url(url) else ""


# Rich text --------------------------------------------------------------------------------


class SubstackText(RichText):
    """Revue's rich text reader, taught Substack's inline shapes."""

    def _inline(self, node: Tag) -> list[Inline]:
        if node.name == "substack-footnote-ref":
            return [FootnoteRef(str(node.get("label")))]
        if node.name == "picture":
            image = node.find("img")
            return self._inline(image) if isinstance(image, Tag) else []
        if node.name == "img":
            src = original_image(_attribute(node, "src"))
            if src:
                return [InlineImage(src, collapse(_attribute(node, "alt")))]
        if node.name in ("sup", "sub", "s", "del", "strike"):
            return self._inlines(node.contents)
        return super()._inline(node)

    def _hyperlink(self, node: Tag) -> list[Inline]:
        if node.get("href"):
            node["href"] = clean_url(str(node["href"]))
        return super()._hyperlink(node)


# Reading -----------------------------------------------------------------------------------


@dataclass
class _LinkHead:
    """A heading, paragraph or list item that is one link: a card if commentary follows."""

    line: int
    url: str
    title: str
    site: str
    fallback: list[Item]


@dataclass
class _Embed:
    """A video, tweet or embedded post: a card that takes the commentary after it."""

    card: Card


def without_controls(text: str) -> str:
    """``text`` without control characters: invisible, and not allowed in XML (feeds, EPUB)."""
    return CONTROL_CHARACTERS.sub(lambda match: " " if match[0] in "\x0b\x0c" else "", text)


def parse_body(text: str) -> Body:
    """Read one post body; raises :class:`SubstackFormatError` when it cannot be read."""
    text = without_controls(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise SubstackFormatError(1, "the post has no content")
    if problem := structure_problem(text):
        raise SubstackFormatError(*problem)
    reader = _Reader()
    soup = BeautifulSoup(text, "html.parser")
    reader.prepare(soup)
    links = {
        url: reader.line_of(anchor)
        for anchor in reversed(soup.find_all("a", href=True))
        if is_http_url(url := clean_url(str(anchor["href"])))
    }
    units = reader.units(significant(soup.contents))
    reader.body.items = reader.group(units)
    reader.finish_footnotes()
    if not reader.body.items and not reader.body.footnotes:
        raise SubstackFormatError(1, "the post holds nothing but Substack chrome")
    # Nothing dropped silently: a link of the post that is on no card, figure or text.
    kept = set(_urls(reader.body.items, reader.body.footnotes))
    for url, line in sorted(links.items(), key=lambda pair: (pair[1], pair[0])):
        if url not in kept:
            reader.note(line, f"the link {url} is not on the page")
    return reader.body


def _urls(items: list[Item], footnotes: list[Footnote]) -> Iterator[str]:
    """Every URL the page will link to."""

    def inlines(children: tuple[Inline, ...]) -> Iterator[str]:
        for child in children:
            if isinstance(child, Hyperlink):
                yield child.url
            if isinstance(child, Hyperlink | Strong | Emphasis):
                yield from inlines(child.children)

    def blocks(values: tuple[Block, ...]) -> Iterator[str]:
        for block in values:
            if isinstance(block, Paragraph | Heading):
                yield from inlines(block.children)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    yield from blocks(item)
            elif isinstance(block, Quote):
                yield from blocks(block.children)

    for item in items:
        if isinstance(item, Card):
            yield item.url
            yield from blocks(item.commentary)
        elif isinstance(item, Figure):
            yield item.target
            yield from inlines(item.caption)
        elif isinstance(item, Header):
            yield from inlines(item.children)
        else:
            yield from blocks(item.blocks)
    for footnote in footnotes:
        yield from blocks(footnote.blocks)


class _Reader:
    def __init__(self) -> None:
        self.body = Body()
        self.rich = SubstackText(self.note, self.line_of)
        self.referenced: list[str] = []
        #: footnotes without their number, kept as text after the body
        self.unnumbered: list[Prose] = []

    def note(self, line: int, message: str) -> None:
        self.body.notes.append(Note(line, message))

    def line_of(self, node: PageElement) -> int:
        # Beautiful Soup gives elements their line, not text: a text's is its element's (and
        # the soup itself, whose text is outside any element, has none: the body's first).
        element = node if isinstance(node, Tag) else node.parent
        return getattr(element, "sourceline", None) or 1

    # Before reading: chrome out, footnotes apart ------------------------------------------

    def prepare(self, soup: BeautifulSoup) -> None:
        for node in list(soup.find_all(True)):
            if node.decomposed:
                continue
            if (
                node.name in CHROME_ELEMENTS
                or _classes(node) & CHROME_CLASSES
                or _is_chrome_button(node)
            ):
                node.decompose()
                self.body.chrome += 1
        for anchor in soup.select("a.footnote-anchor"):
            label = collapse(anchor.get_text()) or _attribute(anchor, "id").rpartition("-")[2]
            if not label:  # it shows nothing and names no footnote
                self.note(self.line_of(anchor), "a footnote mark without a label is left out")
                anchor.decompose()
                continue
            reference = soup.new_tag("substack-footnote-ref", attrs={"label": label})
            anchor.replace_with(reference)
            self.referenced.append(label)
        for footnote in soup.select("div.footnote"):
            number = footnote.select_one("a.footnote-number")
            label = collapse(number.get_text()) if number is not None else ""
            content = footnote.select_one("div.footnote-content")
            blocks = self.rich.blocks(content.contents if content is not None else [])
            if label and blocks:
                self.body.footnotes.append(Footnote(label, blocks))
            elif blocks:
                line = self.line_of(footnote)
                self.note(line, "a footnote without its number; kept as text")
                self.unnumbered.append(Prose(line, blocks))
            footnote.decompose()

    def finish_footnotes(self) -> None:
        """Footnotes without a reference (or the reverse) would be build warnings.

        A page's footnote labels are letters, digits, "_" and "-" (the emitter writes them
        as they are, in ``[^label]``): a footnote labelled otherwise is kept as text, and so
        are its marks, so that no mark points to a footnote the page does not have.
        """
        written = {footnote.label for footnote in self.body.footnotes}
        kept = []
        for footnote in self.body.footnotes:
            if footnote.label not in self.referenced:
                self.note(1, f"footnote {footnote.label} is not referenced; kept as text")
            elif not re.fullmatch(r"[A-Za-z0-9_-]+", footnote.label):
                self.note(
                    1,
                    f"footnote {footnote.label} has a label of other characters than letters, "
                    'digits, "_" and "-"; kept as text, and so is its mark',
                )
            else:
                kept.append(footnote)
                continue
            text = Paragraph((Text(f"[{footnote.label}]"),))
            self.body.items.append(Prose(1, (text, *footnote.blocks)))
        self.body.footnotes = kept
        self.body.items.extend(self.unnumbered)
        # Each label once, in the order of its first mark.
        textless = [label for label in dict.fromkeys(self.referenced) if label not in written]
        if textless:
            self.note(1, f"footnote {', '.join(textless)} has no text; the mark is kept as text")
        unlinked = set(self.referenced) - {footnote.label for footnote in kept}
        if unlinked:
            self.body.items = [_unlink_footnotes(item, unlinked) for item in self.body.items]

    # Top level: units ----------------------------------------------------------------------

    def units(self, nodes: Iterable[PageElement]) -> list[Item | _LinkHead | _Embed | None]:
        """Each top-level node as an item, a link head, an embed, or None for a rule."""
        out: list[Item | _LinkHead | _Embed | None] = []
        for node in nodes:
            out.extend(self._unit(node))
        return out

    def _unit(self, node: PageElement) -> list[Item | _LinkHead | _Embed | None]:
        if not isinstance(node, Tag):  # text that is not blank: one paragraph at least
            return [Prose(self.line_of(node), self.rich.blocks([node]))]
        line = self.line_of(node)
        name, classes = node.name, _classes(node)
        if name == "hr":
            return [None]
        if "captioned-image-container" in classes or name == "figure":
            return self._figure(node, line)
        if "image-gallery-embed" in classes:
            return self._gallery(node, line)
        if "youtube-wrap" in classes:
            return self._youtube(node, line)
        if "tweet" in classes:
            return self._tweet(node, line)
        if classes & {"embedded-post-wrap", "digest-post-embed"}:
            return self._embedded_post(node, line)
        if "embedded-publication-wrap" in classes:
            return self._embedded_publication(node, line)
        if "file-embed-wrapper" in classes:
            return self._file(node, line)
        if "latex-rendered" in classes:
            expression = _text_of(data_attrs(node).get("persistentExpression"))
            if expression:
                return [Prose(line, (CodeBlock(expression),))]
        if "pullquote" in classes:
            blocks = self.rich.blocks(node.contents)
            return [Prose(line, (Quote(blocks),))] if blocks else []
        if name in HEADINGS:
            return [self._heading(node, line)]
        if name == "p":
            head = self._link_head(node, line)
            if head is not None:
                return [head]
            blocks = self.rich.blocks([node])
            return [Prose(line, blocks)] if blocks else []
        if name in ("ul", "ol"):
            return self._list(node, line)
        if name in PROSE_ELEMENTS:
            blocks = self.rich.blocks([node])
            return [Prose(line, blocks)] if blocks else []
        if name in ("div", "section", "article") and (
            not classes or classes <= TRANSPARENT_CLASSES
        ):
            return self.units(significant(node.contents))
        if name == "a" and node.find("img") is not None:
            return self._figure(node, line)
        reason = f"unknown Substack block <{name}{_class_text(classes)}>"
        return self._unknown(node, line, reason)

    def _heading(self, node: Tag, line: int) -> Item | _LinkHead:
        level = int(node.name[1])
        children = self.rich.inlines(node.contents)
        fallback: Item = (
            Header(line, children) if level <= 2 else Prose(line, (Heading(level, children),))
        )
        head = self._link_head(node, line, fallback=[fallback])
        if head is not None:
            return head
        return fallback

    def _link_head(
        self, node: Tag, line: int, *, fallback: list[Item] | None = None
    ) -> _LinkHead | None:
        found = one_link(node)
        if found is None:
            return None
        if fallback is None:
            fallback = [Prose(line, self.rich.blocks([node]))]
        return _LinkHead(line, found.url, found.title, found.site, fallback)

    def _list(self, node: Tag, line: int) -> list[Item | _LinkHead | _Embed | None]:
        """A list, split where an item is a card (one link, then its commentary)."""
        ordered = node.name == "ol"
        entries = significant(node.contents)
        for child in entries:
            if not (isinstance(child, Tag) and child.name == "li"):
                self.note(self.line_of(child), "content outside <li> in a list kept as an item")
        out: list[Item | _LinkHead | _Embed | None] = []
        pending: list[tuple[Block, ...]] = []

        def flush() -> None:
            if pending:
                out.append(Prose(line, (ListBlock(ordered, tuple(pending)),)))
                pending.clear()

        for entry in entries:
            contents = entry.contents if isinstance(entry, Tag) and entry.name == "li" else [entry]
            parts = significant(contents)
            first = parts[0] if parts else None
            entry_line = self.line_of(entry)
            if isinstance(entry, Tag) and isinstance(first, Tag) and first.name == "p":
                found, rest = one_link(first), parts[1:]
            elif isinstance(entry, Tag):
                found, rest = one_link(entry), []
            else:
                found, rest = None, []
            commentary = self.rich.blocks(rest) if found is not None else ()
            if found is not None and commentary:
                flush()
                card = Card(
                    "link",
                    entry_line,
                    found.url,
                    found.title,
                    site=found.site,
                    commentary=commentary,
                )
                out.append(card)
            elif found is not None and len(entries) == 1:
                fallback: list[Item] = [Prose(line, self.rich.blocks([node]))]
                out.append(_LinkHead(entry_line, found.url, found.title, found.site, fallback))
            else:
                pending.append(self.rich.blocks(contents))
        flush()
        return out

    # Components ---------------------------------------------------------------------------

    def _figure(self, node: Tag, line: int) -> list[Item | _LinkHead | _Embed | None]:
        image = node.find("img")
        if not isinstance(image, Tag):
            return self._unknown(node, line, "image component without an image")
        src = original_image(_text_of(data_attrs(image).get("src")))
        src = src or original_image(_attribute(image, "src"))
        if not src:
            return self._unknown(node, line, "image without an http(s) URL")
        alt = collapse(_attribute(image, "alt"))
        caption_node = node.find("figcaption")
        caption = self.rich.inlines(caption_node.contents) if caption_node is not None else ()
        # The image's own link: the full-size image, or a page the editor linked it to.
        target = _address(image.find_parent("a", href=True))
        return [Figure(line, src, alt, caption, target)]

    def _gallery(self, node: Tag, line: int) -> list[Item | _LinkHead | _Embed | None]:
        value = data_attrs(node).get("gallery")
        gallery: dict[str, Any] = value if isinstance(value, dict) else {}
        images = gallery.get("images")
        if not isinstance(images, list) or not images:
            return self._unknown(node, line, "image gallery without images")
        figures: list[Item | _LinkHead | _Embed | None] = []
        for image in images:
            src = original_image(_text_of(image.get("src"))) if isinstance(image, dict) else ""
            if src:
                figures.append(Figure(line, src))
        caption = _text_of(gallery.get("caption"))
        if caption:
            figures.append(Prose(line, (Paragraph((Text(caption),)),)))
        return figures

    def _youtube(self, node: Tag, line: int) -> list[Item | _LinkHead | _Embed | None]:
        attrs = data_attrs(node)
        video = str(attrs.get("videoId") or "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{6,20}", video):
            src = _attribute(node.find("iframe"), "src")
            # Substack embeds from youtube-nocookie.com, the same ids under another host.
            video = youtube_id(src.replace("youtube-nocookie.com", "youtube.com", 1))
        if not video:
            return self._unknown(node, line, "YouTube embed without a video id")
        url = f"https://www.youtube.com/watch?v={video}"
        start = attrs.get("startTime")
        if isinstance(start, int | float) and start > 0:
            url += f"&t={int(start)}s"
        image = f"https://i.ytimg.com/vi/{video}/hqdefault.jpg"
        return [_Embed(Card("video", line, url, f"YouTube: {video}", image=image))]

    def _tweet(self, node: Tag, line: int) -> list[Item | _LinkHead | _Embed | None]:
        attrs = data_attrs(node)
        url = str(attrs.get("url") or "")
        text, name = _text_of(attrs.get("full_text")), _text_of(attrs.get("name"))
        user = _text_of(attrs.get("username"))
        if not url:  # the older shape: the tweet drawn as HTML
            link = node.select_one("a.tweet-link-top[href]") or node.find("a", href=True)
            url = _attribute(link, "href")
            for selector, value in ((".tweet-text", text), (".tweet-author-name", name)):
                if not value and (found := node.select_one(selector)) is not None:
                    value = collapse(found.get_text(" "))
                if selector == ".tweet-text":
                    text = value
                else:
                    name = value
            if not user and (handle := node.select_one(".tweet-author-handle")) is not None:
                user = collapse(handle.get_text()).lstrip("@")
        url = clean_url(url)
        if not is_http_url(url):
            return self._unknown(node, line, "tweet without an http(s) URL")
        if not user and (match := re.match(r"/([A-Za-z0-9_]+)/status", urlsplit(url).path)):
            user = match[1]
        author = f"{name} (@{user})" if name and user else name or (f"@{user}" if user else "")
        title = f"Tweet by {author}" if author else "Tweet"
        return [_Embed(Card("tweet", line, url, title, excerpt=text))]

    def _embedded_post(self, node: Tag, line: int) -> list[Item | _LinkHead | _Embed | None]:
        attrs = data_attrs(node)
        url = str(attrs.get("url") or attrs.get("canonical_url") or "")
        title = _text_of(attrs.get("title"))
        excerpt = _text_of(attrs.get("truncated_body_text") or attrs.get("caption"))
        if not url and (link := node.find("a", href=True)) is not None:
            url = str(link["href"])
        if not title and (found := node.select_one(".embedded-post-title")) is not None:
            title = collapse(found.get_text())
        if not excerpt and (found := node.select_one(".embedded-post-body")) is not None:
            excerpt = collapse(found.get_text(" "))
        url = clean_url(url)
        if not is_http_url(url):
            return self._unknown(node, line, "embedded post without an http(s) URL")
        site = _text_of(attrs.get("publication_name"))
        return [_Embed(Card("link", line, url, title or url, site=site, excerpt=excerpt))]

    def _embedded_publication(self, node: Tag, line: int) -> list[Item | _LinkHead | _Embed | None]:
        attrs = data_attrs(node)
        url = clean_url(str(attrs.get("base_url") or ""))
        if not is_http_url(url):
            return self._unknown(node, line, "embedded publication without an http(s) URL")
        title = _text_of(attrs.get("name")) or url
        excerpt = _text_of(attrs.get("hero_text"))
        return [_Embed(Card("link", line, url, title, excerpt=excerpt))]

    def _file(self, node: Tag, line: int) -> list[Item | _LinkHead | _Embed | None]:
        link = node.select_one("a.file-embed-button[href]") or node.find("a", href=True)
        url = _address(link)
        if not url:
            return self._unknown(node, line, "file without an http(s) URL")
        name = node.select_one(".file-embed-details-h1")
        details = node.select_one(".file-embed-details-h2")
        title = collapse(name.get_text()) if name is not None else url
        excerpt = collapse(details.get_text(" ")) if details is not None else ""
        return [_Embed(Card("link", line, url, title or url, excerpt=excerpt))]

    def _unknown(self, node: Tag, line: int, reason: str) -> list[Item | _LinkHead | _Embed | None]:
        self.note(line, f"{reason}; kept as text")
        blocks = list(self.rich.blocks([node]))
        # What an embed shows comes from its address: keep the address as a link.
        for frame in node.find_all(("iframe", "embed", "audio", "video", "source")):
            src = _address(frame, "src")
            if src:
                blocks.append(Paragraph((Hyperlink(src, (Text(src),)),)))
        return [Unmapped(line, tuple(blocks), reason, origin=ORIGIN)]

    # Units into items -------------------------------------------------------------------------

    def group(self, units: list[Item | _LinkHead | _Embed | None]) -> list[Item]:
        """Link heads and embeds take the prose after them as commentary."""
        items: list[Item] = []
        index = 0
        while index < len(units):
            unit = units[index]
            index += 1
            if unit is None:
                continue
            if not isinstance(unit, _LinkHead | _Embed):
                items.append(unit)
                continue
            commentary: list[Block] = []
            while index < len(units) and isinstance(units[index], Prose):
                prose = units[index]
                assert isinstance(prose, Prose)
                if any(isinstance(block, Heading) for block in prose.blocks):
                    break
                commentary.extend(prose.blocks)
                index += 1
            if isinstance(unit, _Embed):
                card = unit.card
                items.append(Card(**{**card.__dict__, "commentary": tuple(commentary)}))
            elif commentary:
                items.append(
                    Card(
                        "link",
                        unit.line,
                        unit.url,
                        unit.title,
                        site=unit.site,
                        commentary=tuple(commentary),
                    )
                )
            else:
                items.extend(unit.fallback)
        return items


# Shapes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Link:
    """The one link a heading, paragraph or list item holds: a card's address and title."""

    url: str  #: without tracking parameters
    title: str
    site: str = ""  #: the site written after the link, if any


def one_link(node: Tag) -> _Link | None:
    """The link and its site text when ``node`` holds one link and nothing else.

    Formatting around the link (``<strong><a>…</a></strong>``) is looked through; after the
    link may come its site, as text (``— kaggle.com``, ``(kaggle.com)``) or as a second
    link whose text is that site.
    """
    parts = [
        part
        for part in significant(node.contents)
        if not (isinstance(part, Tag) and part.name == "br")
    ]
    while len(parts) == 1 and _is_wrapper(parts[0]):
        parts = significant(parts[0].contents)
    if parts and _is_wrapper(parts[0]):  # <strong><a>title</a></strong> — site
        inner = significant(parts[0].contents)
        if len(inner) == 1:
            parts = [inner[0], *parts[1:]]
    if not parts or not isinstance(parts[0], Tag) or parts[0].name != "a":
        return None
    anchor = parts[0]
    href = _address(anchor)
    title = collapse(anchor.get_text())
    if not href or anchor.find("img") is not None or not title:
        return None
    rest = parts[1:]
    if not rest:
        return _Link(href, title)
    texts = "".join(str(part) for part in rest if isinstance(part, NavigableString))
    if all(isinstance(part, NavigableString) for part in rest):
        match = _SITE_TEXT.match(texts)
        return _Link(href, title, match["site"]) if match else None
    # "— <a>site</a>": a separator, then a link whose text is a host, then nothing else.
    links = [part for part in rest if isinstance(part, Tag)]
    if len(links) != 1 or links[0].name != "a":
        return None
    before = "".join(
        str(part) for part in rest[: rest.index(links[0])] if isinstance(part, NavigableString)
    )
    after = "".join(
        str(part) for part in rest[rest.index(links[0]) + 1 :] if isinstance(part, NavigableString)
    )
    site = collapse(links[0].get_text())
    # The site as a link to the same page (Revue's shape); a link elsewhere would be lost.
    same = _address(links[0]) == href
    shaped = _SEPARATOR_TEXT.match(before) and _SITE_CLOSE.match(after)
    if same and shaped and re.fullmatch(_HOST, site):
        return _Link(href, title, site)
    return None


def _is_wrapper(node: PageElement) -> TypeGuard[Tag]:
    return isinstance(node, Tag) and node.name in ("strong", "b", "em", "i", "span")


def _is_chrome_button(node: Tag) -> bool:
    """Substack's subscribe, share, comment and gift buttons (not buttons to elsewhere)."""
    classes = _classes(node)
    if not (classes & {"button-wrapper", "captioned-button-wrap"}):
        return False
    url = str(data_attrs(node).get("url") or _attribute(node.find("a", href=True), "href"))
    parts = urlsplit(url)
    path, query = parts.path.rstrip("/"), parts.query
    return (
        not url
        or path.endswith(("/subscribe", "/comments", "/share", "/app", "/account", "/leaderboard"))
        or "action=share" in query
        or "gift=true" in query
        or (is_substack_host(parts.hostname or "") and path.startswith("/subscribe"))
        or url.startswith("%%")  # Substack's template placeholders (%%share_url%%)
    )


def _class_text(classes: set[str]) -> str:
    return f' class="{" ".join(sorted(classes))}"' if classes else ""


def _unlink_footnotes(item: Item, missing: set[str]) -> Item:
    """Footnote marks without a footnote become the text ``[label]``."""

    def inlines(children: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for child in children:
            if isinstance(child, FootnoteRef) and child.label in missing:
                out.append(Text(f"[{child.label}]"))
            elif hasattr(child, "children"):
                out.append(type(child)(**{**child.__dict__, "children": inlines(child.children)}))
            else:
                out.append(child)
        return tuple(out)

    def blocks(values: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in values:
            if isinstance(block, Paragraph | Heading):
                out.append(type(block)(**{**block.__dict__, "children": inlines(block.children)}))
            elif isinstance(block, ListBlock):
                out.append(ListBlock(block.ordered, tuple(blocks(i) for i in block.items)))
            elif isinstance(block, Quote):
                out.append(Quote(blocks(block.children)))
            else:
                out.append(block)
        return tuple(out)

    if isinstance(item, Card):
        return Card(**{**item.__dict__, "commentary": blocks(item.commentary)})
    if isinstance(item, Prose | Unmapped):
        return type(item)(**{**item.__dict__, "blocks": blocks(item.blocks)})
    if isinstance(item, Header):
        return Header(item.line, inlines(item.children))
    if isinstance(item, Figure):
        return replace(item, caption=inlines(item.caption))
    return item
