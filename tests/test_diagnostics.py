"""Every warning subtype is documented in the README, and the README names no other."""

from __future__ import annotations

import re

from conftest import REPO
from newsarchive.sphinxext.diagnostics import Subtype


def test_readme_lists_every_warning_subtype() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `newsarchive\.(\w+)` \|", readme, re.MULTILINE))
    assert listed == {subtype.value for subtype in Subtype}
