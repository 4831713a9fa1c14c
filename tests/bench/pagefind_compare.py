"""Pagefind 1.5 on the archive's cards, beside our own n-gram index, in one run.

    python -m tests.bench.pagefind_compare --html DIR [--repeat N] [--large-html DIR]

``DIR`` is a built book (``make html``). Its entries are read from the index the book
writes (``_search/i/<n>.json``, one file per issue; ``meta.json`` for the tags' labels,
``f/competitions.json`` for the competitions' names; see ``search_index.py``). From them,
one Pagefind custom record per card and per intro section (url = issue page + anchor;
content = title, site, excerpt and commentary; meta title/issue/date; filters year, tag,
site, platform, competition), at the book's size and repeated to ``--repeat`` issues
(issue n is a copy of ((n-1) % 159)+1, as in ``tests/bench/scale.py``). Each bundle is
served gzipped on 127.0.0.1 and every query of ``tests/bench/search_queries.py`` (and the
quoted phrase ``"Kaggle Days"``) runs through ``pagefind.search`` in Chromium, each in a
fresh browser context: bytes to open (pagefind.js, wasm, entry, filters), bytes from the
query to the first 10 results' data, R-precision@10 by issue, and the recall of exact
matches (cards whose folded text holds every folded word of the query, folded as
``search_index.haystack`` does).

Our own index is measured in the same run, in the same Chromium, on the same book (and on
``--large-html``, a book of ``--repeat`` issues built by ``tests/bench/scale.py``): each
query typed into ``search.html`` by ``tests/bench/search.py``'s ``measure_typed`` (KB from
opening search.html to the first results, R-precision@10, a copy relevant when its
original is), then ``search.html?q=`` opened until the page has counted every result, for
its number of issues with an exact match beside the issues whose entries hold the folded
query (recall of exact matches, by issue).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newsarchive.sphinxext.search_index import fold, haystack

from tests.bench.chromium import launch
from tests.bench.gzserve import serve_gzipped
from tests.bench.search_queries import QUERIES, r_precision, relevant

ARCHIVE = 159
PHRASE = '"Kaggle Days"'

#: Opens Pagefind in a blank page (what search.html would do before the first query).
OPEN = """async () => {
  window.pf = await import("/pagefind/pagefind.js");
  await window.pf.init();
  await window.pf.filters();
}"""
#: A query and the data of its first 10 results (what the reader sees first).
FIRST = """async (query) => {
  const search = await window.pf.search(query);
  window.last = search;
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return {count: search.results.length, first: data.map((d) => d.url)};
}"""
#: Every result's url, in rank order (for recall and ranking; not counted).
ALL = """async () => Promise.all(window.last.results.map(async (r) => (await r.data()).url))"""


@dataclass
class Book:
    """A built book's entries as its index holds them."""

    issues: dict[int, dict[str, Any]]
    tags: dict[str, str]
    platforms: dict[str, str]
    competitions: dict[str, str]


def read_book(html: Path) -> Book:
    folder = html / "_search"
    if not (folder / "meta.json").exists():
        raise SystemExit(f"{folder / 'meta.json'}: missing; build the book first (make html)")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    issues = {}
    for path in (folder / "i").glob("*.json"):
        issue = json.loads(path.read_text(encoding="utf-8"))
        issues[issue["n"]] = issue
    names = json.loads((folder / "f" / "competitions.json").read_text(encoding="utf-8"))
    return Book(
        issues=issues,
        tags=meta["tags"],
        platforms=meta["platforms"],
        competitions={key: name for key, name, _refs in names},
    )


def original_of(number: int) -> int:
    return (number - 1) % ARCHIVE + 1


