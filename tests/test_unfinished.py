"""A build stopped at any point is finished by the next one: it then equals a clean build.

Ctrl-C is raised from inside the build (a KeyboardInterrupt from an event handler, as
Sphinx sees a real one) at several points: while reading, on the first page written, on
the overview, after the pages (before the link database, feeds and sitemap). The next
build must give the same files as a clean build of the same sources, every one of them.
"""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from conftest import ROOTS
from sphinx.testing.util import SphinxTestApp

NEW_ISSUE = """---
issue: 5
date: 2021-06-04
title: "Test News #5"
---
# Test News #5

:::{link} https://arxiv.org/abs/2106.00001
:title: "A new paper"
:tags: nlp

新しい論文のコメント。
:::
"""


class Stop(KeyboardInterrupt):
    pass


def stop_when(event: str, wanted: str | None = None):
    """(event, handler): a handler that stops the build, at ``wanted`` page if given."""

    def handler(app, *args):
        if event == "doctree-read":
            name = app.env.docname
        elif event == "html-page-context":
            name = args[0]
        else:
            name = None
        if wanted is None or name == wanted:
            raise Stop

    return event, handler


POINTS = {
    "reading the new issue": stop_when("doctree-read", "issues/0005"),
    "writing the first page": stop_when("html-page-context"),
    "writing the overview": stop_when("html-page-context", "overview"),
    "writing a tag page": stop_when("html-page-context", "tags/nlp"),
    "after the pages": stop_when("build-finished"),
}


def build(srcdir: Path, builddir: Path, stop: tuple | None = None) -> Path:
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=builddir, status=StringIO(), warning=StringIO()
    )
    try:
        if stop is not None:
            event, handler = stop
            # Before our own build-finished work (priority 500): the exports are not written.
            app.connect(event, handler, priority=100)
            with pytest.raises(Stop):
                app.build()
        else:
            app.build()
    finally:
        app.cleanup()
    return Path(app.outdir)


#: Sphinx's own files that differ between any incremental and a clean build: .buildinfo
#: records the build; Sphinx's search index keeps a removed page's words with no page
#: (the book searches with its own index; this root with Sphinx's, for speed).
SPHINX_OWN = frozenset({".buildinfo", "searchindex.js"})


def outputs(outdir: Path) -> dict[str, bytes]:
    """Every file of the site."""
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and path.name not in SPHINX_OWN
    }


@pytest.mark.parametrize("point", sorted(POINTS))
def test_a_stopped_build_is_finished_by_the_next(tmp_path, point):
    srcdir = tmp_path / "book"
    shutil.copytree(ROOTS / "test-overview", srcdir)
    before = outputs(build(srcdir, srcdir / "_build"))
    (srcdir / "issues" / "0005.md").write_text(NEW_ISSUE, encoding="utf-8")
    (srcdir / "issues" / "0002.md").unlink()  # a removed page, too
    build(srcdir, srcdir / "_build", stop=POINTS[point])
    finished = outputs(build(srcdir, srcdir / "_build"))
    clean = outputs(build(srcdir, srcdir / "_clean"))
    assert finished.keys() == clean.keys()
    differing = [name for name in clean if finished[name] != clean[name]]
    assert differing == []
    assert b"0002.html" not in finished["sitemap.xml"]
    # The overview and the issue lists show the new issue: pages whose sources did not change.
    assert finished["overview.html"] != before["overview.html"]
    assert finished["years/2021.html"] != before["years/2021.html"]
