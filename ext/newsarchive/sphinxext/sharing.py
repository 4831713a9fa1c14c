"""Open Graph and Twitter meta for every page, escaped properly.

sphinxext-opengraph writes the tags of document pages but escapes only ``"``; we hand
it values that are already escaped for ``&`` and ``<`` (it adds the quotes), and an
issue's own description (its intro) and image (its first thumbnail). Pages without a
document (tag and site indexes, the finder, search, competitions) get their tags, and
their ``<meta name="description">``, from us.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from markupsafe import Markup

from newsarchive.sphinxext.doctext import intro_text
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.exports import WEB_BUILDERS
from newsarchive.sphinxext.pages import DESCRIPTION_KEY

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


def _setting(app: Sphinx, name: str) -> str:
    """A sphinxext-opengraph setting, empty when that extension is not loaded."""
    return (getattr(app.config, name) if name in app.config else "") or ""


def _attribute_text(value: str) -> str:
    """Escape for an attribute sphinxext-opengraph will quote (it escapes ``"`` itself)."""
    return html.escape(" ".join(value.split()), quote=False)


def _meta(kind: str, name: str, content: str) -> Markup:
    return Markup('<meta {}="{}" content="{}" />\n').format(kind, name, " ".join(content.split()))


def page_values(
    app: Sphinx, pagename: str, context: dict[str, Any], doctree: nodes.document | None
) -> dict[str, str]:
    """Title, description and image of a page, as plain text."""
    issue = news_domain(app.env).issue(pagename)
    title = issue.title if issue else html.unescape(Markup(context.get("title", "")).striptags())
    if issue:
        description = issue.description or issue.title
        images = [c.image for c in news_domain(app.env).cards_of(pagename) if c.image]
        image = images[0] if images else _setting(app, "ogp_image")
    else:
        description = context.get(DESCRIPTION_KEY) or (intro_text(doctree) if doctree else "")
        image = _setting(app, "ogp_image")
    # A page without a title of its own (Sphinx's general index) is still described.
    description = description or title or app.config.html_title or app.config.project
    return {"title": title, "description": description, "image": image}


def add_meta(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """html-page-context (before sphinxext-opengraph): our values, escaped."""
    if app.builder.name not in WEB_BUILDERS:
        return
    values = page_values(app, pagename, context, doctree)
    tags = Markup("")
    if doctree is not None:
        overrides = {
            "og:title": _attribute_text(values["title"]),
            "og:description": _attribute_text(values["description"][:200]),
        }
        if values["image"]:
            overrides["og:image"] = _attribute_text(values["image"])
        if news_domain(app.env).issue(pagename):
            overrides["og:type"] = "article"
        context["meta"] = {**(context.get("meta") or {}), **overrides}
    else:
        # sphinxext-opengraph writes a document's description; a generated page gets ours.
        tags += _meta("name", "description", values["description"][:200])
        site = _setting(app, "ogp_site_url") or app.config.html_baseurl or ""
        tags += _meta("property", "og:title", values["title"])
        tags += _meta("property", "og:description", values["description"][:200])
        tags += _meta("property", "og:type", "website")
        tags += _meta("property", "og:url", urljoin(site, app.builder.get_target_uri(pagename)))
        tags += _meta(
            "property", "og:site_name", _setting(app, "ogp_site_name") or app.config.project
        )
        tags += _meta("property", "og:locale", "ja_JP")
        if values["image"]:
            tags += _meta("property", "og:image", values["image"])
    tags += _meta("name", "twitter:card", "summary")
    tags += _meta("name", "twitter:title", values["title"])
    tags += _meta("name", "twitter:description", values["description"][:200])
    if values["image"]:
        tags += _meta("name", "twitter:image", values["image"])
    context["metatags"] = context.get("metatags", "") + str(tags)  # Sphinx adds plain str


def setup_sharing(app: Sphinx) -> None:
    app.connect("html-page-context", add_meta, priority=450)
