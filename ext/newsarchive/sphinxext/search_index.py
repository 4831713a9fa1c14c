"""The search index: character n-grams in shards and pages, so a query's cost stays flat.

The search page (``static/search.js``, its matching in ``static/searchcore.js``) finds every
card and intro section that holds the reader's words exactly, after the same folding on
both sides (:func:`fold`: NFKC, which also folds full and half widths, lower case, runs of
white space as one space). It does so without downloading the archive:

- ``_search/meta.json``: the few values the page needs before any query (the number of
  shards, the issues' numbers and years, the tags' labels, the platforms): grows with the
  number of issues only by their ranges.
- ``_search/s/<n>.json``: the shards. Every character and every pair of characters (a
  *key*) of every entry's folded text has a *posting*: where it occurs, newest issue first,
  as ``[issue, [entry, position, +delta, …], …]`` (a single character: ``[issue, [entry],
  …]``). A key lives in the shard its hash names (:func:`shard_of`, the same hash in
  ``searchcore.js``); the number of shards grows with the archive, so a shard stays about
  :data:`SHARD_TARGET` bytes at any size of the archive. A key whose posting is longer
  than :data:`INLINE_OCCURRENCES` is cut into pages of about :data:`PAGE_OCCURRENCES` at
  issue boundaries, newest first (``_search/p/<name>.json``); its shard then holds the
  pages' names and the lowest issue of each, so a query that finds its first results in
  the newest pages never downloads the older ones, and no key fills a shard.
- ``_search/e/<n>/<entry>.json``: one file per entry (the issue's number, date, title and
  page, and the entry's text), so a result downloads the entries it shows, not its issue.
- ``_search/i/<n>.json``: one file per issue, all its entries, for the list of every link.
- ``_search/f/tags.json``, ``f/sites.json``, ``f/competitions.json``: which entries carry
  each tag, site and competition, fetched only when the reader turns to that filter (its
  counts need it) or chooses one.

An entry is a card or the prose of a section of an issue page (its cards and subsections
left out), numbered in the order of :func:`~newsarchive.sphinxext.search_entries.page_entries`;
its folded text is its title, site, excerpt and text joined by NUL, so a match never runs
from one field into the next. Every value is text; the page writes it with ``textContent``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.sphinxext.exports import write_if_changed

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

FORMAT = 4
SEARCH_DIR = "_search"
META = "meta.json"
#: A shard is about this many bytes (before compression); their number grows with the archive
#: (not by powers of two: a shard's size, what a query pays per key, stays the same). Half of
#: 5,000 cut the query set's bytes to first results by 7 % at 350 issues for twice the files;
#: half again, 4 % more (docs/benchmarks/scale.md).
SHARD_TARGET = 2_500
#: A posting with more occurrences than this goes to pages of its own, out of its shard.
INLINE_OCCURRENCES = 400
#: The pages of a long posting hold about this many occurrences (cut at issue boundaries).
PAGE_OCCURRENCES = 1_500
#: An entry's number within its issue is below this: an entry's reference is issue * REF + entry.
REF = 1024
#: What JavaScript's ``\s`` matches, spelt out, so both sides fold white space alike.
_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")
FIELD_SEPARATOR = "\u0000"


def fold(text: str) -> str:
    """The text as the search compares it (``fold`` in ``searchcore.js``)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower())


def haystack(fields: Sequence[str]) -> str:
    return FIELD_SEPARATOR.join(fold(field) for field in fields)


def key_hash(key: str) -> int:
    """FNV-1a over the key's code points (``keyHash`` in ``searchcore.js``)."""
    value = 0x811C9DC5
    for char in key:
        value ^= ord(char)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def shard_of(key: str, shards: int) -> int:
    return key_hash(key) % shards


def key_occurrences(text: str) -> dict[str, list[int]]:
    """Every key of a folded text and where it starts: characters (their first place only:
    a single character is matched by entry) and pairs of characters (every place)."""
    found: dict[str, list[int]] = {}
    for position, char in enumerate(text):
        if char == FIELD_SEPARATOR:
            continue
        found.setdefault(char, [position])
        pair = text[position : position + 2]
        if len(pair) == 2 and FIELD_SEPARATOR not in pair:
            found.setdefault(pair, []).append(position)
    return found


def _encoded_positions(positions: list[int]) -> list[int]:
    return [positions[0], *(b - a for a, b in pairwise(positions))]


class Postings:
    """Every key's occurrences, issue by issue, in the order issues are added (newest first)."""

    def __init__(self) -> None:
        self.groups: dict[str, list[list[Any]]] = defaultdict(list)
        self.sizes: dict[str, int] = defaultdict(int)

    def add_issue(self, number: int, texts: Iterable[str]) -> None:
        for entry, text in enumerate(texts):
            for key, positions in key_occurrences(text).items():
                groups = self.groups[key]
                if not groups or groups[-1][0] != number:
                    groups.append([number])
                item = [entry] if len(key) == 1 else [entry, *_encoded_positions(positions)]
                groups[-1].append(item)
                self.sizes[key] += len(item)

    def pages(self, key: str) -> list[list[list[Any]]]:
        """The key's posting cut into pages of about PAGE_OCCURRENCES, at issue boundaries."""
        pages: list[list[list[Any]]] = [[]]
        size = 0
        for group in self.groups[key]:
            group_size = sum(len(item) for item in group[1:])
            if pages[-1] and size + group_size > PAGE_OCCURRENCES:
                pages.append([])
                size = 0
            pages[-1].append(group)
            size += group_size
        return pages


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _inline(size: int) -> bool:
    return size <= INLINE_OCCURRENCES


