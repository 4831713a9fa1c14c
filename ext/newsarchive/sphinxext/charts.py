"""The overview's charts and the tag pages' sparklines: what each chart shows, and drawing
it as SVG. The only module that imports matplotlib, and only when a chart must be drawn.

Charts are SVG files in ``_images/`` named by a hash of the data they show: a file whose
name exists is never drawn again, so a build that changes nothing they show draws nothing
(and does not even import matplotlib). Glyphs are drawn as paths from a Japanese font
shipped in a pinned wheel (IPAexGothic, loaded by path), so labels never depend on the
reader's fonts nor on the fonts of the machine that builds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.sphinxext.diagnostics import Subtype, warn
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.overview_data import (
    MIN_QUARTER_LINKS,
    Overview,
    TagRow,
    overview_of,
    quarter_label,
    share,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from sphinx.application import Sphinx


#: Bumped when the look of the charts changes, so every chart is drawn again.
STYLE_VERSION = 2
IMAGE_DIR = "_images"
CHART_PREFIXES = ("overview-", "sparkline-")
#: The charts' Japanese font: IPAexGothic (one weight) from the pinned japanize-matplotlib
#: wheel, loaded by path, so every machine draws the same glyphs whatever fonts it has.
FONT_PACKAGE = "japanize_matplotlib"
FONT_FILE = "fonts/ipaexg.ttf"
FONT_FAMILY = "IPAexGothic"
#: Builders whose pages show the charts (the theme switches the light and dark variants).
CHART_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})


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
        font = font_fingerprint() if self.has_text else ""
        values = [STYLE_VERSION, font, self.kind, self.data, self.width, self.height]
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
def font_path() -> Path | None:
    """The font file shipped in the japanize-matplotlib wheel (the package is not imported:
    importing it would change matplotlib's global settings)."""
    from importlib.util import find_spec

    spec = find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / FONT_FILE
    return path if path.is_file() else None


@functools.cache
def font_fingerprint() -> str:
    """Which font draws the labels: part of each chart's name, so a new font redraws."""
    path = font_path()
    if path is None:
        return "none"
    return f"{FONT_FAMILY}:{hashlib.sha1(path.read_bytes()).hexdigest()[:12]}"


@functools.cache
def japanese_font() -> tuple[str, str] | None:
    """(family name, file) of the charts' Japanese font, registered with matplotlib.

    The family resolves to our file alone: a system copy of the same family (another
    version, another cache order) is dropped from matplotlib's list, so the same sources
    draw the same SVG bytes on every machine.
    """
    path = font_path()
    if path is None:
        return None
    from matplotlib import font_manager

    manager = font_manager.fontManager
    manager.ttflist = [
        font for font in manager.ttflist if font.name != FONT_FAMILY or Path(font.fname) == path
    ]
    if not any(Path(font.fname) == path for font in manager.ttflist):
        manager.addfont(str(path))
    font_manager.FontManager._findfont_cached.cache_clear()  # type: ignore[attr-defined]
    return FONT_FAMILY, str(path)


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
                    "no Japanese font found for the overview charts (the project's "
                    "japanize-matplotlib package ships it: make venv, or pip install -c "
                    "constraints.txt -e .); the charts are left out, their tables stay",
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
    domain = news_domain(app.env)
    files: ChartFiles = domain.run.computed.setdefault("chart_files", ChartFiles(Path(app.outdir)))
    overview = overview_of(app)
    limits = domain.data["remembered"].get("overview_limits", {})
    key = charts_key(overview, limits)
    return files.ensure(lambda: charts_of(overview, limits), key)


def image_uri(app: Sphinx, pagename: str, filename: str) -> str:
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
        src=image_uri(app, pagename, name),
        alt=f"「{tag.label_ja}」のリンク数の推移: {per_year}",
        caption=caption,
        width=width,
        height=height,
    )
