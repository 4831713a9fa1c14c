"""Competition pages: the index, one page and one Atom feed per competition, card chips
and the most-followed list.

Everything is computed from the domains' data and the curated file at each build
(:func:`newsarchive.competition_domain.archive_competitions`): pages are rewritten when
what they show changed, and the page and feed of a competition no longer mentioned are
removed. Issue pages whose chips changed are marked at ``env-get-updated``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from markupsafe import Markup
from sphinx.util.docutils import SphinxDirective

from newsarchive.core.competition_links import PLATFORMS
from newsarchive.core.text import japanese_date
from newsarchive.sphinxext.competition_domain import (
    CompetitionDomain,
    archive_competitions,
    card_competitions,
    competition_domain,
    load_competition_catalog,
)
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.exports import WEB_BUILDERS, write_if_changed
from newsarchive.sphinxext.feeds import TOKYO, _new_feed, entry_id, published, xml_text
from newsarchive.sphinxext.issuenav import changed_signatures
from newsarchive.sphinxext.nodes import link_card, skip_node
from newsarchive.sphinxext.pages import Page, render_pages

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from newsarchive.core.competition_mentions import Competition, IssueText

STATE_FILE = "newsarchive-competitions.json"
FEED_STATE_FILE = "newsarchive-competition-feeds.json"
INDEX_TITLE = "コンペ一覧 Competitions"
#: html-page-context key set on the index page (its script is added there only).
INDEX_FLAG = "wkn_competitions_index"


def page_name(app: Sphinx, key: str) -> str:
    return f"{app.config.newsarchive_competitions_dir}/{key}"


def feed_path(app: Sphinx, key: str) -> str:
    return f"{page_name(app, key)}.xml"


def _date(issue: IssueText) -> str:
    return japanese_date(issue.day)


def competition_pages(app: Sphinx) -> Iterator[Page]:
    competitions = archive_competitions(app)
    vocabulary = news_domain(app.env).run.vocabulary
    labels = {tag.slug: tag.label_ja for tag in vocabulary.tags.values()} if vocabulary else {}
    directory = app.config.newsarchive_competitions_dir
    platforms = [
        (platform.key, platform.name)
        for platform in PLATFORMS
        if any(c.ref.platform == platform.key for c in competitions)
    ]
    years = sorted({m.issue.date[:4] for c in competitions for m in c.mentions})
    rows = sorted(competitions, key=lambda c: (c.last.date, c.key), reverse=True)
    yield Page(
        f"{directory}/index",
        INDEX_TITLE,
        "competitions_index.html",
        {
            "competitions": rows,
            "platforms": platforms,
            "years": years,
            "page_of": lambda c: page_name(app, c.key),
            "years_of": lambda c: sorted({m.issue.date[:4] for m in c.mentions}),
            "date": _date,
            # The filters are drawn by competitions.js, which only the website loads.
            "scripted": app.builder.name in WEB_BUILDERS,
        },
        f"Weekly Kaggle News が追ったコンペ {len(competitions)} 件と、言及の回数。",
    )
    for competition in competitions:
        writeups = [m for m in competition.mentions if m.writeup]
        others = [m for m in competition.mentions if not m.writeup]
        yield Page(
            page_name(app, competition.key),
            competition.name,
            "competition_page.html",
            {
                "competition": competition,
                "mentions": others,
                "writeups": writeups,
                "labels": labels,
                "index": f"{directory}/index",
                # Feeds are written for the website only (not into an e-book).
                "feed": (
                    Path(feed_path(app, competition.key)).name
                    if app.builder.name in WEB_BUILDERS
                    else ""
                ),
                "date": _date,
            },
            f"{competition.ref.platform_name}「{competition.name}」について Weekly Kaggle News "
            f"が書いたこと {len(competition.mentions)} 件、日付順。",
        )


def collect_competition_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """html-collect-pages: the index and each competition's page, when changed."""
    yield from render_pages(app, competition_pages(app), STATE_FILE)


# -- feeds ---------------------------------------------------------------------------
def competition_feed(app: Sphinx, competition: Competition) -> str:
    newest = list(reversed(competition.mentions))[: app.config.newsarchive_tag_feed_size]
    feed = _new_feed(
        app,
        f"competition/{competition.key}",
        f"{app.config.project}: {competition.name}",
        feed_path(app, competition.key),
        f"「{competition.name}」への言及",
    )
    base = (app.config.html_baseurl or "").rstrip("/") + "/"
    for mention in reversed(newest):  # feedgen puts the last added first
        issue = mention.issue
        entry = feed.add_entry()
        entry.id(
            entry_id("competition", competition.key, issue.number, mention.kind, mention.anchor)
        )
        page = app.builder.get_target_uri(issue.docname)
        if mention.card is not None:
            entry.title(xml_text(mention.card.title))
            entry.link(href=mention.card.url or base + page)
            summary = mention.card.commentary or mention.card.title
        else:
            entry.title(xml_text(f"#{issue.number} {issue.title}"))
            entry.link(href=base + page + (f"#{mention.anchor}" if mention.anchor else ""))
            summary = mention.text
        entry.published(published(issue))  # type: ignore[arg-type]
        entry.updated(published(issue))  # type: ignore[arg-type]
        entry.summary(xml_text(summary))
    last = newest[0].issue if newest else None
    feed.updated(published(last) if last else dt.datetime(2019, 12, 20, tzinfo=TOKYO))  # type: ignore[arg-type]
    atom: bytes = feed.atom_str(pretty=True)  # feedgen has no types
    return atom.decode("utf-8")


