"""Issue pages as the editor's commands see them: front matter, link cards, raw HTML.

A page is parsed with MyST's own markdown-it configuration, so every line number comes
from a token, and a card's argument and options are read by MyST's directive parser with
the ``link`` directive's option spec, exactly as the build reads them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils.parsers.rst.states import MarkupError
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.directives import parse_directive_text
from myst_parser.parsers.mdit import create_md_parser

from newsarchive.core.cards import CardSyntax, option_lines, repeated_options
from newsarchive.core.sourcefiles import editing, read_source, write_source
from newsarchive.core.text import quoted
from newsarchive.core.untrusted import (
    directive_refusal,
    image_refusal,
    is_local,
    link_refusal,
    role_refusal,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: The pages the book takes from ``issues/`` (as ``include_patterns`` in ``docs/conf.py``).
ISSUE_GLOB = "[0-9]*.md"
_ISSUE_NAME = re.compile(r"^(\d+)\.md$")
_DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[^}\s]+)\}\s*(?P<argument>.*)$")
_FENCE_OPENER = re.compile(r"^\s{0,3}(?P<marker>:{3,}|`{3,}|~{3,})\s*\{")
#: Characters YAML cannot hold even in a double-quoted scalar (PyYAML's reader).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_PLAIN_URL = re.compile(r"^https?://[A-Za-z0-9._~:/?\[\]@!$&()*+,;=%-]+$")
_PLAIN_HOST = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


@dataclass(frozen=True)
class Note:
    """Something wrong found while reading a page, at a line (1-based)."""

    line: int
    message: str


@dataclass
class Card:
    """A ``link`` directive as written: its URL, options and where each one is."""

    line: int  #: the opening fence
    url: str
    options: dict[str, str]
    option_lines: dict[str, int]
    body: str = ""
    #: (option, first line, line of the repeat) of each option given twice
    repeated: list[tuple[str, int, int]] = field(default_factory=list)
    #: where an option is added: the line after the last option line (values continued
    #: on indented lines count), and the indentation the option lines have
    options_end: int = 0
    indent: str = ""

    def line_of(self, option: str) -> int:
        return self.option_lines.get(option, self.line)

    @property
    def title(self) -> str:
        return self.options.get("title", "")


@dataclass
class Page:
    """One issue page, read without Sphinx."""

    path: Path
    text: str
    front_matter: str | None = None  #: the YAML between the ``---`` lines
    cards: list[Card] = field(default_factory=list)
    html: list[Note] = field(default_factory=list)  #: raw HTML, with its line
    links: list[Note] = field(default_factory=list)  #: inline link targets, with their line
    directives: list[Note] = field(default_factory=list)  #: other directives' names
    headings: list[tuple[int, int]] = field(default_factory=list)  #: (line, level), outside cards
    notes: list[Note] = field(default_factory=list)  #: malformed MyST
    #: what would read a file or URL at build time (refused by the build)
    refused: list[Note] = field(default_factory=list)

    @property
    def number_from_name(self) -> int | None:
        return number_from_name(self.path)

    @functools.cached_property
    def rows(self) -> list[str]:
        """The page's lines, without their endings (line N is ``rows[N - 1]``)."""
        return self.text.split("\n")


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it.renderer import RendererHTML

    return create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)


def read_page(path: str | Path) -> Page:
    path = Path(path)
    return parse_page(read_source(path).text, path)


def parse_page(text: str, path: Path) -> Page:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    page = Page(path=path, text=text)
    _read_tokens(page, text, first_line=1)
    return page


def _read_tokens(page: Page, text: str, first_line: int) -> None:
    """Collect cards, raw HTML and links from ``text``, which starts at ``first_line``."""
    rows = text.split("\n")
    line = first_line
    for token in _markdown().parse(text):
        if token.map is not None:
            line = first_line + token.map[0]
        if token.type == "front_matter" and first_line == 1:
            page.front_matter = token.content
        elif token.type in {"fence", "colon_fence"}:
            _read_directive(page, token, rows, line)
        elif token.type == "heading_open" and first_line == 1:
            page.headings.append((line, int(token.tag[1:])))
        elif token.type == "html_block":
            page.html.append(Note(line, token.content))
        elif token.type == "inline":
            _read_inline(page, token, line)


