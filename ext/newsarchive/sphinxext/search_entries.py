"""What the search page searches: every card and every intro section, as text.

Pagefind (weighed in ``docs/benchmarks/search.md``) splits a Japanese compound into words
and ranks pages holding the halves apart above pages holding the compound. The search page
therefore matches the reader's words itself, exactly (after NFKC, width and case folding,
done in the browser), against this compact index, written at the end of the build under
``_search/`` (``search_index.py``).

- At ``html-page-context`` each issue page leaves its entries in
  ``<doctreedir>/search-entries/`` (so parallel writers work and an incremental build
  refreshes only the pages it rewrites): its cards (title, site, excerpt, commentary,
  tags, anchor) from the domain, and the text of each section outside the cards.
- At ``build-finished`` the entries of the pages that still exist are joined, newest
  issue first, and written when their bytes changed. The competitions are added then, from
  the mentions computed at that build (:func:`archive_competitions`), so an entry never
  keeps a competition an edit or the curated file took away: the document lists them
  (``competitions``: ``[key, name]``, ``platforms``: key -> name) and an entry that
  mentions some ends with their indices in that list.

Every value is text; the page writes it with ``textContent``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from newsarchive.core.competition_links import PLATFORMS
from newsarchive.sphinxext.competition_domain import archive_competitions
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.exports import write_if_changed
from newsarchive.sphinxext.nodes import issue_pager, link_card
from newsarchive.sphinxext.search_index import write_index

if TYPE_CHECKING:
    from sphinx.application import Sphinx

ENTRIES_DIR = "search-entries"  # in the doctree directory: one file per issue page
OUTPUT = "_search/"  # in the output: the index (search_index.py)
FORMAT = 2
#: An entry: [kind, anchor, title, site, excerpt, text, tags] and, when it mentions
#: competitions, their indices in the document's ``competitions``. Its kind:
CARD, SECTION = 0, 1
#: The kind of a competition mention (``Mention.kind``) -> the kind of entry it is in.
MENTION_KINDS = {"card": CARD, "intro": SECTION}
#: Text that is the book's, not the issue's (the date line, the previous / next links).
SKIPPED_CLASSES = frozenset({"wkn-issue-meta", "wkn-pager"})


def _plain(text: str) -> str:
    return " ".join(text.split())


def section_texts(doctree: nodes.Node) -> list[tuple[str, str, str]]:
    """(anchor, heading, text) of each section: its own prose, cards and subsections left out."""
    found: list[tuple[str, str, str]] = []
    for section in doctree.findall(nodes.section):
        if not section["ids"]:
            continue
        heading = ""
        parts: list[str] = []
        for child in section.children:
            if isinstance(child, nodes.title):
                heading = _plain(child.astext())
            elif isinstance(child, (nodes.section, link_card, issue_pager)):
                continue
            elif SKIPPED_CLASSES.isdisjoint(child.get("classes", [])):
                parts.append(_plain(child.astext()))
        text = "\n".join(part for part in parts if part)
        found.append((section["ids"][0], heading, text))
    return found


def page_entries(app: Sphinx, pagename: str, doctree: nodes.Node) -> list[list[Any]] | None:
    """The entries of an issue page, or None for other pages."""
    domain = news_domain(app.env)
    if domain.issue(pagename) is None:
        return None
    entries: list[list[Any]] = [
        [SECTION, anchor, heading, "", "", text, []]
        for anchor, heading, text in section_texts(doctree)
    ]
    entries += [
        [CARD, card.anchor, card.title, card.site, card.excerpt, card.commentary, list(card.tags)]
        for card in domain.cards_of(pagename)
    ]
    return entries


def entries_path(app: Sphinx, pagename: str) -> Path:
    return Path(app.doctreedir) / ENTRIES_DIR / f"{pagename}.json"


def write_page_entries(app: Sphinx, pagename: str, doctree: nodes.Node | None) -> None:
    entries = None if doctree is None else page_entries(app, pagename, doctree)
    path = entries_path(app, pagename)
    if entries is None:
        path.unlink(missing_ok=True)
        return
    write_if_changed(path, json.dumps(entries, ensure_ascii=False))


def competition_facet(
    app: Sphinx,
) -> tuple[list[list[str]], dict[str, str], dict[tuple[str, int, str], list[int]]]:
    """The competitions mentioned (``[key, name]``, by platform in the table's order, then
    key), their platforms (key -> name), and (docname, entry kind, anchor) -> their
    indices, for the entries that mention them."""
    order = {platform.key: n for n, platform in enumerate(PLATFORMS)}
    competitions = sorted(
        archive_competitions(app), key=lambda c: (order.get(c.ref.platform, len(order)), c.key)
    )
    listed: list[list[str]] = []
    platforms: dict[str, str] = {}
    where: dict[tuple[str, int, str], list[int]] = {}
    for competition in competitions:
        index = len(listed)
        listed.append([competition.key, competition.name])
        platforms[competition.ref.platform] = competition.ref.platform_name
        for mention in competition.mentions:
            place = (mention.issue.docname, MENTION_KINDS[mention.kind], mention.anchor)
            indices = where.setdefault(place, [])
            if index not in indices:
                indices.append(index)
    return listed, platforms, where


def entries_document(app: Sphinx) -> dict[str, Any]:
    """The whole index: tags, competitions, issues (newest first) and each issue's entries."""
    domain = news_domain(app.env)
    vocabulary = domain.run.vocabulary
    tags = {tag.slug: tag.label_ja for tag in vocabulary.tags.values()} if vocabulary else {}
    competitions, platforms, where = competition_facet(app)
    issues = []
    for issue in reversed(domain.issues()):
        path = entries_path(app, issue.docname)
        if not path.exists():
            continue
        entries = json.loads(path.read_text(encoding="utf-8"))
        for entry in entries:
            if found := where.get((issue.docname, entry[0], entry[1])):
                entry.append(found)
        issues.append(
            {
                "n": issue.number,
                "date": issue.date,
                "title": issue.title,
                "page": app.builder.get_target_uri(issue.docname),
                "entries": entries,
            }
        )
    return {
        "format": FORMAT,
        "tags": tags,
        "platforms": platforms,
        "competitions": competitions,
        "issues": issues,
    }


def write_entries(app: Sphinx) -> None:
    """build-finished: the index the search page loads (each file only rewritten when it
    changed), in shards and pages (``search_index.py``)."""
    write_index(Path(app.outdir), entries_document(app))
