"""Link checking with Sphinx's linkcheck builder against a server on 127.0.0.1: live, dead,
redirected and by-hand links, the report by card, and ``--mark-dead``."""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, soup_of
from newsarchive.commands import linkreport
from newsarchive.commands.cli import main
from newsarchive.core.sources import issue_files, read_page
from newsarchive.core.urls import is_http_url
from sphinx.testing.util import SphinxTestApp

ROUTES = {"/ok": 200, "/intro": 200, "/old": 301}


class Site(http.server.BaseHTTPRequestHandler):
    def answer(self, body: bool) -> None:
        code = ROUTES.get(self.path, 404)
        self.send_response(code)
        if code == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def copy_root(target: Path, port: int) -> Path:
    shutil.copytree(ROOTS / "test-linkcheck", target)
    for page in target.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        text = text.replace("@BASE@", f"http://127.0.0.1:{port}").replace("@PORT@", str(port))
        page.write_text(text, encoding="utf-8")
    return target


def build(srcdir: Path, buildername: str) -> SphinxTestApp:
    app = SphinxTestApp(buildername, srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return app


@pytest.fixture(scope="module")
def checked(tmp_path_factory, site):
    srcdir = copy_root(tmp_path_factory.mktemp("linkcheck") / "root", site)
    return build(srcdir, "linkcheck")


def entries(app) -> dict[str, dict]:
    rows = (app.outdir / "output.json").read_text(encoding="utf-8").splitlines()
    return {entry["uri"]: entry for entry in map(json.loads, rows)}


def test_linkcheck_sees_every_card_and_intro_link(checked, site):
    base = f"http://127.0.0.1:{site}"
    found = entries(checked)
    expected = {f"{base}/{path}" for path in ("ok", "gone", "old", "intro", "intro-gone")}
    assert expected | {f"http://localhost:{site}/blocked"} <= set(found)
    # The dead-marked card's original URL is not linked, so not checked; archives are ignored.
    assert f"{base}/also-gone" not in found
    archived = [entry for uri, entry in found.items() if uri.startswith("https://web.archive.org/")]
    assert archived and all(entry["status"] == "ignored" for entry in archived)
    assert found[f"{base}/gone"]["filename"] == "issues/0001.md"


def test_results_are_classified_live_dead_redirected_and_by_hand(checked, site):
    base = f"http://127.0.0.1:{site}"
    report = linkreport.read_report(checked.outdir)
    verdicts = {result.url: (result.verdict, result.reason) for result in report.results}
    assert verdicts == {
        f"{base}/ok": ("live", ""),
        f"{base}/intro": ("live", ""),
        f"{base}/gone": ("dead", "404 Not Found"),
        f"{base}/intro-gone": ("dead", "404 Not Found"),
        f"{base}/old": ("redirected", f"301 to {base}/ok"),
        f"http://localhost:{site}/blocked": (
            "check by hand",
            "not requested: localhost refuses automated checks",
        ),
    }
    assert [(card.file, card.issue) for card in report.cards[f"{base}/ok"]] == [
        ("issues/0001.md", 1),
        ("issues/0002.md", 2),
    ]


def test_report_lists_dead_links_by_issue_and_card(checked, site, capsys):
    base = f"http://127.0.0.1:{site}"
    assert main(["linkreport", "--outdir", str(checked.outdir), "--redirects"]) == 1
    output = capsys.readouterr().out.splitlines()
    assert output[0] == "dead: 2 links, on 1 cards"
    assert (
        f"  issues/0001.md:19: #1 link-2 'A page that is gone': {base}/gone (404 Not Found)"
        in output
    )
    assert any(line.endswith(f"{base}/intro-gone (404 Not Found; not a card)") for line in output)
    assert "check by hand: 1 links" in output
    assert f"  issues/0001.md:26: #1 link-3 'A page that moved': {base}/old -> {base}/ok" in output
    assert output[-1] == "live: 2 links; ignored: 0"


def test_mark_dead_marks_exactly_the_dead_card(tmp_path, checked, site, capsys):
    srcdir = shutil.copytree(checked.srcdir, tmp_path / "root")
    outdir = shutil.copytree(checked.outdir, tmp_path / "linkcheck")
    before = {p.name: p.read_text(encoding="utf-8") for p in (srcdir / "issues").iterdir()}
    args = ["linkreport", "--outdir", str(outdir), "--srcdir", str(srcdir), "--mark-dead"]
    assert main(args) == 0
    assert "issues/0001.md:19: marked dead" in capsys.readouterr().out
    after = {p.name: p.read_text(encoding="utf-8") for p in (srcdir / "issues").iterdir()}
    assert after["0002.md"] == before["0002.md"]
    old, new = before["0001.md"].splitlines(), after["0001.md"].splitlines()
    assert new == [*old[:21], ":status: dead", *old[21:]]
    assert old[18:21] == [
        f":::{{link}} http://127.0.0.1:{site}/gone",
        ':title: "A page that is gone"',
        ":site: gone.example.com",
    ]
    # Marking again changes nothing; the book now leads to the archived copy.
    assert main(args) == 0
    assert "already marked dead" in capsys.readouterr().out
    html = build(srcdir, "html")
    title = soup_of(html.outdir / "issues/0001.html").select_one("#link-2 .wkn-card-title a")
    assert title["href"] == f"https://web.archive.org/web/20230106/http://127.0.0.1:{site}/gone"


def test_a_missing_report_says_what_to_run(tmp_path, capsys):
    assert main(["linkreport", "--outdir", str(tmp_path)]) == 2
    assert "run 'make linkcheck' first" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("entry", "verdict"),
    [
        ({"status": "broken", "info": "403 Client Error: Forbidden for url: x"}, "check by hand"),
        ({"status": "broken", "info": "429 Client Error: Too Many Requests"}, "check by hand"),
        ({"status": "broken", "info": "500 Server Error: Internal"}, "check by hand"),
        ({"status": "broken", "info": "410 Client Error: Gone for url: x"}, "dead"),
        ({"status": "broken", "info": "NameResolutionError: Failed to resolve"}, "dead"),
        ({"status": "broken", "info": "Connection reset by peer"}, "check by hand"),
        ({"status": "timeout", "info": "Read timed out"}, "check by hand"),
        ({"status": "ignored", "info": "service unavailable"}, "check by hand"),
        ({"status": "unchecked", "info": ""}, None),
    ],
)
def test_answers_that_may_mean_a_robot_was_refused_are_not_dead(entry, verdict):
    found = linkreport.classify({"uri": "https://example.com/a", **entry}, ())
    assert (found[0] if found else None) == verdict


