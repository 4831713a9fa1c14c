"""``newsarchive import-feed`` when the server gives no feed: Cloudflare's bot check, an
HTML page, 429, 5xx; against a server on 127.0.0.1 that answers like Substack behind
Cloudflare (``substack_like.py``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOTS
from newsarchive.commands.cli import main
from newsarchive.commands.httpclient import FetchError, bot_check, get
from newsarchive.commands.substack import feed
from newsarchive.commands.substack.api import publication_of
from substack_like import CHALLENGE, Publication, post, serve_publication
from test_substack_import import EXPORT

REPOSITORY = Path(__file__).resolve().parents[1]
WORKFLOW = REPOSITORY / ".github" / "workflows" / "substack-sync.yml"
CLOUDFLARE = 'Cloudflare\'s "Just a moment..." challenge'


@pytest.fixture
def publication():
    yield from serve_publication()


def test_an_error_answer_keeps_its_headers_and_body(publication: Publication):
    with pytest.raises(FetchError) as caught:
        get(f"{publication.base}/feed", purpose="test", accept="*/*", timeout=5, max_bytes=10**6)
    assert caught.value.status == 403
    assert caught.value.headers["cf-mitigated"] == "challenge"
    assert caught.value.body == CHALLENGE  # gzipped on the wire, decoded here


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"cf-mitigated": "challenge"}, b"Forbidden"),
        ({"CF-Mitigated": " Challenge "}, b""),
        ({}, b"<script src='/cdn-cgi/challenge-platform/h/g/orchestrate/v1'></script>"),
        ({}, b"<html><head><title>Just a moment...</title></head></html>"),
        ({}, CHALLENGE),
    ],
)
def test_each_sign_of_a_bot_check_is_enough(headers, body):
    assert bot_check(headers, body) == CLOUDFLARE


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"cf-mitigated": "block"}, b"<title>Access denied</title>"),
        ({}, b"<title>Just a moment</title><p>Please wait"),
        ({}, b"<a href='/cdn-cgi/l/email-protection'>mail</a>"),
    ],
)
def test_other_refusals_are_no_bot_check(headers, body):
    assert bot_check(headers, body) is None


@pytest.mark.parametrize(
    ("mode", "message", "is_bot_check"),
    [
        (
            "challenge",
            f"answered HTTP 403 Forbidden with a bot check ({CLOUDFLARE}), not the feed",
            True,
        ),
        ("html", "answered HTTP 200 with an HTML page, not the feed", False),
        ("429", "HTTP 429 Too Many Requests", False),
        ("503", "HTTP 503 Service Unavailable", False),
    ],
)
def test_what_the_server_sent_instead_of_the_feed_is_named(
    publication: Publication, mode, message, is_bot_check
):
    publication.feed = mode
    with pytest.raises(feed.Refused) as caught:
        feed.fetch(f"{publication.base}/feed")
    assert str(caught.value) == message
    assert caught.value.bot_check is is_bot_check


def test_an_html_error_page_is_named_as_a_page(publication: Publication):
    with pytest.raises(feed.Refused) as caught:
        feed.fetch(f"{publication.base}/nowhere")
    assert str(caught.value) == "answered HTTP 404 Not Found with an HTML page, not the feed"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    return root


def import_feed(archive: Path, source: str, *args: str) -> int:
    return main(
        [
            "import-feed",
            source,
            "--out",
            str(archive / "issues"),
            "--years-dir",
            str(archive / "years"),
            "--no-tags",
            *args,
        ]
    )


def files(archive: Path) -> dict[str, bytes]:
    return {str(p.relative_to(archive)): p.read_bytes() for p in archive.rglob("*") if p.is_file()}


def test_a_bot_check_is_named_with_what_to_do(archive, publication: Publication, capsys):
    """A feed that is not at Substack's address: no second route, the bot check said."""
    before = files(archive)
    url = f"{publication.base}/feed.xml"
    assert import_feed(archive, url) == feed.EXIT_REFUSED
    err = capsys.readouterr().err
    assert (
        f"{url}: answered HTTP 403 Forbidden with a bot check ({CLOUDFLARE}), not the feed. "
        "A bot check is a page for browsers, which a command cannot pass: try again later, "
        "import the publication's export instead (newsarchive import-substack EXPORT), or "
        "read its archive API"
    ) in err
    assert "Traceback" not in err
    assert files(archive) == before
    assert [path for path in publication.asked] == ["/feed.xml"]


# -- the second route: the archive API -------------------------------------------------------
def import_export(archive: Path) -> int:
    return main(
        [
            "import-substack",
            str(EXPORT),
            "--out",
            str(archive / "issues"),
            "--years-dir",
            str(archive / "years"),
            "--no-tags",
        ]
    )


