"""Warnings of the extension: one logger, one warning type, documented subtypes.

Every warning is ``type="newsarchive"`` with a subtype below, so that ``-W`` fails a build
and ``suppress_warnings = ["newsarchive.tag"]`` silences one kind.
"""

from __future__ import annotations

import enum
from typing import Any

from sphinx.util import logging

logger = logging.getLogger("newsarchive")

WARNING_TYPE = "newsarchive"


class Subtype(enum.Enum):
    """What a warning is about."""

    CARD = "card"  #: a ``link`` card: URL, title, options, unsafe values
    FRONTMATTER = "frontmatter"  #: an issue page's front matter
    TAG = "tag"  #: a tag that is not in the vocabulary
    VOCABULARY = "vocabulary"  #: the vocabulary file itself
    CONFIG = "config"  #: a ``newsarchive_*`` value in ``conf.py`` (the default is used)
    HTML = "html"  #: raw HTML in an issue page (shown as text, never passed through)
    SEARCH = "search"  #: the search indexer could not run
    THUMBS = "thumbs"  #: a mirrored thumbnail is missing or unusable
    OVERVIEW = "overview"  #: a chart of the overview page could not be drawn
    SOURCE = "source"  #: a page that cannot be read (not UTF-8)
    UNTRUSTED = "untrusted"  #: a page asks to read a file or URL at build time (refused)
    COMPETITION = "competition"  #: the curated competition file
    ASSETS = "assets"  #: the book theme's icon font could not be cut down to the icons used
    SUBSTACK = "substack"  #: the Substack posts' table (``issues/substack/posts.json``)


def warn(message: str, subtype: Subtype, location: Any = None) -> None:
    logger.warning(message, type=WARNING_TYPE, subtype=subtype.value, location=location)
