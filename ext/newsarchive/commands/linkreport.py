"""Link checking: what Sphinx's ``linkcheck`` builder found, told card by card.

``make linkcheck`` runs Sphinx's builder; the build side (:mod:`newsarchive.sphinxext.linkcheck`)
skips archived copies, does not request sites known to refuse automated checks (listed here
"check by hand") and writes ``cards.json`` next to ``output.json``.

``newsarchive linkreport`` reads both files and lists each dead link with its issue and
card (``file:line``), the links to check by hand and the redirects; ``--mark-dead`` adds
``:status: dead`` to the dead links' cards, editing only those cards' option lines.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newsarchive.sphinxext.config import BY_HAND_HOSTS
from newsarchive.sphinxext.linkcheck import ARCHIVE_PATTERN, CARDS_FILE

if TYPE_CHECKING:
    from collections.abc import Iterable

    from newsarchive.core.sources import Card as SourceCard

OUTPUT_FILE = "output.json"
DEFAULT_OUTDIR = "_build/linkcheck"

LIVE, REDIRECTED, DEAD, BY_HAND, IGNORED = "live", "redirected", "dead", "check by hand", "ignored"
#: Answers that mean "not for robots", not "gone".
_REFUSALS = {401: "refused (401)", 403: "refused (403)", 429: "too many requests (429)"}
_HTTP_ERROR = re.compile(
    r"^(?P<code>\d{3}) (?:Client|Server) Error: (?P<reason>.*?)(?: for url: |$)"
)
_NO_SUCH_HOST = re.compile(
    r"NameResolutionError|Name or service not known|nodename nor servname|"
    r"No address associated|getaddrinfo failed|Failed to resolve",
)
_STATUS_LINE = re.compile(r"^(?P<indent>[ \t]*):status:(?:[ \t].*)?$")


def host_matches(url: str, hosts: Iterable[str]) -> str | None:
    """The entry of ``hosts`` that ``url``'s host is, or is a subdomain of."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    for entry in hosts:
        entry = entry.lower().strip(".")
        if host == entry or host.endswith(f".{entry}"):
            return entry
    return None


# -- reading the results -----------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    file: str
    line: int
    issue: int
    anchor: str
    title: str
    url: str
    status: str = "live"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: #{self.issue} {self.anchor} {self.title!r}"


@dataclass(frozen=True)
class Result:
    """One checked URL: its verdict, why, and where Sphinx first saw it."""

    url: str
    verdict: str
    reason: str
    file: str
    line: int
    target: str = ""  #: where a redirect leads


@dataclass
class Report:
    results: list[Result]
    cards: dict[str, list[Card]] = field(default_factory=dict)  #: URL -> cards
    srcdir: Path = Path()

    def of(self, verdict: str) -> list[Result]:
        return [result for result in self.results if result.verdict == verdict]

    def dead_cards(self) -> list[Card]:
        return sorted(
            (card for r in self.of(DEAD) for card in self.cards.get(r.url, [])),
            key=lambda c: (c.file, c.line),
        )


def classify(entry: dict[str, Any], by_hand: Iterable[str]) -> tuple[str, str] | None:
    """(verdict, reason) of one ``output.json`` entry; None for what is not a web link."""
    status, url = entry.get("status"), str(entry.get("uri", ""))
    info = str(entry.get("info") or "")
    host = host_matches(url, by_hand)
    if status == "working":
        return LIVE, ""
    if status == "redirected":
        return REDIRECTED, f"{entry.get('code') or ''} to {info}".strip()
    if status == "ignored":
        if re.match(ARCHIVE_PATTERN, url):
            return None
        if info == "service unavailable":
            return BY_HAND, "service unavailable (503): try again later"
        if info.startswith("ignored redirect: "):
            return REDIRECTED, f"{entry.get('code') or ''} to {info.split(': ', 1)[1]}".strip()
        if host:
            return BY_HAND, f"not requested: {host} refuses automated checks"
        return IGNORED, info or "linkcheck_ignore"
    if status == "timeout":
        return BY_HAND, f"no answer in time ({info})" if info else "no answer in time"
    if status != "broken":
        return None  # unchecked: mailto:, local files, rate-limited
    if host:
        return BY_HAND, f"{host} refuses automated checks ({_short(info)})"
    match = _HTTP_ERROR.match(info)
    if match:
        code = int(match["code"])
        if code in _REFUSALS:
            return BY_HAND, _REFUSALS[code]
        if code >= 500 or code == 408:
            return BY_HAND, f"server error ({code} {match['reason']}): try again later"
        return DEAD, f"{code} {match['reason']}"
    if _NO_SUCH_HOST.search(info):
        return DEAD, "no such host"
    return BY_HAND, _short(info) or "broken"