def reposts() -> list[dict]:
    """Substack's re-posts of the Revue era: issues the archive has (test-basic: #1–#3)."""
    return [
        post(
            n,
            post_id=90_000 + n,
            date=f"2020-0{n}-01T00:00:00.000Z",
            title=f"Weekly Kaggle News #{n}",
        )
        for n in (3, 2, 1)
    ]


def test_a_refused_feed_is_read_through_the_archive_api(
    tmp_path, archive, publication: Publication, capsys
):
    """Feed refused by Cloudflare → the archive API → the export's pages, byte for byte."""
    by_export = tmp_path / "by-export"
    shutil.copytree(ROOTS / "test-basic", by_export)
    export_status = import_export(by_export)
    capsys.readouterr()
    publication.posts += reposts()
    # Put on the web in the evening of the 26th in Tokyo, e-mailed the next morning: the
    # send date is the page's date, as the export's.
    (latest,) = [p for p in publication.posts if p["slug"] == "weekly-kaggle-news-163"]
    latest["post_date"] = "2023-01-26T14:00:00.000Z"
    url = f"{publication.base}/feed"
    assert import_feed(archive, url) == export_status  # the poll kept as text, both ways
    captured = capsys.readouterr()
    assert (
        f"{url}: answered HTTP 403 Forbidden with a bot check ({CLOUDFLARE}), not the feed; "
        f"reading the archive API at {publication.base}/api/v1/archive instead"
    ) in captured.err
    by_api, by_export_files = files(archive), files(by_export)
    # The same pages; the API's list also gives the re-posts' addresses (the export's
    # fixture has none).
    table = "issues/substack/posts.json"
    api_posts = json.loads(by_api.pop(table))["posts"]
    export_posts = json.loads(by_export_files.pop(table))["posts"]
    assert by_api == by_export_files
    assert api_posts == export_posts | {f"weekly-kaggle-news-{n}": n for n in (1, 2, 3)}
    assert "issues: 3 written, 0 unchanged, 0 skipped" in captured.out
    assert "posts: 0 already in the archive (left alone), 1 without an issue number" in (
        captured.out
    )
    assert "3 re-posts of issues already in the book (#1–#3) left as they are" in captured.out
    assert "2 not newsletter posts" in captured.out  # the podcast and the page
    assert "no issue number in the title '年始の特別号'; skipped (--number " in captured.err
    assert "101006.year-end-special=N imports it as issue N)" in captured.err
    # Only the new issues' posts were downloaded, once each.
    read = [path for path in publication.asked if path.startswith("/api/v1/posts/")]
    assert read == [f"/api/v1/posts/weekly-kaggle-news-{n}" for n in (163, 161, 160)]
    # Again: one call to the list (no new issue on it), nothing written.
    publication.asked.clear()
    before = files(archive)
    assert import_feed(archive, url) == 0
    assert files(archive) == before
    assert publication.asked == ["/feed", "/api/v1/archive?sort=new&offset=0&limit=25"]
    out = capsys.readouterr().out
    assert "issues: 0 written" in out and "posts: 3 already in the archive" in out
    assert "3 re-posts of issues already in the book (#1–#3) left as they are" in out


def test_the_list_is_paged_until_a_page_has_no_new_issue(archive, publication: Publication, capsys):
    publication.posts += reposts() + [
        post(n, post_id=80_000 + n, date="2019-01-01T00:00:00.000Z") for n in (90, 80, 70)
    ]
    publication.page_cap = 2  # Substack may give fewer than asked: paged by what came
    assert import_feed(archive, f"{publication.base}/feed") == 1
    # 163 podcast | year-end 161 | 160 page | #3 #2: no new issue, so #90–#70 never read
    assert publication.offsets() == [0, 2, 4, 6]
    assert not (archive / "issues" / "0090.md").exists()
    assert (archive / "issues" / "0160.md").exists()
    capsys.readouterr()
    # A new issue on top: read up to the first page without a new one.
    publication.posts.insert(0, post(165, post_id=101_010, date="2023-02-09T22:00:05.000Z"))
    publication.asked.clear()
    assert import_feed(archive, f"{publication.base}/feed") == 0
    assert publication.offsets() == [0, 2]
    assert [p for p in publication.asked if "/posts/" in p] == [
        "/api/v1/posts/weekly-kaggle-news-165"
    ]
    page = (archive / "issues" / "0165.md").read_text("utf-8")
    assert page.startswith(
        "---\nissue: 165\ndate: 2023-02-10\n"
        'title: "Weekly Kaggle News #165"\n'
        "source: https://weeklykagglenews.substack.com/p/weekly-kaggle-news-165\n"
        "follows: 163\n---\n"
    )
    assert ":::{link} https://www.kaggle.com/competitions/c165\n" in page


