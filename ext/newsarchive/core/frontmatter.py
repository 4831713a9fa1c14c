"""An issue page's front matter and its rules, as one pure function.

:func:`judge_front_matter` reads the YAML between the page's ``---`` lines with every
scalar as written (so ``issue: "3"`` is text, not a number, and ``2020-02-30`` is reported
by name rather than failing the whole block) and returns the values it accepts and the
problems it found, each at its line. The build (``newsarchive.sphinxext.issues``) and
``newsarchive check`` both call it, so they always agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newsarchive.core.cards import suspicious_markup
from newsarchive.core.findings import Finding
from newsarchive.core.sourcefiles import read_source
from newsarchive.core.text import iso_date
from newsarchive.core.urls import is_http_url

#: The first line of the front matter's YAML (line 1 is ``---``).
FIRST_LINE = 2
#: The fields an issue has; the first three are required.
FIELDS = ("issue", "date", "title", "source", "follows")
REQUIRED = ("issue", "date", "title")
_FENCE = re.compile(r"^---[ \t]*$")


@dataclass
class FrontMatter:
    """The accepted values of an issue's front matter (None or "" where a value is wrong)."""

    present: bool = False  #: the page has a closed front matter block
    keys: set[str] = field(default_factory=set)  #: every top-level key written
    number: int | None = None
    date: dt.date | None = None
    title: str = ""
    source: str = ""
    follows: int | None = None
    lines: dict[str, int] = field(default_factory=dict)  #: key -> line in the page


def front_matter_text(text: str) -> str | None:
    """The YAML between a page's opening and closing ``---`` lines, or None."""
    rows = text.split("\n")
    if not rows or not _FENCE.match(rows[0]):
        return None
    for end, row in enumerate(rows[1:], start=1):
        if _FENCE.match(row):
            return "\n".join(rows[1:end])
    return None


def judge_front_matter(text: str) -> tuple[FrontMatter, list[Finding]]:
    """The front matter of the page ``text`` (newlines as ``\\n``) and what is wrong with it."""
    matter = FrontMatter()
    findings: list[Finding] = []
    yaml_text = front_matter_text(text)
    if yaml_text is None:
        if text.startswith("---"):
            findings.append(Finding(1, "front matter is never closed (a second --- line)"))
        else:
            findings.append(Finding(1, "no front matter (issue, date and title between --- lines)"))
        return matter, findings
    matter.present = True
    try:
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = FIRST_LINE + (mark.line if mark else 0)
        findings.append(Finding(line, f"front matter is not valid YAML: {error.problem}"))
        return matter, findings
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, unmarked
        line = FIRST_LINE + yaml_text.count("\n", 0, error.position)
        reason = str(error).split("\n", 1)[0]
        findings.append(Finding(line, f"front matter is not valid YAML: {reason}"))
        return matter, findings
    except RecursionError:
        findings.append(Finding(1, "front matter is nested too deeply to be read"))
        return matter, findings
    if not isinstance(root, yaml.MappingNode):
        findings.append(Finding(1, "front matter must be fields (issue: 18, date: …, title: …)"))
        return matter, findings
    if (shared := _shared_node(root)) is not None:
        line = FIRST_LINE + shared.start_mark.line
        findings.append(
            Finding(line, "front matter repeats a value with a YAML anchor (&, *): write it out")
        )
        return matter, findings  # expanding it could take all memory (billion laughs)
    rows = yaml_text.split("\n")
    for key_node, value_node in root.value:
        key = str(key_node.value)
        line = FIRST_LINE + key_node.start_mark.line
        if key in matter.lines:
            findings.append(Finding(line, f"front matter has {key!r} twice"))
            continue
        matter.keys.add(key)
        matter.lines[key] = line
        problem = _field_problem(matter, key, value_node, rows)
        if problem:
            findings.append(Finding(line, f"front matter {key!r} {problem}"))
    for key in REQUIRED:
        if key not in matter.lines:
            findings.append(Finding(1, f"front matter has no {key!r}"))
    return matter, findings


def _shared_node(root: yaml.Node) -> yaml.Node | None:
    """A node reached twice (a YAML alias), found without expanding any alias."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def _field_problem(matter: FrontMatter, key: str, node: yaml.Node, rows: list[str]) -> str | None:
    """What is wrong with one field; its accepted value is stored in ``matter``."""
    if key not in FIELDS:
        return None
    if not isinstance(node, yaml.ScalarNode):
        return "must be a single value"
    value = str(node.value).strip()
    if node.style is None and (comment := _trailing_comment(node, rows)):
        return f"is cut short by {comment!r} (a YAML comment): quote the value"
    if key == "issue":
        if node.style is not None or not value.isdigit() or int(value) < 1:
            return f"must be a positive whole number like 18, not {value!r}"
        matter.number = int(value)
    elif key == "follows":
        if node.style is not None or not value.isdigit() or int(value) < 1:
            return f"must be the number of the issue this one follows, not {value!r}"
        matter.follows = int(value)
    elif key == "date":
        matter.date = iso_date(value)
        if matter.date is None:
            return f"must be a date like 2020-04-17, not {value!r}"
    elif key == "title":
        if not value:
            return "is empty"
        if node.tag != "tag:yaml.org,2002:str":
            return f'must be text; quote it: "{value}"'
        matter.title = " ".join(value.split())
        if kind := suspicious_markup(value):
            return f"contains {kind}; shown as text"
    elif not is_http_url(value):
        return f"must be an http or https URL, not {value!r}"
    else:
        matter.source = value
    return None


def _trailing_comment(node: yaml.Node, rows: list[str]) -> str:
    end = node.end_mark
    rest = rows[end.line][end.column :].strip() if end.line < len(rows) else ""
    return rest if rest.startswith("#") else ""


# -- the raw values, for commands that only need one field ------------------------
@functools.lru_cache(maxsize=4096)
def _front_matter(path: str, mtime_ns: int) -> dict[str, Any] | None:
    """A page's front matter with every value as written (strings), None if invalid.

    YAML's own date parsing would turn ``2020-02-30`` into an error for the whole
    block; reading plain strings lets each field be checked and reported by name.
    """
    try:
        text = read_source(Path(path)).text
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("---"):
        return {}
    yaml_text = front_matter_text(text)
    try:
        data = yaml.load(yaml_text or "", Loader=yaml.BaseLoader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def read_front_matter(path: str | Path) -> dict[str, Any] | None:
    """The front matter's fields as written (strings), cached per file version; None when
    it is not valid YAML. The rules are :func:`judge_front_matter`'s."""
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError:
        return None
    return _front_matter(str(path), mtime)
