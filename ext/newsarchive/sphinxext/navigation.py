"""The book's sidebar, drawn from the toctree data in one pass per page.

The theme draws the sidebar by copying and rendering the whole toctree for every page,
which made the build time grow with the square of the number of issues. This draws the
same markup (the theme's classes, so it looks and behaves the same) from
``env.toctree_includes``: the root's toctree groups with their captions, and under the
current page's year its issues. Years are the top level, so it stays short.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx import addnodes

from newsarchive.sphinxext.domain import news_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


@dataclass(frozen=True)
class Group:
    caption: str
    entries: tuple[str, ...]


def root_groups(env: BuildEnvironment) -> tuple[Group, ...]:
    """The root document's toctrees (caption, entries), read once per build."""
    cache_key = (env.config.root_doc, env.all_docs.get(env.config.root_doc))  # read time
    computed = news_domain(env).run.computed
    cached = computed.get("root_groups")
    if cached and cached[0] == cache_key:
        return cached[1]  # type: ignore[no-any-return]
    groups: list[Group] = []
    doctree = env.get_doctree(env.config.root_doc)
    for toctree in doctree.findall(addnodes.toctree):
        entries = tuple(ref for _, ref in toctree["entries"] if ref in env.found_docs)
        groups.append(Group(toctree.get("caption") or "", entries))
    computed["root_groups"] = (cache_key, tuple(groups))
    return tuple(groups)


def sidebar(app: Sphinx, pagename: str, pathto: Any) -> dict[str, Any]:
    """What the sidebar shows for ``pagename``, as plain values for the template."""
    env = app.env
    parents = {c: p for p, children in env.toctree_includes.items() for c in children}
    ancestors = set()
    current: str | None = pagename
    while current is not None:
        ancestors.add(current)
        current = parents.get(current)

    def entry(docname: str) -> dict[str, Any]:
        return {
            "title": env.titles[docname].astext() if docname in env.titles else docname,
            "href": "#" if docname == pagename else pathto(docname),
            "here": docname == pagename,
            "current": docname in ancestors,
        }

    groups = []
    for group in root_groups(env):
        items = []
        for docname in group.entries:
            children = env.toctree_includes.get(docname, [])
            item = entry(docname)
            item["has_children"] = bool(children)
            # Collapsed like the theme: only the open branch lists its pages.
            item["children"] = [entry(c) for c in children] if item["current"] else []
            items.append(item)
        groups.append({"caption": group.caption, "items": items})
    return {"home": entry(app.config.root_doc), "groups": groups}


def add_sidebar(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: the sidebar for the template ``sbt-sidebar-nav.html``."""
    if app.builder.format != "html" or "pathto" not in context:
        return
    links: dict[str, str] = {}

    def pathto(docname: str) -> str:
        if docname not in links:
            links[docname] = context["pathto"](docname)
        return links[docname]

    context["newsarchive_nav"] = sidebar(app, pagename, pathto)


def setup_navigation(app: Sphinx) -> None:
    app.connect("html-page-context", add_sidebar)
