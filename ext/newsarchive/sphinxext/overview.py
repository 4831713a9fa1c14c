"""The archive at a glance: the ``{archive-overview}`` directive and its parts.

``{archive-overview} PART`` places one part of the overview page (``summary``, ``years``,
``tags`` or ``sites``); a placeholder is replaced at ``doctree-resolved`` with a table
(every builder) and, in HTML, a chart in a light and a dark variant. The numbers come
from :mod:`newsarchive.sphinxext.overview_data`, the charts from
:mod:`newsarchive.sphinxext.charts` (which also draws the tag pages' sparklines).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from newsarchive.sphinxext.charts import (
    Chart,
    chart_files,
    charts_key,
    image_uri,
    sites_chart,
    tag_charts,
    years_chart,
)
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.entries import site_page
from newsarchive.sphinxext.nodes import skip_node
from newsarchive.sphinxext.overview_data import (
    MIN_QUARTER_LINKS,
    Overview,
    TagRow,
    overview_of,
    quarter_label,
    share,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator


PARTS = ("summary", "years", "tags", "sites")
DEFAULT_LIMITS = {"tags": 12, "sites": 15}


# -- nodes -------------------------------------------------------------------------
class archive_overview(nodes.General, nodes.Element):
    """Placeholder for one part of the overview, filled when the document is resolved."""


class overview_chart(nodes.General, nodes.Element):
    """A chart: one image per theme (or one for both), HTML only."""


def visit_chart_html(self: HTML5Translator, node: overview_chart) -> None:
    self.body.append(self.starttag(node, "div", CLASS="wkn-chart"))
    for src, css_class in node["images"]:
        attributes = {
            "src": src,
            "alt": node["alt"],
            "width": node["width"],
            "height": node["height"],
            "loading": "lazy",  # the variant of the other theme is never fetched
            "decoding": "async",
            "class": css_class,
        }
        self.body.append(self.starttag(nodes.image(), "img", "", empty=True, **attributes))
    self.body.append("</div>\n")
    raise nodes.SkipNode


# -- the directive and its parts ---------------------------------------------------------
class ArchiveOverviewDirective(SphinxDirective):
    """``{archive-overview} PART``: one part of the overview (summary, years, tags, sites).

    ``:limit:`` sets how many tags or sites are shown (12 and 15 by default).
    """

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"limit": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        part = self.arguments[0].strip().lower()
        if part not in PARTS:
            raise self.error(f"unknown overview part {part!r}; use one of: {', '.join(PARTS)}")
        limit = self.options.get("limit", DEFAULT_LIMITS.get(part, 0))
        placeholder = archive_overview(part=part, limit=limit)
        self.set_source_info(placeholder)
        return [placeholder]


def note_overview(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: remember the pages that show the overview, and the limits they use."""
    env = app.env
    docs = _overview_docs(env)
    docs.pop(env.docname, None)
    parts = {node["part"]: node["limit"] for node in doctree.findall(archive_overview)}
    if parts:
        docs[env.docname] = parts


def _overview_docs(env: BuildEnvironment) -> dict[str, dict[str, int]]:
    """docname -> {part: limit}; cleared and merged per document by the domain."""
    parts: dict[str, dict[str, int]] = news_domain(env).data["overview_parts"]
    return parts


def overview_limits(env: BuildEnvironment) -> dict[str, int]:
    """The parts shown on overview pages, with their limits (the first page's, by name)."""
    limits: dict[str, int] = {}
    for _, parts in sorted(_overview_docs(env).items()):
        for part, limit in parts.items():
            limits.setdefault(part, limit)
    return limits


