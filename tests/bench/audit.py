"""Readers' benchmark: Lighthouse's scores and the bytes each kind of page transfers.

    python -m tests.bench.audit --html DIR [--baseline DIR] [--runs N] [--output FILE]

Each built book (``make html``; ``--baseline`` another build, say of an older commit, audited
in the same run so the two are compared on the same machine at the same load) is served
gzipped on 127.0.0.1 (``gzserve.py``). For every kind of page (``weight.PAGES``: home, an
issue, a tag page, the overview, the link finder, search):

- Lighthouse 12.8 (``node_modules``, pinned by ``package-lock.json``), its default mobile
  profile (a phone's screen, simulated slow 4G and CPU), driving Debian's Chromium
  (``CHROME_PATH``), which resolves no host but 127.0.0.1: the performance, accessibility,
  best-practices and SEO scores, first and largest contentful paint, total blocking time,
  cumulative layout shift and the bytes it counted; the median of ``--runs`` runs;
- the bytes the server sent to Chromium for a first visit to the issue page and for each
  other page opened after it (``weight.py``), at phone width.

Scores are a benchmark, not a test: they move with the machine's load. The byte counts are
what ``tests/test_weight.py`` asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.bench.chromium import CHROMIUM
from tests.bench.gzserve import serve_gzipped
from tests.bench.weight import PAGES, measure

REPO = Path(__file__).resolve().parents[2]
LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "FCP s",
    "largest-contentful-paint": "LCP s",
    "total-blocking-time": "TBT ms",
    "cumulative-layout-shift": "CLS",
}
CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--disable-background-networking",
        "--disable-component-update",
    ]
)


@dataclass
class Audit:
    scores: dict[str, int]
    metrics: dict[str, float]
    kilobytes: float


def lighthouse(url: str) -> dict:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse {url}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def audit(url: str, runs: int) -> Audit:
    reports = [lighthouse(url) for _ in range(runs)]

    def median(values: list[float]) -> float:
        return statistics.median(values)

    scores = {
        name: round(100 * median([r["categories"][name]["score"] or 0 for r in reports]))
        for name in CATEGORIES
    }
    metrics = {
        label: median([r["audits"][key]["numericValue"] for r in reports])
        for key, label in METRICS.items()
    }
    weight = median([r["audits"]["total-byte-weight"]["numericValue"] for r in reports])
    return Audit(scores, metrics, weight / 1000)


def audit_book(html: Path, runs: int) -> dict[str, Audit]:
    base, _, server = serve_gzipped(html)
    try:
        results = {}
        for name, path in PAGES.items():
            print(f"  {name}: {path}", file=sys.stderr)
            results[name] = audit(f"{base}/{path}", runs)
        return results
    finally:
        server.shutdown()


def _metric(label: str, value: float) -> str:
    if label.endswith(" s"):
        return f"{value / 1000:.1f}"
    if label == "CLS":
        return f"{value:.3f}"
    return f"{value:.0f}"


def table(audits: dict[str, Audit]) -> list[str]:
    head = ["page", *CATEGORIES, *METRICS.values(), "KB (Lighthouse)"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name, result in audits.items():
        cells = [f"{name} (`{PAGES[name]}`)"]
        cells += [str(result.scores[c]) for c in CATEGORIES]
        cells += [_metric(label, result.metrics[label]) for label in METRICS.values()]
        cells.append(f"{result.kilobytes:.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def weight_lines(html: Path) -> tuple[float, dict[str, float]]:
    first, later = measure(html)["phone"]
    return first.sent / 1000, {visit.path: visit.sent / 1000 for visit in later}


def report(html: Path, baseline: Path | None, runs: int) -> str:
    books = {"after": html} if baseline is None else {"before": baseline, "after": html}
    lines = []
    audits = {}
    weights = {}
    for label, folder in books.items():
        print(f"{label}: {folder}", file=sys.stderr)
        audits[label] = audit_book(folder, runs)
        weights[label] = weight_lines(folder)
    for label in books:
        lines += [f"### Lighthouse, {label} ({runs} run{'s' if runs > 1 else ''}, median)", ""]
        lines += [*table(audits[label]), ""]
    lines += ["### Bytes sent to Chromium (phone width)", ""]
    head = ["visit", *books]
    if baseline is not None:
        head.append("after / before")
    lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    first = {label: weights[label][0] for label in books}
    rows = [(f"first visit, `{PAGES['issue']}`", first)]
    for path in weights["after"][1]:
        rows.append((f"then `{path}`", {label: weights[label][1][path] for label in books}))
    for name, values in rows:
        cells = [name] + [f"{values[label]:.1f} KB" for label in books]
        if baseline is not None:
            cells.append(f"{values['after'] / values['before']:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--baseline", type=Path, help="another build, audited in the same run")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run npm ci --ignore-scripts (make node-deps)")
    text = report(args.html, args.baseline, args.runs)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
