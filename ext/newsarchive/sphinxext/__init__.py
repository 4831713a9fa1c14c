"""The Sphinx extension: link cards, issue pages, index pages, exports, feeds, search and
the overview. Built on :mod:`newsarchive.core`; never imports :mod:`newsarchive.commands`.
``extensions = ["newsarchive"]`` in ``conf.py`` loads it (see :func:`newsarchive.setup`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"


def _add_paths(app: Sphinx, config: Config) -> None:
    """config-inited: our static files and template overrides.

    Done before Sphinx compares the configuration with the previous build's, and with
    new lists (never appending to a default shared by every Config), so an incremental
    build does not see a changed configuration and rewrite every page.
    """
    for name, path in (("html_static_path", STATIC), ("templates_path", TEMPLATES)):
        current = list(getattr(config, name))
        if str(path) not in current:
            setattr(config, name, [*current, str(path)])


def _add_assets(app: Sphinx) -> None:
    """builder-inited: styles and the thumbnail fallback, for HTML builders only."""
    if app.builder.format != "html":
        return
    app.add_css_file("newsarchive.css")
    app.add_js_file("newsarchive.js", loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    from newsarchive.sphinxext.assets import setup_assets
    from newsarchive.sphinxext.cards import setup_cards
    from newsarchive.sphinxext.competition_pages import setup_competitions
    from newsarchive.sphinxext.config import setup_config
    from newsarchive.sphinxext.domain import NewsDomain
    from newsarchive.sphinxext.exports import setup_exports
    from newsarchive.sphinxext.feeds import setup_feeds
    from newsarchive.sphinxext.finder import setup_finder
    from newsarchive.sphinxext.issuelinks import setup_issue_links
    from newsarchive.sphinxext.issuenav import setup_issue_navigation
    from newsarchive.sphinxext.issues import setup_issues
    from newsarchive.sphinxext.linkcheck import setup_linkcheck
    from newsarchive.sphinxext.navigation import setup_navigation
    from newsarchive.sphinxext.nodes import setup_nodes
    from newsarchive.sphinxext.overview import setup_overview
    from newsarchive.sphinxext.pages import setup_pages
    from newsarchive.sphinxext.rawhtml import setup_raw_html
    from newsarchive.sphinxext.search import setup_search
    from newsarchive.sphinxext.sharing import setup_sharing
    from newsarchive.sphinxext.sourcefiles import setup_sources
    from newsarchive.sphinxext.thumbs import setup_thumbs
    from newsarchive.sphinxext.unfinished import setup_unfinished
    from newsarchive.sphinxext.untrusted import setup_untrusted

    setup_config(app)
    setup_nodes(app)
    setup_cards(app)
    app.add_domain(NewsDomain)
    setup_issues(app)
    setup_issue_navigation(app)
    setup_issue_links(app)
    setup_pages(app)
    setup_raw_html(app)
    setup_untrusted(app)
    setup_sources(app)
    setup_unfinished(app)
    setup_exports(app)
    setup_feeds(app)
    setup_sharing(app)
    setup_navigation(app)
    setup_thumbs(app)
    setup_linkcheck(app)
    setup_overview(app)
    setup_search(app)
    setup_finder(app)
    setup_competitions(app)
    setup_assets(app)
    app.connect("config-inited", _add_paths)
    app.connect("builder-inited", _add_assets)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
