"""Link checking in the build: Sphinx's ``linkcheck`` builder sees every card link
(``card_link`` is a ``reference``) and every link of the intro. Here archived copies
(``web.archive.org``) are never checked, sites known to refuse automated checks are not
requested (``newsarchive_linkcheck_by_hand``), and the cards of the build are written next to
``output.json`` (``cards.json``: every card with its issue, anchor, file and line, also those
sharing a URL that Sphinx checked once) for ``newsarchive linkreport``
(:mod:`newsarchive.commands.linkreport`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive.sphinxext.domain import news_domain

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Archived copies: ours, computed; checking them would only load the Wayback Machine.
ARCHIVE_PATTERN = r"^https?://web\.archive\.org/"
CARDS_FILE = "cards.json"


def host_patterns(hosts: Iterable[str]) -> list[str]:
    """``linkcheck_ignore`` patterns for every URL on ``hosts`` and their subdomains."""
    return [
        rf"^https?://([^/?#@]*\.)?{re.escape(host.lower().strip('.'))}(:\d+)?([/?#]|$)"
        for host in hosts
    ]


def add_ignore_patterns(app: Sphinx, config: Config) -> None:
    """config-inited: never check archived copies; do not request by-hand sites."""
    hosts = config.newsarchive_linkcheck_by_hand  # checked by config.check_config
    extra = [ARCHIVE_PATTERN, *host_patterns(hosts)]
    config.linkcheck_ignore = [*config.linkcheck_ignore, *extra]  # a new list, never appended


def write_cards(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished (linkcheck): every card of the book, for ``newsarchive linkreport``."""
    if exception is not None or app.builder.name != "linkcheck":
        return
    domain = news_domain(app.env)
    cards = [
        {
            "file": str(app.env.doc2path(card.docname, False)),
            "line": card.line,
            "issue": issue.number,
            "anchor": card.anchor,
            "title": card.title,
            "url": card.url,
            "status": card.status,
        }
        for issue, card in domain.issue_cards()
    ]
    data = {
        "srcdir": str(app.srcdir),
        "by_hand_hosts": list(app.config.newsarchive_linkcheck_by_hand),
        "cards": cards,
    }
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    Path(app.outdir, CARDS_FILE).write_text(text, encoding="utf-8")


def setup_linkcheck(app: Sphinx) -> None:
    app.connect("config-inited", add_ignore_patterns)
    app.connect("build-finished", write_cards)
