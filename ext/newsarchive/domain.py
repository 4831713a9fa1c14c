"""The archive's data: issues and their cards, per document, as plain values.

Purged per document and merged per parallel reader (the shape of Sphinx's todo
extension), so indexes computed from it can never show a deleted card.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.domains import Domain

from newsarchive.nodes import link_card

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Set

    from docutils import nodes
    from sphinx.environment import BuildEnvironment


@dataclass(frozen=True)
class IssueRecord:
    docname: str
    number: int
    date: str  # ISO date
    title: str
    source: str = ""
    description: str = ""

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)


@dataclass(frozen=True)
class CardRecord:
    docname: str
    anchor: str
    url: str
    title: str
    site: str
    image: str = ""
    excerpt: str = ""
    commentary: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    line: int = 0


class NewsDomain(Domain):
    """Holds every issue and card of the archive (``env.domains['news']``)."""

    name = "news"
    label = "Weekly Kaggle News"
    initial_data: dict[str, Any] = {  # noqa: RUF012 (Sphinx copies it per environment)
        "issues": {},  # docname -> IssueRecord as dict
        "cards": {},  # docname -> [CardRecord as dict]
        "lists": {},  # docname -> year of its issue list (0: every year)
        "signatures": {},  # docname -> digest of what doctree-resolved adds (not per reader)
    }
    data_version = 1

    # -- Sphinx's protocol ---------------------------------------------------------
    def clear_doc(self, docname: str) -> None:
        self.data["issues"].pop(docname, None)
        self.data["cards"].pop(docname, None)
        self.data["lists"].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["issues"]:
                self.data["issues"][docname] = otherdata["issues"][docname]
            for key in ("cards", "lists"):
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        cards = [
            asdict(
                CardRecord(
                    docname=docname,
                    anchor=node["anchor"],
                    url=node["url"],
                    title=node["title"],
                    site=node["site"],
                    image=node["image"],
                    excerpt=node["excerpt"],
                    commentary=_commentary_text(node),
                    tags=tuple(node["tags"]),
                    line=node.line or 0,
                )
            )
            for node in document.findall(link_card)
        ]
        if cards:
            self.data["cards"][docname] = cards

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list:  # no roles of ours
        return []

    # -- what the rest of the extension reads --------------------------------------
    def add_issue(self, record: IssueRecord) -> None:
        self.data["issues"][record.docname] = asdict(record)

    def issue(self, docname: str) -> IssueRecord | None:
        data = self.data["issues"].get(docname)
        return IssueRecord(**data) if data else None

    def issues(self) -> list[IssueRecord]:
        """Every issue, oldest first (by number, then docname for stable order)."""
        records = [IssueRecord(**data) for data in self.data["issues"].values()]
        return sorted(records, key=lambda r: (r.number, r.docname))

    def cards_of(self, docname: str) -> list[CardRecord]:
        return [_card(data) for data in self.data["cards"].get(docname, [])]

    def issue_cards(self) -> Iterator[tuple[IssueRecord, CardRecord]]:
        """Every card of every issue page, in issue order then page order."""
        for issue in self.issues():
            for card in self.cards_of(issue.docname):
                if card.url:
                    yield issue, card

    def issues_by_url(self) -> dict[str, list[tuple[IssueRecord, CardRecord]]]:
        found: dict[str, list[tuple[IssueRecord, CardRecord]]] = defaultdict(list)
        for issue, card in self.issue_cards():
            found[card.url].append((issue, card))
        return found


def _card(data: dict[str, Any]) -> CardRecord:
    return CardRecord(**{**data, "tags": tuple(data.get("tags", ()))})


def _commentary_text(card: nodes.Element) -> str:
    for child in card.children:
        if "wkn-card-body" in child.get("classes", []):
            return " ".join(child.astext().split())
    return ""


def news_domain(env: BuildEnvironment) -> NewsDomain:
    return env.domains["news"]  # type: ignore[return-value]


def issue_numbers(records: Iterable[IssueRecord]) -> dict[int, list[IssueRecord]]:
    by_number: dict[int, list[IssueRecord]] = defaultdict(list)
    for record in records:
        by_number[record.number].append(record)
    return by_number
