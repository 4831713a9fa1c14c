"""The tag vocabulary: ``docs/tags.toml`` read into :class:`Tag` values.

Every tag has an ASCII slug (used in URLs), a Japanese and an English label (shown), aliases
(other names an editor may write in ``:tags:``) and optional matching rules used to suggest
tags (see :mod:`newsarchive.tagging`). The order of the file is the display order.

Names are compared after :func:`normalize`: Unicode NFKC, case folding and folding of
whitespace, underscores and hyphens, so ``ＧＢＤＴ``, ``gbdt`` and ``GBDT`` are one name.
Nothing else is removed: ``C++``, ``C#`` and ``C`` stay three names, and Japanese kana keep
their dakuten (``ブログ`` is never ``フロク``).
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: A slug: lowercase ASCII words joined by single hyphens.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SEPARATORS_RE = re.compile(r"[\s_\-]+")
_TAG_HEADER_RE = re.compile(r"^\s*\[\[\s*tag\s*\]\]")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_TOML_LINE_RE = re.compile(r"at line (\d+)")
_LIST_SEPARATORS_RE = re.compile(r"[,、，]")
#: A keyword that starts with this is a regular expression.
REGEX_PREFIX = "re:"

#: key in the file -> (attribute of Tag, required)
_TEXT_KEYS = {"slug": True, "ja": True, "en": True}
_LIST_KEYS = ("aliases", "keywords", "title_keywords", "sites")


class VocabularyError(Exception):
    """A malformed vocabulary file; ``str()`` is the message, :meth:`format` adds the place."""

    def __init__(self, message: str, path: Path | str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path)
        self.line = line

    def __str__(self) -> str:
        return self.message

    def format(self) -> str:
        """``file:line: message`` (``file: message`` when no line is known)."""
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Tag:
    """One tag of the vocabulary.

    ``keywords`` are matched against a card's title, excerpt and commentary,
    ``title_keywords`` against its title only, ``sites`` against its URL (a host such as
    ``arxiv.org`` matches that host and its subdomains; ``host/path`` also needs the path to
    start with ``/path``). See :func:`newsarchive.tagging.suggest_tags`.
    """

    slug: str
    label_ja: str
    label_en: str
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    line: int = 0
    title_keywords: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name that resolves to this tag: slug, labels and aliases."""
        return (self.slug, self.label_ja, self.label_en, *self.aliases)


