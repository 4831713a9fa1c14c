"""The Weekly Kaggle News archive: link cards, issue pages and indexes for Sphinx
(:mod:`newsarchive.sphinxext`), the ``newsarchive`` command line
(:mod:`newsarchive.commands`), and the content model both use (:mod:`newsarchive.core`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """``extensions = ["newsarchive"]`` loads the Sphinx extension."""
    from newsarchive.sphinxext import setup as setup_extension

    return setup_extension(app)
