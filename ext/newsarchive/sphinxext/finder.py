"""The link finder (``links/index.html``): every link of the archive, filtered as you type.

A static page: ``static/finder.js`` loads ``links.json`` (written by ``exports.py``) and
filters it in the browser by words (title, excerpt, commentary, site), tag and year, with
counts. No server and no index to build, so it is written for every HTML build.

The page arrives with its first view drawn (:func:`first_view`): the newest
:data:`PAGE_SIZE` links as the script draws them, the choices of tag, year and competition
with their counts, the total. So the page shows its links without a script and without
``links.json`` (270 KB gzipped), nothing moves when the script starts, and ``links.json`` is
fetched only when the reader turns to the form or asks for more (``finder.js``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from newsarchive.sphinxext.config import FINDER_PAGE
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.exports import competitions_of_rows, link_rows, tag_labels
from newsarchive.sphinxext.pages import DESCRIPTION_KEY, page_frame

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

PAGENAME = FINDER_PAGE
STATE_FILE = "newsarchive-finder.txt"  # in the doctree directory: what the page was drawn from
TITLE = "リンク検索 Link finder"
#: Builders that write a website (the page fetches links.json next to it).
WEB_BUILDERS = frozenset({"html", "dirhtml"})

#: The page bodies' templates: every value is text, escaped when rendered.
templates = jinja2.Environment(
    loader=jinja2.PackageLoader("newsarchive.sphinxext", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def root_prefix(app: Sphinx, pagename: str) -> str:
    """The relative path from ``pagename``'s output file up to the book's root."""
    return "../" * app.builder.get_target_uri(pagename).count("/")


#: Links drawn at once, in the page and by each "more" (finder.js's PAGE_SIZE).
PAGE_SIZE = 100


def japanese_date(iso: str) -> str:
    """``2021-03-05`` -> ``2021年3月5日``, as finder.js writes it."""
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    return f"{found[1]}年{int(found[2])}月{int(found[3])}日" if found else ""


def first_view(app: Sphinx, root: str) -> dict[str, Any]:
    """What finder.js shows before anything is chosen, as plain values for the template.

    Rows newest issue first, then in the page's order; a choice's count is the links it
    would leave (nothing else chosen); a choice with none is disabled, as the script does.
    """
    rows = link_rows(app)
    tags = tag_labels(app)
    competitions = competitions_of_rows(app, rows)
    ordered = sorted(enumerate(rows), key=lambda pair: (-(pair[1]["issue"] or 0), pair[0]))
    by_tag = Counter(tag for row in rows for tag in row["tags"])
    by_year = Counter(str(row["date"] or "")[:4] for row in rows)
    by_competition = Counter(key for row in rows for key in row["competitions"])

    def competition_label(key: str) -> str:
        competition = competitions[key]
        return f"{competition['name']}（{competition['platform']}）"

    shown = []
    for _, row in ordered[:PAGE_SIZE]:
        page = root + row["permalink"]
        shown.append(
            {
                "title": row["title"] or row["url"],
                "href": page,
                "issue_href": page.split("#")[0],
                "site": row["site"] or "",
                "issue": row["issue"],
                "date": japanese_date(row["date"]),
                "out": row["url"] if re.match(r"https?://", row["url"] or "", re.I) else "",
                "tags": [tags[t]["ja"] if t in tags else t for t in row["tags"]],
            }
        )
    return {
        "total": len(rows),
        "rows": shown,
        "remaining": len(rows) - len(shown),
        "tags": [(slug, label["ja"], by_tag[slug]) for slug, label in tags.items()],
        "years": [
            (year, f"{year}年", by_year[year])
            for year in sorted(filter(None, by_year), reverse=True)
        ],
        "competitions": sorted(
            ((key, competition_label(key), by_competition[key]) for key in competitions),
            key=lambda choice: (choice[1].lower(), choice[1]),  # as finder.js sorts them
        ),
    }


def collect_finder_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """html-collect-pages: the link finder page, when what it shows changed.

    Its body is fixed (the data is fetched), so only the sidebar and the configuration
    can change it; an unchanged page is left alone, as incremental builds expect.
    """
    if app.builder.name not in WEB_BUILDERS:
        return
    root = root_prefix(app, PAGENAME)
    body = templates.get_template("finder.html").render(
        root=root,
        source=root + "links.json",
        csv=root + "links.csv",
        view=first_view(app, root),
    )
    drawn_from = "\n".join((page_frame(app), body))
    digest = hashlib.sha1(drawn_from.encode()).hexdigest()
    state = Path(app.doctreedir) / STATE_FILE
    output = Path(app.builder.get_outfilename(PAGENAME))  # type: ignore[attr-defined]
    if (
        output.exists()
        and state.exists()
        and state.read_text(encoding="utf-8") == digest
        and not news_domain(app.env).run.unfinished  # see unfinished.py
    ):
        return
    state.write_text(digest, encoding="utf-8")
    context = {
        "title": TITLE,
        "body": Markup(body),
        DESCRIPTION_KEY: "Weekly Kaggle News が紹介したすべてのリンクを、語・タグ・年で絞り込む。",
        "wkn_finder_page": True,
    }
    yield PAGENAME, context, "page.html"


def add_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: the finder's script and styles, on its page only."""
    if context.get("wkn_finder_page"):
        app.add_js_file("finder.js", loading_method="defer")
        app.add_css_file("search.css")


def setup_finder(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_finder_page)
    app.connect("html-page-context", add_page_assets)
