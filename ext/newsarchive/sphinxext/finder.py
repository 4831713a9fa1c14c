"""The link finder (``links/index.html``): every link of the archive, filtered as you type.

A static page: ``static/finder.js`` loads ``links.json`` (written by ``exports.py``) and
filters it in the browser by words (title, excerpt, commentary, site), tag and year, with
counts. No server and no index to build, so it is written for every HTML build.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from newsarchive.sphinxext.config import FINDER_PAGE
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.pages import DESCRIPTION_KEY, page_frame

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

PAGENAME = FINDER_PAGE
STATE_FILE = "newsarchive-finder.txt"  # in the doctree directory: what the page was drawn from
TITLE = "リンク検索 Link finder"
#: Builders that write a website (the page fetches links.json next to it).
WEB_BUILDERS = frozenset({"html", "dirhtml"})

#: The page bodies' templates: every value is text, escaped when rendered.
templates = jinja2.Environment(
    loader=jinja2.PackageLoader("newsarchive.sphinxext", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def root_prefix(app: Sphinx, pagename: str) -> str:
    """The relative path from ``pagename``'s output file up to the book's root."""
    return "../" * app.builder.get_target_uri(pagename).count("/")


def collect_finder_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """html-collect-pages: the link finder page, when what it shows changed.

    Its body is fixed (the data is fetched), so only the sidebar and the configuration
    can change it; an unchanged page is left alone, as incremental builds expect.
    """
    if app.builder.name not in WEB_BUILDERS:
        return
    root = root_prefix(app, PAGENAME)
    body = templates.get_template("finder.html").render(
        root=root, source=root + "links.json", csv=root + "links.csv"
    )
    drawn_from = "\n".join((page_frame(app), body))
    digest = hashlib.sha1(drawn_from.encode()).hexdigest()
    state = Path(app.doctreedir) / STATE_FILE
    output = Path(app.builder.get_outfilename(PAGENAME))  # type: ignore[attr-defined]
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
        "body": Markup(body),
        DESCRIPTION_KEY: "Weekly Kaggle News が紹介したすべてのリンクを、語・タグ・年で絞り込む。",
        "wkn_finder_page": True,
    }
    yield PAGENAME, context, "page.html"


def add_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: the finder's script and styles, on its page only."""
    if context.get("wkn_finder_page"):
        app.add_js_file("finder.js", loading_method="defer")
        app.add_css_file("search.css")


def setup_finder(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_finder_page)
    app.connect("html-page-context", add_page_assets)
