"""Tag suggestions for link cards, and re-tagging of MyST issue pages in place.

:func:`suggest_tags` applies the matching rules of the vocabulary to one card; the importer
calls it for every card it writes. :func:`retag_text` finds every ``link`` card of a page
(colon fences ``:::{link}``, backtick or tilde fences, nested fences, cards inside other
directives) and adds the suggested tags to it. Tags already set are kept (aliases become
slugs); only the ``:tags:`` line of a card is written or inserted, so the rest of the page
stays byte-identical.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsarchive.core.sources import Card, parse_page
from newsarchive.core.vocabulary import REGEX_PREFIX, parse_tag_list

if TYPE_CHECKING:
    from newsarchive.core.vocabulary import Tag, Vocabulary

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
#: Markdown links and images keep their text, lose their target; bare URLs go.
_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL_RE = re.compile(r"<?https?://[^\s>)]+>?")


def plain_text(text: str) -> str:
    """The words of a card's text as rules see them: NFKC, case-folded, without URLs."""
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _URL_RE.sub(" ", text)
    return unicodedata.normalize("NFKC", text).casefold()


def _keyword_pattern(keyword: str) -> str:
    """A keyword as a regex: whole ASCII words at ASCII edges, ``*`` for a word's beginning.

    ``re:`` starts a regular expression, used as written (matched ignoring case).
    """
    if keyword.startswith(REGEX_PREFIX):
        return f"(?:{keyword.removeprefix(REGEX_PREFIX)})"
    prefix = keyword.endswith("*")
    word = unicodedata.normalize("NFKC", keyword.rstrip("*")).casefold()
    pattern = r"\s*".join(re.escape(part) for part in word.split())
    if word[:1] in _ASCII_WORD:
        pattern = r"(?<![a-z0-9])" + pattern
    if word[-1:] in _ASCII_WORD and not prefix:
        pattern += r"(?![a-z0-9])"
    return pattern


