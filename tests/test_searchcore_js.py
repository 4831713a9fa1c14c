"""The search's matching code (``static/searchcore.js``) tested on its own: ``node --test
tests/js/`` against a real index that ``search_index.py`` writes for a small Sphinx project
(``tests/js/searchcore_fixture.py``), so ``make test`` and CI run the JavaScript tests too."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

JS_TESTS = REPO / "tests" / "js"


def _fixture_module():
    spec = importlib.util.spec_from_file_location(
        "searchcore_fixture", JS_TESTS / "searchcore_fixture.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def searchcore_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("searchcore")
    _fixture_module().build(folder)
    return folder


def test_node_tests_of_searchcore_pass(searchcore_fixture: Path) -> None:
    node = shutil.which("node")
    assert node, "node is needed for the tests of searchcore.js (make system-deps installs it)"
    done = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(JS_TESTS)],
        cwd=REPO,
        env={**os.environ, "SEARCHCORE_FIXTURE": str(searchcore_fixture), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"node --test tests/js/ failed:\n{output}"
    # Tests that never ran would also exit 0: the files and their tests must have been found.
    assert "ℹ fail 0" in output and "ℹ pass 0" not in output, output
