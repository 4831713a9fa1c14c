"""Cards as index pages list them: per tag and per site, newest issue first; the name of
a site's page."""

from __future__ import annotations

import hashlib
import re
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


#: A site's name as it is its page's file name: a host name's own characters.
_SAFE_NAME = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,80}[a-z0-9])?")


def site_file_name(site: str) -> str:
    """The file name (without ``.html``) of a site's page. A host name is its own name;
    any other text (a ``:site:`` such as "Kaggle Blog", an empty one, "index") is cut down to
    those characters and given its hash after a ``_``, which a host name never holds, so
    two sites never share a page and the sites index keeps its address."""
    if _SAFE_NAME.fullmatch(site) and site != "index" and ".." not in site:
        return site
    kept = re.sub(r"[^a-z0-9.-]+", "-", site).strip(".-")[:60].strip(".-") or "site"
    return f"{kept}_{hashlib.sha1(site.encode()).hexdigest()[:10]}"


def site_page(sites_dir: str, site: str) -> str:
    """The page name of a site's list (its first part)."""
    return f"{sites_dir}/{site_file_name(site)}"
