"""The archive at a glance: numbers and charts drawn from the card data at build time.

``{archive-overview} PART`` places one part of the overview page (``summary``, ``years``,
``tags`` or ``sites``); a placeholder is replaced at ``doctree-resolved`` with a table
(every builder) and, in HTML, a chart in a light and a dark variant. Tag pages get a
sparkline of the tag's use over time (:func:`tag_sparkline`, called by ``pages.py``).

Charts are SVG files in ``_images/`` named by a hash of the data they show: a file whose
name exists is never drawn again, so a build that changes nothing they show draws nothing
(and does not even import matplotlib). Glyphs are drawn as paths from a Japanese font
found on the machine, so labels never depend on the reader's fonts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from newsarchive.sphinxext.diagnostics import Subtype, warn
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.entries import site_entries, tag_entries
from newsarchive.sphinxext.nodes import skip_node

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

    from newsarchive.core.vocabulary import Vocabulary
    from newsarchive.sphinxext.domain import NewsDomain

PARTS = ("summary", "years", "tags", "sites")
DEFAULT_LIMITS = {"tags": 12, "sites": 15}
#: Bumped when the look of the charts changes, so every chart is drawn again.
STYLE_VERSION = 2
#: A quarter with fewer links than this is left out of the share chart (too few to compare).
MIN_QUARTER_LINKS = 20
IMAGE_DIR = "_images"
CHART_PREFIXES = ("overview-", "sparkline-")
#: Japanese fonts, best first; Debian's fonts-noto-cjk provides the first.
JAPANESE_FONTS = (
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "IPAexGothic",
    "IPAGothic",
    "TakaoPGothic",
    "Hiragino Sans",
    "Yu Gothic",
)
#: Builders whose pages show the charts (the theme switches the light and dark variants).
CHART_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})


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


# -- the data ------------------------------------------------------------------------
@dataclass(frozen=True)
class YearRow:
    year: int
    issues: int
    links: int
    sites: int


@dataclass(frozen=True)
class TagRow:
    slug: str
    label_ja: str
    label_en: str
    total: int
    per_year: tuple[int, ...]  # aligned with Overview.years
    per_quarter: tuple[int, ...]  # aligned with Overview.quarters


@dataclass(frozen=True)
class SiteRow:
    rank: int
    site: str
    links: int


@dataclass(frozen=True)
class Overview:
    """Everything the overview shows, as plain values (also what its digest is made of)."""

    first_date: str = ""
    last_date: str = ""
    years: tuple[YearRow, ...] = ()
    #: Quarters from the first issue's to the last issue's, as ``year * 4 + quarter - 1``.
    quarters: tuple[int, ...] = ()
    quarter_issues: tuple[int, ...] = ()
    quarter_links: tuple[int, ...] = ()
    tags: tuple[TagRow, ...] = ()  # vocabulary order
    sites: tuple[SiteRow, ...] = ()  # most linked first
    total_links: int = 0
    tags_used: int = 0

    @property
    def total_issues(self) -> int:
        return sum(row.issues for row in self.years)

    def top_tags(self, limit: int) -> list[TagRow]:
        ranked = sorted(self.tags, key=lambda t: -t.total)  # stable: vocabulary order on ties
        return [tag for tag in ranked if tag.total][:limit]

    @functools.cached_property
    def digest(self) -> str:
        text = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(text.encode()).hexdigest()


def quarter_of(date: str) -> int:
    return int(date[:4]) * 4 + (int(date[5:7]) - 1) // 3


def quarter_label(quarter: int) -> str:
    return f"{quarter // 4}年第{quarter % 4 + 1}四半期"


def compute_overview(domain: NewsDomain, vocabulary: Vocabulary | None) -> Overview:
    """The overview's numbers, counted the way the tag and site pages count them."""
    issues = domain.issues()
    if not issues:
        return Overview()
    years = sorted({issue.year for issue in issues})
    first = min(quarter_of(issue.date) for issue in issues)
    last = max(quarter_of(issue.date) for issue in issues)
    quarters = tuple(range(first, last + 1))
    issues_per_year = Counter(issue.year for issue in issues)
    issues_per_quarter = Counter(quarter_of(issue.date) for issue in issues)
    links_per_year: Counter[int] = Counter()
    links_per_quarter: Counter[int] = Counter()
    for issue, _card in domain.issue_cards():
        links_per_year[issue.year] += 1
        links_per_quarter[quarter_of(issue.date)] += 1
    sites = site_entries(domain)
    sites_per_year: dict[int, set[str]] = defaultdict(set)
    for site, entries in sites:
        for entry in entries:
            sites_per_year[entry.issue.year].add(site)
    by_tag = tag_entries(domain)
    if vocabulary is not None:
        labels = {tag.slug: (tag.label_ja, tag.label_en) for tag in vocabulary.tags.values()}
    else:
        labels = {slug: (slug, slug) for slug in sorted(by_tag)}
    tags = []
    for slug, (label_ja, label_en) in labels.items():
        entries = by_tag.get(slug, [])
        per_year = Counter(entry.issue.year for entry in entries)
        per_quarter = Counter(quarter_of(entry.issue.date) for entry in entries)
        tags.append(
            TagRow(
                slug=slug,
                label_ja=label_ja,
                label_en=label_en,
                total=len(entries),
                per_year=tuple(per_year[year] for year in years),
                per_quarter=tuple(per_quarter[quarter] for quarter in quarters),
            )
        )
    return Overview(
        first_date=issues[0].date if issues else "",
        last_date=max(issue.date for issue in issues),
        years=tuple(
            YearRow(year, issues_per_year[year], links_per_year[year], len(sites_per_year[year]))
            for year in years
        ),
        quarters=quarters,
        quarter_issues=tuple(issues_per_quarter[q] for q in quarters),
        quarter_links=tuple(links_per_quarter[q] for q in quarters),
        tags=tuple(tags),
        sites=tuple(
            SiteRow(rank, site, len(entries)) for rank, (site, entries) in enumerate(sites, 1)
        ),
        total_links=sum(links_per_year.values()),
        tags_used=sum(1 for tag in tags if tag.total),
    )


