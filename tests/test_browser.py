"""The built book in headless Chromium: cards at phone width, dark mode, broken thumbnails.

Every request that is not to the test's own server is aborted, so nothing reaches the
internet and every remote thumbnail fails, as it does when an image host has gone.
Screenshots are kept in tests/_artifacts/ for a human to look at.
"""

from __future__ import annotations

import pytest
from conftest import REPO

ARTIFACTS = REPO / "tests" / "_artifacts"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def book_url(real_book, serve):
    assert real_book.returncode == 0, real_book.log[-3000:]
    return serve(real_book.html)


def open_page(browser, url: str, *, width: int = 1280, dark: bool = False):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light"
    )
    page = context.new_page()
    base = url.split("/", 3)[:3]
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("/".join(base)) else route.abort()
        ),
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page


def test_cards_fit_a_phone_screen(browser, book_url):
    context, page = open_page(browser, f"{book_url}/issues/0018.html", width=390)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390
        boxes = page.eval_on_selector_all(
            "article.wkn-card", "els => els.map(e => e.getBoundingClientRect().right)"
        )
        assert boxes and max(boxes) <= 390
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("#link-1").screenshot(path=str(ARTIFACTS / "card-phone.png"))
    finally:
        context.close()


def test_broken_thumbnails_show_the_fallback_not_a_broken_image(browser, book_url):
    context, page = open_page(browser, f"{book_url}/issues/0018.html")
    try:
        page.wait_for_function(
            "document.querySelectorAll('.wkn-card-thumb img').length === 0", timeout=5000
        )
        fallbacks = page.eval_on_selector_all(
            ".wkn-card-thumb .wkn-thumb-fallback",
            "els => els.map(e => [e.textContent, e.getBoundingClientRect().width > 0])",
        )
        assert len(fallbacks) == 5
        assert all(visible for _, visible in fallbacks)
        assert [text for text, _ in fallbacks] == ["Y", "Y", "A", "T", "B"]
    finally:
        context.close()


def test_dark_mode_changes_the_card_colours(browser, book_url):
    colours = {}
    for dark in (False, True):
        context, page = open_page(browser, f"{book_url}/issues/0018.html", dark=dark)
        try:
            if dark:
                page.evaluate("document.documentElement.dataset.theme = 'dark'")
            card = page.locator("#link-1")
            colours[dark] = card.evaluate(
                "e => [getComputedStyle(e).backgroundColor,"
                " getComputedStyle(e.querySelector('.wkn-card-body')).color]"
            )
            ARTIFACTS.mkdir(exist_ok=True)
            name = "card-dark.png" if dark else "card-light.png"
            card.screenshot(path=str(ARTIFACTS / name))
        finally:
            context.close()
    assert colours[False][0] != colours[True][0]
    assert colours[False][1] != colours[True][1]


FIRST_VISITS = [
    "index.html",
    "issues/0018.html",
    "tags/index.html",
    "tags/llm.html",
    "overview.html",
    "links/index.html",
    "search.html?q=Kaggle",
    "competitions/index.html",
]


@pytest.mark.parametrize("path", FIRST_VISITS)
def test_a_first_visit_logs_no_error(browser, book_url, path):
    """Nothing in the console on a first visit (no stored theme mode), whatever the page.
    Remote thumbnails are aborted by the test itself, so their failed loads are not ours."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(book_url) else route.abort()
        ),
    )
    try:
        page.goto(f"{book_url}/{path}")
        page.wait_for_load_state("networkidle")
        assert errors == []
    finally:
        context.close()
