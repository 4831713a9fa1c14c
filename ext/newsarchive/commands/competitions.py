"""``newsarchive competitions``: what the curated competition file still lacks.

Lists the competitions linked from issue pages that have no curated name (with the name
the book shows meanwhile: the link text used most often), and the places that name a
competition without linking it: those an alias already attaches, those that name a known
competition with no alias for it, and 「…」コンペ with no competition link at all.
``--skeleton`` prints ``[[competition]]`` tables to paste into the file.

Links are recognised by the same table as the build (:mod:`newsarchive.competition_links`)
and aliases matched by the same function (:func:`alias_hits`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.core.competition_data import Catalog, load_catalog, normalize_name
from newsarchive.core.competition_links import competition_of
from newsarchive.core.competition_mentions import alias_hits

_ISSUE_GLOB = "[0-9]*.md"
_MARKDOWN_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\((\S+?)\)")
_CARD_OPEN = re.compile(r"^\s*(:{3,})\{link\}\s*(\S*)")
_FENCE_CLOSE = re.compile(r"^\s*(:{3,})\s*$")
_TITLE = re.compile(r'^:title:\s*"?(.*?)"?\s*$')
#: A competition named in Japanese prose: 「…」コンペ (the newsletter's own habit).
_NAMED = re.compile(r"「([^「」]{3,80})」\s*コンペ")
#: A backslash escape of CommonMark: the character itself is meant.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
#: Link texts shorter than this are not searched for as names ("こちら", "Kaggle").
MIN_NAME_LENGTH = 6


@dataclass(frozen=True)
class SourceLine:
    """One line of an issue page with its competition links (markdown or card URL)."""

    path: Path
    line: int
    text: str  #: the line with links replaced by their text
    links: tuple[tuple[str, str], ...]  #: (key, link text)


@dataclass
class Report:
    linked: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    places: dict[str, list[SourceLine]] = field(default_factory=lambda: defaultdict(list))
    attached: list[tuple[SourceLine, str]] = field(default_factory=list)
    unattached: list[tuple[SourceLine, str, str]] = field(default_factory=list)
    unknown: list[tuple[SourceLine, str]] = field(default_factory=list)


def source_lines(path: Path, text: str) -> list[SourceLine]:
    """The content lines of an issue page (front matter skipped), with their links."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    found: list[SourceLine] = []
    card_url = ""
    for index in range(start, len(lines)):
        raw = lines[index]
        opened = _CARD_OPEN.match(raw)
        if opened:
            card_url = opened.group(2)
            continue
        title = _TITLE.match(raw) if card_url else None
        if title:
            ref = competition_of(card_url)
            links = ((ref.key, title.group(1)),) if ref else ()
            found.append(SourceLine(path, index + 1, title.group(1), links))
            continue
        if _FENCE_CLOSE.match(raw):
            card_url = ""
            continue
        if not raw.strip() or raw.lstrip().startswith(":"):
            continue
        pairs = []
        for match in _MARKDOWN_LINK.finditer(raw):
            ref = competition_of(match.group(2))
            if ref is not None:
                pairs.append((ref.key, _ESCAPE.sub(r"\1", match.group(1))))
        plain = _ESCAPE.sub(r"\1", _MARKDOWN_LINK.sub(lambda m: m.group(1), raw))
        found.append(SourceLine(path, index + 1, plain, tuple(pairs)))
    return found


def survey(paths: list[Path], catalog: Catalog) -> Report:
    report = Report()
    lines = [line for path in paths for line in source_lines(path, path.read_text("utf-8"))]
    for line in lines:
        for key, text in line.links:
            report.places[key].append(line)
            if text.strip():
                report.linked[key][text.strip()] += 1
    patterns = catalog.alias_patterns()
    names = _known_names(report, catalog)
    for line in lines:
        linked = {key for key, _ in line.links}
        hits = [key for key in alias_hits(line.text, patterns) if key not in linked]
        report.attached += [(line, key) for key in hits]
        folded = normalize_name(line.text)
        for name, key in names:
            if key not in linked and key not in hits and names_in(folded, name):
                report.unattached.append((line, key, name))
        if not linked:
            report.unknown += [(line, match.group(1)) for match in _NAMED.finditer(line.text)]
    return report


