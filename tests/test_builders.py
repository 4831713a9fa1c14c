"""Other builders render cards readably, without warnings or crashes."""

from __future__ import annotations

import pytest


def builder(name: str, output: str | None) -> object:
    return pytest.param(
        name, output, marks=pytest.mark.sphinx(name, testroot="basic", srcdir=f"builders-{name}")
    )


@pytest.mark.parametrize(
    ("buildername", "output"),
    [builder("text", "issues/0001.txt"), builder("latex", "python.tex"), builder("epub", None)],
)
def test_builder_renders_cards(app, buildername, output):
    app.build()
    assert app.warning.getvalue() == ""
    if output is None:  # epub: the XHTML page of the issue
        text = (app.outdir / "issues/0001.xhtml").read_text(encoding="utf-8")
    else:
        text = (
            next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
            if buildername == "latex"
            else (app.outdir / output).read_text(encoding="utf-8")
        )
    assert "First article" in text
    assert "Commentary of the" in text
    assert "論文の解説コメント。" in text
    assert "example.com/articles/one" in text
