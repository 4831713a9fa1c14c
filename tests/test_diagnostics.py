"""Every warning subtype is documented in the developer guide, which names no other."""

from __future__ import annotations

import re

from conftest import REPO
from newsarchive.sphinxext.diagnostics import Subtype


def test_developer_guide_lists_every_warning_subtype() -> None:
    guide = (REPO / "docs" / "developers.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `newsarchive\.(\w+)` \|", guide, re.MULTILINE))
    assert listed == {subtype.value for subtype in Subtype}
