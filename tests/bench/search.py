"""Search benchmark: the query set typed into the real book's search page in Chromium.

    python -m tests.bench.search --html DIR [--output FILE] [--label TEXT]

``DIR`` is a built book (``make html``). It is served gzipped on 127.0.0.1. For each query
of ``tests/bench/search_queries.py`` a fresh browser context opens the home page (so the
theme's files are cached, as for a reader arriving from the header's search box), then
``search.html``, and types the query: Latin letters one key at a time, Japanese a word at a
time as an input method commits it. Measured:

- R-precision at 10: of the first k = min(10, relevant) issues shown, the share that is
  relevant (relevance computed from the Revue originals, never from the book);
- the time from the last keystroke to the first results on screen for that query;
- the bytes the server sent from opening ``search.html`` until those results appeared
  (``from the book``), and for a few queries the same from a cold browser that opens
  ``search.html?q=`` directly (``cold``: nothing cached).
"""

from __future__ import annotations

import argparse
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from tests.bench.chromium import launch
from tests.bench.gzserve import ByteCounter, serve_gzipped
from tests.bench.search_queries import QUERIES, r_precision, relevant

COLD_QUERIES = ("画像コンペ", "Optuna", "Kaggle Days")
TYPING_DELAY_MS = 80

#: The files a page has received so far (its own address and every finished request): what it
#: needed for what it shows. The server's count at the same moment would also hold requests
#: the page makes right after (the counts), which race the browser's message to the benchmark.
FETCHED = """performance.setResourceTimingBufferSize(10000);
const fetchedSoFar = () => [location.pathname,
    ...performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname)];"""

#: Watches the page: the time of the last keystroke, and of the first results shown for
#: the whole query after it (the status line names the query in every version of the page).
WATCH = (
    """(query) => {
  """
    + FETCHED
    + """
  const bench = (window.__bench = { key: 0, first: 0 });
  const root = document.getElementById("wkn-search");
  const input = root.querySelector("input[name=q]");
  input.addEventListener("input", () => { bench.key = performance.now(); bench.first = 0; }, true);
  const seen = () => {
    if (bench.first || !bench.key || input.value !== query) return;
    const status = root.querySelector(".wkn-search-status[role=status]").textContent;
    const answered = root.querySelector(".wkn-search-title a") || root.dataset.count === "0";
    if (answered && status.includes(query.trim())) {
      bench.first = performance.now();
      bench.fetched = fetchedSoFar();
      bench.early = performance.getEntriesByType("resource").filter(
        (entry) => entry.startTime < bench.key
          && ["s", "p", "e"].some((folder) => entry.name.includes(`/_search/${folder}/`)),
      ).length;
    }
  };
  new MutationObserver(seen).observe(root, { childList: true, subtree: true, characterData: true });
}"""
)

SHOWN = """() => Array.from(document.querySelectorAll("#wkn-search .wkn-search-title a"),
  (a) => a.href)"""


@dataclass
class Measure:
    query: str
    relevant: int
    ranked: list[int]
    r_precision: float
    milliseconds: float
    kilobytes: float


def issue_order(urls: list[str]) -> list[int]:
    order: list[int] = []
    for url in urls:
        found = re.search(r"issues/(\d{4})\.html", url)
        if found and int(found[1]) not in order:
            order.append(int(found[1]))
    return order


def _context(browser, origin: str):
    """A fresh context (empty cache). Nothing leaves 127.0.0.1: the browser resolves no
    other host (see ``launch``); Playwright's routing would turn the HTTP cache off."""
    return browser.new_context(viewport={"width": 1280, "height": 900})


#: Keys of Latin letters, digits and signs one at a time; a run of other characters at once.
_TYPED_RUNS = re.compile(r"[\x00-\x7f]|[^\x00-\x7f]+")


def type_as_a_reader(page, query: str) -> None:
    """Latin letters key by key, Japanese committed a word at a time as an input method does
    (and as the page takes it: no search while a word is being composed), TYPING_DELAY_MS
    apart."""
    for run in _TYPED_RUNS.findall(query):
        if run.isascii():
            page.keyboard.type(run)
        else:
            page.keyboard.insert_text(run)
        page.wait_for_timeout(TYPING_DELAY_MS)


#: A query whose keystrokes the machine spaced beyond the page's typing pause (a prefix was
#: searched on the way) is typed again, up to this many times in all.
TYPING_ATTEMPTS = 3


def measure_typed(browser, base: str, counter: ByteCounter, query: str) -> Measure:
    """The query typed key by key into a fresh search.html (typed again when a busy machine
    spaced two keys beyond the typing pause, so a prefix was searched on the way)."""
    for _ in range(TYPING_ATTEMPTS):
        measure, prefixes = _typed_once(browser, base, counter, query)
        if not prefixes:
            break
    return measure