def normalize(name: str) -> str:
    """The form in which tag names are compared.

    NFKC (full-width letters become ASCII, half-width kana become full-width, dakuten are
    composed, never dropped), case folding, and each run of whitespace, underscores and
    hyphens becomes one hyphen (none at either end). Symbols such as ``+`` and ``#`` are kept.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _SEPARATORS_RE.sub("-", folded).strip("-")


def parse_tag_list(text: str) -> list[str]:
    """The names in a ``:tags:`` value: split on commas (also ``、`` and ``，``), blanks dropped."""
    return [part.strip() for part in _LIST_SEPARATORS_RE.split(text) if part.strip()]


class Vocabulary:
    """The tags of one vocabulary file, in file order, and the names that resolve to them."""

    def __init__(self, tags: Iterable[Tag], path: Path | str = "tags.toml") -> None:
        self.path = Path(path)
        self.tags: dict[str, Tag] = {}
        self._names: dict[str, str] = {}
        for tag in tags:
            if tag.slug in self.tags:
                first = self.tags[tag.slug]
                raise VocabularyError(
                    f"duplicate slug {tag.slug!r} (first declared on line {first.line})",
                    self.path,
                    tag.line,
                )
            self.tags[tag.slug] = tag
            for name in tag.names:
                self._add_name(name, tag)

    def _add_name(self, name: str, tag: Tag) -> None:
        key = normalize(name)
        if not key:
            raise VocabularyError(f"tag {tag.slug!r} has an empty name", self.path, tag.line)
        owner = self._names.setdefault(key, tag.slug)
        if owner != tag.slug:
            other = self.tags[owner]
            raise VocabularyError(
                f"name {name!r} of tag {tag.slug!r} is already used by tag {owner!r} "
                f"(line {other.line})",
                self.path,
                tag.line,
            )

    def __len__(self) -> int:
        return len(self.tags)

    def __iter__(self) -> Iterator[Tag]:
        return iter(self.tags.values())

    def resolve(self, name: str) -> Tag | None:
        """The tag a name (slug, label or alias, in any case or width) stands for, if any."""
        slug = self._names.get(normalize(name))
        return self.tags[slug] if slug else None

    def closest(self, name: str) -> str | None:
        """The slug of the known name closest to ``name``, for a "did you mean" hint."""
        key = normalize(name)
        if not key:
            return None
        matches = difflib.get_close_matches(key, list(self._names), n=1, cutoff=0.6)
        return self._names[matches[0]] if matches else None

    @classmethod
    def load(cls, path: Path | str) -> Vocabulary:
        """Read a vocabulary file; :class:`VocabularyError` says what is wrong and where."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            reason = error.strerror or str(error)
            raise VocabularyError(f"cannot read the vocabulary: {reason}", path) from None
        except UnicodeDecodeError as error:
            raise VocabularyError(f"the vocabulary is not UTF-8: {error}", path) from None
        return cls.from_text(text, path)

    @classmethod
    def from_text(cls, text: str, path: Path | str = "tags.toml") -> Vocabulary:
        """Parse vocabulary TOML; ``path`` is only used in messages."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            found = _TOML_LINE_RE.search(str(error))
            line = int(found.group(1)) if found else None
            raise VocabularyError(f"not valid TOML: {error}", path, line) from None
        unknown = sorted(set(data) - {"tag"})
        if unknown:
            raise VocabularyError(
                f"unknown top-level key {unknown[0]!r}; declare tags as [[tag]] tables", path, 1
            )
        entries = data.get("tag", [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise VocabularyError("'tag' must be a list of [[tag]] tables", path, 1)
        blocks = _tag_blocks(text)
        if len(blocks) != len(entries):
            # Tables written inline (tag = [{...}]) have no header lines; point at line 1.
            blocks = [{} for _ in entries]
        return cls(
            (_read_tag(entry, block, path) for entry, block in zip(entries, blocks, strict=True)),
            path,
        )


def _tag_blocks(text: str) -> list[dict[str, int]]:
    """For each ``[[tag]]`` header in order: key -> line, with the header's line under ``""``."""
    blocks: list[dict[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _TAG_HEADER_RE.match(line):
            blocks.append({"": number})
        elif line.lstrip().startswith("["):
            blocks.append({"": number, "!": 1})  # another table: not a tag
        elif blocks and (key := _KEY_RE.match(line)):
            blocks[-1].setdefault(key.group(1), number)
    return [block for block in blocks if "!" not in block]


def _read_tag(entry: dict[str, object], lines: dict[str, int], path: Path | str) -> Tag:
    line = lines.get("", 1)
    slug = entry.get("slug")
    name = repr(slug) if isinstance(slug, str) else "without a slug"
    for key in entry:
        if key not in _TEXT_KEYS and key not in _LIST_KEYS:
            allowed = ", ".join([*_TEXT_KEYS, *_LIST_KEYS])
            raise VocabularyError(
                f"tag {name}: unknown key {key!r} (allowed: {allowed})", path, lines.get(key, line)
            )
    for key in _TEXT_KEYS:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            what = "is missing" if value is None else "must be a non-empty string"
            raise VocabularyError(f"tag {name}: {key!r} {what}", path, lines.get(key, line))
    assert isinstance(slug, str)
    if not SLUG_RE.fullmatch(slug):
        raise VocabularyError(
            f"bad slug {slug!r}: use lowercase ASCII letters, digits and single hyphens",
            path,
            lines.get("slug", line),
        )
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LIST_KEYS:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise VocabularyError(
                f"tag {name}: {key!r} must be a list of non-empty strings",
                path,
                lines.get(key, line),
            )
        lists[key] = tuple(v.strip() for v in value)
        for keyword in lists[key] if key.endswith("keywords") else ():
            if keyword.startswith(REGEX_PREFIX):
                try:
                    re.compile(keyword.removeprefix(REGEX_PREFIX))
                except re.error as error:
                    raise VocabularyError(
                        f"tag {name}: bad regular expression {keyword!r}: {error}",
                        path,
                        lines.get(key, line),
                    ) from None
    return Tag(
        slug=slug,
        label_ja=str(entry["ja"]).strip(),
        label_en=str(entry["en"]).strip(),
        aliases=lists["aliases"],
        keywords=lists["keywords"],
        sites=tuple(site.lower() for site in lists["sites"]),
        line=line,
        title_keywords=lists["title_keywords"],
    )