def _read_inline(page: Page, token: Token, line: int) -> None:
    for child in token.children or []:
        if child.type in {"softbreak", "hardbreak"}:
            line += 1
        elif child.type == "html_inline":
            page.html.append(Note(line, child.content))
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if child.markup != "autolink":
                page.links.append(Note(line, href))
            if _is_local_file(page, href):
                page.refused.append(Note(line, link_refusal(href)))
        elif child.type in {"image", "myst_role"}:
            refusal = (
                image_refusal(str(child.attrs.get("src", "")))
                if child.type == "image"
                else role_refusal(str(child.meta.get("name", "")))
            )
            if refusal:
                page.refused.append(Note(line, refusal))
            elif child.type == "myst_role" and child.meta.get("name") == "raw":
                page.notes.append(Note(line, "raw output ({raw}) is shown as text"))


def _is_local_file(page: Page, href: str) -> bool:
    """A link MyST turns into a copy of a local file (a download), as the build sees it."""
    if not is_local(href) or href.startswith("#"):
        return False
    if href.startswith("path:"):
        return True
    target = (page.path.parent / href.split("#", 1)[0]).resolve()
    return target.is_file() and target.suffix != ".md"


def _read_directive(page: Page, token: Token, rows: list[str], line: int) -> None:
    match = _DIRECTIVE_INFO.match(token.info.strip())
    if match is None:
        return  # a code block
    name = match["name"]
    assert token.map is not None
    start, end = token.map
    if not _is_closed(token, rows[start + 1 : end]):
        page.notes.append(Note(line, f"{token.markup}{{{name}}} is never closed"))
    if name != "link":
        page.directives.append(Note(line, name))
        _read_other_directive(page, token, name, match["argument"], line)
        return
    for offset, row in enumerate(token.content.split("\n"), start=1):
        nested = _FENCE_OPENER.match(row)
        # A shorter fence of the same kind nests; an equal or longer one ends the card.
        marker = nested["marker"] if nested else ""
        if marker[:1] == token.markup[:1] and len(marker) >= len(token.markup):
            page.notes.append(
                Note(
                    line,
                    f"{token.markup}{{link}} is not closed before the directive "
                    f"at line {line + offset}",
                )
            )
            break
    page.cards.append(_card(page, token, match["argument"], line))


#: Directives whose content is rST, scanned for the directives and roles it uses.
_RST_DIRECTIVE = re.compile(r"^\s*\.\.\s+(?:\|[^|]*\|\s+)?([\w:+-]+)::(.*)$")
_RST_OPTION = re.compile(r"^\s+:([\w-]+):")
_RST_ROLE = re.compile(r":([\w-]+):`")
#: Directives whose content is not MyST (not read for nested directives).
_VERBATIM = frozenset(
    {"code", "code-block", "sourcecode", "code-cell", "math", "raw", "csv-table", "literalinclude"}
)


def _read_other_directive(page: Page, token: Token, name: str, argument: str, line: int) -> None:
    """Refusals of a directive other than ``link``, and of what its content holds."""
    options = option_lines(token.content, line)
    if refusal := directive_refusal(name, options, argument):
        page.refused.append(Note(line, refusal))
    if name == "eval-rst":
        _read_rst(page, token.content, line + 1)
    elif name not in _VERBATIM:
        rows = token.content.split("\n")
        skip = next((i for i, row in enumerate(rows) if not re.match(r"^:[\w-]+:", row)), 0)
        _read_tokens(page, "\n".join(rows[skip:]), first_line=line + 1 + skip)


def _read_rst(page: Page, text: str, first_line: int) -> None:
    rows = text.split("\n")
    for offset, row in enumerate(rows):
        for role in _RST_ROLE.findall(row):
            if refusal := role_refusal(role):
                page.refused.append(Note(first_line + offset, refusal))
        match = _RST_DIRECTIVE.match(row)
        if match is None:
            continue
        options = []
        for following in rows[offset + 1 :]:
            option = _RST_OPTION.match(following)
            if option is None:
                break
            options.append(option[1])
        if refusal := directive_refusal(match[1], options, match[2].strip()):
            page.refused.append(Note(first_line + offset, refusal))


def _is_closed(token: Token, rows: list[str]) -> bool:
    if not rows:
        return False
    last = rows[-1].strip()
    marker = token.markup[0]
    return len(last) >= len(token.markup) and last == marker * len(last)


