"""The link database and the sitemap, written next to the HTML book.

``links.json`` and ``links.csv`` hold one row per card in a stable order (issue number,
then position in the issue); ``sitemap.xml`` lists every page. Files are rewritten only
when their bytes change, so a no-op build leaves them alone.

A spreadsheet opening ``links.csv`` runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (or a tab or carriage return) as a formula, so such a cell is written with a ``'``
in front (the spreadsheets' own mark for "text"); ``links.json`` keeps every value as is.
``links.csv`` is UTF-8 with a byte order mark, so Excel opens it as UTF-8.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.sphinxext.competition_domain import archive_competitions, card_competitions
from newsarchive.sphinxext.domain import news_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from newsarchive.sphinxext.domain import CardRecord, IssueRecord

#: The columns of links.csv and the keys of each row of links.json, documented in the book.
FIELDS: dict[str, str] = {
    "issue": "issue number",
    "date": "the issue's date (YYYY-MM-DD, Asia/Tokyo)",
    "url": "the link, tracking parameters removed",
    "title": "the link's title",
    "site": "the site shown on the card",
    "tags": "tag slugs (CSV: separated by spaces)",
    "excerpt": "the excerpt of the linked page",
    "commentary": "the editor's commentary as plain text",
    "permalink": "the card in its issue page, relative to the book's root",
    "competitions": "competitions the card links or names, as <platform>/<id> "
    "(CSV: separated by spaces); their names and pages are under 'competitions'",
}

#: Builders that write a website (epub and single-page builds have no use for these).
WEB_BUILDERS = frozenset({"html", "dirhtml"})

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def write_if_changed(path: Path, content: str) -> bool:
    data = content.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def link_rows(app: Sphinx) -> list[dict[str, Any]]:
    builder = app.builder
    rows = []
    for issue, card in news_domain(app.env).issue_cards():
        row = _row(issue, card, builder.get_target_uri(issue.docname))
        keys = card_competitions(app, issue.docname).get(card.anchor, [])
        rows.append({**row, "competitions": [key for key, _ in keys]})
    return rows


def _row(issue: IssueRecord, card: CardRecord, page: str) -> dict[str, Any]:
    return {
        "issue": issue.number,
        "date": issue.date,
        "url": card.url,
        "title": card.title,
        "site": card.site,
        "tags": list(card.tags),
        "excerpt": card.excerpt,
        "commentary": card.commentary,
        "permalink": f"{page}#{card.anchor}",
    }


def tag_labels(app: Sphinx) -> dict[str, dict[str, str]]:
    """slug -> Japanese and English label of every tag of the vocabulary, in its order."""
    vocabulary = news_domain(app.env).run.vocabulary
    if not vocabulary:
        return {}
    return {t.slug: {"ja": t.label_ja, "en": t.label_en} for t in vocabulary.tags.values()}


def links_json(app: Sphinx, rows: list[dict[str, Any]]) -> str:
    document = {
        "fields": FIELDS,
        "tags": tag_labels(app),
        "competitions": competitions_of_rows(app, rows),
        "links": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def competitions_of_rows(app: Sphinx, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """key -> name, platform and page (relative to the book's root) of each competition
    the rows name."""
    named = {key for row in rows for key in row["competitions"]}
    directory = app.config.newsarchive_competitions_dir
    return {
        c.key: {
            "name": c.name,
            "platform": c.ref.platform_name,
            "page": app.builder.get_target_uri(f"{directory}/{c.key}"),
        }
        for c in archive_competitions(app)
        if c.key in named
    }


#: What makes a spreadsheet read a cell as a formula (leading spaces are skipped by some).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_text(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs: a ``'`` before a formula's start."""
    if isinstance(value, str) and (
        value.startswith(FORMULA_STARTS) or value.lstrip(" ").startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


def links_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FIELDS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        cells = {
            **row,
            "tags": " ".join(row["tags"]),
            "competitions": " ".join(row["competitions"]),
        }
        writer.writerow({key: spreadsheet_text(value) for key, value in cells.items()})
    # A byte order mark: Excel on Japanese Windows reads a CSV without one as Shift_JIS.
    return "\ufeff" + buffer.getvalue()


#: Pages of the output that are not for search engines (links/index.html: the link
#: finder's old address, which leads to search.html).
NOT_IN_SITEMAP = frozenset({"genindex.html", "search.html", "404.html", "links/index.html"})


def _published(relative: Path, absolute: Path, doctreedir: Path) -> bool:
    """A page of the site: not in ``_static``-like folders, hidden folders or build state.

    ``sphinx-build`` without ``-d`` keeps its doctrees (and the search copies) in
    ``<outdir>/.doctrees``; those are never pages of the site.
    """
    if any(part.startswith(("_", ".")) for part in relative.parts[:-1]):
        return False
    return not absolute.is_relative_to(doctreedir)


def sitemap(app: Sphinx) -> str:
    """Every HTML page in the output (documents and generated index pages alike)."""
    outdir = Path(app.outdir)
    base = app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else ""
    issue_dates = {
        app.builder.get_target_uri(issue.docname): issue.date
        for issue in news_domain(app.env).issues()
    }
    doctreedir = Path(app.doctreedir).resolve()
    pages = sorted(
        path.relative_to(outdir).as_posix()
        for path in outdir.rglob("*.html")
        if _published(path.relative_to(outdir), path.resolve(), doctreedir)
    )
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for page in pages:
        if page in NOT_IN_SITEMAP:
            continue
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = base + page
        if page in issue_dates:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = issue_dates[page]
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the link database and the sitemap (HTML builders only)."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    outdir = Path(app.outdir)
    rows = link_rows(app)
    write_if_changed(outdir / "links.json", links_json(app, rows))
    write_if_changed(outdir / "links.csv", links_csv(rows))
    write_if_changed(outdir / "sitemap.xml", sitemap(app))


def setup_exports(app: Sphinx) -> None:
    app.connect("build-finished", write_exports)
