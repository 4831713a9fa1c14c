"""What the content rules return: a problem at a line of a page.

The rules (:mod:`newsarchive.core.frontmatter`, :mod:`newsarchive.core.cards`) are pure
functions returning findings; the build turns each into a warning with its location and
subtype (``newsarchive.<kind>``), ``newsarchive check`` into ``file:line: message``, so
both always give the same verdict on the same page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["frontmatter", "card", "tag"]


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    message: str
    kind: Kind = "frontmatter"