def updated_overview(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: rewrite the overview pages when the numbers they show changed."""
    domain = news_domain(env)
    limits = overview_limits(env)
    domain.remember("overview_limits", limits)
    digest = charts_key(overview_of(app), limits)
    if domain.remember("overview_digest", digest) == digest:
        return []
    return sorted(docname for docname in _overview_docs(env) if docname in env.found_docs)


def resolve_overview(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: replace each placeholder with its table (and chart in HTML)."""
    placeholders = list(doctree.findall(archive_overview))
    if not placeholders:
        return
    overview = overview_of(app)
    ready = chart_files(app)
    builder = app.builder
    linked = builder.format == "html"

    def uri(target: str, anchor: str = "") -> str | None:
        if not linked:
            return None
        return builder.get_relative_uri(docname, target) + (f"#{anchor}" if anchor else "")

    def chart(item: Chart, alt: str) -> list[nodes.Node]:
        names = [item.filename(theme) for theme in item.themes]
        if not all(name in ready for name in names):
            return []
        classes = ["only-light", "only-dark"] if len(names) == 2 else ["dark-light"]
        width, height = item.pixels
        images = [
            (image_uri(app, docname, name), css) for name, css in zip(names, classes, strict=True)
        ]
        return [overview_chart(images=images, alt=alt, width=width, height=height)]

    for placeholder in placeholders:
        part, limit = placeholder["part"], placeholder["limit"]
        container = nodes.container(classes=["wkn-overview", f"wkn-overview-{part}"])
        if not overview.years:
            container += nodes.paragraph("", "まだ号がありません。")
        elif part == "summary":
            container += _summary(overview, uri, app)
        elif part == "years":
            container += chart(years_chart(overview), _years_alt(overview))
            container += _years_table(app, overview, uri)
        elif part == "tags":
            grid = nodes.container(classes=["wkn-chart-grid"])
            for tag, panel in tag_charts(overview, limit):
                grid += chart(panel, _tag_alt(overview, tag))
            if grid.children:
                container += grid
                container += _omitted_quarters(overview)
            container += _tags_table(app, overview, limit, uri)
        elif part == "sites":
            container += chart(sites_chart(overview, limit), _sites_alt(overview, limit))
            container += _sites_table(app, overview, limit, uri)
        placeholder.replace_self(container)


# -- text: the summary, the tables and the charts' alternatives ---------------------------
Uri = Callable[..., str | None]


def _date(iso: str) -> str:
    return f"{int(iso[:4])}年{int(iso[5:7])}月{int(iso[8:10])}日"


def _link(text: str, target: str | None, classes: list[str] | None = None) -> nodes.Node:
    if target is None:
        return nodes.inline("", text, classes=classes or [])
    return nodes.reference("", text, refuri=target, internal=True, classes=classes or [])


def _summary(overview: Overview, uri: Uri, app: Sphinx) -> nodes.Node:
    config = app.config
    paragraph = nodes.paragraph(classes=["wkn-overview-numbers"])
    figures = [
        ("wkn-n-issues", f"{overview.total_issues:,}", "号", None),
        ("wkn-n-links", f"{overview.total_links:,}", "リンク", None),
        (
            "wkn-n-tags",
            f"{overview.tags_used:,}",
            "タグ",
            uri(f"{config.newsarchive_tags_dir}/index"),
        ),
        (
            "wkn-n-sites",
            f"{len(overview.sites):,}",
            "サイト",
            uri(f"{config.newsarchive_sites_dir}/index"),
        ),
    ]
    for index, (css, number, unit, target) in enumerate(figures):
        if index:
            paragraph += nodes.Text(" · ")
        item = nodes.inline(classes=["wkn-figure"])
        item += nodes.strong("", number, classes=[css])
        item += nodes.Text(" ")
        item += _link(unit, target)
        paragraph += item
    span = nodes.paragraph(
        "",
        f"{_date(overview.first_date)}〜{_date(overview.last_date)}に配信された号から数えています。",
        classes=["wkn-overview-span"],
    )
    return nodes.container("", paragraph, span, classes=["wkn-overview-summary-body"])


def _table(
    caption: str, header: list[str], rows: list[list[str | nodes.Node]], classes: list[str]
) -> nodes.table:
    table = nodes.table(classes=["wkn-overview-table", *classes], ids=classes[:1])
    table += nodes.title("", caption)
    group = nodes.tgroup(cols=len(header))
    table += group
    # Column widths in characters (the text builder draws them; HTML sizes columns itself).
    for column in zip(header, *rows, strict=True):
        width = max(_text_width(c if isinstance(c, str) else c.astext()) for c in column)
        group += nodes.colspec(colwidth=width + 2)
    head = nodes.thead()
    group += head
    head += _row(header, header=True)
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return table


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _row(cells: list[str | nodes.Node], *, header: bool = False) -> nodes.row:
    row = nodes.row()
    for index, cell in enumerate(cells):
        paragraph = nodes.paragraph()
        paragraph += nodes.Text(cell) if isinstance(cell, str) else cell
        classes = ["wkn-num"] if index and not header else []
        row += nodes.entry("", paragraph, classes=classes)
    return row


def _years_table(app: Sphinx, overview: Overview, uri: Uri) -> nodes.Node:
    rows: list[list[str | nodes.Node]] = []
    for row in overview.years:
        year_page = f"{app.config.newsarchive_years_dir}/{row.year}"
        target = uri(year_page) if year_page in app.env.found_docs else None
        per_issue = row.links / row.issues if row.issues else 0
        rows.append(
            [
                _link(f"{row.year}年", target),
                f"{row.issues:,}",
                f"{row.links:,}",
                f"{per_issue:.1f}",
                f"{row.sites:,}",
            ]
        )
    rows.append(
        [
            nodes.strong("", "合計"),
            f"{overview.total_issues:,}",
            f"{overview.total_links:,}",
            f"{overview.total_links / overview.total_issues:.1f}",
            f"{len(overview.sites):,}",
        ]
    )
    return _table(
        "年ごとの号数・リンク数・サイト数",
        ["年", "号数", "リンク数", "1号あたり", "サイト数"],
        rows,
        ["wkn-overview-years-table"],
    )


def _tags_table(app: Sphinx, overview: Overview, limit: int, uri: Uri) -> nodes.Node:
    tags_dir = app.config.newsarchive_tags_dir
    rows: list[list[str | nodes.Node]] = []
    for tag in overview.top_tags(limit):
        label = nodes.inline()
        label += _link(tag.label_ja, uri(f"{tags_dir}/{tag.slug}"))
        if tag.label_en != tag.label_ja:
            label += nodes.inline("", f" {tag.label_en}", classes=["wkn-en"])
        cells: list[str | nodes.Node] = [label]
        for row, count in zip(overview.years, tag.per_year, strict=True):
            cells.append(f"{count:,}（{share(count, row.links):.0f}%）")
        cells.append(f"{tag.total:,}")
        rows.append(cells)
    years = [f"{row.year}年" for row in overview.years]
    return _table(
        "タグごとのリンク数（その年のリンクに占める割合）",
        ["タグ", *years, "合計"],
        rows,
        ["wkn-overview-tags-table"],
    )


def _sites_table(app: Sphinx, overview: Overview, limit: int, uri: Uri) -> nodes.Node:
    rows: list[list[str | nodes.Node]] = [
        [
            _link(row.site, uri(site_page(app.config.newsarchive_sites_dir, row.site))),
            f"{row.links:,}",
            f"{share(row.links, overview.total_links):.1f}%",
        ]
        for row in overview.sites[:limit]
    ]
    return _table(
        f"よく紹介されるサイト（上位 {min(limit, len(overview.sites))}）",
        ["サイト", "リンク数", "全リンクに占める割合"],
        rows,
        ["wkn-overview-sites-table"],
    )


def _omitted_quarters(overview: Overview) -> list[nodes.Node]:
    sparse = [
        quarter_label(quarter)
        for quarter, links in zip(overview.quarters, overview.quarter_links, strict=True)
        if links < MIN_QUARTER_LINKS
    ]
    if not sparse:
        return []
    text = (
        f"リンクが {MIN_QUARTER_LINKS} 件未満の四半期（{'、'.join(sparse)}）は図から省いています。"
    )
    return [nodes.paragraph("", text, classes=["wkn-overview-note"])]


def _years_alt(overview: Overview) -> str:
    years = "、".join(f"{r.year}年 {r.issues}号 {r.links}リンク" for r in overview.years)
    return f"年ごとのリンク数の棒グラフ: {years}。数値は下の表にもあります。"


def _tag_alt(overview: Overview, tag: TagRow) -> str:
    years = "、".join(
        f"{row.year}年 {share(count, row.links):.0f}%"
        for row, count in zip(overview.years, tag.per_year, strict=True)
    )
    return f"「{tag.label_ja}」が付いたリンクの割合の推移（四半期ごと）: {years}（年ごと）"


def _sites_alt(overview: Overview, limit: int) -> str:
    sites = "、".join(f"{r.site} {r.links}" for r in overview.sites[:limit])
    return f"リンク数の多いサイトの横棒グラフ: {sites}。数値は下の表にもあります。"


def _add_assets(app: Sphinx) -> None:
    """builder-inited: the overview's styles, for HTML builders only."""
    if app.builder.format == "html":
        app.add_css_file("overview.css")


def setup_overview(app: Sphinx) -> None:
    # Outside HTML the charts are left out (their tables say the same); the placeholder
    # only guards a builder that never resolves.
    others = dict.fromkeys(("latex", "text", "man", "texinfo"), (skip_node, None))
    app.add_node(archive_overview, html=(skip_node, None), **others)  # type: ignore[arg-type]
    app.add_node(overview_chart, html=(visit_chart_html, None), **others)  # type: ignore[arg-type]
    app.add_directive("archive-overview", ArchiveOverviewDirective)
    app.connect("doctree-read", note_overview)
    app.connect("env-get-updated", updated_overview)
    app.connect("doctree-resolved", resolve_overview)
    app.connect("builder-inited", _add_assets)