@functools.cache
def _matcher(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    return re.compile("|".join(map(_keyword_pattern, keywords)), re.IGNORECASE)


def _site_matches(site: str, host: str, path: str) -> bool:
    want_host, slash, want_path = site.partition("/")
    if host != want_host and not host.endswith("." + want_host):
        return False
    prefix = "/" + want_path.strip("/")
    return not slash or path == prefix or path.startswith(prefix + "/")


def matching_rule(tag: Tag, *, host: str, path: str, title: str, text: str) -> str | None:
    """Why ``tag`` applies to a card (``site``, ``title`` or ``keyword``), or None."""
    if any(_site_matches(site, host, path) for site in tag.sites):
        return "site"
    title_rule = _matcher(tag.title_keywords)
    if title_rule and title_rule.search(title):
        return "title"
    keyword_rule = _matcher(tag.keywords)
    if keyword_rule and keyword_rule.search(text):
        return "keyword"
    return None


def suggest_tags(
    *,
    url: str,
    title: str,
    site: str,
    excerpt: str,
    commentary: str,
    vocabulary: Vocabulary,
) -> list[str]:
    """The slugs whose rules match a card, in vocabulary order.

    ``sites`` rules look at the URL's host and path (``site`` when the URL has no host),
    ``title_keywords`` at the title, ``keywords`` at title, excerpt and commentary. Text may
    be plain or MyST: link targets and URLs are ignored.
    """
    try:
        parts = urlsplit(url.strip())
        host, path = (parts.hostname or "").lower(), parts.path
    except ValueError:
        host, path = "", ""
    host = host or site.strip().lower()
    plain_title = plain_text(title)
    text = "\n".join((plain_title, plain_text(excerpt), plain_text(commentary)))
    return [
        tag.slug
        for tag in vocabulary.tags.values()
        if matching_rule(tag, host=host, path=path, title=plain_title, text=text)
    ]


# ---------------------------------------------------------------- cards in MyST pages

#: An option line of a card, with its indentation (rewritten in place).
_OPTION_RE = re.compile(r"^(?P<indent>[ \t]*):(?P<key>[\w-]+):(?:[ \t]+(?P<value>.*?))?[ \t]*$")
#: A line with its ending; \r\n, \r and \n end a line, as markdown-it counts them.
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, numbered as the reader of pages numbers them."""
    return _LINE_RE.findall(text)


def find_cards(text: str, path: Path | str = "<page>") -> list[Card]:
    """Every ``link`` card of a page's text, read as ``check`` and the build read it."""
    return parse_page(text, Path(path)).cards


def tags_line(card: Card) -> int | None:
    """The line of the card's ``:tags:`` option that counts (the last, if given twice)."""
    if "tags" not in card.option_lines:
        return None
    return max(
        [card.option_lines["tags"]] + [again for name, _, again in card.repeated if name == "tags"]
    )


# ---------------------------------------------------------------- re-tagging


@dataclass
class CardChange:
    """What re-tagging did to one card."""

    line: int
    title: str
    added: list[str]
    renamed: list[tuple[str, str]]  #: (name as written, slug)


@dataclass
class PageResult:
    """The outcome of re-tagging one page."""

    path: Path
    text: str  #: the new text (the old one when nothing changed)
    cards: int = 0
    changes: list[CardChange] = field(default_factory=list)
    untagged: list[tuple[int, str]] = field(default_factory=list)  #: (line, title)
    unknown: list[tuple[int, str, str | None]] = field(default_factory=list)  #: (line, name, hint)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def tags_added(self) -> int:
        return sum(len(change.added) for change in self.changes)


def _line_ending(lines: list[str], index: int) -> str:
    for line in (lines[index - 1 : index] if index > 0 else []) + lines:
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith(("\n", "\r")):
            return line[-1]
    return "\n"


def retag_card(
    card: Card, vocabulary: Vocabulary
) -> tuple[list[str], CardChange | None, list[tuple[str, str | None]]]:
    """The card's new tag list, the change (None if none) and its unknown names."""
    written = parse_tag_list(card.options.get("tags", ""))
    tags: list[str] = []
    renamed: list[tuple[str, str]] = []
    unknown: list[tuple[str, str | None]] = []
    for name in written:
        tag = vocabulary.resolve(name)
        if tag is None:
            unknown.append((name, vocabulary.closest(name)))
            slug = name
        else:
            slug = tag.slug
            if slug != name:
                renamed.append((name, slug))
        if slug not in tags:
            tags.append(slug)
    suggested = suggest_tags(
        url=card.url,
        title=card.title,
        site=card.options.get("site", ""),
        excerpt=card.options.get("excerpt", ""),
        commentary=card.body,
        vocabulary=vocabulary,
    )
    added = [slug for slug in suggested if slug not in tags]
    tags += added
    dropped_duplicate = len(tags) - len(added) != len(written)
    if added or renamed or dropped_duplicate:
        return tags, CardChange(card.line, card.title, added, renamed), unknown
    return tags, None, unknown


def retag_text(text: str, vocabulary: Vocabulary, path: Path | str = "<page>") -> PageResult:
    """Add suggested tags to every card of a page's text; see the module's docstring."""
    lines = split_lines(text)
    result = PageResult(Path(path), text)
    inserts: list[tuple[int, str]] = []
    for card in find_cards(text, path):
        result.cards += 1
        tags, change, unknown = retag_card(card, vocabulary)
        result.unknown += [(card.line, name, hint) for name, hint in unknown]
        if not tags:
            result.untagged.append((card.line, card.title))
        if change is None:
            continue
        result.changes.append(change)
        value = ", ".join(tags)
        tags_at = tags_line(card)
        if tags_at is not None:
            old = lines[tags_at - 1]
            ending = old[len(old.rstrip("\r\n")) :]
            option = _OPTION_RE.match(old.rstrip("\r\n"))
            lines[tags_at - 1] = f"{option['indent'] if option else ''}:tags: {value}{ending}"
        else:
            at = card.options_end - 1  # index of the line after the options
            ending = _line_ending(lines, at)
            if at > 0 and not lines[at - 1].endswith(("\n", "\r")):
                lines[at - 1] += ending  # the option line was the file's last, without newline
            inserts.append((at, f"{card.indent}:tags: {value}{ending}"))
    for at, line in sorted(inserts, reverse=True):
        lines.insert(at, line)
    if result.changes:
        result.text = "".join(lines)
    return result
