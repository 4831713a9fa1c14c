"""A BOM is accepted everywhere; a page that is not UTF-8 is named by the build and check."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import ROOTS, build_srcdir, soup_of
from newsarchive.commands.editor.check import check_paths


def test_a_page_with_a_bom_is_an_issue_like_any_other(tmp_path):
    srcdir = tmp_path / "book"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    page = srcdir / "issues" / "0002.md"
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes().replace(b"\n", b"\r\n"))
    app = build_srcdir(srcdir)
    assert "front matter" not in app._warning.getvalue()
    html = soup_of(app.outdir / "issues" / "0002.html")
    assert html.select_one(".wkn-prev").get_text() == "← 前の号 #1"
    assert html.select_one(".wkn-next").get_text() == "次の号 #3 →"
    home = soup_of(app.outdir / "index.html").select(".wkn-issues a")
    assert "Test News #2" in [a.get_text() for a in home]
    assert soup_of(app.outdir / "issues" / "0001.html").select_one(".wkn-next")
    assert check_paths([srcdir / "issues"], None) == []


def test_a_page_that_is_not_utf8_is_named_with_its_line(tmp_path):
    srcdir = tmp_path / "book"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    page = srcdir / "issues" / "0002.md"
    text = page.read_text(encoding="utf-8").replace("# Test News #2", "# Test News #2 日本語")
    page.write_bytes(text.encode("shift_jis"))
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(srcdir), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    message = "not UTF-8 (byte 0x93 on this line); save the file as UTF-8"
    assert f"{page}:6: WARNING: {message}; the page is left out of the book" in done.stderr
    assert "Traceback" not in done.stderr and "UnicodeDecodeError" not in done.stderr
    # The rest of the book is built; previous / next skip the page.
    assert done.returncode == 0
    assert not (tmp_path / "out" / "issues" / "0002.html").exists()
    next_link = soup_of(tmp_path / "out" / "issues" / "0001.html").select_one(".wkn-next")
    assert next_link.get_text() == "次の号 #3 →"
    (problem,) = check_paths([page], None)
    assert str(problem) == f"{page}:6: {message}"