def test_the_list_is_read_a_bounded_number_of_times(archive, publication: Publication, capsys):
    publication.archive, publication.page_cap = "endless", 2
    assert import_feed(archive, f"{publication.base}/feed", "--api-pages", "3") == 0
    assert publication.offsets() == [0, 2, 4]
    assert (
        f"{publication.base}/api/v1/archive: stopped after 3 pages (6 posts; --api-pages "
        "reads more); older posts not read"
    ) in capsys.readouterr().err
    assert sorted(p.name for p in (archive / "issues").glob("[45]*.md")) == [
        "4995.md",
        "4996.md",
        "4997.md",
        "4998.md",
        "4999.md",
        "5000.md",
    ]
    # A server that ignores the offset gives the same page again: the reading stops there.
    publication.archive = "same-page"
    publication.asked.clear()
    import_feed(archive, f"{publication.base}/feed")
    assert publication.offsets() == [0, 2]


def test_podcasts_threads_and_paid_posts_are_said_not_imported(
    archive, publication: Publication, capsys
):
    publication.posts = [
        post(170, post_id=1, date="2023-03-03T00:00:00Z", audience="only_paid"),
        post(169, post_id=2, date="2023-03-02T00:00:00Z", type="thread"),
        post(168, post_id=3, date="2023-03-01T00:00:00Z", type="podcast"),
        post(167, post_id=4, date="2023-02-28T00:00:00Z", body_html=None),
        post(166, post_id=5, date="2023-02-27T00:00:00Z"),
    ]
    assert import_feed(archive, f"{publication.base}/feed") == 1
    captured = capsys.readouterr()
    assert (
        "/api/v1/archive?sort=new&offset=0&limit=25: post 1: weekly-kaggle-news-170: paid-only "
        "(audience only_paid); not imported: its text is not public"
    ) in captured.err
    assert (
        f"{publication.base}/api/v1/posts/weekly-kaggle-news-167: no body_html; not imported"
    ) in captured.err
    assert "2 not newsletter posts, 1 paid-only (not public)" in captured.out
    assert (
        "issues: 1 written, 0 unchanged, 0 skipped (edited by hand), 0 kept (would lose "
        "content), 1 not imported" in captured.out
    )
    assert sorted(p.name for p in (archive / "issues").glob("01*.md")) == ["0166.md"]
    assert [p for p in publication.asked if "/posts/" in p] == [
        "/api/v1/posts/weekly-kaggle-news-167",
        "/api/v1/posts/weekly-kaggle-news-166",
    ]


@pytest.mark.parametrize("refusal", ["html", "429", "503"])
def test_every_kind_of_refused_feed_turns_to_the_api(
    archive, publication: Publication, capsys, refusal
):
    publication.feed = refusal
    import_feed(archive, f"{publication.base}/feed")
    assert "reading the archive API" in capsys.readouterr().err
    assert (archive / "issues" / "0163.md").exists()


def test_a_feed_that_answers_is_read_not_the_api(archive, publication: Publication, capsys):
    publication.feed = "feed"
    assert import_feed(archive, f"{publication.base}/feed") == 0
    assert publication.asked == ["/feed"]
    assert (archive / "issues" / "0165.md").exists()


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("challenge", f"answered HTTP 403 Forbidden with a bot check ({CLOUDFLARE}), not JSON"),
        ("absent", "answered HTTP 404 Not Found with an HTML page, not JSON"),
        ("malformed", "answered what is not JSON (Expecting value: line 1 column 20 (char 19))"),
        ("not-a-list", "answered JSON that is not Substack's list of posts"),
        (
            "no-fields",
            "answered no post that can be read (post 1: no slug, no post_date; not imported)",
        ),
    ],
)
def test_both_routes_refused(archive, publication: Publication, capsys, mode, message):
    publication.archive = mode
    before = files(archive)
    url = f"{publication.base}/feed"
    assert import_feed(archive, url) == feed.EXIT_REFUSED
    err = capsys.readouterr().err
    listing = f"{publication.base}/api/v1/archive?sort=new&offset=0&limit=25"
    assert (
        f"{url}: answered HTTP 403 Forbidden with a bot check ({CLOUDFLARE}), not the feed; "
        f"the archive API refused too: {listing}: {message}. Try again later, or import the "
        "publication's export instead (newsarchive import-substack EXPORT).\n"
    ) in err
    assert "Traceback" not in err
    assert files(archive) == before


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("challenge", f"answered HTTP 403 Forbidden with a bot check ({CLOUDFLARE}), not JSON"),
        ("malformed", "answered what is not JSON (Expecting property name enclosed in double"),
    ],
)
def test_a_post_that_cannot_be_read_is_named(
    archive, publication: Publication, capsys, mode, message
):
    publication.post = mode
    assert import_feed(archive, f"{publication.base}/feed") == 1
    err = capsys.readouterr().err
    assert f"{publication.base}/api/v1/posts/weekly-kaggle-news-160: {message}" in err
    assert "Traceback" not in err
    assert not list((archive / "issues").glob("01*.md"))