def _short(info: str, limit: int = 160) -> str:
    info = " ".join(info.split())
    return info if len(info) <= limit else info[: limit - 1] + "…"


def read_report(
    outdir: Path, *, srcdir: Path | None = None, by_hand: Iterable[str] | None = None
) -> Report:
    """The results of ``make linkcheck`` in ``outdir``; OSError/ValueError if unreadable."""
    extra: dict[str, Any] = {}
    cards_file = outdir / CARDS_FILE
    if cards_file.exists():
        extra = json.loads(cards_file.read_text(encoding="utf-8"))
    hosts = list(by_hand) if by_hand is not None else extra.get("by_hand_hosts", BY_HAND_HOSTS)
    results = []
    seen = set()
    for number, row in enumerate(
        (outdir / OUTPUT_FILE).read_text(encoding="utf-8").splitlines(), 1
    ):
        if not row.strip():
            continue
        try:
            entry = json.loads(row)
        except json.JSONDecodeError as error:
            raise ValueError(f"{outdir / OUTPUT_FILE}:{number}: {error}") from None
        verdict = classify(entry, hosts)
        url = str(entry.get("uri", ""))
        if verdict is None or url in seen:
            continue
        seen.add(url)
        target = verdict[1].split(" to ", 1)[-1] if verdict[0] == REDIRECTED else ""
        file, line = str(entry.get("filename", "")), int(entry.get("lineno") or 0)
        results.append(Result(url, verdict[0], verdict[1], file, line, target))
    cards: dict[str, list[Card]] = defaultdict(list)
    for record in extra.get("cards", []):
        card = Card(**{key: record[key] for key in Card.__dataclass_fields__ if key in record})
        cards[card.url].append(card)
    root = srcdir or Path(extra.get("srcdir") or ".")
    results.sort(key=lambda r: (r.file, r.line, r.url))
    return Report(results, dict(cards), root)


# -- marking cards dead ------------------------------------------------------------------
@dataclass(frozen=True)
class Marked:
    card: Card
    done: bool
    note: str = ""


def mark_dead(srcdir: Path, cards: Iterable[Card]) -> list[Marked]:
    """Give each card ``:status: dead``: its ``:status:`` line replaced, or one added after
    its options. Nothing else of a page changes; a page is written once."""
    from newsarchive.core.files import write_atomically
    from newsarchive.core.tagging import find_cards, split_lines

    by_file: dict[str, list[Card]] = defaultdict(list)
    for card in cards:
        by_file[card.file].append(card)
    outcome: list[Marked] = []
    for file, wanted in sorted(by_file.items()):
        path = srcdir / file
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            outcome += [Marked(card, False, f"cannot read {path}: {error}") for card in wanted]
            continue
        lines = split_lines(text)
        found = {(card.line, card.url): card for card in find_cards(text, path)}
        edits: list[tuple[int, bool, str]] = []  # (index, replace?, new line)
        for card in wanted:
            written = found.get((card.line, card.url))
            if written is None:
                outcome.append(Marked(card, False, "not found at that line (page changed?)"))
                continue
            if written.options.get("status", "").strip().lower() == "dead":
                outcome.append(Marked(card, False, "already marked dead"))
                continue
            edits.append(_status_edit(lines, written))
            outcome.append(Marked(card, True))
        if edits:
            for index, replace, text in sorted(edits, reverse=True):
                lines[index : index + (1 if replace else 0)] = [text]
            write_atomically(path, "".join(lines))
    return outcome


