"""Cards as index pages list them: per tag and per site, newest issue first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsarchive.core.text import japanese_date
from newsarchive.core.urls import site_key

if TYPE_CHECKING:
    from newsarchive.sphinxext.domain import CardRecord, IssueRecord, NewsDomain


@dataclass(frozen=True)
class Entry:
    """One card as an index page lists it."""

    issue: IssueRecord
    card: CardRecord

    @property
    def date(self) -> str:
        return japanese_date(self.issue.day)


def tag_entries(domain: NewsDomain) -> dict[str, list[Entry]]:
    """slug -> its cards, newest issue first, page order within an issue."""
    entries: dict[str, list[Entry]] = defaultdict(list)
    for issue, card in domain.issue_cards():
        for slug in card.tags:
            entries[slug].append(Entry(issue, card))
    for slug in entries:
        entries[slug].sort(key=lambda e: -e.issue.number)
    return entries


def site_entries(domain: NewsDomain) -> list[tuple[str, list[Entry]]]:
    """(site, its cards newest first), most linked site first."""
    entries: dict[str, list[Entry]] = defaultdict(list)
    for issue, card in domain.issue_cards():
        entries[site_key(card.site or card.url)].append(Entry(issue, card))
    ordered = sorted(entries.items(), key=lambda item: (-len(item[1]), item[0]))
    return [(site, sorted(cards, key=lambda e: -e.issue.number)) for site, cards in ordered]