def overview_of(app: Sphinx) -> Overview:
    """The overview of the current data, computed once per change of the domain."""
    domain = news_domain(app.env)
    index = domain.index
    vocabulary = getattr(app, "newsarchive_vocabulary", None)
    cached = getattr(app, "_newsarchive_overview", None)
    if cached is not None and cached[0] is index and cached[1] is vocabulary:
        return cached[2]
    overview = compute_overview(domain, vocabulary)
    app._newsarchive_overview = (index, vocabulary, overview)  # type: ignore[attr-defined]
    return overview


def share(count: int, total: int) -> float:
    return 100.0 * count / total if total else 0.0


# -- charts: what each shows, named by a hash of it ------------------------------------
@dataclass(frozen=True)
class Theme:
    name: str
    text: str
    muted: str
    grid: str
    accent: str
    fill_alpha: float


# The book theme's text, border and primary colours; backgrounds stay transparent.
LIGHT = Theme("light", "#222832", "#5c6670", "#d1d5da", "#176de8", 0.18)
DARK = Theme("dark", "#ced6dd", "#9aa5b1", "#48566b", "#528fe4", 0.28)
#: A sparkline is one image for both themes: a blue readable on white and on near-black.
SPARK = Theme("both", "#7f8c99", "#7f8c99", "#7f8c99", "#3d7fe0", 0.22)


@dataclass(frozen=True)
class Chart:
    """One chart to draw: its kind, the data it shows, its size in points."""

    kind: str
    key: str  # part of the file name (a tag's slug for sparklines)
    data: Any  # JSON values only: the hash is made of them
    width: float
    height: float
    themes: tuple[Theme, ...] = (LIGHT, DARK)
    has_text: bool = True

    @functools.cached_property
    def digest(self) -> str:
        values = [STYLE_VERSION, self.kind, self.data, self.width, self.height]
        text = json.dumps(values, ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    def filename(self, theme: Theme) -> str:
        kind = "sparkline" if self.kind == "sparkline" else f"overview-{self.kind}"
        variant = "" if theme is SPARK else f"-{theme.name}"
        key = f"-{self.key}" if self.key else ""
        return f"{kind}{key}-{self.digest}{variant}.svg"

    @property
    def filenames(self) -> list[str]:
        return [self.filename(theme) for theme in self.themes]

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width * 4 / 3), round(self.height * 4 / 3)


def years_chart(overview: Overview) -> Chart:
    data = [[row.year, row.issues, row.links] for row in overview.years]
    return Chart("years", "", data, 420, 170)


def quarter_shares(overview: Overview, tag: TagRow) -> list[float | None]:
    """A tag's share of each quarter's links, in percent (None: too few links to compare)."""
    return [
        round(share(count, links), 2) if links >= MIN_QUARTER_LINKS else None
        for count, links in zip(tag.per_quarter, overview.quarter_links, strict=True)
    ]