def test_by_hand_sites_are_never_dead():
    entry = {"uri": "https://www.kaggle.com/c/x", "status": "broken", "info": "404 Client Error"}
    assert linkreport.classify(entry, linkreport.BY_HAND_HOSTS)[0] == "check by hand"
    assert linkreport.host_matches("https://notkaggle.com/", ["kaggle.com"]) is None


@pytest.mark.book
def test_the_linkcheck_builder_sees_every_link_of_the_archive(tmp_path):
    """The real book, every link ignored (no network): each card URL and each link of an
    intro or a commentary, read from the pages without Sphinx, is in output.json."""
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "linkcheck", "-c", "docs", "-j", "auto"]
    command += ["-D", "linkcheck_ignore=.*", ".", str(tmp_path)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = {json.loads(row)["uri"] for row in (tmp_path / "output.json").open(encoding="utf-8")}
    cards, links = set(), set()
    for path in issue_files(REPO / "issues"):
        page = read_page(path)
        cards |= {c.url for c in page.cards if c.options.get("status", "").strip() != "dead"}
        links |= {note.message for note in page.links if is_http_url(note.message)}
    assert len(cards) > 1000
    assert cards - seen == set()
    assert links - seen == set()
    recorded = json.loads((tmp_path / "cards.json").read_text(encoding="utf-8"))["cards"]
    assert {card["url"] for card in recorded} >= cards
