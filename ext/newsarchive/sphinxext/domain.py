"""The archive's data: issues and their cards, per document, as plain values.

Purged per document and merged per parallel reader (the shape of Sphinx's todo
extension), so indexes computed from it can never show a deleted card.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.domains import Domain

from newsarchive.sphinxext.nodes import link_card

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Set
    from pathlib import Path

    from docutils import nodes
    from sphinx.environment import BuildEnvironment

    from newsarchive.core.competition_data import Catalog
    from newsarchive.core.vocabulary import Vocabulary


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
    status: str = "live"  #: "dead": the card links to its archived copy


@dataclass
class BuildRun:
    """What one ``sphinx-build`` run reads from files, or computes, once for every module.

    It lives on the domain object, which Sphinx makes anew for each run and never pickles;
    what must outlive a run is in the domain's ``data``.
    """

    vocabulary: Vocabulary | None = None  #: the tag vocabulary (config.py)
    competitions: Catalog | None = None  #: the curated competitions (competition_domain.py)
    thumbs: dict[str, str] = field(default_factory=dict)  #: image URL -> mirrored file
    thumbs_dir: Path | None = None  #: where the mirrored files are (thumbs.py)
    unfinished: bool = False  #: the last build was stopped (unfinished.py)
    #: values computed once per run, by name (each module checks what its value is for)
    computed: dict[str, Any] = field(default_factory=dict)


#: data kept per document: cleared with the document, merged from parallel readers
PER_DOCUMENT = ("issues", "cards", "lists", "issue_links", "overview_parts")


class NewsDomain(Domain):
    """Holds every issue and card of the archive (``env.domains['news']``), and the
    extension's state: per document and between builds in ``data``, per run in ``run``."""

    name = "news"
    label = "Weekly Kaggle News"
    initial_data: ClassVar[dict[str, Any]] = {  # Sphinx copies it per environment
        "issues": {},  # docname -> IssueRecord as dict
        "cards": {},  # docname -> [CardRecord as dict]
        "lists": {},  # docname -> year of its issue list (0: every year)
        "issue_links": {},  # docname -> addresses on it that may be issues' (issuelinks.py)
        "overview_parts": {},  # docname -> {part: limit} of its overview (overview.py)
        "signatures": {},  # docname -> digest of what doctree-resolved adds (not per reader)
        # what the last build saw, so that this one rewrites only what changed: name -> value
        "remembered": {},
    }
    data_version = 2

    _cached_index: ArchiveIndex | None = None

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.run = BuildRun()

    # -- Sphinx's protocol ---------------------------------------------------------
    def clear_doc(self, docname: str) -> None:
        self._cached_index = None
        for key in PER_DOCUMENT:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self._cached_index = None
        for docname in docnames:
            for key in PER_DOCUMENT:
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
                    status=node.get("status", "live"),
                )
            )
            for node in document.findall(link_card)
        ]
        if cards:
            self._cached_index = None
            self.data["cards"][docname] = cards

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:  # no roles of ours
        return []

    # -- what the rest of the extension reads --------------------------------------
    def add_issue(self, record: IssueRecord) -> None:
        self._cached_index = None
        self.data["issues"][record.docname] = asdict(record)

    @property
    def index(self) -> ArchiveIndex:
        """Records and lookups built once from the data (rebuilt after any change)."""
        if self._cached_index is None:
            self._cached_index = ArchiveIndex(self.data)
        return self._cached_index

    def issue(self, docname: str) -> IssueRecord | None:
        return self.index.by_docname.get(docname)

    def issues(self) -> list[IssueRecord]:
        """Every issue, oldest first (by number, then docname for stable order)."""
        return self.index.issues

    def cards_of(self, docname: str) -> list[CardRecord]:
        return self.index.cards.get(docname, [])

    def issue_cards(self) -> Iterator[tuple[IssueRecord, CardRecord]]:
        """Every linked card of every issue page, in issue order then page order."""
        for issue in self.index.issues:
            for card in self.index.cards.get(issue.docname, []):
                if card.url:
                    yield issue, card

    def issues_by_url(self) -> dict[str, list[tuple[IssueRecord, CardRecord]]]:
        return self.index.by_url

    def neighbours(self, docname: str) -> tuple[IssueRecord | None, IssueRecord | None]:
        """The issues before and after ``docname`` by number."""
        position = self.index.position.get(docname)
        if position is None:
            return None, None
        issues = self.index.issues
        before = issues[position - 1] if position > 0 else None
        after = issues[position + 1] if position + 1 < len(issues) else None
        return before, after

    def link_count(self, docname: str) -> int:
        return sum(1 for card in self.cards_of(docname) if card.url)

    def remember(self, name: str, value: Any) -> Any:
        """Keep ``value`` for the next build; what the last build kept (None at first)."""
        previous = self.data["remembered"].get(name)
        self.data["remembered"][name] = value
        return previous


class ArchiveIndex:
    """Derived lookups over a domain's data; plain values, rebuilt, never stored."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.issues = sorted(
            (IssueRecord(**record) for record in data["issues"].values()),
            key=lambda r: (r.number, r.docname),
        )
        self.by_docname = {issue.docname: issue for issue in self.issues}
        self.position = {issue.docname: index for index, issue in enumerate(self.issues)}
        self.cards = {
            docname: [_card(card) for card in cards] for docname, cards in data["cards"].items()
        }
        self.by_url: dict[str, list[tuple[IssueRecord, CardRecord]]] = defaultdict(list)
        for issue in self.issues:
            for card in self.cards.get(issue.docname, []):
                if card.url:
                    self.by_url[card.url].append((issue, card))


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
