"""The link finder's old address (``links/index.html``), kept for bookmarks: it leads to the
search page, which lists every link newest first (``search.html?all=1``).

The finder was a second search page over the whole ``links.json``; the search page does
its job from the book's one index, so the finder's address is now a small page of its own
(``templates/finder.html``, not the book's layout): a script carries the finder's choices
over to the search page's address (the same names there: ``q``, ``tag``, ``year``,
``competition``) and replaces the address; without scripts a meta refresh leads to the
listing, and a link says where it went. The page is not for search engines (``noindex``,
its canonical address is the search page's) and is left out of the sitemap
(``exports.py``). ``links.json`` and ``links.csv`` stay, as the link database's export.

It is written only where the search page is the book's own (``newsarchive_search =
"newsarchive"``): Sphinx's search page has no listing to lead to.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.sphinxext.config import FINDER_PAGE, OWN_SEARCH
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.pages import DESCRIPTION_KEY, page_frame, remove_page

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

PAGENAME = FINDER_PAGE
SEARCH_PAGE = "search"
#: The search page's address that lists every link; the finder's choices are added to it.
LISTING_QUERY = "?all=1"
#: The finder's address parameters, each the name of the search page's parameter that
#: means the same (tag slugs, years and competition keys are the same values there).
CARRIED_OVER = ("q", "tag", "year", "competition")
STATE_FILE = "newsarchive-finder.txt"  # in the doctree directory: what the page was drawn from
TITLE = "リンク検索は検索ページへ移りました"
#: Builders that write a website (the page leads to another page of it).
WEB_BUILDERS = frozenset({"html", "dirhtml"})


def root_prefix(app: Sphinx, pagename: str) -> str:
    """The relative path from ``pagename``'s output file up to the book's root."""
    return "../" * app.builder.get_target_uri(pagename).count("/")


def written(app: Sphinx) -> bool:
    """Whether the old address has a page: a website whose search page is ours."""
    return app.builder.name in WEB_BUILDERS and app.config.newsarchive_search == OWN_SEARCH


def listing_uri(app: Sphinx, pagename: str) -> str:
    """The search page's listing of every link, relative to ``pagename``."""
    return app.builder.get_relative_uri(pagename, SEARCH_PAGE) + LISTING_QUERY


def collect_finder_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """html-collect-pages: the old address's page, when what it is drawn from changed.

    Its body is fixed, so only the configuration and the templates can change it; an
    unchanged page is left alone, as incremental builds expect.
    """
    state = Path(app.doctreedir) / STATE_FILE
    output = Path(app.builder.get_outfilename(PAGENAME))  # type: ignore[attr-defined]
    if not written(app):
        if app.builder.name in WEB_BUILDERS and state.exists():
            # Written by an earlier build of this output; it would lead to a missing listing.
            remove_page(output, Path(app.outdir))
            state.unlink()
        return
    base = app.config.html_baseurl
    canonical = (
        base.rstrip("/") + "/" + app.builder.get_target_uri(SEARCH_PAGE)
        if base
        else app.builder.get_relative_uri(PAGENAME, SEARCH_PAGE)
    )
    digest = hashlib.sha1(page_frame(app).encode()).hexdigest()
    if (
        output.exists()
        and state.exists()
        and state.read_text(encoding="utf-8") == digest
        and not news_domain(app.env).run.unfinished  # see unfinished.py
    ):
        return
    state.write_text(digest, encoding="utf-8")
    context = {
        "title": TITLE,
        DESCRIPTION_KEY: "Weekly Kaggle News のリンク検索の旧アドレス。すべてのリンクは検索ページで"
        "新しい順に一覧し、語・タグ・年・コンペで絞り込めます。",
        "wkn_listing": listing_uri(app, PAGENAME),
        "wkn_canonical": canonical,
        "wkn_carried_over": " ".join(CARRIED_OVER),
    }
    yield PAGENAME, context, "finder.html"


def setup_finder(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_finder_page)
