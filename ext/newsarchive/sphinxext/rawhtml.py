"""Raw HTML in a page is shown as text, never passed through.

MyST hands inline and block HTML to Sphinx as ``raw`` nodes, which the HTML writer
copies verbatim. Pages are written by contributors, so raw HTML becomes visible text
and a warning instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes

from newsarchive.sphinxext.diagnostics import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx


#: MyST writes a hard line break (a backslash at the end of a line) as this raw node.
HARD_BREAK = re.compile(r"\s*<br\s*/?>\s*")


def neutralise_raw_html(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: replace every raw node with its source as plain text."""
    if app.config.newsarchive_allow_raw_html:
        return
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "html" in raw.get("format", "").split() and HARD_BREAK.fullmatch(text):
            continue  # MyST's own line break, not something a contributor wrote as HTML
        if not text.strip():
            raw.parent.remove(raw)
            continue
        snippet = " ".join(text.split())[:60]
        warn(f"raw HTML is shown as text: {snippet!r}", Subtype.HTML, raw)
        inline = isinstance(raw.parent, nodes.TextElement)
        replacement = nodes.literal(text, text) if inline else nodes.literal_block(text, text)
        raw.replace_self(replacement)


def raw_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Any = None,
    content: Any = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``{raw}`text```: a raw node like the ``raw`` directive's, so it is shown as text
    with the same warning (docutils' own role only fails: it has no output format)."""
    node = nodes.raw(rawtext, text, format="html")
    node.source, node.line = inliner.reporter.get_source_and_line(lineno)
    return [node], []


def setup_raw_html(app: Sphinx) -> None:
    app.add_role("raw", raw_role, override=True)
    app.connect("doctree-read", neutralise_raw_html)