def records(book: Book, issues: int) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Pagefind records for ``issues`` issues, and url -> folded text (as our index folds)."""
    made: list[dict[str, Any]] = []
    folded: dict[str, str] = {}
    for number in range(1, issues + 1):
        issue = book.issues[original_of(number)]
        page = f"issues/{number:04d}.html"
        for entry in issue["entries"]:
            _kind, anchor, title, site, excerpt, text, tags, keys = entry
            url = f"/{page}#{anchor}"
            content = "\n".join(part for part in (title, site, excerpt, text) if part)
            folded[url] = haystack(entry[2:6])
            platforms = sorted({key.split("/")[0] for key in keys})
            filters = {
                "year": [issue["date"][:4]],
                "tag": [book.tags.get(tag, tag) for tag in tags],
                "site": [site] if site else [],
                "platform": [book.platforms.get(p, p) for p in platforms],
                "competition": [book.competitions.get(key, key) for key in keys],
            }
            made.append(
                {
                    "url": url,
                    "content": content,
                    "language": "ja",
                    "meta": {"title": title, "issue": str(number), "date": issue["date"]},
                    "filters": {k: v for k, v in filters.items() if v},
                }
            )
    return made, folded


async def write_bundle(made: list[dict[str, Any]], out: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(out / "pagefind"), force_language="ja")
    async with PagefindIndex(config=config) as index:
        for record in made:
            await index.add_custom_record(**record)
    (out / "index.html").write_text("<!doctype html><title>pagefind</title>", encoding="utf-8")


def issue_of(url: str) -> int:
    return int(url.split("/")[-1].split(".")[0])


def wanted_issues(query: str, size: int) -> frozenset[int]:
    """Relevant issues of an archive of ``size`` (a copy is relevant when its original is)."""
    originals = relevant(query.strip('"'))
    return frozenset(n for n in range(1, size + 1) if original_of(n) in originals)


def bundle_sizes(out: Path) -> tuple[int, int]:
    files = [path for path in (out / "pagefind").rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def measure_pagefind(out: Path, folded: dict[str, str], size: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    base, counter, server = serve_gzipped(out)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for query in (*QUERIES, PHRASE):
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{base}/index.html")
                counter.reset()
                page.evaluate(OPEN)
                opened = counter.sent
                counter.reset()
                first = page.evaluate(FIRST, query)
                queried = counter.sent
                urls = page.evaluate(ALL)
                context.close()
                ranked: list[int] = []
                for url in urls:
                    if issue_of(url) not in ranked:
                        ranked.append(issue_of(url))
                wanted = fold(query.strip('"')).split()
                exact = {url for url, text in folded.items() if all(w in text for w in wanted)}
                found = exact & {url.split("?")[0] for url in urls}
                rows.append(
                    {
                        "query": query,
                        "open": opened,
                        "query_bytes": queried,
                        "results": first["count"],
                        "rp": r_precision(ranked, wanted_issues(query, size)),
                        "exact": len(exact),
                        "recall": len(found) / len(exact) if exact else 1.0,
                    }
                )
                print(
                    f"  pagefind {size}: {(opened + queried) / 1000:5.0f} KB {query}",
                    file=sys.stderr,
                )
            browser.close()
    finally:
        server.shutdown()
    return rows


def exact_issues(book: Book, size: int, query: str) -> int:
    """Issues of an archive of ``size`` holding every folded word of the query as typed, each
    in some entry (the search page's exact group, ``classify`` in ``searchcore.js``)."""
    wanted = fold(query).split()
    holding = set()
    for n, issue in book.issues.items():
        texts = [haystack(entry[2:6]) for entry in issue["entries"]]
        if all(any(word in text for text in texts) for word in wanted):
            holding.add(n)
    return sum(original_of(n) in holding for n in range(1, size + 1))


COUNTED = "document.getElementById('wkn-search').dataset.state === 'done'"


def counted_exact(browser: Any, base: str, query: str) -> int:
    """The search page's number of issues with an exact match, once it has counted all."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base}/search.html?q={quote(query)}", wait_until="load")
        page.wait_for_function(COUNTED, timeout=120_000)
        return int(page.evaluate("document.getElementById('wkn-search').dataset.exact || 0"))
    finally:
        context.close()


def measure_ours(html: Path, book: Book, size: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    from tests.bench.search import measure_typed

    base, counter, server = serve_gzipped(html)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for query in QUERIES:
                typed = measure_typed(browser, base, counter, query)
                shown = counted_exact(browser, base, query)
                expected = exact_issues(book, size, query)
                rows.append(
                    {
                        "query": query,
                        "kb": typed.kilobytes,
                        "ms": typed.milliseconds,
                        "rp": r_precision(typed.ranked, wanted_issues(query, size)),
                        "exact": expected,
                        "shown": shown,
                        "recall": min(shown, expected) / expected if expected else 1.0,
                    }
                )
                print(f"  ours {size}: {typed.kilobytes:5.0f} KB {query}", file=sys.stderr)
            browser.close()
    finally:
        server.shutdown()
    return rows


def report_pagefind(size: int, rows: list[dict[str, Any]], files: int, disk: int) -> None:
    plain = [r for r in rows if r["query"] != PHRASE]
    first = [(r["open"] + r["query_bytes"]) / 1000 for r in plain]
    print(f"\n## Pagefind 1.5, {size} issues (bundle: {files} files, {disk / 1e6:.1f} MB)")
    print(
        f"open median {statistics.median(r['open'] for r in plain) / 1000:.0f} KB; "
        f"to first results median {statistics.median(first):.0f} KB, max {max(first):.0f} KB; "
        f"query only median {statistics.median(r['query_bytes'] for r in plain) / 1000:.0f} KB; "
        f"mean R-precision@10 {statistics.mean(r['rp'] for r in plain):.3f}; "
        f"exact-match recall (cards) mean {statistics.mean(r['recall'] for r in plain):.3f}, "
        f"queries with recall 1: {sum(r['recall'] == 1 for r in plain)}/{len(plain)}"
    )
    for r in sorted(rows, key=lambda r: (r["recall"], r["rp"])):
        if r["recall"] < 1 or r["rp"] < 1 or r["query"] == PHRASE:
            print(
                f"  {r['query']}: recall {r['recall']:.2f} of {r['exact']} cards, "
                f"R-prec {r['rp']:.2f}, {r['results']} results, "
                f"{(r['open'] + r['query_bytes']) / 1000:.0f} KB"
            )


def report_ours(size: int, rows: list[dict[str, Any]]) -> None:
    kbs = [r["kb"] for r in rows]
    ms = [r["ms"] for r in rows]
    print(f"\n## Our own index, {size} issues")
    print(
        f"to first results median {statistics.median(kbs):.0f} KB, max {max(kbs):.0f} KB; "
        f"last keystroke to first results median {statistics.median(ms):.0f} ms, "
        f"max {max(ms):.0f} ms; mean R-precision@10 {statistics.mean(r['rp'] for r in rows):.3f} "
        f"(lowest {min(r['rp'] for r in rows):.2f}); "
        f"exact-match recall (issues) mean {statistics.mean(r['recall'] for r in rows):.3f}, "
        f"queries with recall 1: {sum(r['recall'] == 1 for r in rows)}/{len(rows)}"
    )
    for r in rows:
        if r["recall"] < 1 or r["rp"] < 1 or r["shown"] != r["exact"]:
            print(
                f"  {r['query']}: {r['shown']} exact issues counted of {r['exact']}, "
                f"R-prec {r['rp']:.2f}, {r['kb']:.0f} KB"
            )
    worst = sorted(rows, key=lambda r: -r["kb"])[:5]
    print("  most KB: " + ", ".join(f"{r['query']} {r['kb']:.0f}" for r in worst))


def run_pagefind(book: Book, size: int) -> None:
    made, folded = records(book, size)
    with tempfile.TemporaryDirectory(prefix="wkn-pagefind-") as temp:
        out = Path(temp)
        asyncio.run(write_bundle(made, out))
        files, disk = bundle_sizes(out)
        report_pagefind(size, measure_pagefind(out, folded, size), files, disk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--html", type=Path, required=True, help="a built book (make html)")
    parser.add_argument("--repeat", type=int, default=1000, help="issues of the large run")
    parser.add_argument(
        "--large-html", type=Path, help="a built book of --repeat issues (tests/bench/scale.py)"
    )
    args = parser.parse_args()
    book = read_book(args.html)
    if sorted(book.issues) != list(range(1, ARCHIVE + 1)):
        raise SystemExit(f"{args.html}: not the {ARCHIVE}-issue book")
    report_ours(ARCHIVE, measure_ours(args.html, book, ARCHIVE))
    run_pagefind(book, ARCHIVE)
    if args.large_html:
        large = read_book(args.large_html)
        if sorted(large.issues) != list(range(1, args.repeat + 1)):
            raise SystemExit(f"{args.large_html}: not a book of {args.repeat} issues")
        report_ours(args.repeat, measure_ours(args.large_html, book, args.repeat))
    run_pagefind(book, args.repeat)


if __name__ == "__main__":
    main()
