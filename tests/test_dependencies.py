"""Every dependency of the project has a row in the developer guide's table saying why it is
there, marked with where it is declared; the table names nothing that is not declared."""

from __future__ import annotations

import json
import re
import tomllib

from conftest import REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from test_layout import table_rows

GUIDE = REPO / "docs" / "developers.md"


def declared() -> dict[str, str]:
    """Each dependency -> where it is declared: ``run`` (the project's own), ``dev`` (the
    ``dev`` extra) or ``npm`` (``package.json``)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {canonicalize_name(Requirement(spec).name): "run" for spec in project["dependencies"]}
    for spec in project["optional-dependencies"]["dev"]:
        found[canonicalize_name(Requirement(spec).name)] = "dev"
    npm = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    for kind in ("dependencies", "devDependencies"):
        found.update(dict.fromkeys(npm.get(kind, {}), "npm"))
    return found


def listed(text: str) -> dict[str, str]:
    """Each package the table names -> where its row says it is declared: ``(dev)``,
    ``(npm, …)`` or nothing (the project's own)."""
    found: dict[str, str] = {}
    for row in table_rows(text, "| package | why |"):
        where = "npm" if "(npm" in row[0] else "dev" if "(dev)" in row[0] else "run"
        for name in re.findall(r"`([^`]+)`", row[0]):
            key = name if where == "npm" else canonicalize_name(Requirement(name).name)
            found[key] = where
    return found


def test_every_dependency_has_a_row_saying_where_it_is_declared() -> None:
    assert listed(GUIDE.read_text(encoding="utf-8")) == declared()


def test_rows_are_read_with_their_marks() -> None:
    text = """| package | why |
| --- | --- |
| `fonttools[woff]` | fonts |
| `pytest`, `Sphinx_Autobuild` (dev) | tests, `make serve` |
| `axe-core` (npm, tests) | accessibility |

| package | why |
"""
    assert listed(text) == {
        "fonttools": "run",
        "pytest": "dev",
        "sphinx-autobuild": "dev",
        "axe-core": "npm",
    }
