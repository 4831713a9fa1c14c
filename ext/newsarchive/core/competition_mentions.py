"""Competitions and their mentions, computed from plain values (no Sphinx here).

A *mention* is a place of an issue that speaks of a competition: a card whose link or
commentary links it, an intro paragraph that links it, or (through the curated file's
aliases) a card or intro paragraph that names it without a link. Mentions are found from
what each issue page holds, so the pages computed from them can never keep a mention an
edit removed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsarchive.core.competition_data import normalize_name
from newsarchive.core.competition_links import CompetitionRef, parse_key

if TYPE_CHECKING:
    from collections.abc import Iterable

    from newsarchive.core.competition_data import Catalog

#: Tags that make a card a write-up of a competition (its page groups them apart).
WRITEUP_TAGS = ("solution", "retrospective")


@dataclass(frozen=True)
class LinkFound:
    """A competition link in a page: in a card (``anchor`` is the card's) or the intro."""

    key: str
    kind: str  #: "card" or "intro"
    anchor: str  #: the card's anchor, or the intro paragraph's section id
    text: str  #: the link's text
    paragraph: int = -1  #: intro: index of the paragraph in the page's intro paragraphs


@dataclass(frozen=True)
class IntroParagraph:
    anchor: str  #: the id of the section holding it
    text: str


@dataclass(frozen=True)
class CardText:
    """What alias matching and the pages need of a card."""

    anchor: str
    url: str
    title: str
    site: str
    commentary: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class IssueText:
    """One issue as competitions see it."""

    docname: str
    number: int
    date: str
    title: str
    cards: tuple[CardText, ...]
    paragraphs: tuple[IntroParagraph, ...]
    links: tuple[LinkFound, ...]

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)


@dataclass(frozen=True)
class Mention:
    key: str
    issue: IssueText
    kind: str  #: "card" or "intro"
    anchor: str
    linked: bool  #: False: attached by an alias
    card: CardText | None = None
    text: str = ""  #: intro: the paragraph

    @property
    def writeup(self) -> bool:
        return self.card is not None and any(tag in WRITEUP_TAGS for tag in self.card.tags)


@dataclass
class Competition:
    ref: CompetitionRef
    name: str
    ja: str = ""
    start: str = ""
    end: str = ""
    curated: bool = False
    mentions: list[Mention] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.ref.key

    @property
    def first(self) -> IssueText:
        return self.mentions[0].issue

    @property
    def last(self) -> IssueText:
        return self.mentions[-1].issue

    @property
    def issues(self) -> list[IssueText]:
        seen: dict[str, IssueText] = {}
        for mention in self.mentions:
            seen.setdefault(mention.issue.docname, mention.issue)
        return list(seen.values())


def alias_hits(text: str, patterns: list[tuple[str, str]]) -> list[str]:
    """Keys whose alias appears in ``text`` (compared in NFKC, ignoring case).

    A longer alias hides the shorter aliases inside it: with both 「Riiid!」 and
    「Riiid!コンペ」 declared, the text 「Riiid!コンペ」 is one hit, not two.
    """
    folded = normalize_name(text)
    found: list[str] = []
    taken: list[tuple[int, int]] = []
    for alias, key in patterns:
        for match in re.finditer(re.escape(alias), folded):
            span = match.span()
            if any(start < span[1] and span[0] < end for start, end in taken):
                continue
            taken.append(span)
            if key not in found:
                found.append(key)
    return found


def issue_mentions(issue: IssueText, patterns: list[tuple[str, str]]) -> list[Mention]:
    """The mentions of one issue in page order: intro paragraphs, then cards; each place
    once per competition, whether it links it, names it, or both."""
    cards = {card.anchor: card for card in issue.cards}
    linked: dict[tuple[str, object], set[str]] = defaultdict(set)
    for link in issue.links:
        linked[("card", link.anchor) if link.kind == "card" else ("intro", link.paragraph)].add(
            link.key
        )
    found: list[Mention] = []
    for index, paragraph in enumerate(issue.paragraphs):
        keys = linked.get(("intro", index), set())
        named = [key for key in alias_hits(paragraph.text, patterns) if key not in keys]
        for key in [*sorted(keys), *named]:
            found.append(
                Mention(key, issue, "intro", paragraph.anchor, key in keys, text=paragraph.text)
            )
    for card in issue.cards:
        keys = linked.get(("card", card.anchor), set())
        text = f"{card.title}\n{card.commentary}"
        named = [key for key in alias_hits(text, patterns) if key not in keys]
        for key in [*sorted(keys), *named]:
            found.append(Mention(key, issue, "card", card.anchor, key in keys, cards[card.anchor]))
    return found


def competitions_of(issues: Iterable[IssueText], catalog: Catalog | None) -> list[Competition]:
    """Every competition mentioned, its mentions in date order (then page order).

    The display name is the curated one, else the link text used most often (ties: the
    alphabetically first, so it never depends on the order pages were read in).
    """
    patterns = catalog.alias_patterns() if catalog else []
    mentions: dict[str, list[Mention]] = defaultdict(list)
    texts: dict[str, Counter[str]] = defaultdict(Counter)
    for issue in sorted(issues, key=lambda i: (i.date, i.number, i.docname)):
        for link in issue.links:
            if link.text.strip():
                texts[link.key][link.text.strip()] += 1
        for mention in issue_mentions(issue, patterns):
            mentions[mention.key].append(mention)
    competitions = []
    for key in sorted(mentions):
        ref = parse_key(key)
        if ref is None:
            continue
        curated = catalog.competitions.get(key) if catalog else None
        common = sorted(texts[key].items(), key=lambda item: (-item[1], item[0]))
        name = (curated.name if curated else "") or (common[0][0] if common else ref.id)
        competitions.append(
            Competition(
                ref=ref,
                name=name,
                ja=curated.ja if curated else "",
                start=curated.start if curated else "",
                end=curated.end if curated else "",
                curated=bool(curated and curated.name),
                mentions=mentions[key],
            )
        )
    return competitions
