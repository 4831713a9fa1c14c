"""axe-core on every kind of page of the real book, light and dark, desktop and phone width.

axe-core (pinned in package.json and package-lock.json, installed into node_modules/ by
``npm ci``) is injected into Debian's Chromium, driven by Playwright, on the real book served
on 127.0.0.1 (every other request is aborted: remote thumbnails fail and show the site's
initial, as they do when an image host has gone). Each page is loaded once per width and
checked in light mode, then in dark mode: the reader's ``prefers-color-scheme`` is switched and
the theme's own script must follow it (``data-theme``). Pages that fill themselves in are
checked with what they show: search with its results and highlights, the listing of every
link (where the link finder's old address leads), the competitions index with its filters.

Any violation of serious or critical impact fails the test, listed with its rule, the elements
(CSS selectors) and axe's summary. axe's default rules run, plus ``target-size`` (WCAG 2.2:
targets of at least 24 by 24 CSS pixels, or enough space around them).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from conftest import REPO

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 360}
MODES = ("light", "dark")
SERIOUS = ("serious", "critical")


@dataclass(frozen=True)
class Kind:
    """A kind of page: which pages are of it, the one checked, and what it must show."""

    pattern: str  # the built pages of this kind (relative paths, a regular expression)
    page: str  # the page checked (with its query, if any)
    shows: str  # a selector present once the page shows what is checked
    prepare: str = ""  # a script run once it does (a reader's action)


#: Every kind of HTML page the book has; the first pattern a page matches is its kind.
KINDS = {
    "home": Kind(r"index\.html", "index.html", ".wkn-issue-list .wkn-issues li a"),
    "issue": Kind(
        r"issues/\d{4}\.html",
        # Cards with thumbnails, body links, tags, competitions, an "also in" and archived copies.
        "issues/0041.html",
        "main:has(.wkn-also-in) article.wkn-card .wkn-competition ~ .wkn-archived",
    ),
    "year": Kind(r"docs/years/\d{4}\.html", "docs/years/2020.html", ".wkn-issues li a"),
    "overview": Kind(r"docs/overview\.html", "docs/overview.html", ".wkn-chart-grid .wkn-chart"),
    "book page": Kind(r"docs/[^/]+\.html", "docs/contributing.html", "article table"),
    "tags index": Kind(r"tags/index\.html", "tags/index.html", ".wkn-tag-cloud .wkn-chip"),
    # A tag's later parts (tags/<slug>/2.html …): the navigation between the parts.
    "tag part": Kind(
        r"tags/[^/]+/\d+\.html",
        "tags/kaggle/2.html",
        "nav.wkn-parts + .wkn-entries .wkn-entry-issue a",
    ),
    "tag": Kind(r"tags/[^/]+\.html", "tags/audio.html", ".wkn-sparkline ~ .wkn-entries a"),
    "sites index": Kind(r"sites/index\.html", "sites/index.html", ".wkn-sites a.wkn-site-name"),
    # A site's page (its later parts, sites/<host>/2.html …, are pages of the same kind).
    "site": Kind(r"sites/[^/]+(/\d+)?\.html", "sites/speakerdeck.com.html", "h1 ~ .wkn-entries a"),
    # The link finder's old address leads to the search page's listing of every link,
    # which is what a reader of it sees (and what is checked).
    "all links": Kind(
        r"links/index\.html",
        "links/index.html",
        "#wkn-search[data-state=done] .wkn-search-results[data-group=exact] .wkn-search-card a",
    ),
    "search": Kind(
        r"search\.html",
        "search.html?q=機械学習",
        "#wkn-search[data-state=done] .wkn-search-card mark",
    ),
    "general index": Kind(r"genindex\.html", "genindex.html", ".genindex-jumpbox"),
    "competitions index": Kind(
        r"competitions/index\.html",
        "competitions/index.html",
        "form.wkn-competition-filters:not([hidden]) ~ table.wkn-competitions td a",
    ),
    "competition": Kind(
        r"competitions/[^/]+/[^/]+\.html",
        "competitions/kaggle/halite.html",
        ".wkn-mention .wkn-chip",
    ),
}

#: axe.run on the document: serious and critical results, one row per element.
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    rules: {"target-size": {enabled: true}},
    resultTypes: ["violations"],
  });
  return result.violations.flatMap((rule) => rule.nodes.map((node) => ({
    id: rule.id,
    impact: node.impact || rule.impact,
    help: rule.help,
    target: node.target.join(" "),
    summary: node.failureSummary,
  })));
}"""

