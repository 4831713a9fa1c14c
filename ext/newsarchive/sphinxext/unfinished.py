"""A build that was stopped is finished by the next one.

Sphinx saves its environment after reading and before writing. Our incremental rules
(previous / next, issue lists, the sidebar, the overview) record in that environment what
each page shows, so a build stopped while writing (Ctrl-C, a killed job) would leave pages
that the next build believes current. A marker in the doctree folder says a build of this
builder has started and not finished; while it is there, the next build writes every page
again (without reading them again), and the files written at the end (``links.json``,
feeds, the sitemap) are recomputed as always.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive.sphinxext.domain import news_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def _marker(app: Sphinx) -> Path:
    return Path(app.doctreedir) / f"newsarchive-{app.builder.name}-unfinished"


def start(app: Sphinx) -> None:
    """builder-inited: remember whether the last build finished, then mark this one."""
    marker = _marker(app)
    news_domain(app.env).run.unfinished = marker.exists()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def rewrite_all_after_a_stop(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: every page, when the last build was stopped."""
    return sorted(env.found_docs) if news_domain(env).run.unfinished else []


def finish(app: Sphinx, exception: Exception | None) -> None:
    """build-finished (last of all): a build that ran to its end removes the marker."""
    if exception is None:
        _marker(app).unlink(missing_ok=True)


def setup_unfinished(app: Sphinx) -> None:
    app.connect("builder-inited", start)
    app.connect("env-get-updated", rewrite_all_after_a_stop)
    app.connect("build-finished", finish, priority=900)