def write_competition_feeds(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: one feed per competition; feeds of vanished competitions removed."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    outdir = Path(app.outdir)
    state = Path(app.doctreedir) / FEED_STATE_FILE
    try:
        previous = set(json.loads(state.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        previous = set()
    current = set()
    for competition in archive_competitions(app):
        path = feed_path(app, competition.key)
        current.add(path)
        write_if_changed(outdir / path, competition_feed(app, competition))
    for stale in sorted(previous - current):
        (outdir / stale).unlink(missing_ok=True)
    state.write_text(json.dumps(sorted(current)), encoding="utf-8")


def page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: a competition page announces its feed; the index gets its script."""
    if app.builder.name not in WEB_BUILDERS:
        return
    directory = app.config.newsarchive_competitions_dir
    if pagename == f"{directory}/index":
        app.add_js_file("competitions.js", loading_method="defer")
        return
    key = pagename.removeprefix(f"{directory}/")
    if not pagename.startswith(f"{directory}/"):
        return
    names = {c.key: c.name for c in archive_competitions(app)}
    if key in names:
        link = Markup(
            '<link rel="alternate" type="application/atom+xml" title="{} (Atom)" href="{}">\n'
        ).format(names[key], context["pathto"](feed_path(app, key), 1))
        context["metatags"] = context.get("metatags", "") + str(link)


# -- chips on cards ------------------------------------------------------------------
def add_chips(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: a chip per competition in each card's footer, linking its page."""
    chips = card_competitions(app, docname)
    if not chips:
        return
    html = app.builder.format == "html"
    for card in doctree.findall(link_card):
        found = chips.get(card["anchor"])
        footer = next((c for c in card.children if "wkn-card-footer" in c.get("classes", [])), None)
        if not found or footer is None:
            continue
        for position, (key, name) in enumerate(found):
            label = f"🏆 {name}" if html else name
            if html:
                uri = app.builder.get_relative_uri(docname, page_name(app, key))
                chip: nodes.Node = nodes.reference(
                    "", label, refuri=uri, internal=True, classes=["wkn-competition"]
                )
            else:
                chip = nodes.inline("", label, classes=["wkn-competition"])
            footer.insert(position * 2, chip)
            footer.insert(position * 2 + 1, nodes.Text(" "))


def updated_chips(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: issue pages whose chips changed (a name in the curated file,
    the most used link text elsewhere) and pages holding the most-followed list."""
    domain = competition_domain(env)
    followed = most_followed_signature(app)
    return changed_signatures(
        env,
        domain.data["signatures"],
        lambda docname: (
            repr(sorted(card_competitions(app, docname).items()))
            + (followed if docname in domain.data["lists"] else "")
        ),
    )


# -- the most-followed list (for the overview page) ------------------------------------
class competition_list(nodes.General, nodes.Element):
    """Placeholder for the most-followed competitions, filled at doctree-resolved."""


class MostFollowedDirective(SphinxDirective):
    """``:::{competition-list}`` with ``:limit: N`` (10): the most mentioned competitions."""

    option_spec: ClassVar[dict[str, Any]] = {"limit": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        limit = self.options.get("limit", 10)
        competition_domain(self.env).data["lists"][self.env.docname] = limit
        return [competition_list(limit=limit)]


def most_followed(app: Sphinx, limit: int) -> list[Competition]:
    ranked = sorted(
        archive_competitions(app), key=lambda c: (-len(c.mentions), -len(c.issues), c.key)
    )
    return ranked[:limit]


def most_followed_signature(app: Sphinx) -> str:
    return repr([(c.key, c.name, len(c.mentions), len(c.issues)) for c in most_followed(app, 100)])


def resolve_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: each placeholder becomes a table (linked in HTML)."""
    for placeholder in list(doctree.findall(competition_list)):
        ranked = most_followed(app, placeholder["limit"])
        if not ranked:
            placeholder.replace_self(nodes.paragraph("", "まだコンペの言及がありません。"))
            continue
        table = nodes.table(classes=["wkn-competition-list"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (40, 12, 6, 6):  # characters, for the text builder
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += _row(["コンペ", "プラットフォーム", "言及", "号"])
        body = nodes.tbody()
        group += body
        for competition in ranked:
            name: nodes.Node = nodes.Text(competition.name)
            if app.builder.format == "html":
                uri = app.builder.get_relative_uri(docname, page_name(app, competition.key))
                name = nodes.reference("", competition.name, refuri=uri, internal=True)
            body += _row(
                [
                    name,
                    competition.ref.platform_name,
                    str(len(competition.mentions)),
                    str(len(competition.issues)),
                ]
            )
        placeholder.replace_self(table)


def _row(cells: list[nodes.Node | str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        paragraph = nodes.paragraph()
        paragraph += nodes.Text(cell) if isinstance(cell, str) else cell
        entry += paragraph
        row += entry
    return row


def add_styles(app: Sphinx) -> None:
    """builder-inited: chips and competition pages' styles, for HTML builders only."""
    if app.builder.format == "html":
        app.add_css_file("competitions.css")


def setup_competitions(app: Sphinx) -> None:
    app.add_domain(CompetitionDomain)
    app.add_directive("competition-list", MostFollowedDirective)
    skip = (skip_node, None)
    app.add_node(competition_list, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.connect("builder-inited", load_competition_catalog)
    app.connect("builder-inited", add_styles)
    app.connect("env-get-updated", updated_chips)
    app.connect("doctree-resolved", add_chips)
    app.connect("doctree-resolved", resolve_lists)
    app.connect("html-collect-pages", collect_competition_pages)
    app.connect("html-page-context", page_assets)
    app.connect("build-finished", write_competition_feeds)
