"""Atom feeds: the newest issues (``feed.xml``) and each tag's newest links.

Entry ids are UUIDs derived from what an entry is (an issue number, a card's issue and
URL), so they never change between builds or hosts. Dates carry the Asia/Tokyo offset.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from feedgen.feed import FeedGenerator

from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.exports import WEB_BUILDERS, write_if_changed

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from newsarchive.sphinxext.domain import CardRecord, IssueRecord

TOKYO = dt.timezone(dt.timedelta(hours=9), "JST")
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "weekly-kaggle-news-archive")
FEED_FILE = "feed.xml"

_content = jinja2.Environment(autoescape=True).from_string(
    "<p>{{ issue.description }}</p>\n<ul>\n{% for card in cards %}"
    '<li><a href="{{ card.url }}">{{ card.title }}</a> — {{ card.site }}</li>\n'
    "{% endfor %}</ul>\n"
)


#: Characters XML 1.0 cannot hold (control characters other than tab and newlines).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def published(issue: IssueRecord) -> dt.datetime:
    """Issues go out on the morning of their date in Tokyo."""
    return dt.datetime.combine(issue.day, dt.time(9, 0), tzinfo=TOKYO)


def entry_id(*parts: object) -> str:
    return uuid.uuid5(ID_NAMESPACE, "/".join(map(str, parts))).urn


def tag_feed_path(app: Sphinx, slug: str) -> str:
    return f"{app.config.newsarchive_tags_dir}/{slug}.xml"


def _base(app: Sphinx) -> str:
    return (app.config.html_baseurl or "").rstrip("/") + "/"


def _new_feed(app: Sphinx, feed_id: str, title: str, path: str, subtitle: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(entry_id(feed_id))
    feed.title(title)
    feed.subtitle(subtitle)
    feed.language(app.config.language or "ja")
    feed.author({"name": app.config.author})
    feed.link(href=_base(app) + path, rel="self", type="application/atom+xml")
    feed.link(href=_base(app), rel="alternate", type="text/html")
    return feed


def issues_feed(app: Sphinx) -> str:
    domain = news_domain(app.env)
    issues = domain.issues()[-app.config.newsarchive_feed_size :]
    feed = _new_feed(app, "issues", app.config.project, FEED_FILE, "最新号 newest issues")
    for issue in issues:  # feedgen puts the last added first
        cards = [card for card in domain.cards_of(issue.docname) if card.url]
        entry = feed.add_entry()
        entry.id(entry_id("issue", issue.number))
        entry.title(xml_text(issue.title))
        entry.link(href=_base(app) + app.builder.get_target_uri(issue.docname))
        entry.published(published(issue))
        entry.updated(published(issue))
        entry.summary(xml_text(issue.description or issue.title))
        entry.content(xml_text(_content.render(issue=issue, cards=cards)), type="html")
    feed.updated(published(issues[-1]) if issues else dt.datetime(2019, 12, 20, tzinfo=TOKYO))
    atom: bytes = feed.atom_str(pretty=True)  # feedgen has no types
    return atom.decode("utf-8")


def tag_feed(
    app: Sphinx, slug: str, label: str, entries: list[tuple[IssueRecord, CardRecord]]
) -> str:
    newest = entries[: app.config.newsarchive_tag_feed_size]
    feed = _new_feed(
        app,
        f"tag/{slug}",
        f"{app.config.project}: {label}",
        tag_feed_path(app, slug),
        f"「{label}」の最新リンク",
    )
    for issue, card in reversed(newest):
        entry = feed.add_entry()
        entry.id(entry_id("card", issue.number, card.anchor, card.url))
        entry.title(xml_text(card.title))
        entry.link(href=card.url)
        entry.published(published(issue))
        entry.updated(published(issue))
        entry.summary(xml_text(card.commentary or card.excerpt or card.title))
    feed.updated(published(newest[0][0]) if newest else dt.datetime(2019, 12, 20, tzinfo=TOKYO))
    atom: bytes = feed.atom_str(pretty=True)  # feedgen has no types
    return atom.decode("utf-8")


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: feed.xml and tags/<slug>.xml (rewritten only when changed)."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    outdir = Path(app.outdir)
    write_if_changed(outdir / FEED_FILE, issues_feed(app))
    vocabulary = news_domain(app.env).run.vocabulary
    if vocabulary is None:
        return
    by_tag: dict[str, list[tuple[IssueRecord, CardRecord]]] = {}
    for issue, card in news_domain(app.env).issue_cards():
        for slug in card.tags:
            by_tag.setdefault(slug, []).append((issue, card))
    for tag in vocabulary.tags.values():
        entries = sorted(by_tag.get(tag.slug, []), key=lambda e: -e[0].number)
        write_if_changed(
            outdir / tag_feed_path(app, tag.slug), tag_feed(app, tag.slug, tag.label_ja, entries)
        )


def feed_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """html-page-context: every page announces the issues feed (tag pages their own)."""
    if app.builder.name not in WEB_BUILDERS:
        return
    from markupsafe import Markup

    links = [(FEED_FILE, f"{app.config.project} (Atom)")]
    tags_dir = app.config.newsarchive_tags_dir
    vocabulary = news_domain(app.env).run.vocabulary
    # A tag's later parts (tags/<slug>/2 …) announce its feed as its first part does.
    slug = pagename.removeprefix(f"{tags_dir}/").split("/")[0]
    if vocabulary and pagename.startswith(f"{tags_dir}/") and slug in vocabulary.tags:
        links.append((tag_feed_path(app, slug), f"{vocabulary.tags[slug].label_ja} (Atom)"))
    tags = "".join(
        Markup('<link rel="alternate" type="application/atom+xml" title="{}" href="{}">\n').format(
            title, context["pathto"](path, 1)
        )
        for path, title in links
    )
    context["metatags"] = context.get("metatags", "") + str(tags)  # Sphinx adds plain str


def setup_feeds(app: Sphinx) -> None:
    app.connect("build-finished", write_feeds)
    app.connect("html-page-context", feed_links)