def tag_charts(overview: Overview, limit: int) -> list[tuple[TagRow, Chart]]:
    """One small panel per top tag, all on the same scale, so they can be compared."""
    top = overview.top_tags(limit)
    shares = {tag.slug: quarter_shares(overview, tag) for tag in top}
    peak = max((v for values in shares.values() for v in values if v is not None), default=1)
    return [
        (
            tag,
            Chart(
                "tag",
                tag.slug,
                {
                    "label": tag.label_ja,
                    "quarters": list(overview.quarters),
                    "shares": shares[tag.slug],
                    "peak": peak,
                },
                150,
                100,
            ),
        )
        for tag in top
    ]


def sites_chart(overview: Overview, limit: int) -> Chart:
    data = [[row.site, row.links] for row in overview.sites[:limit]]
    return Chart("sites", str(limit), data, 420, 16 + 17 * max(len(data), 1))


def sparkline_chart(overview: Overview, tag: TagRow) -> Chart:
    # Quarters without any issue are gaps, not zeros.
    data = {
        "quarters": list(overview.quarters),
        "counts": [
            count if issues else None
            for count, issues in zip(tag.per_quarter, overview.quarter_issues, strict=True)
        ],
    }
    return Chart("sparkline", tag.slug, data, 180, 34, themes=(SPARK,), has_text=False)


def charts_of(overview: Overview, limits: dict[str, int]) -> list[Chart]:
    """Every chart of the current data (for drawing missing ones and removing stale ones)."""
    if not overview.years:
        return []
    charts = [years_chart(overview)] if "years" in limits else []
    charts += [chart for _, chart in tag_charts(overview, limits.get("tags", 0))]
    if limits.get("sites"):
        charts.append(sites_chart(overview, limits["sites"]))
    charts += [sparkline_chart(overview, tag) for tag in overview.tags]
    return charts


# -- drawing (matplotlib is imported only when something must be drawn) -----------------
@functools.cache
def japanese_font() -> tuple[str, str] | None:
    """(family name, file) of an installed Japanese font, or None."""
    from matplotlib import font_manager

    installed = {font.name: font.fname for font in font_manager.fontManager.ttflist}
    for name in JAPANESE_FONTS:
        if name in installed:
            return name, installed[name]
    return None


def _style(theme: Theme, font: str | None) -> dict[str, Any]:
    return {
        "svg.fonttype": "path",  # glyphs as paths: no reliance on the reader's fonts
        "svg.hashsalt": "newsarchive",  # stable ids: the same data gives the same file
        "font.family": [font] if font else ["DejaVu Sans"],
        "font.size": 10,
        "text.color": theme.text,
        "axes.labelcolor": theme.text,
        "axes.edgecolor": theme.grid,
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "xtick.labelcolor": theme.text,
        "ytick.labelcolor": theme.text,
        "grid.color": theme.grid,
        "grid.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def draw(chart: Chart, theme: Theme, path: Path, font: str | None) -> None:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_style(theme, font)):  # type: ignore[arg-type]
        figure = Figure(figsize=(chart.width / 72, chart.height / 72), dpi=72)
        DRAWERS[chart.kind](figure, chart.data, theme)
        partial = path.with_name(path.name + ".tmp")
        figure.savefig(partial, format="svg", transparent=True, metadata={"Date": None})
        partial.replace(path)


def _draw_years(figure: Figure, data: list[list[int]], theme: Theme) -> None:
    axes = figure.add_axes((0.01, 0.2, 0.98, 0.72))
    positions = list(range(len(data)))
    links = [row[2] for row in data]
    bars = axes.bar(positions, links, width=0.62, color=theme.accent)
    axes.bar_label(bars, labels=[f"{n:,}" for n in links], padding=2, color=theme.text)
    axes.set_xticks(positions, [f"{year}年（{issues}号）" for year, issues, _ in data])
    axes.tick_params(axis="x", length=0, pad=5)
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)
    axes.set_ylim(0, max([*links, 1]) * 1.15)
    axes.set_xlim(-0.6, len(data) - 0.4)
    figure.text(0.01, 0.97, "リンク数", va="top", color=theme.muted, fontsize=9)


