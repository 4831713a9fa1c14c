"""The overview's numbers: issues, links and tags per year and quarter, top tags and sites,
computed from the domain's plain values (no drawing, no nodes)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.entries import site_entries, tag_entries

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from newsarchive.core.vocabulary import Vocabulary
    from newsarchive.sphinxext.domain import NewsDomain

#: A quarter with fewer links than this is left out of the share chart (too few to compare).
MIN_QUARTER_LINKS = 20


# -- the data ------------------------------------------------------------------------
@dataclass(frozen=True)
class YearRow:
    year: int
    issues: int
    links: int
    sites: int


@dataclass(frozen=True)
class TagRow:
    slug: str
    label_ja: str
    label_en: str
    total: int
    per_year: tuple[int, ...]  # aligned with Overview.years
    per_quarter: tuple[int, ...]  # aligned with Overview.quarters


@dataclass(frozen=True)
class SiteRow:
    rank: int
    site: str
    links: int


@dataclass(frozen=True)
class Overview:
    """Everything the overview shows, as plain values (also what its digest is made of)."""

    first_date: str = ""
    last_date: str = ""
    years: tuple[YearRow, ...] = ()
    #: Quarters from the first issue's to the last issue's, as ``year * 4 + quarter - 1``.
    quarters: tuple[int, ...] = ()
    quarter_issues: tuple[int, ...] = ()
    quarter_links: tuple[int, ...] = ()
    tags: tuple[TagRow, ...] = ()  # vocabulary order
    sites: tuple[SiteRow, ...] = ()  # most linked first
    total_links: int = 0
    tags_used: int = 0

    @property
    def total_issues(self) -> int:
        return sum(row.issues for row in self.years)

    def top_tags(self, limit: int) -> list[TagRow]:
        ranked = sorted(self.tags, key=lambda t: -t.total)  # stable: vocabulary order on ties
        return [tag for tag in ranked if tag.total][:limit]

    @functools.cached_property
    def digest(self) -> str:
        text = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(text.encode()).hexdigest()


def quarter_of(date: str) -> int:
    return int(date[:4]) * 4 + (int(date[5:7]) - 1) // 3


def quarter_label(quarter: int) -> str:
    return f"{quarter // 4}年第{quarter % 4 + 1}四半期"


def compute_overview(domain: NewsDomain, vocabulary: Vocabulary | None) -> Overview:
    """The overview's numbers, counted the way the tag and site pages count them."""
    issues = domain.issues()
    if not issues:
        return Overview()
    years = sorted({issue.year for issue in issues})
    first = min(quarter_of(issue.date) for issue in issues)
    last = max(quarter_of(issue.date) for issue in issues)
    quarters = tuple(range(first, last + 1))
    issues_per_year = Counter(issue.year for issue in issues)
    issues_per_quarter = Counter(quarter_of(issue.date) for issue in issues)
    links_per_year: Counter[int] = Counter()
    links_per_quarter: Counter[int] = Counter()
    for issue, _card in domain.issue_cards():
        links_per_year[issue.year] += 1
        links_per_quarter[quarter_of(issue.date)] += 1
    sites = site_entries(domain)
    sites_per_year: dict[int, set[str]] = defaultdict(set)
    for site, entries in sites:
        for entry in entries:
            sites_per_year[entry.issue.year].add(site)
    by_tag = tag_entries(domain)
    if vocabulary is not None:
        labels = {tag.slug: (tag.label_ja, tag.label_en) for tag in vocabulary.tags.values()}
    else:
        labels = {slug: (slug, slug) for slug in sorted(by_tag)}
    tags = []
    for slug, (label_ja, label_en) in labels.items():
        entries = by_tag.get(slug, [])
        per_year = Counter(entry.issue.year for entry in entries)
        per_quarter = Counter(quarter_of(entry.issue.date) for entry in entries)
        tags.append(
            TagRow(
                slug=slug,
                label_ja=label_ja,
                label_en=label_en,
                total=len(entries),
                per_year=tuple(per_year[year] for year in years),
                per_quarter=tuple(per_quarter[quarter] for quarter in quarters),
            )
        )
    return Overview(
        first_date=issues[0].date if issues else "",
        last_date=max(issue.date for issue in issues),
        years=tuple(
            YearRow(year, issues_per_year[year], links_per_year[year], len(sites_per_year[year]))
            for year in years
        ),
        quarters=quarters,
        quarter_issues=tuple(issues_per_quarter[q] for q in quarters),
        quarter_links=tuple(links_per_quarter[q] for q in quarters),
        tags=tuple(tags),
        sites=tuple(
            SiteRow(rank, site, len(entries)) for rank, (site, entries) in enumerate(sites, 1)
        ),
        total_links=sum(links_per_year.values()),
        tags_used=sum(1 for tag in tags if tag.total),
    )


def overview_of(app: Sphinx) -> Overview:
    """The overview of the current data, computed once per change of the domain."""
    domain = news_domain(app.env)
    index = domain.index
    vocabulary = domain.run.vocabulary
    cached = domain.run.computed.get("overview")
    if cached is not None and cached[0] == (index, vocabulary):
        return cached[1]  # type: ignore[no-any-return]
    overview = compute_overview(domain, vocabulary)
    domain.run.computed["overview"] = ((index, vocabulary), overview)
    return overview


def share(count: int, total: int) -> float:
    return 100.0 * count / total if total else 0.0
