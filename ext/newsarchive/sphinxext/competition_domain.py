"""Competition links and intro paragraphs of each page, as plain values in a domain.

Read from the finished doctree (cards and intro prose alike), purged per document and
merged per parallel reader, like the cards of :mod:`newsarchive.domain`. What the pages
show is computed from this data and the curated file at each build
(:func:`archive_competitions`), so a removed mention cannot survive.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain

from newsarchive.core.competition_data import Catalog, load_catalog
from newsarchive.core.competition_links import competition_of
from newsarchive.core.competition_mentions import (
    CardText,
    Competition,
    IntroParagraph,
    IssueText,
    LinkFound,
    competitions_of,
)
from newsarchive.sphinxext.diagnostics import Subtype, warn
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.nodes import card_link, link_card

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class CompetitionDomain(Domain):
    """Competition links per page (``env.domains['competitions']``)."""

    name = "competitions"
    label = "Competitions"
    initial_data: ClassVar[dict[str, Any]] = {
        "links": {},  # docname -> [LinkFound as dict]
        "paragraphs": {},  # docname -> [IntroParagraph as dict]
        "signatures": {},  # docname -> digest of its competition chips (not per reader)
        "lists": {},  # docname -> limit of its most-followed list
    }
    data_version = 1

    #: (the news index it was computed with, the competitions), dropped on any change
    _cached: tuple[object, list[Competition]] | None = None
    #: (the competitions it was computed from, docname -> card anchor -> [(key, name)])
    chips: tuple[list[Competition], dict[str, dict[str, list[tuple[str, str]]]]] | None = None

    def clear_doc(self, docname: str) -> None:
        self._cached = None
        for key in ("links", "paragraphs", "lists"):
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self._cached = None
        for docname in docnames:
            for key in ("links", "paragraphs", "lists"):
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        self._cached = None
        links, paragraphs = read_page(document)
        if links:
            self.data["links"][docname] = [asdict(link) for link in links]
        if paragraphs:
            self.data["paragraphs"][docname] = [asdict(p) for p in paragraphs]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:  # no roles of ours
        return []


def read_page(document: nodes.document) -> tuple[list[LinkFound], list[IntroParagraph]]:
    """Every competition link of a page, and its intro paragraphs (text outside cards)."""
    links: list[LinkFound] = []
    for card in document.findall(link_card):
        # The card's own URL, even when its title leads to an archived copy (dead link).
        ref = competition_of(card["url"])
        if ref is not None:
            links.append(LinkFound(ref.key, "card", card["anchor"], card["title"]))
        for reference in card.findall(nodes.reference):
            if isinstance(reference, card_link):
                continue
            ref = competition_of(reference.get("refuri", ""))
            if ref is not None:
                links.append(LinkFound(ref.key, "card", card["anchor"], reference.astext()))
    paragraphs: list[IntroParagraph] = []
    for paragraph in document.findall(nodes.paragraph):
        if _inside(paragraph, link_card):
            continue
        text = " ".join(paragraph.astext().split())
        if not text:
            continue
        index = len(paragraphs)
        paragraphs.append(IntroParagraph(_section_id(paragraph), text))
        for reference in paragraph.findall(nodes.reference):
            ref = competition_of(reference.get("refuri", ""))
            if ref is not None:
                links.append(
                    LinkFound(ref.key, "intro", paragraphs[-1].anchor, reference.astext(), index)
                )
    return links, paragraphs


def _inside(node: nodes.Node, kind: type[nodes.Element]) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parent
    return False


def _section_id(node: nodes.Node) -> str:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent["ids"]:
            return str(parent["ids"][0])
        parent = parent.parent
    return ""


def competition_domain(env: BuildEnvironment) -> CompetitionDomain:
    return env.domains["competitions"]  # type: ignore[return-value]


def catalog_of(app: Sphinx) -> Catalog | None:
    return news_domain(app.env).run.competitions


def issue_texts(env: BuildEnvironment) -> list[IssueText]:
    """Every issue page with its cards, intro paragraphs and competition links."""
    news = news_domain(env)
    data = competition_domain(env).data
    texts = []
    for issue in news.issues():
        cards = tuple(
            CardText(card.anchor, card.url, card.title, card.site, card.commentary, card.tags)
            for card in news.cards_of(issue.docname)
        )
        texts.append(
            IssueText(
                docname=issue.docname,
                number=issue.number,
                date=issue.date,
                title=issue.title,
                cards=cards,
                paragraphs=tuple(
                    IntroParagraph(**p) for p in data["paragraphs"].get(issue.docname, [])
                ),
                links=tuple(LinkFound(**link) for link in data["links"].get(issue.docname, [])),
            )
        )
    return texts


def archive_competitions(app: Sphinx) -> list[Competition]:
    """Every competition of the archive with its mentions (computed, never stored)."""
    domain = competition_domain(app.env)
    news_index = news_domain(app.env).index  # a new object after any change of the cards
    if domain._cached is None or domain._cached[0] is not news_index:
        domain._cached = (news_index, competitions_of(issue_texts(app.env), catalog_of(app)))
    return domain._cached[1]


def load_competition_catalog(app: Sphinx) -> None:
    """builder-inited: read the curated file once; each problem is a warning with its line."""
    path = Path(app.srcdir, app.config.newsarchive_competitions_file)
    catalog = load_catalog(path)
    for problem in catalog.problems:
        warn(problem.message, Subtype.COMPETITION, f"{path}:{problem.line}")
    news_domain(app.env).run.competitions = catalog


def card_competitions(app: Sphinx, docname: str) -> dict[str, list[tuple[str, str]]]:
    """card anchor -> [(key, name)] of the competitions the card links or names."""
    competitions = archive_competitions(app)
    domain = competition_domain(app.env)
    if domain.chips is None or domain.chips[0] is not competitions:
        chips: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for competition in competitions:
            for mention in competition.mentions:
                if mention.kind == "card":
                    pairs = chips.setdefault(mention.issue.docname, {}).setdefault(
                        mention.anchor, []
                    )
                    if (competition.key, competition.name) not in pairs:
                        pairs.append((competition.key, competition.name))
        domain.chips = (competitions, chips)
    return domain.chips[1].get(docname, {})
