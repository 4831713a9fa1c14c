"""The real archive, built once per session exactly as ``make html`` builds it."""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import REPO
from newsarchive.core.frontmatter import read_front_matter
from newsarchive.core.urls import strip_tracking

REVUE_18 = REPO / "issues/revue/2020-04-17_Weekly Kaggle News #18.md"


def _text(element) -> str:
    return " ".join(element.get_text().split())


def test_book_builds_without_warnings(real_book):
    assert real_book.returncode == 0, real_book.log[-5000:]
    assert "WARNING" not in real_book.log


def test_issue_18_has_the_cards_of_its_revue_original(real_book):
    raw = BeautifulSoup(REVUE_18.read_text(encoding="utf-8").split("\n", 2)[2], "html.parser")
    titles = [_text(strong.find("a")) for strong in raw.find_all("strong", style=True)]
    targets = [
        strip_tracking(strong.find("a")["href"]) for strong in raw.find_all("strong", style=True)
    ]
    commentaries = [
        _text(inner)
        for outer in raw.find_all("p", recursive=False)
        for inner in outer.find_all("p", recursive=False)
    ]
    assert len(titles) == 5 and len(commentaries) == 5

    page = real_book.page("issues/0018.html")
    cards = page.select("article.wkn-card")
    assert [_text(c.select_one(".wkn-card-title a")) for c in cards] == titles
    assert [_text(c.select_one(".wkn-card-body")) for c in cards] == commentaries
    hrefs = [c.select_one(".wkn-card-title a")["href"] for c in cards]
    # Same target as Revue's link, parameters possibly in the original order.
    assert [sorted(h.split("?")[-1].split("&")) for h in hrefs] == [
        sorted(t.split("?")[-1].split("&")) for t in targets
    ]
    assert [h.split("?")[0] for h in hrefs] == [t.split("?")[0] for t in targets]


def test_home_leads_to_the_newsletter_on_substack_and_says_where_issues_came_from(real_book):
    home = real_book.page("index.html")
    subscribe = home.find("a", href="https://weeklykagglenews.substack.com/subscribe")
    assert subscribe is not None and subscribe.get_text() == "購読する"
    assert subscribe.parent.get_text(strip=True) == "最新号は Substack で配信中。購読する"
    runs = [run.get_text() for run in home.select(".wkn-issue-list .wkn-sources .wkn-source-run")]
    sources = {
        int(path.stem): str((read_front_matter(path) or {}).get("source", ""))
        for path in (REPO / "issues").glob("[0-9]*.md")
    }
    substack = sorted(n for n, url in sources.items() if ".substack.com/" in url)
    revue = sorted(n for n, url in sources.items() if "getrevue.co/" in url)
    assert revue[0] == 1 and (not substack or revue[-1] < substack[0])
    expected = [f"Revue（#1–#{revue[-1]}）"]
    if substack:
        expected.append(f"Substack（#{substack[0]}–#{substack[-1]}）")
    assert runs == expected
    year = real_book.page("docs/years/2020.html")
    assert year.select_one(".wkn-sources").get_text().startswith("配信元: Revue（#")


def test_home_lists_issue_18(real_book):
    home = real_book.page("index.html")
    links = {a.get_text(): a["href"] for a in home.select(".wkn-issues a")}
    assert links["Weekly Kaggle News #18"] == "issues/0018.html"
    assert home.find("html")["lang"] == "ja"