def _typed_once(browser, base: str, counter: ByteCounter, query: str) -> tuple[Measure, int]:
    context = _context(browser, base)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{base}/index.html", wait_until="load")
        counter.reset()
        page.goto(f"{base}/search.html", wait_until="load")
        page.evaluate(WATCH, query)
        page.click("#wkn-search-q")
        type_as_a_reader(page, query)
        page.wait_for_function("window.__bench.first > 0", timeout=60_000)
        page.wait_for_function(
            "document.getElementById('wkn-search').dataset.state === 'done'", timeout=60_000
        )
        page.wait_for_timeout(100)
        bench = page.evaluate("window.__bench")
        ranked = issue_order(page.evaluate(SHOWN))
        if errors:
            raise SystemExit(f"{query!r}: errors in the page: {errors}")
    finally:
        context.close()
    wanted = relevant(query)
    measure = Measure(
        query=query,
        relevant=len(wanted),
        ranked=ranked,
        r_precision=r_precision(ranked, wanted),
        milliseconds=bench["first"] - bench["key"],
        kilobytes=counter.sent_for(bench["fetched"]) / 1000,
    )
    return measure, bench["early"]


#: Installed before a cold page's own scripts: the moment its first results appear.
FIRST_RESULTS = (
    FETCHED
    + """
new MutationObserver((_, observer) => {
  if (document.querySelector("#wkn-search .wkn-search-title a")) {
    window.__firstResults = performance.now();
    window.__fetched = fetchedSoFar();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });"""
)


def measure_cold(browser, base: str, counter: ByteCounter, query: str) -> tuple[float, float]:
    """Opening search.html?q= with nothing cached: (ms to first results, KB before them)."""
    from urllib.parse import quote

    context = _context(browser, base)
    page = context.new_page()
    page.add_init_script(FIRST_RESULTS)
    try:
        counter.reset()
        page.goto(f"{base}/search.html?q={quote(query)}", wait_until="commit")
        page.wait_for_function("window.__firstResults > 0", timeout=60_000)
        milliseconds = page.evaluate("window.__firstResults")
        fetched = page.evaluate("window.__fetched")
    finally:
        context.close()
    return milliseconds, counter.sent_for(fetched) / 1000


def report(label: str, rows: list[Measure], cold: dict[str, tuple[float, float]]) -> str:
    scores = [row.r_precision for row in rows]
    times = [row.milliseconds for row in rows]
    sizes = [row.kilobytes for row in rows]
    lines = [
        f"## {label}",
        "",
        f"{len(rows)} queries. Mean R-precision@10 **{statistics.mean(scores):.3f}**, "
        f"lowest {min(scores):.2f}, {sum(s < 0.7 for s in scores)} below 0.7. "
        f"Last keystroke to first results: median {statistics.median(times):.0f} ms, "
        f"worst {max(times):.0f} ms. Downloaded from opening search.html to the first "
        f"results (theme files cached): median {statistics.median(sizes):.0f} KB, "
        f"most {max(sizes):.0f} KB.",
        "",
    ]
    if cold:
        lines += [
            "| cold `search.html?q=` | ms to first results | KB before them |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {q} | {ms:.0f} | {kb:.0f} |" for q, (ms, kb) in cold.items()]
        lines.append("")
    lines += [
        "| query | relevant | R-precision@10 | first issues shown | ms | KB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        shown = ", ".join(f"#{n}" for n in row.ranked[: min(10, max(row.relevant, 1))])
        lines.append(
            f"| {row.query} | {row.relevant} | {row.r_precision:.2f} | {shown} | "
            f"{row.milliseconds:.0f} | {row.kilobytes:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--html", type=Path, required=True, help="a built book")
    parser.add_argument("--output", type=Path, help="write the report here (Markdown)")
    parser.add_argument("--label", default="Search benchmark", help="the report's heading")
    parser.add_argument("--query", action="append", help="only these queries")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    base, counter, server = serve_gzipped(args.html)
    queries = args.query or list(QUERIES)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            rows = []
            for query in queries:
                rows.append(measure_typed(browser, base, counter, query))
                row = rows[-1]
                score, ms, kb = row.r_precision, row.milliseconds, row.kilobytes
                print(f"{score:.2f} {ms:5.0f} ms {kb:5.0f} KB  {query}")
            cold = {
                q: measure_cold(browser, base, counter, q) for q in COLD_QUERIES if not args.query
            }
            browser.close()
    finally:
        server.shutdown()
    text = report(args.label, rows, cold)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