def _card(page: Page, token: Token, argument: str, line: int) -> Card:
    try:
        parsed = parse_directive_text(CardSyntax, argument, token.content, line=line)
    except MarkupError as error:
        page.notes.append(Note(line, f"{{link}} cannot be read: {error}"))
        return Card(
            line=line, url=argument.strip(), options={}, option_lines={}, **_ends(page, line)
        )
    for warning in parsed.warnings:
        page.notes.append(Note(warning.lineno or line, warning.msg))
    card = Card(
        line=line,
        url=parsed.arguments[0].strip() if parsed.arguments else "",
        options={key: str(value) for key, value in parsed.options.items()},
        option_lines=option_lines(token.content, line),
        body="\n".join(parsed.body),
        repeated=repeated_options(token.content, line),
        **_ends(page, line),
    )
    body_line = line + 1 + parsed.body_offset
    _read_tokens(page, card.body, first_line=body_line)
    return card


_OPTION_ROW = re.compile(r"^(?P<indent>[ \t]*):[\w-]+:")
_INDENT = re.compile(r"^[ \t]*")


def _ends(page: Page, line: int) -> dict[str, Any]:
    """``options_end`` and ``indent`` of the card opening at ``line``, read on the page's
    own rows (a nested card's rows keep the indentation of what holds it)."""
    rows = page.rows
    indent = _INDENT.match(rows[line - 1])[0]  # type: ignore[index]
    end, last_option_indent = line + 1, None
    while end <= len(rows):
        row = rows[end - 1]
        option = _OPTION_ROW.match(row)
        if option:
            indent = last_option_indent = option["indent"]
        elif not (
            last_option_indent is not None
            and row.strip()
            and len(row) - len(row.lstrip(" \t")) > len(last_option_indent)
        ):
            break  # not a value continued on an indented line
        end += 1
    return {"options_end": end, "indent": indent}


# -- the archive's files ---------------------------------------------------------------
def number_from_name(path: Path) -> int | None:
    match = _ISSUE_NAME.match(path.name)
    return int(match[1]) if match else None


def issue_path(directory: Path, number: int) -> Path:
    return directory / f"{number:04d}.md"


def claim_order(number: int, path: str | Path) -> tuple[bool, str]:
    """Sort key of the pages that give the same issue number: the page named for it owns
    the number and comes first (the others are the ones to blame), then by path."""
    return (Path(path).name != issue_path(Path(), number).name, str(path))


def issue_files(directory: Path) -> list[Path]:
    """The issue pages of ``directory``, by number (then name)."""
    return sorted(
        directory.glob(ISSUE_GLOB),
        key=lambda p: (number_from_name(p) is None, number_from_name(p) or 0, p.name),
    )


def newest_issue(directory: Path) -> Path | None:
    numbered = [p for p in issue_files(directory) if number_from_name(p) is not None]
    return numbered[-1] if numbered else None


# -- writing ---------------------------------------------------------------------------
def one_line(value: str) -> str:
    """``value`` on one line: whitespace runs (newlines too) collapsed, controls dropped."""
    return _NON_PRINTABLE.sub("", " ".join(value.split()))


def card_text(
    url: str,
    *,
    title: str,
    image: str = "",
    site: str = "",
    excerpt: str = "",
    tags: list[str] | None = None,
) -> str:
    """A ``:::{link}`` card in the archive's format, with an empty commentary."""
    rows = [f":::{{link}} {url}", f":title: {quoted(title)}"]
    if image:
        rows.append(f":image: {image if _PLAIN_URL.match(image) else quoted(image)}")
    if site:
        rows.append(f":site: {site if _PLAIN_HOST.match(site) else quoted(site)}")
    if excerpt:
        rows.append(f":excerpt: {quoted(excerpt)}")
    if tags:
        rows.append(f":tags: {', '.join(tags)}")
    rows += ["", ":::"]
    return "\n".join(rows) + "\n"


def append_card(path: Path, card: str, *, check: Callable[[Page], None] | None = None) -> int:
    """Append ``card`` to the page at ``path``; the line of its opening fence.

    The page is read, checked (``check`` may raise) and written under its folder's lock,
    so concurrent commands each add their card; its BOM and line ends are kept.
    """
    with editing(path):
        source = read_source(path)
        if check is not None:
            check(parse_page(source.text, path))
        text = source.text.rstrip("\n")
        text = f"{text}\n\n{card}" if text else card
        write_source(path, text, source)
    return text.count("\n", 0, len(text) - len(card)) + 1