def _draw_tag(figure: Figure, data: dict[str, Any], theme: Theme) -> None:
    from matplotlib.ticker import MaxNLocator

    quarters: list[int] = data["quarters"]
    values = [float("nan") if v is None else v for v in data["shares"]]
    peak = max(float(data["peak"]), 1.0)
    axes = figure.add_axes((0.2, 0.16, 0.77, 0.62))
    axes.fill_between(quarters, values, color=theme.accent, alpha=theme.fill_alpha, lw=0)
    axes.plot(quarters, values, color=theme.accent, linewidth=1.6)
    figure.text(0.02, 0.96, data["label"], va="top", fontsize=10, color=theme.text)
    axes.set_ylim(0, peak * 1.08)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=2, steps=[1, 2, 2.5, 5, 10]))
    axes.yaxis.set_major_formatter("{x:.0f}%")
    axes.grid(axis="y")
    axes.tick_params(labelsize=7.5, length=2)
    years = sorted({q // 4 for q in quarters})
    ticks = [year * 4 for year in years if quarters[0] <= year * 4 <= quarters[-1]]
    axes.set_xticks(ticks or quarters[:1])
    axes.xaxis.set_major_formatter(lambda q, _: f"{int(q) // 4}")
    axes.set_xlim(quarters[0] - 0.3, quarters[-1] + 0.3)


def _draw_sites(figure: Figure, data: list[list[Any]], theme: Theme) -> None:
    height = 16 + 17 * max(len(data), 1)
    axes = figure.add_axes((0.34, 8 / height, 0.6, 1 - 16 / height))
    names = [row[0] for row in data]
    counts = [row[1] for row in data]
    positions = list(range(len(data)))
    bars = axes.barh(positions, counts, height=0.66, color=theme.accent)
    axes.bar_label(bars, labels=[f"{n:,}" for n in counts], padding=3, color=theme.text)
    axes.set_yticks(positions, names)
    axes.set_ylim(len(data) - 0.5, -0.5)
    axes.set_xticks([])
    axes.spines["bottom"].set_visible(False)
    axes.tick_params(axis="y", length=0, pad=4)
    axes.set_xlim(0, max([*counts, 1]) * 1.12)


def _draw_sparkline(figure: Figure, data: dict[str, Any], theme: Theme) -> None:
    quarters = data["quarters"]
    counts = [float("nan") if c is None else c for c in data["counts"]]
    axes = figure.add_axes((0.01, 0.08, 0.98, 0.84))
    axes.set_axis_off()
    axes.fill_between(quarters, counts, color=theme.accent, alpha=theme.fill_alpha, lw=0)
    axes.plot(quarters, counts, color=theme.accent, linewidth=1.5)
    known = [(q, c) for q, c in zip(quarters, data["counts"], strict=True) if c is not None]
    if known:
        axes.plot(*known[-1], "o", color=theme.accent, markersize=3)
    axes.set_xlim(quarters[0] - 0.2, quarters[-1] + 0.2)
    axes.set_ylim(0, max([c for _, c in known] + [1]) * 1.1)


DRAWERS: dict[str, Callable[[Figure, Any, Theme], None]] = {
    "years": _draw_years,
    "tag": _draw_tag,
    "sites": _draw_sites,
    "sparkline": _draw_sparkline,
}


@dataclass
class ChartFiles:
    """The charts of one build: drawn when missing, stale ones removed (once per build)."""

    outdir: Path
    digest: str = ""
    ready: set[str] = field(default_factory=set)
    drawn: list[str] = field(default_factory=list)
    font_checked: bool = False
    font: str | None = None

    def ensure(self, make_charts: Callable[[], list[Chart]], digest: str) -> set[str]:
        """Draw what is missing; returns the file names that exist (once per digest)."""
        if digest == self.digest:
            return self.ready
        charts = make_charts()
        folder = self.outdir / IMAGE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        wanted = {name for chart in charts for name in chart.filenames}
        for stale in folder.iterdir():
            if stale.name.startswith(CHART_PREFIXES) and stale.name not in wanted:
                stale.unlink(missing_ok=True)
        ready = set()
        for chart in charts:
            for theme in chart.themes:
                name = chart.filename(theme)
                path = folder / name
                if not path.exists():
                    if chart.has_text and not self._font():
                        continue
                    draw(chart, theme, path, self.font)
                    self.drawn.append(name)
                ready.add(name)
        self.digest, self.ready = digest, ready
        return ready

    def _font(self) -> str | None:
        if not self.font_checked:
            self.font_checked = True
            found = japanese_font()
            self.font = found[0] if found else None
            if found is None:
                warn(
                    "no Japanese font found for the overview charts (install Debian's "
                    f"fonts-noto-cjk; tried {', '.join(JAPANESE_FONTS)}); the charts are "
                    "left out, their tables stay",
                    Subtype.OVERVIEW,
                )
        return self.font


def charts_key(overview: Overview, limits: dict[str, int]) -> str:
    """What the overview pages and the charts are made from: data, limits, chart style."""
    return f"{overview.digest}|{json.dumps(limits, sort_keys=True)}|{STYLE_VERSION}"


def shows_charts(app: Sphinx) -> bool:
    return app.builder.name in CHART_BUILDERS


def chart_files(app: Sphinx) -> set[str]:
    """Make sure the current charts exist in the output; the names of those that do."""
    if not shows_charts(app):
        return set()
    files: ChartFiles | None = getattr(app, "_newsarchive_charts", None)
    if files is None or files.outdir != Path(app.outdir):
        files = ChartFiles(Path(app.outdir))
        app._newsarchive_charts = files  # type: ignore[attr-defined]
    overview = overview_of(app)
    limits = getattr(app.env, "newsarchive_overview_limits", {})
    key = charts_key(overview, limits)
    return files.ensure(lambda: charts_of(overview, limits), key)


def _image_uri(app: Sphinx, pagename: str, filename: str) -> str:
    page = Path(app.builder.get_outfilename(pagename)).parent  # type: ignore[attr-defined]
    target = Path(app.outdir) / IMAGE_DIR / filename
    return posixpath.join(*Path(os.path.relpath(target, page)).parts)


# -- the sparkline of a tag page (pages.py) ---------------------------------------------
@dataclass(frozen=True)
class Sparkline:
    src: str
    alt: str
    caption: str
    width: int
    height: int


def tag_sparkline(app: Sphinx, slug: str, pagename: str) -> Sparkline | None:
    """The sparkline of a tag's links per quarter, for its tag page (None outside HTML)."""
    ready = chart_files(app)
    overview = overview_of(app)
    tag = next((t for t in overview.tags if t.slug == slug), None)
    if tag is None or not ready:
        return None
    chart = sparkline_chart(overview, tag)
    name = chart.filename(SPARK)
    if name not in ready:
        return None
    per_year = "、".join(
        f"{row.year}年 {count}件" for row, count in zip(overview.years, tag.per_year, strict=True)
    )
    counted = zip(overview.quarters, tag.per_quarter, overview.quarter_issues, strict=True)
    peak_count, peak = max(
        ((count, quarter) for quarter, count, issues in counted if issues),
        key=lambda item: (item[0], -item[1]),
    )
    caption = f"四半期ごとのリンク数（{quarter_label(overview.quarters[0])}〜"
    caption += f"{quarter_label(overview.quarters[-1])}）"
    if peak_count:
        caption += f"。最多は{quarter_label(peak)}の{peak_count}件"
    width, height = chart.pixels
    return Sparkline(
        src=_image_uri(app, pagename, name),
        alt=f"「{tag.label_ja}」のリンク数の推移: {per_year}",
        caption=caption,
        width=width,
        height=height,
    )


# -- the directive and its parts ---------------------------------------------------------
class ArchiveOverviewDirective(SphinxDirective):
    """``{archive-overview} PART``: one part of the overview (summary, years, tags, sites).

    ``:limit:`` sets how many tags or sites are shown (12 and 15 by default).
    """

    required_arguments = 1
    option_spec: ClassVar[dict] = {"limit": directives.positive_int}  # type: ignore[misc]

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
    if not hasattr(env, "newsarchive_overview_docs"):
        env.newsarchive_overview_docs = {}  # type: ignore[attr-defined]
    return env.newsarchive_overview_docs  # type: ignore[attr-defined]


def purge_overview(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _overview_docs(env).pop(docname, None)


def merge_overview(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    mine, theirs = _overview_docs(env), _overview_docs(other)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def overview_limits(env: BuildEnvironment) -> dict[str, int]:
    """The parts shown on overview pages, with their limits (the first page's, by name)."""
    limits: dict[str, int] = {}
    for _, parts in sorted(_overview_docs(env).items()):
        for part, limit in parts.items():
            limits.setdefault(part, limit)
    return limits


def updated_overview(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: rewrite the overview pages when the numbers they show changed."""
    limits = overview_limits(env)
    env.newsarchive_overview_limits = limits  # type: ignore[attr-defined]
    digest = charts_key(overview_of(app), limits)
    previous = getattr(env, "newsarchive_overview_digest", None)
    env.newsarchive_overview_digest = digest  # type: ignore[attr-defined]
    if digest == previous:
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
            (_image_uri(app, docname, name), css) for name, css in zip(names, classes, strict=True)
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
    index = f"{app.config.newsarchive_sites_dir}/index"
    rows: list[list[str | nodes.Node]] = [
        [
            _link(row.site, uri(index, f"site-{row.rank}")),
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
    app.connect("env-purge-doc", purge_overview)
    app.connect("env-merge-info", merge_overview)
    app.connect("env-get-updated", updated_overview)
    app.connect("doctree-resolved", resolve_overview)
    app.connect("builder-inited", _add_assets)