def _known_names(report: Report, catalog: Catalog) -> list[tuple[str, str]]:
    """(normalized name, key): each competition's shown name (curated, else its most used
    link text) and Japanese name, when long enough to be a name and not a URL."""
    names: dict[str, str] = {}
    for key, texts in report.linked.items():
        curated = catalog.competitions.get(key)
        shown = (curated.name if curated else "") or default_name(texts, key)
        for name in (shown, curated.ja if curated else ""):
            if len(name) >= MIN_NAME_LENGTH and competition_of(name) is None:
                names.setdefault(normalize_name(name), key)
    return sorted(names.items(), key=lambda item: (-len(item[0]), item))


def names_in(folded: str, name: str) -> bool:
    """``name`` in ``folded``, not inside a longer ASCII word ("recognition" is not in
    "kuzushiji-recognition-2")."""
    for match in re.finditer(re.escape(name), folded):
        before = folded[match.start() - 1] if match.start() else " "
        after = folded[match.end()] if match.end() < len(folded) else " "
        if not (before.isascii() and before.isalnum()) and not (
            after.isascii() and after.isalnum()
        ):
            return True
    return False


def default_name(texts: Counter[str], key: str) -> str:
    ranked = sorted(texts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[0][0] if ranked else key.split("/", 1)[1]


def skeleton(report: Report, catalog: Catalog) -> str:
    tables = []
    for key in sorted(report.places):
        curated = catalog.competitions.get(key)
        if curated is not None and curated.name:
            continue
        name = json.dumps(default_name(report.linked[key], key), ensure_ascii=False)
        tables.append(f'[[competition]]\nkey = "{key}"\nname = {name}\n')
    return "\n".join(tables)


def print_report(report: Report, catalog: Catalog) -> None:
    missing = [
        key
        for key in sorted(report.places, key=lambda k: (-len(report.places[k]), k))
        if not (key in catalog.competitions and catalog.competitions[key].name)
    ]
    print(f"competitions linked: {len(report.places)}; without a curated name: {len(missing)}")
    for key in missing:
        first = report.places[key][0]
        name = default_name(report.linked[key], key)
        print(
            f"{first.path}:{first.line}: {key} has no curated name "
            f"(shown as {name!r}; {len(report.places[key])} links)",
        )
    print(f"named without a link, attached by an alias: {len(report.attached)}")
    for line, key in report.attached:
        print(f"{line.path}:{line.line}: names {key} (alias)")
    print(f"named without a link, no alias: {len(report.unattached)}")
    for line, key, name in report.unattached:
        print(f"{line.path}:{line.line}: names {key} as {name!r}; add an alias or a link")
    print(f"「…」コンペ with no competition link: {len(report.unknown)}")
    for line, name in report.unknown:
        print(f"{line.path}:{line.line}: 「{name}」コンペ is linked nowhere on this line")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "competitions",
        help="list competitions without a curated name and names without a link",
        description=(
            "Survey the issue pages for the curated competition file: competitions linked "
            "but not named in it, and mentions by name without a link (attached by an "
            "alias, or not). Changes nothing."
        ),
    )
    parser.add_argument(
        "issues", nargs="?", type=Path, default=Path("issues"), help="the issue pages (issues/)"
    )
    parser.add_argument(
        "--file",
        type=Path,
        default=Path("docs/competitions.toml"),
        help="the curated competition file (docs/competitions.toml)",
    )
    parser.add_argument(
        "--skeleton",
        action="store_true",
        help="print [[competition]] tables for the competitions without a curated name",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.issues.is_dir():
        print(f"{args.issues}: no such folder", file=sys.stderr)
        return 2
    catalog = load_catalog(args.file)
    for problem in catalog.problems:
        print(f"{args.file}:{problem.line}: {problem.message}", file=sys.stderr)
    paths = sorted(args.issues.glob(_ISSUE_GLOB))
    try:
        report = survey(paths, catalog)
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read the issue pages: {error}", file=sys.stderr)
        return 2
    try:
        if args.skeleton:
            print(skeleton(report, catalog), end="")
        else:
            print_report(report, catalog)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
