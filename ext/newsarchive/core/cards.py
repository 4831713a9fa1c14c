"""A link card as written: its options, their syntax and the rules its values follow.

Pure: no Sphinx application. The ``link`` directive (:mod:`newsarchive.sphinxext.cards`)
and the reader of source pages (:mod:`newsarchive.core.sources`) share :class:`CardSyntax`,
so a card's argument and options are read the same way by the build and by the commands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives

from newsarchive.core.findings import Finding, Kind
from newsarchive.core.text import iso_date
from newsarchive.core.urls import is_http_url, tracking_params
from newsarchive.core.vocabulary import parse_tag_list

if TYPE_CHECKING:
    from newsarchive.core.vocabulary import Vocabulary

#: Markup that must never reach a page as markup: tags, entities aside, and template syntax.
_HTML_LIKE = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>?")
_TEMPLATE_LIKE = re.compile(r"\{\{|\}\}|\{%|%\}")

#: Values of a card's ``:status:``: ``dead`` makes the archived copy the card's link.
CARD_STATUSES = ("live", "dead")


def suspicious_markup(value: str) -> str | None:
    """Why ``value`` looks like HTML or template code, or None."""
    if _HTML_LIKE.search(value):
        return "HTML"
    if _TEMPLATE_LIKE.search(value):
        return "template syntax ({{ }})"
    return None


def parse_issue_date(value: object) -> dt.date | None:
    """An issue's date: a date YAML already read, or text written YYYY-MM-DD."""
    if isinstance(value, dt.date):
        return value
    return iso_date(str(value).strip())


def site_hue(site: str) -> str:
    """A stable colour per site for the thumbnail placeholder."""
    hue = int(hashlib.sha1(site.encode()).hexdigest()[:4], 16) % 360
    return str(hue)


def site_initial(site: str) -> str:
    name = site.removeprefix("www.")
    return (name[:1] or "?").upper()


class CardSyntax:
    """The ``:::{link} URL`` directive's shape, as docutils and MyST's parser read it."""

    has_content = True
    required_arguments = 0  # a missing URL is our warning, not a dropped card
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {
        "title": directives.unchanged,
        "image": directives.unchanged,
        "site": directives.unchanged,
        "excerpt": directives.unchanged,
        "tags": directives.unchanged,
        "status": directives.unchanged,
    }


def option_lines(content: str, line: int) -> dict[str, int]:
    """Line of each ``:name:`` option at the top of a card's content (the card opens at
    ``line``)."""
    lines: dict[str, int] = {}
    for offset, row in enumerate(content.split("\n"), start=1):
        match = re.match(r"^:([\w-]+):", row)
        if match is None:
            break
        lines.setdefault(match[1], line + offset)
    return lines


def repeated_options(content: str, line: int) -> list[tuple[str, int, int]]:
    """(name, line of its first value, line of the repeat) for each option given twice at
    the top of a card's content: only the last value would count."""
    first: dict[str, int] = {}
    repeated: list[tuple[str, int, int]] = []
    for offset, row in enumerate(content.split("\n"), start=1):
        match = re.match(r"^:([\w-]+):", row)
        if match is None:
            break
        if match[1] in first:
            repeated.append((match[1], first[match[1]], line + offset))
        first.setdefault(match[1], line + offset)
    return repeated


@dataclass
class JudgedCard:
    """A card's values as the rules accept them ("" where a value is refused), and what is
    wrong with it."""

    url: str = ""
    title: str = ""
    site: str = ""  #: as written; the build falls back to the URL's host
    excerpt: str = ""
    image: str = ""
    tags: list[tuple[str, str]] = field(default_factory=list)  #: (slug, Japanese label)
    status: str = "live"
    findings: list[Finding] = field(default_factory=list)


def judge_card(
    url: str,
    options: dict[str, str],
    *,
    line: int,
    lines: dict[str, int] | None = None,
    vocabulary: Vocabulary | None = None,
    repeated: Sequence[tuple[str, int, int]] = (),
) -> JudgedCard:
    """The card opening at ``line`` with argument ``url`` and ``options`` (option -> line in
    ``lines``), judged; tags are checked when a ``vocabulary`` is given."""
    lines = lines or {}
    card = JudgedCard()

    def problem(message: str, option: str | None = None, kind: Kind = "card") -> None:
        card.findings.append(Finding(lines.get(option, line) if option else line, message, kind))

    url = url.strip()
    if not url:
        problem("link card has no URL (the directive's argument)")
    elif (
        not is_http_url(url)
        or any(character.isspace() for character in url)
        or not url.isprintable()  # a control character (urlsplit would skip a leading one)
    ):
        problem(f"link card URL must be http or https, not {url!r}; shown without a link")
    else:
        card.url = url
        if params := tracking_params(url):
            problem(f"link card URL has tracking parameters ({', '.join(params)}); remove them")
    for name, first, again in repeated:
        card.findings.append(
            Finding(
                again,
                f"link card has :{name}: twice (first at line {first}); only this value is used",
                "card",
            )
        )
    card.title = " ".join(options.get("title", "").split())
    if not card.title:
        problem("link card has no :title: (required)")
    for option in ("title", "site", "excerpt"):
        value = " ".join(options.get(option, "").split())
        if value and (kind := suspicious_markup(value)):
            problem(f"link card :{option}: contains {kind}; shown as text", option)
    card.site = " ".join(options.get("site", "").split())
    card.excerpt = " ".join(options.get("excerpt", "").split())
    image = options.get("image", "").strip()
    if image and not is_http_url(image):
        problem(f"link card :image: must be http or https, not {image!r}", "image")
    else:
        card.image = image
    status = " ".join(options.get("status", "").split()).lower()
    if status and status not in CARD_STATUSES:
        known = " or ".join(repr(value) for value in CARD_STATUSES)
        problem(f"link card :status: must be {known}, not {status!r}; ignored", "status")
    elif status:
        card.status = status
    if vocabulary is not None and options.get("tags", "").strip():
        for name in parse_tag_list(options["tags"]):
            tag = vocabulary.resolve(name)
            if tag is None:
                problem(unknown_tag(vocabulary, name), "tags", "tag")
            elif tag.slug not in (slug for slug, _ in card.tags):
                card.tags.append((tag.slug, tag.label_ja))
    return card


def unknown_tag(vocabulary: Vocabulary, name: str) -> str:
    """The message for a tag not in the vocabulary, naming the closest known tag."""
    hint = vocabulary.closest(name)
    return f"unknown tag {name!r}" + (f"; did you mean {hint!r}?" if hint else "")
