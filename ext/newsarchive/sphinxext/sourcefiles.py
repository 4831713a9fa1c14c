"""Source pages that are not UTF-8, in the build: named with their line and left out of the
book (the rule is :func:`newsarchive.core.sourcefiles.not_utf8`, shared with ``check``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive.core.sourcefiles import not_utf8

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def leave_out_unreadable_sources(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """env-before-read-docs: a page that is not UTF-8 is named (file:line) and left out of
    the book, instead of stopping the build with a traceback."""
    from newsarchive.sphinxext.diagnostics import Subtype, warn

    for docname in list(docnames):
        path = Path(env.doc2path(docname))
        try:
            problem = not_utf8(path.read_bytes())
        except OSError:
            continue
        if problem:
            line, message = problem
            warn(f"{message}; the page is left out of the book", Subtype.SOURCE, f"{path}:{line}")
            docnames.remove(docname)
            env.project.docnames.discard(docname)


def setup_sources(app: Sphinx) -> None:
    app.connect("env-before-read-docs", leave_out_unreadable_sources)
