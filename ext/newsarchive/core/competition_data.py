"""The curated competition file, ``docs/competitions.toml``, read into plain values.

Each ``[[competition]]`` table completes what links alone cannot say::

    [[competition]]
    key = "kaggle/riiid-test-answer-prediction"   # <platform>/<id>, as detected from links
    name = "Riiid! Answer Correctness Prediction" # shown; default: the most used link text
    ja = "Riiid!コンペ"                           # optional Japanese name
    start = 2020-10-05                            # optional dates (TOML dates)
    end = 2021-01-07
    aliases = ["Riiidコンペ"]                     # names that attach a mention without a link

Reading never stops at the first mistake: every problem is returned with its line, so the
build warns about each and ``newsarchive check`` lists them all; the valid entries are kept.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.core.competition_links import PLATFORM_BY_KEY, parse_key

_HEADER_RE = re.compile(r"^\s*\[\[\s*competition\s*\]\]")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_TOML_LINE_RE = re.compile(r"at line (\d+)")
_TEXT_KEYS = ("key", "name", "ja")
_DATE_KEYS = ("start", "end")
_ALLOWED = (*_TEXT_KEYS, *_DATE_KEYS, "aliases")
#: An alias shorter than this would attach far too much text.
MIN_ALIAS_LENGTH = 3


@dataclass(frozen=True)
class CuratedCompetition:
    key: str
    name: str = ""
    ja: str = ""
    start: str = ""  #: ISO date or ""
    end: str = ""
    aliases: tuple[str, ...] = ()
    line: int = 0

    @property
    def platform(self) -> str:
        return self.key.split("/", 1)[0]


@dataclass(frozen=True, order=True)
class CatalogProblem:
    line: int
    message: str


@dataclass
class Catalog:
    """The curated competitions by key, and the problems found reading them."""

    path: Path
    competitions: dict[str, CuratedCompetition] = field(default_factory=dict)
    problems: list[CatalogProblem] = field(default_factory=list)

    def alias_patterns(self) -> list[tuple[str, str]]:
        """(normalized alias, key), longest alias first (so the longest name wins)."""
        pairs = [
            (normalize_name(alias), competition.key)
            for competition in self.competitions.values()
            for alias in competition.aliases
        ]
        return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))

    def fingerprint(self) -> str:
        """What pages show from the file (changes when a name, date or alias changes)."""
        return repr(sorted((c.key, c.name, c.ja, c.start, c.end, c.aliases) for c in self))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.competitions.values())


def normalize_name(text: str) -> str:
    """Names are compared in NFKC, case-folded (ＲＩＩＩＤ and Riiid are one name)."""
    return unicodedata.normalize("NFKC", text).casefold()


def load_catalog(path: Path | str) -> Catalog:
    """Read the file; a missing file is an empty catalog, never an error."""
    path = Path(path)
    if not path.is_file():
        return Catalog(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Catalog(path, problems=[CatalogProblem(1, f"cannot be read: {error}")])
    return catalog_from_text(text, path)


def catalog_from_text(text: str, path: Path | str = "competitions.toml") -> Catalog:
    catalog = Catalog(Path(path))
    report = catalog.problems.append
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE_RE.search(str(error))
        report(CatalogProblem(int(found.group(1)) if found else 1, f"not valid TOML: {error}"))
        return catalog
    for unknown in sorted(set(data) - {"competition"}):
        report(CatalogProblem(1, f"unknown top-level key {unknown!r}; use [[competition]] tables"))
    entries = data.get("competition", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        report(CatalogProblem(1, "'competition' must be a list of [[competition]] tables"))
        return catalog
    blocks = _blocks(text)
    if len(blocks) != len(entries):
        blocks = [{} for _ in entries]
    aliases: dict[str, str] = {}
    for entry, lines in zip(entries, blocks, strict=True):
        competition = _read(entry, lines, report)
        if competition is None:
            continue
        first = catalog.competitions.get(competition.key)
        if first is not None:
            report(
                CatalogProblem(
                    competition.line,
                    f"{competition.key}: declared twice (first on line {first.line})",
                )
            )
            continue
        for alias in competition.aliases:
            owner = aliases.setdefault(normalize_name(alias), competition.key)
            if owner != competition.key:
                report(
                    CatalogProblem(
                        lines.get("aliases", competition.line),
                        f"{competition.key}: alias {alias!r} is already an alias of {owner}",
                    )
                )
        catalog.competitions[competition.key] = competition
    catalog.problems.sort()
    return catalog


def _blocks(text: str) -> list[dict[str, int]]:
    """Per ``[[competition]]`` header: key -> line, the header's line under ``""``."""
    blocks: list[dict[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _HEADER_RE.match(line):
            blocks.append({"": number})
        elif line.lstrip().startswith("["):
            blocks.append({"": number, "!": 1})
        elif blocks and (key := _KEY_RE.match(line)):
            blocks[-1].setdefault(key.group(1), number)
    return [block for block in blocks if "!" not in block]


def _read(entry: dict[str, object], lines: dict[str, int], report) -> CuratedCompetition | None:  # type: ignore[no-untyped-def]
    line = lines.get("", 1)
    key = entry.get("key")
    name = key if isinstance(key, str) else f"competition on line {line}"
    ok = True
    for unknown in sorted(set(entry) - set(_ALLOWED)):
        report(
            CatalogProblem(
                lines.get(unknown, line),
                f"{name}: unknown key {unknown!r} (allowed: {', '.join(_ALLOWED)})",
            )
        )
        ok = False
    if not isinstance(key, str) or parse_key(key) is None:
        platforms = ", ".join(PLATFORM_BY_KEY)
        report(
            CatalogProblem(
                lines.get("key", line),
                f"{name}: 'key' must be <platform>/<id> as links give it "
                f"(platforms: {platforms}), not {key!r}",
            )
        )
        return None
    ref = parse_key(key)
    assert ref is not None
    texts: dict[str, str] = {}
    for text_key in ("name", "ja"):
        value = entry.get(text_key, "")
        if not isinstance(value, str) or (text_key in entry and not value.strip()):
            report(
                CatalogProblem(
                    lines.get(text_key, line), f"{key}: {text_key!r} must be a non-empty string"
                )
            )
            ok = False
            value = ""
        texts[text_key] = value.strip()
    dates: dict[str, str] = {}
    for date_key in _DATE_KEYS:
        value = entry.get(date_key)
        if value is None:
            dates[date_key] = ""
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            dates[date_key] = value.isoformat()
        else:
            report(
                CatalogProblem(
                    lines.get(date_key, line),
                    f"{key}: {date_key!r} must be a date written as YYYY-MM-DD (no quotes)",
                )
            )
            ok = False
            dates[date_key] = ""
    if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
        report(
            CatalogProblem(
                lines.get("end", line),
                f"{key}: end {dates['end']} is before start {dates['start']}",
            )
        )
        ok = False
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        report(
            CatalogProblem(lines.get("aliases", line), f"{key}: 'aliases' must be a list of names")
        )
        return None
    for alias in aliases:
        if len(normalize_name(alias).strip()) < MIN_ALIAS_LENGTH:
            report(
                CatalogProblem(
                    lines.get("aliases", line),
                    f"{key}: alias {alias!r} is too short (at least {MIN_ALIAS_LENGTH} characters)",
                )
            )
            ok = False
    if not ok:
        return None
    return CuratedCompetition(
        key=ref.key,
        name=texts["name"],
        ja=texts["ja"],
        start=dates["start"],
        end=dates["end"],
        aliases=tuple(alias.strip() for alias in aliases),
        line=line,
    )
