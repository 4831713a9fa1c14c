"""The published folder holds the site only, and the sitemap lists each page once."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from conftest import REPO, ROOTS

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_make_html_keeps_doctrees_out_of_the_published_folder(tmp_path):
    dry_run = subprocess.run(
        ["make", "-n", "html", f"BUILDDIR={tmp_path}", "SPHINXOPTS="],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    command = next(line for line in dry_run.splitlines() if "sphinx-build" in line).split()
    assert command[-1] == f"{tmp_path}/html"
    doctrees = Path(command[command.index("-d") + 1])
    assert not doctrees.is_relative_to(tmp_path / "html")


def test_read_the_docs_keeps_doctrees_out_of_its_output():
    config = (REPO / ".readthedocs.yaml").read_text(encoding="utf-8")
    build = next(line for line in config.splitlines() if "sphinx -b html" in line)
    doctrees = re.search(r" -d (\S+)", build)
    assert doctrees is not None and "READTHEDOCS_OUTPUT" not in doctrees.group(1)


@pytest.fixture(scope="module")
def default_doctrees(tmp_path_factory) -> Path:
    """The search root built as plain ``sphinx-build`` does: doctrees in <outdir>/.doctrees."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    srcdir = tmp_path_factory.mktemp("published") / "search"
    shutil.copytree(ROOTS / "test-search", srcdir)
    outdir = srcdir / "_build/html"
    # Build state that looks like a page (older builds kept page copies there for Pagefind).
    (outdir / ".doctrees" / "copies").mkdir(parents=True)
    (outdir / ".doctrees" / "copies" / "index.html").write_text("<p>copy</p>", encoding="utf-8")
    # docutils' registries are global; the namespace clears what this build registered.
    with docutils_namespace():
        app = Sphinx(
            srcdir,
            srcdir,
            outdir,
            outdir / ".doctrees",
            "html",
            confoverrides={"html_baseurl": "https://archive.example.org/"},
            status=StringIO(),
            warning=StringIO(),
        )
        app.build()
    assert any((outdir / ".doctrees").rglob("*.html")), "the copies are the trap"
    return outdir


def test_sitemap_lists_each_page_once_and_no_build_state(default_doctrees):
    root = ET.parse(default_doctrees / "sitemap.xml").getroot()
    locs = [u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs))
    pages = {
        p.relative_to(default_doctrees).as_posix()
        for p in default_doctrees.rglob("*.html")
        if not p.relative_to(default_doctrees).parts[0].startswith((".", "_"))
    }
    # The link finder's old address leads to search.html: not for search engines either.
    expected = pages - {"search.html", "genindex.html", "links/index.html"}
    assert sorted(locs) == sorted("https://archive.example.org/" + p for p in expected)
    assert "issues/0001.html" in expected