def test_no_api_keeps_to_the_feed(archive, publication: Publication, capsys):
    assert import_feed(archive, f"{publication.base}/feed", "--no-api") == feed.EXIT_REFUSED
    assert publication.asked == ["/feed"]
    assert "A bot check is a page for browsers" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "publication_address"),
    [
        ("https://weeklykagglenews.substack.com/feed", "https://weeklykagglenews.substack.com"),
        ("https://news.example.org/feed/", "https://news.example.org"),
        ("https://news.example.org/rss", None),
        ("https://news.example.org/feed?format=atom", None),
        ("ftp://news.example.org/feed", None),
    ],
)
def test_which_feeds_have_an_archive_api(url, publication_address):
    assert publication_of(url) == publication_address


# -- the weekly workflow ----------------------------------------------------------------------
def steps() -> dict[str, dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    return {
        step.get("id") or step.get("name", ""): step for step in workflow["jobs"]["sync"]["steps"]
    }


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """What the workflow's job has: the archive, the project's .venv and scripts."""
    root = tmp_path / "checkout"
    shutil.copytree(ROOTS / "test-basic" / "issues", root / "issues")
    shutil.copytree(ROOTS / "test-basic" / "years", root / "docs" / "years")
    shutil.copy(ROOTS / "test-basic" / "tags.toml", root / "docs" / "tags.toml")
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / ".github").symlink_to(REPOSITORY / ".github")
    return root


def import_step(checkout: Path, feed_url: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """The import step's ``run``, as the workflow runs it; (the run, what it output)."""
    output = checkout.parent / "github-output"
    output.write_text("", "utf-8")
    done = subprocess.run(
        ["bash", "-e", "-c", steps()["import"]["run"]],
        cwd=checkout,
        env={**os.environ, "FEED": feed_url, "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        check=False,
    )
    return done, output.read_text("utf-8")


def test_the_import_step_imports_and_reports(checkout, publication: Publication):
    publication.feed = "feed"
    done, output = import_step(checkout, f"{publication.base}/feed")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (checkout / "issues").glob("01*.md")) == [
        "0163.md",
        "0164.md",
        "0165.md",
    ]
    assert output.startswith("outcome=imported\nreport<<NEWSARCHIVE_REPORT_END\n")
    assert "issues: 3 written" in output and output.endswith("\nNEWSARCHIVE_REPORT_END\n")
    done, output = import_step(checkout, f"{publication.base}/feed")
    assert done.returncode == 0 and output.startswith("outcome=none\n")


def test_the_import_step_reads_the_api_when_the_feed_is_refused(checkout, publication):
    done, output = import_step(checkout, f"{publication.base}/feed")
    assert done.returncode == 0, done.stdout + done.stderr  # import-feed: 1 (the poll)
    assert output.startswith("outcome=imported\n") and "reading the archive API" in output
    assert (checkout / "issues" / "0160.md").exists()


def test_both_routes_refused_is_an_outcome_not_a_failure(checkout, publication: Publication):
    publication.archive = "challenge"
    done, output = import_step(checkout, f"{publication.base}/feed")
    assert done.returncode == 0, done.stdout + done.stderr
    assert output.startswith("outcome=refused\n")
    assert "the archive API refused too" in output
    assert "the archive API refused too" in (checkout / "import.log").read_text("utf-8")
    assert not list((checkout / "issues").glob("01*.md"))


def test_a_feed_that_is_not_one_fails_the_step(checkout, tmp_path):
    page = tmp_path / "page.xml"
    page.write_text("<html><title>x</title></html>", "utf-8")
    done, output = import_step(checkout, str(page))
    assert done.returncode == 1
    assert "not an RSS or Atom feed" in done.stdout and output == ""


def test_the_workflow_opens_one_issue_when_both_routes_are_refused():
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert workflow["permissions"]["issues"] == "write"
    by_name = steps()
    refused = by_name["Say that the feed and the archive API were refused"]
    assert refused["if"] == "steps.import.outputs.outcome == 'refused'"
    assert refused["run"] == ".github/scripts/substack-refused-issue.sh open import.log"
    closing = by_name["Close the issue about refused routes"]
    assert closing["if"] == "steps.import.outputs.outcome != 'refused'"
    pull_request = by_name["Open a pull request with the new issues"]
    assert pull_request["if"] == "steps.import.outputs.outcome == 'imported'"
    script = (REPOSITORY / ".github/scripts/substack-refused-issue.sh").read_text("utf-8")
    title = 'title="Substack sync: the feed and the archive API were refused"'
    assert title in script and 'label="substack-sync"' in script
    done = subprocess.run(
        ["bash", "-n", ".github/scripts/substack-refused-issue.sh"], cwd=REPOSITORY
    )
    assert done.returncode == 0
