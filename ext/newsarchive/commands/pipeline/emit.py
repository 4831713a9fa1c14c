"""Write an imported issue as a MyST page (the format of ``issues/NNNN.md``).

Text is escaped so that it reads back as the same text: nothing in it becomes raw HTML,
a role, a directive, a heading or any other markup. Option values are double-quoted with
backslash escapes, so MyST's option parser returns them exactly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

from newsarchive.commands.pipeline.model import (
    Block,
    Card,
    Code,
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
    Issue,
    Item,
    LineBreak,
    ListBlock,
    Paragraph,
    Prose,
    Quote,
    Strong,
    Text,
    Unmapped,
)
from newsarchive.core.text import quoted

TAG_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Escaping text ---------------------------------------------------------------------------

_ALWAYS_ESCAPED = frozenset("\\`*_[]<")
_ENTITY_LIKE = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]*;)")
_LINE_START_ESCAPED = frozenset("#>+-=|:%~")
_ORDERED_MARKER = re.compile(r"(\d{1,9})([.)])")
_TARGET_LIKE = re.compile(r"\(.*\)=\s*$")


def escape_text(text: str) -> str:
    """``text`` as Markdown that renders as exactly this text, anywhere within a line."""
    escaped = "".join("\\" + ch if ch in _ALWAYS_ESCAPED else ch for ch in text)
    return _ENTITY_LIKE.sub(r"\\&", escaped)


def escape_line_start(line: str) -> str:
    """Keep the start of a line from reading as a block (heading, list, fence, comment …)."""
    if not line:
        return line
    if line[0] in _LINE_START_ESCAPED or _TARGET_LIKE.match(line):
        return "\\" + line
    if match := _ORDERED_MARKER.match(line):
        return f"{match[1]}\\{match[2]}{line[match.end() :]}"
    return line


def plain_or_quoted(value: str) -> str:
    """A URL or host as it is when MyST reads it back unchanged, else quoted."""
    value = " ".join(value.split())
    if re.fullmatch(r"[A-Za-z0-9][^\s\"'\\]*", value) and not value.endswith(":"):
        return value
    return quoted(value)


def directive_argument(url: str) -> str:
    """``url`` as a directive argument: one token, read as written (no escapes)."""
    return re.sub(r"\s", lambda space: quote(space[0]), url.strip())


def link_destination(url: str) -> str:
    """``url`` as a Markdown link destination."""
    for raw, encoded in (("\\", "%5C"), (" ", "%20"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(raw, encoded)
    return url.replace("(", "\\(").replace(")", "\\)")


# Inlines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Delimited:
    """Strong or emphasis, written once its neighbours are known (CommonMark flanking)."""

    marker: str
    role: str
    inner: str
    plain: str | None


def _is_punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


def _flanks(before: str, first: str, last: str, after: str) -> bool:
    """Whether ``**inner**`` between ``before`` and ``after`` opens and closes (CommonMark)."""
    opens = not (
        isWhiteSpace(ord(first))
        or (_is_punct(first) and not (isWhiteSpace(ord(before)) or _is_punct(before)))
    )
    closes = not (
        isWhiteSpace(ord(last))
        or (_is_punct(last) and not (isWhiteSpace(ord(after)) or _is_punct(after)))
    )
    return opens and closes


def _code_span(text: str, prefix: str = "") -> str:
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.strip()):
        text = f" {text} "
    return f"{prefix}{fence}{text}{fence}"


def render_inlines(children: tuple[Inline, ...]) -> str:
    """Inline content as Markdown, on one line (line breaks are split off by paragraphs)."""
    parts = [_render_inline(child) for child in children]
    out: list[str] = []
    for index, part in enumerate(parts):
        if isinstance(part, str):
            out.append(part)
            continue
        before = out[-1][-1:] if out and out[-1] else " "
        following = parts[index + 1] if index + 1 < len(parts) else " "
        after = following[:1] if isinstance(following, str) else ""
        out.append(_resolve(part, before or " ", after or " ", isinstance(following, _Delimited)))
    return "".join(out)


def _resolve(part: _Delimited, before: str, after: str, crowded: bool) -> str:
    lead = part.inner[: len(part.inner) - len(part.inner.lstrip())]
    core = part.inner.strip()
    trail = part.inner[len(lead) + len(core) :]
    if not core:
        return part.inner
    edge_before = lead[-1:] or before
    edge_after = trail[:1] or after
    if not crowded and _flanks(edge_before, core[0], core[-1], edge_after):
        return f"{lead}{part.marker}{core}{part.marker}{trail}"
    if part.plain is not None and part.plain.strip() and "`" not in part.plain:
        return f"{lead}{{{part.role}}}`{part.plain.strip()}`{trail}"
    return part.inner  # cannot be marked up here without stray asterisks: keep the words


def _render_inline(child: Inline) -> str | _Delimited:
    if isinstance(child, Text):
        return escape_text(child.text)
    if isinstance(child, LineBreak):
        return " "
    if isinstance(child, Code):
        return _code_span(child.text) if child.text else ""
    if isinstance(child, Strong | Emphasis):
        inner = render_inlines(child.children)
        only_text = all(isinstance(c, Text) for c in child.children)
        plain = "".join(c.text for c in child.children if isinstance(c, Text))
        if isinstance(child, Strong):
            return _Delimited("**", "strong", inner, plain if only_text else None)
        return _Delimited("*", "emphasis", inner, plain if only_text else None)
    if isinstance(child, Hyperlink):
        text = render_inlines(child.children).strip()
        return f"[{text or escape_text(child.url)}]({link_destination(child.url)})"
    if isinstance(child, InlineImage):
        return f"![{escape_text(child.alt)}]({link_destination(child.url)})"
    if isinstance(child, FootnoteRef):
        return f"[^{child.label}]"
    raise TypeError(f"not an inline: {child!r}")


# Blocks -----------------------------------------------------------------------------------


def render_blocks(blocks: tuple[Block, ...], *, in_card: bool = False) -> str:
    """Blocks as Markdown, separated by blank lines. In a card, headings become bold lines."""
    out: list[str] = []
    previous: Block | None = None
    for block in blocks:
        alternate = (
            isinstance(block, ListBlock)
            and isinstance(previous, ListBlock)
            and previous.ordered == block.ordered
            and not out[-1].startswith(("* ", "1) "))
        )
        rendered = _render_block(block, in_card=in_card, alternate=alternate)
        if rendered:
            out.append(rendered)
            previous = block
    return "\n\n".join(out)


def _render_block(block: Block, *, in_card: bool, alternate: bool = False) -> str:
    if isinstance(block, Paragraph):
        # A line break ends the paragraph: MyST writes hard breaks as raw HTML, which pages
        # must not hold.
        lines = (render_inlines(tuple(part)).strip() for part in _split_at_breaks(block.children))
        return "\n\n".join(escape_line_start(line) for line in lines if line)
    if isinstance(block, Heading):
        if in_card:  # sections cannot start inside a directive
            return _render_block(Paragraph((Strong(block.children),)), in_card=True)
        return heading_line(max(2, min(block.level, 6)), block.children)
    if isinstance(block, ListBlock):
        return _render_list(block, in_card=in_card, alternate=alternate)
    if isinstance(block, Quote):
        inner = render_blocks(block.children, in_card=in_card)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if isinstance(block, CodeBlock):
        runs = [len(run) for run in re.findall(r"`{3,}", block.text)]
        fence = "`" * max(3, max(runs, default=0) + 1)
        return f"{fence}\n{block.text}\n{fence}"
    raise TypeError(f"not a block: {block!r}")


def _split_at_breaks(children: tuple[Inline, ...]) -> list[list[Inline]]:
    parts: list[list[Inline]] = [[]]
    for child in children:
        if isinstance(child, LineBreak):
            parts.append([])
        else:
            parts[-1].append(child)
    return parts


def _render_list(block: ListBlock, *, in_card: bool, alternate: bool) -> str:
    rendered_items = []
    for number, item in enumerate(block.items, start=1):
        if block.ordered:
            marker = f"{number}{')' if alternate else '.'} "
        else:
            marker = "* " if alternate else "- "
        body = render_blocks(item, in_card=in_card)
        lines = body.split("\n") if body else [""]
        indent = " " * len(marker)
        rest = [f"{indent}{line}" if line else "" for line in lines[1:]]
        rendered_items.append("\n".join([f"{marker}{lines[0]}".rstrip(), *rest]))
    tight = all(
        len(item) <= 1 and all(isinstance(b, Paragraph) for b in item) for item in block.items
    )
    return ("\n" if tight else "\n\n").join(rendered_items)


def heading_line(level: int, children: tuple[Inline, ...]) -> str:
    text = " ".join(render_inlines(children).split())
    text = re.sub(r"(^|\s)(#+)$", r"\1\\\2", text)  # not a closing sequence
    return f"{'#' * level} {text}"


# Items and pages --------------------------------------------------------------------------


def _fence_for(body: str) -> str:
    runs = [len(line) - len(line.lstrip(":")) for line in (s.lstrip() for s in body.split("\n"))]
    return ":" * max(3, max(runs, default=0) + 1)


def emit_card(card: Card) -> str:
    options = [f":title: {quoted(card.title)}"]
    if card.image:
        options.append(f":image: {plain_or_quoted(card.image)}")
    if card.site:
        options.append(f":site: {plain_or_quoted(card.site)}")
    if card.excerpt:
        options.append(f":excerpt: {quoted(card.excerpt)}")
    tags = [tag for tag in card.tags if TAG_SLUG.fullmatch(tag)]
    if tags:
        options.append(f":tags: {', '.join(tags)}")
    body = render_blocks(card.commentary, in_card=True)
    fence = _fence_for(body)
    lines = [f"{fence}{{link}} {directive_argument(card.url)}", *options]
    if body:
        lines += ["", body]
    lines.append(fence)
    return "\n".join(lines)


def emit_figure(figure: Figure) -> str:
    caption = render_blocks((Paragraph(figure.caption),), in_card=True) if figure.caption else ""
    directive = "figure" if caption else "image"
    fence = _fence_for(caption)
    lines = [f"{fence}{{{directive}}} {directive_argument(figure.image)}"]
    if figure.alt:
        lines.append(f":alt: {quoted(figure.alt)}")
    if figure.target:
        lines.append(f":target: {plain_or_quoted(figure.target)}")
    if caption:
        lines += ["", caption]
    lines.append(fence)
    return "\n".join(lines)


def emit_item(item: Item) -> str:
    if isinstance(item, Card):
        return emit_card(item)
    if isinstance(item, Header):
        return heading_line(2, item.children)
    if isinstance(item, Figure):
        return emit_figure(item)
    if isinstance(item, Prose):
        return render_blocks(item.blocks)
    if isinstance(item, Unmapped):
        comment = f"% {item.origin} item kept as text ({item.reason}, source line {item.line})"
        body = render_blocks(item.blocks)
        return f"{comment}\n{body}" if body else comment
    raise TypeError(f"not an item: {item!r}")


def front_matter(issue: Issue) -> str:
    source = issue.source
    if not re.fullmatch(r"[A-Za-z0-9:/._~%?&=+-]+", source):
        source = json.dumps(source, ensure_ascii=False)
    title = json.dumps(" ".join(issue.title.split()), ensure_ascii=False)
    return "\n".join(
        [
            "---",
            f"issue: {issue.number}",
            f"date: {issue.date.isoformat()}",
            f"title: {title}",
            f"source: {source}",
            *([f"follows: {issue.follows}"] if issue.follows is not None else []),
            "---",
        ]
    )


def emit_footnote(footnote: Footnote) -> str:
    """``[^label]: text``; later blocks are indented under it."""
    body = render_blocks(footnote.blocks, in_card=True)
    first, *rest = body.split("\n") if body else [""]
    lines = [f"[^{footnote.label}]: {first}".rstrip()]
    lines += [f"    {line}" if line else "" for line in rest]
    return "\n".join(lines)


def emit_page(issue: Issue) -> str:
    """The whole page: front matter, title, intro, then the items in order."""
    head = f"{front_matter(issue)}\n{heading_line(1, (Text(issue.title),))}"
    parts = [head]
    if intro := render_blocks(issue.intro):
        parts.append(intro)
    parts.extend(emit_item(item) for item in issue.items)
    parts.extend(emit_footnote(footnote) for footnote in issue.footnotes)
    return "\n\n".join(part for part in parts if part) + "\n"