#: No CSS transition running (the theme fades some colours when the mode changes).
SETTLED = "document.getAnimations().every((a) => !(a instanceof CSSTransition))"


def stay_local(route, origin: str) -> None:
    """Requests to the test's server go through; every other one is aborted."""
    if route.request.url.startswith(origin + "/"):
        route.continue_()
    else:
        route.abort()


def kind_of(path: str) -> str | None:
    return next((name for name, kind in KINDS.items() if re.fullmatch(kind.pattern, path)), None)


def report(rows: list[dict], limit: int = 3) -> str:
    """Violations as text: per mode and rule, the elements (the first few) and the summary."""
    lines: list[str] = []
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["mode"], row["id"]), []).append(row)
    for (mode, rule), found in groups.items():
        first = found[0]
        lines.append(f"[{mode}] {rule} ({first['impact']}, {len(found)}×): {first['help']}")
        for row in found[:limit]:
            summary = " ".join(row["summary"].split())
            lines.append(f"    {row['target']}\n        {summary}")
        if len(found) > limit:
            lines.append(f"    … and {len(found) - limit} more")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --ignore-scripts` (make test does)")
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    installed = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))
    wanted = pinned["devDependencies"]["axe-core"]
    assert installed["version"] == wanted, f"axe-core {installed['version']} installed: run npm ci"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(real_book, serve) -> str:
    assert real_book.returncode == 0, real_book.log[-3000:]
    return serve(real_book.html)


def test_every_kind_of_page_is_checked(real_book):
    """A new kind of page fails here until it has its entry in KINDS (and is checked)."""
    pages = [
        path.relative_to(real_book.html).as_posix()
        for path in real_book.html.rglob("*.html")
        if not path.relative_to(real_book.html).parts[0].startswith("_")
    ]
    assert pages
    unnamed = [page for page in pages if kind_of(page) is None]
    assert unnamed == [], "pages of a kind KINDS does not name (add one to check them)"
    for name, kind in KINDS.items():
        assert kind_of(kind.page.split("?")[0]) == name, kind.page
        assert (real_book.html / kind.page.split("?")[0]).is_file(), kind.page


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", KINDS)
def test_no_serious_violation(browser, site, axe_source, name, width):
    kind = KINDS[name]
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme="light", reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.route("**/*", lambda route: stay_local(route, site))
        page.goto(f"{site}/{kind.page}")
        page.wait_for_selector(kind.shows, state="attached")
        if kind.prepare:
            page.evaluate(kind.prepare)
        page.add_script_tag(content=axe_source)
        found: list[dict] = []
        for mode in MODES:
            page.emulate_media(color_scheme=mode)
            page.wait_for_function(f"document.documentElement.dataset.theme === '{mode}'")
            page.wait_for_function(SETTLED)
            found += [
                {**row, "mode": mode} for row in page.evaluate(RUN_AXE) if row["impact"] in SERIOUS
            ]
        assert errors == []
        assert found == [], f"{name} ({kind.page}, {width} px):\n{report(found)}"
    finally:
        context.close()


#: The lowest WCAG 2 contrast of a thumbnail's initial on its tile over every hue a site can
#: get (core/cards.site_hue: 0-359), with that hue, and whether the initial is large text.
INITIALS = """() => {
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const thumb = document.querySelector(".wkn-card-thumb");
  const initial = thumb.querySelector(".wkn-thumb-fallback");
  let lowest = [Infinity, -1];
  for (let hue = 0; hue < 360; hue++) {
    thumb.style.setProperty("--wkn-hue", String(hue));
    const [a, b] = [getComputedStyle(initial).color, getComputedStyle(thumb).backgroundColor]
      .map(luminance).sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < lowest[0]) lowest = [ratio, hue];
  }
  const style = getComputedStyle(initial);
  const px = parseFloat(style.fontSize);
  const large = px >= 24 || (px >= 18.66 && Number(style.fontWeight) >= 700);
  return {ratio: lowest[0], hue: lowest[1], large};
}"""


def test_thumbnail_initials_are_readable_on_every_hue(browser, site):
    """axe leaves one-letter text undecided, so the initial a card shows without its
    thumbnail is measured here: white on the site's hue, at least 3:1 as large text."""
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", lambda route: stay_local(route, site))
        page.goto(f"{site}/{KINDS['issue'].page}")
        found = page.evaluate(INITIALS)
        assert found["ratio"] >= (3 if found["large"] else 4.5), found
    finally:
        context.close()
