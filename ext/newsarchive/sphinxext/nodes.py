"""Docutils nodes of a card, and how each builder renders them.

A card is a ``link_card`` holding standard nodes (paragraphs, references, a container for
the commentary), so Sphinx's search indexes its words and every builder can render it.
Only the thumbnail and the outbound link need HTML of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from newsarchive.core.thumbnails import THUMB_SIZE

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


class link_card(nodes.General, nodes.Element):
    """One curated link: the card container."""


class card_thumbnail(nodes.General, nodes.Element):
    """A card's thumbnail; HTML only (other builders would try to download it)."""


class card_title(nodes.paragraph):
    """A card's title: a heading one level below its section in HTML (so the card's
    ``article`` is named by it), a paragraph in every other builder."""


class card_link(nodes.reference):
    """The card's outbound link (HTML adds ``rel="noopener"``)."""


class card_tag(nodes.reference):
    """A tag chip; linked to the tag page in HTML, plain text elsewhere."""


class issue_list(nodes.General, nodes.Element):
    """Placeholder for the list of issues, filled when the document is resolved."""


class issue_pager(nodes.General, nodes.Element):
    """Placeholder for the previous / next issue links."""


def visit_card_html(self: HTML5Translator, node: link_card) -> None:
    self.body.append(self.starttag(node, "article", CLASS="wkn-card"))


def depart_card_html(self: HTML5Translator, node: link_card) -> None:
    self.body.append("</article>\n")


def _card_title_tag(self: HTML5Translator) -> str:
    # One level below the headings of the section the card sits in (docutils numbers
    # them section_level + initial_header_level - 1).
    level = max(self.section_level, 1) + self.initial_header_level
    return f"h{min(level, 6)}"


def visit_card_title_html(self: HTML5Translator, node: card_title) -> None:
    self.body.append(self.starttag(node, _card_title_tag(self), ""))


def depart_card_title_html(self: HTML5Translator, node: card_title) -> None:
    self.body.append(f"</{_card_title_tag(self)}>\n")


def visit_thumbnail_html(self: HTML5Translator, node: card_thumbnail) -> None:
    # The fallback (the site's initial) sits under the image; the script hides a
    # broken image so the fallback shows, never a broken-image icon. A mirrored image
    # is shown from the book's own copy (``src``, set by newsarchive.thumbs). A builder that
    # may not load remote images (the e-book holds its own files only) shows the initial.
    initial = node.get("initial", "?")
    remote = node.get("uri") if self.builder.supported_remote_images else ""
    src = node.get("src") or remote
    classes = "wkn-card-thumb" + ("" if src else " wkn-thumb-missing")
    self.body.append(
        self.starttag(node, "div", CLASS=classes, style=f"--wkn-hue: {int(node['hue'])}")
    )
    self.body.append(self.starttag(nodes.inline(), "span", "", CLASS="wkn-thumb-fallback"))
    self.body.append(self.encode(initial) + "</span>")
    if src:
        attributes: dict[str, Any] = {
            "src": src,
            "alt": node.get("alt", ""),
            "loading": "lazy",
            "decoding": "async",
            "width": THUMB_SIZE,
            "height": THUMB_SIZE,
            "referrerpolicy": "no-referrer",
        }
        self.body.append(self.starttag(nodes.image(), "img", "", empty=True, **attributes))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def skip_node(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def visit_card_link_html(self: HTML5Translator, node: card_link) -> None:
    self.body.append(
        self.starttag(
            node, "a", "", href=node["refuri"], rel="noopener", CLASS="reference external"
        )
    )


def depart_card_link_html(self: HTML5Translator, node: card_link) -> None:
    self.body.append("</a>")


def visit_passthrough(self: Any, node: nodes.Node) -> None:
    """Non-HTML builders render a card's children as they are."""


def depart_passthrough(self: Any, node: nodes.Node) -> None:
    pass


def setup_nodes(app: Sphinx) -> None:
    passthrough = (visit_passthrough, depart_passthrough)
    skip = (skip_node, None)
    app.add_node(
        link_card,
        html=(visit_card_html, depart_card_html),
        latex=passthrough,
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    # Other builders render the title as the paragraph it is.
    app.add_node(card_title, html=(visit_card_title_html, depart_card_title_html))
    app.add_node(
        card_thumbnail,
        html=(visit_thumbnail_html, None),
        latex=skip,
        text=skip,
        man=skip,
        texinfo=skip,
    )
    # Outside HTML the links render as the translator's ordinary references.
    as_reference = (visit_as_reference, depart_as_reference)
    others = dict.fromkeys(("latex", "text", "man", "texinfo"), as_reference)
    app.add_node(card_link, html=(visit_card_link_html, depart_card_link_html), **others)  # type: ignore[arg-type]
    app.add_node(card_tag, html=as_reference, **others)  # type: ignore[arg-type]
    # Placeholders are replaced at doctree-resolved; these only guard a builder that
    # never resolves (they render nothing).
    for placeholder in (issue_list, issue_pager):
        app.add_node(placeholder, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)


def visit_as_reference(self: Any, node: nodes.reference) -> None:
    self.visit_reference(node)


def depart_as_reference(self: Any, node: nodes.reference) -> None:
    depart = getattr(self, "depart_reference", None)
    if depart is not None:
        depart(node)
