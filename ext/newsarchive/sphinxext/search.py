"""The book's search page, ``search.html``, which finds Japanese compounds.

Sphinx's own index splits Japanese with TinySegmenter while its search page does not
split the query, so compounds such as 機械学習 never match (see
``docs/benchmarks/search.md``). With ``newsarchive_search = "newsarchive"``:

- every issue page leaves its cards and intro sections as text (``search_entries.py``) when
  it is written (at ``html-page-context``, so parallel writers work and an incremental
  build refreshes only the pages it rewrites), joined at ``build-finished`` into the index
  under ``_search/`` (``search_index.py``);
- ``search.html`` keeps Sphinx's address and ``?q=`` parameter, so the theme's search box
  and old links still work. It matches the reader's words itself against that index
  (``static/search.js``); ``?all=1`` lists every link, newest first, which is where the
  link finder's old address leads (``finder.py``).

Sphinx's own index is then not built (it would cost build time), and no page loads
Sphinx's search scripts (``assets.py``, ``templates/layout.html``).
The default, ``"sphinx"``, changes nothing, so small test projects keep Sphinx's page.

Earlier versions also built a Pagefind bundle (``_pagefind/``) that no page loaded; a book
built by them loses it at its next build (:func:`remove_pagefind_leftovers`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.sphinxext.config import OWN_SEARCH
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.finder import root_prefix
from newsarchive.sphinxext.pages import DESCRIPTION_KEY
from newsarchive.sphinxext.search_entries import OUTPUT as ENTRIES_FILE
from newsarchive.sphinxext.search_entries import entries_path, write_entries, write_page_entries

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


#: Builders that write a website.
WEB_BUILDERS = frozenset({"html", "dirhtml"})
#: What earlier versions left for Pagefind: the bundle in the output, and in the doctree
#: directory the pages' copies it indexed and the fingerprint of the last index (which
#: shows that the bundle was written by this extension).
PAGEFIND_BUNDLE = "_pagefind"
PAGEFIND_COPIES = "search-pages"
PAGEFIND_STATE = "search-index.json"


def enabled(app: Sphinx) -> bool:
    builder = getattr(app, "builder", None)
    return (
        app.config.newsarchive_search == OWN_SEARCH
        and builder is not None
        and builder.name in WEB_BUILDERS
    )


def choose_engine(app: Sphinx) -> None:
    """builder-inited: Sphinx's own index is not built when the page is ours."""
    if enabled(app):
        app.builder.search = False  # type: ignore[attr-defined]


def write_entries_of_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: leave an issue page's entries for the index."""
    if not enabled(app) or doctree is None or pagename not in app.env.all_docs:
        return
    write_page_entries(app, pagename, doctree)


def missing_entries(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: write again the issue pages whose entries are missing (the first
    build); they are made when a page is written, so nothing needs to be read again."""
    if not enabled(app):
        return []
    return sorted(
        issue.docname
        for issue in news_domain(env).issues()
        if not entries_path(app, issue.docname).exists()
    )


# -- the search page -----------------------------------------------------------------


def collect_search_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """html-collect-pages: ``search.html``, at Sphinx's address, searching our index.

    Rendered by ``templates/search.html``, which is the theme's own search page when
    ``newsarchive_search`` is ``"sphinx"``.
    """
    if not enabled(app):
        return
    context = {
        "title": "検索 Search",
        "wkn_search_page": True,
        # The theme logs an error in a fresh browser when no mode is given.
        "default_mode": "auto",
        "wkn_index": root_prefix(app, "search") + ENTRIES_FILE,
        "wkn_root": root_prefix(app, "search") or "./",
        DESCRIPTION_KEY: "Weekly Kaggle News アーカイブの全文検索（日本語・英語）。",
    }
    yield "search", context, "search.html"


def add_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: the search page's script and styles, on that page only."""
    if enabled(app) and context.get("wkn_search_page"):
        app.add_js_file("search.js", type="module")
        app.add_css_file("search.css")
        context["metatags"] = context.get("metatags", "") + '<meta name="robots" content="noindex">'


# -- the index -----------------------------------------------------------------------


def remove_pagefind_leftovers(app: Sphinx) -> None:
    """The Pagefind bundle an earlier version wrote is not published any more: it goes,
    with the copies it was made from. A ``_pagefind`` folder without that version's
    fingerprint beside the doctrees is not ours, and is left alone."""
    doctrees = Path(app.doctreedir)
    shutil.rmtree(doctrees / PAGEFIND_COPIES, ignore_errors=True)
    state = doctrees / PAGEFIND_STATE
    if state.exists():
        shutil.rmtree(Path(app.outdir) / PAGEFIND_BUNDLE, ignore_errors=True)
        state.unlink()


def build_index(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the search page's index."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    remove_pagefind_leftovers(app)
    if enabled(app):
        write_entries(app)


def setup_search(app: Sphinx) -> None:
    app.connect("builder-inited", choose_engine)
    app.connect("env-get-updated", missing_entries)
    app.connect("html-collect-pages", collect_search_page)
    app.connect("html-page-context", write_entries_of_page)
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", build_index)
