"""A link card as written: its options, their syntax and the rules its values follow.

Pure: no Sphinx application. The ``link`` directive (:mod:`newsarchive.sphinxext.cards`)
and the reader of source pages (:mod:`newsarchive.core.sources`) share :class:`CardSyntax`,
so a card's argument and options are read the same way by the build and by the commands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any, ClassVar

from docutils.parsers.rst import directives

from newsarchive.core.text import iso_date

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