def _status_edit(lines: list[str], written: SourceCard) -> tuple[int, bool, str]:
    """Where ``:status: dead`` goes in a card as the reader of pages found it."""
    opening = written.line - 1
    ending = "\r\n" if lines[opening].endswith("\r\n") else "\n"
    after_options = written.options_end - 1  # index of the line after the options
    for index in range(opening + 1, after_options):
        match = _STATUS_LINE.match(lines[index].rstrip("\r\n"))
        if match:
            return index, True, f"{match['indent']}:status: dead{ending}"
    return after_options, False, f"{written.indent}:status: dead{ending}"


# -- the command -------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "linkreport",
        help="dead links by issue and card, after make linkcheck",
        description=(
            f"Read {DEFAULT_OUTDIR}/{OUTPUT_FILE} (and {CARDS_FILE}, written by the same "
            "build) and list each dead link with its issue and card (file:line), the links "
            "to check by hand (sites that refuse automated checks, refusals, timeouts, "
            "server errors) and the redirects. --mark-dead adds ':status: dead' to the dead "
            "links' cards, so that their titles lead to the archived copy. Exit status 1 "
            "when a card's link is dead and not marked."
        ),
    )
    parser.add_argument(
        "--outdir", type=Path, default=Path(DEFAULT_OUTDIR),
        help=f"the linkcheck builder's output ({DEFAULT_OUTDIR})",
    )  # fmt: skip
    parser.add_argument(
        "--srcdir", type=Path, help="the book's sources (default: as recorded by the build)"
    )
    parser.add_argument(
        "--mark-dead", action="store_true", help="add ':status: dead' to the dead links' cards"
    )
    parser.add_argument(
        "--redirects", action="store_true", help="list every redirect (default: count them)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        report = read_report(args.outdir, srcdir=args.srcdir)
    except FileNotFoundError:
        print(
            f"newsarchive linkreport: no {args.outdir / OUTPUT_FILE}; run 'make linkcheck' first",
            file=sys.stderr,
        )
        return 2
    except (OSError, ValueError, TypeError, KeyError) as error:
        print(f"newsarchive linkreport: {error}", file=sys.stderr)
        return 2
    dead_cards = print_report(report, redirects=args.redirects)
    if not args.mark_dead:
        return 1 if dead_cards else 0
    marked = mark_dead(report.srcdir, dead_cards)
    for item in marked:
        verb = "marked dead" if item.done else f"not marked: {item.note}"
        print(f"{item.card.file}:{item.card.line}: {verb}")
    print(f"{sum(item.done for item in marked)} cards marked dead")
    return 1 if any(not item.done and "already" not in item.note for item in marked) else 0


def print_report(report: Report, *, redirects: bool) -> list[Card]:
    """Print the report; the cards whose link is dead."""
    dead_cards = report.dead_cards()
    dead = report.of(DEAD)
    print(f"dead: {len(dead)} links, on {len(dead_cards)} cards")
    for result in dead:
        cards = report.cards.get(result.url, [])
        for card in cards:
            print(f"  {card}: {result.url} ({result.reason})")
        if not cards:
            print(f"  {result.file}:{result.line}: {result.url} ({result.reason}; not a card)")
    by_hand = report.of(BY_HAND)
    print(f"check by hand: {len(by_hand)} links")
    for result in by_hand:
        print(f"  {_where(report, result)}: {result.url} ({result.reason})")
    moved = report.of(REDIRECTED)
    print(
        f"redirected: {len(moved)} links"
        + ("" if redirects or not moved else " (--redirects lists them)")
    )
    if redirects:
        for result in moved:
            print(f"  {_where(report, result)}: {result.url} -> {result.target}")
    counts = Counter(result.verdict for result in report.results)
    print(f"live: {counts[LIVE]} links; ignored: {counts[IGNORED]}")
    return dead_cards


def _where(report: Report, result: Result) -> str:
    cards = report.cards.get(result.url, [])
    if not cards:
        return f"{result.file}:{result.line}"
    first = str(cards[0])
    return first + (f" (and {len(cards) - 1} more cards)" if len(cards) > 1 else "")