def shard_count(postings: Postings) -> int:
    """Shards of about SHARD_TARGET bytes (an estimate: six bytes an occurrence, a key's
    pages named in about forty)."""
    total = sum(
        (size * 6 if _inline(size) else 40) + len(key) + 8 for key, size in postings.sizes.items()
    )
    return max(1, -(-total // SHARD_TARGET))


def shard_files(postings: Postings) -> tuple[int, dict[str, str]]:
    """The shards and the pages of the long postings, as file name -> text."""
    shards = shard_count(postings)
    contents: list[dict[str, Any]] = [{} for _ in range(shards)]
    files: dict[str, str] = {}
    for key in sorted(postings.groups):
        shard = shard_of(key, shards)
        if _inline(postings.sizes[key]):
            contents[shard][key] = postings.groups[key]
            continue
        pages = postings.pages(key)
        serial = len(contents[shard])
        names = [f"p/{shard}-{serial}-{n}.json" for n in range(len(pages))]
        for name, page in zip(names, pages, strict=True):
            files[name] = _dump(page)
        contents[shard][key] = {"pages": names, "lowest": [page[-1][0] for page in pages]}
    for shard, content in enumerate(contents):
        files[f"s/{shard}.json"] = _dump(content)
    return shards, files


def _refs(refs: list[int]) -> list[int]:
    """Entry references as issue groups, newest first: the issue's distance from the one before
    (the first: its number), how many of its entries, then those entries' numbers."""
    by_issue: dict[int, list[int]] = defaultdict(list)
    for ref in refs:
        entries = by_issue[ref // REF]
        if ref % REF not in entries:
            entries.append(ref % REF)
    flat: list[int] = []
    previous = 0
    for number in sorted(by_issue, reverse=True):
        entries = sorted(by_issue[number])
        flat += [previous - number if previous else number, len(entries), *entries]
        previous = number
    return flat


def _runs(numbers: list[int]) -> list[list[int]]:
    """Issue numbers (newest first) as runs [highest, lowest] of consecutive numbers."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return runs


def _year_runs(issues: list[dict[str, Any]]) -> list[list[Any]]:
    """[year, highest, lowest] for each run of issues of one year, newest first."""
    runs: list[list[Any]] = []
    for issue in issues:
        year = str(issue["date"])[:4]
        if runs and runs[-1][0] == year:
            runs[-1][2] = issue["n"]
        else:
            runs.append([year, issue["n"], issue["n"]])
    return runs


def index_files(document: dict[str, Any]) -> dict[str, str]:
    """Every file of the index (name under ``_search/`` -> text) from the entries document
    (``search_entries.entries_document``: tags, platforms, competitions, issues newest first)."""
    issues = document["issues"]
    competitions = document["competitions"]
    postings = Postings()
    files: dict[str, str] = {}
    facets: dict[str, dict[str, list[int]]] = {"tags": {}, "sites": {}, "competitions": {}}
    cards = 0
    card_years: dict[str, int] = defaultdict(int)
    for issue in issues:
        number = issue["n"]
        entries = issue["entries"]
        postings.add_issue(number, (haystack(entry[2:6]) for entry in entries))
        shown = []
        for serial, entry in enumerate(entries):
            kind, anchor, title, site, excerpt, text, tags, *mentions = entry
            keys = [competitions[index][0] for index in (mentions[0] if mentions else [])]
            shown.append([kind, anchor, title, site, excerpt, text, tags, keys])
            ref = number * REF + serial
            if kind == 0:
                cards += 1
                card_years[str(issue["date"])[:4]] += 1
                facets["sites"].setdefault(site, []).append(ref)
                for tag in tags:
                    facets["tags"].setdefault(tag, []).append(ref)
            for key in keys:
                facets["competitions"].setdefault(key, []).append(ref)
        head = {"n": number, "date": issue["date"], "title": issue["title"], "page": issue["page"]}
        files[f"i/{number}.json"] = _dump({**head, "entries": shown})
        for serial, entry in enumerate(shown):
            files[f"e/{number}/{serial}.json"] = _dump({**head, "entry": entry})
    shards, shard_texts = shard_files(postings)
    files.update(shard_texts)
    # One file a kind: a filter downloads only its own kind.
    files["f/tags.json"] = _dump(
        {slug: _refs(refs) for slug, refs in sorted(facets["tags"].items())}
    )
    files["f/sites.json"] = _dump(
        {site: _refs(refs) for site, refs in sorted(facets["sites"].items())}
    )
    files["f/competitions.json"] = _dump(
        [[key, name, _refs(facets["competitions"].get(key, []))] for key, name in competitions]
    )
    files[META] = _dump(
        {
            "format": FORMAT,
            "shards": shards,
            "ref": REF,
            "issues": _runs([issue["n"] for issue in issues]),
            "years": _year_runs(issues),
            "cards": cards,
            "cardsByYear": card_years,
            "tags": document["tags"],
            "platforms": document["platforms"],
        }
    )
    return files


def write_index(outdir: Path, document: dict[str, Any]) -> None:
    """Write the index under ``outdir/_search/`` (each file only when its bytes changed) and
    remove the files of an earlier build it no longer has."""
    folder = outdir / SEARCH_DIR
    files = index_files(document)
    for name, text in files.items():
        write_if_changed(folder / name, text + "\n")
    if folder.exists():
        for path in folder.rglob("*.json"):
            if path.relative_to(folder).as_posix() not in files:
                path.unlink()
        for entries in (folder / "e").glob("*/"):
            if not any(entries.iterdir()):
                entries.rmdir()  # the entries of an issue no longer in the book
