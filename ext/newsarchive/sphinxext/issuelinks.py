"""Links between issues stay inside the book.

A link to an issue of the newsletter by its original address (its Revue URL, its Substack
URL) points to our page of that issue. An address is matched by each issue's ``source``
(host and path; scheme, ``www.``, query, fragment and a final slash aside); else, on the
hosts where the issues were published (the issues' sources' and the newsletter's Substack
hosts, ``newsarchive_substack_hosts``), by the Substack imports' table of posts
(``issues/substack/posts.json``: any slug, one without a number included, re-posts of
Revue-era issues too) or by the number in the slug: Revue's
``…/issues/weekly-kaggle-news-18-239563``, Substack's ``…/p/weekly-kaggle-news-160``,
``…/p/weekly-kaggle-news-issue-150-22-10-28``, ``…/p/weekly-kaggle-issue-40-20-09-18``. The
link to the original on the issue's own page (``原文``) is left as it is.

Done at ``doctree-resolved`` for HTML builders; pages whose links would now resolve
differently (an issue added, a source changed) are written again on incremental builds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from docutils import nodes

from newsarchive.core.substack_posts import POSTS_TABLE, PostsTableError, load_posts
from newsarchive.sphinxext.diagnostics import Subtype, warn
from newsarchive.sphinxext.domain import IssueRecord, news_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The slug of an issue where it was published: Revue's ``…-18-239563`` (with its id),
#: Substack's ``…-160``, ``…-news-issue-150-22-10-28`` and ``…-issue-40-20-09-18`` (with the
#: date, late 2022 and #40). #40 on Revue says "Weekly Kaggle Issue".
_ISSUE_SLUG = re.compile(
    r"/(?:profile/[^/]+/issues|p)/weekly-kaggle-(?:news-issue|news|issue)-(\d{1,5})(?:-\d+)*$"
)
#: A Substack post's path: ``/p/<slug>``.
_POST_PATH = re.compile(r"/p/([^/]+)$")
_REVUE_PROFILE = re.compile(r"(getrevue\.co/profile/[^/]+)/issues/")
#: The link to the original on an issue's page: never redirected to the page itself.
SOURCE_CLASS = "wkn-source"


def address_key(url: str) -> str:
    """What two addresses of the same page share: host without ``www.``, path without
    the final slash ('' for anything but http(s))."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    # Substack's app links: open.substack.com/pub/<name>/p/<slug> is <name>.substack.com/p/<slug>
    if host == "open.substack.com" and (match := re.match(r"/pub/([\w-]+)(/p/.*)", path)):
        host, path = f"{match[1].lower()}.substack.com", match[2]
    return host + path


def issue_number_in(key: str) -> int | None:
    """The issue number in an address key's slug, if it has the newsletter's shape."""
    match = _ISSUE_SLUG.search(key)
    return int(match[1]) if match else None


class IssueAddresses:
    """Every issue's original addresses, and the hosts they were published on.

    The newsletter's Revue profile (``getrevue.co/profile/<name>``, gone with Revue) is
    the archive's home page, ``home``. ``posts`` is the Substack posts' table (slug ->
    issue number), ``hosts`` the newsletter's Substack hosts besides the issues' own.
    """

    def __init__(
        self,
        issues: list[IssueRecord],
        home: str | None = None,
        *,
        posts: dict[str, int] | None = None,
        hosts: Iterable[str] = (),
    ) -> None:
        self.by_key: dict[str, str] = {}
        self.by_number: dict[int, str] = {}
        self.posts = posts or {}
        self.hosts: set[str] = {host.lower().removeprefix("www.") for host in hosts}
        for record in issues:
            self.by_number.setdefault(record.number, record.docname)
            key = address_key(record.source)
            if key:
                self.by_key.setdefault(key, record.docname)
                self.hosts.add(key.split("/", 1)[0])
                profile = _REVUE_PROFILE.match(key)
                if profile and home is not None:
                    self.by_key.setdefault(profile[1], home)

    def docname_for(self, url: str) -> str | None:
        """Our page of the issue at ``url``, or None when ``url`` is not an issue."""
        key = address_key(url)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        host, _, path = key.partition("/")
        if host not in self.hosts:
            return None
        post = _POST_PATH.fullmatch(f"/{path}")
        number = self.posts.get(post[1]) if post else None
        if number is None:
            number = issue_number_in(key)
        return None if number is None else self.by_number.get(number)


def _links(doctree: nodes.Node) -> list[nodes.reference]:
    return [
        node
        for node in doctree.findall(nodes.reference)
        if node.get("refuri") and SOURCE_CLASS not in node["classes"]
    ]


def _candidates(env: BuildEnvironment) -> dict[str, list[str]]:
    """docname -> the addresses on it that may be issues (kept for incremental builds;
    cleared and merged per document by the domain)."""
    found: dict[str, list[str]] = news_domain(env).data["issue_links"]
    return found


def note_issue_links(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: the addresses on this page that look like an issue's."""
    keys = sorted(
        {
            key
            for node in _links(doctree)
            if (key := address_key(node["refuri"]))
            and (issue_number_in(key) is not None or "/p/" in key or "/profile/" in key)
        }
    )
    candidates = _candidates(app.env)
    candidates.pop(app.env.docname, None)
    if keys:
        candidates[app.env.docname] = keys


def load_posts_table(app: Sphinx) -> None:
    """builder-inited: the Substack posts' table, read once; an unreadable one is a
    warning and no link is matched by it."""
    path = Path(app.srcdir, app.config.newsarchive_issue_dir, POSTS_TABLE)
    try:
        posts = load_posts(path)
    except PostsTableError as error:
        warn(f"{error}; links to Substack posts are matched by their slug's number only",
             Subtype.SUBSTACK)  # fmt: skip
        posts = {}
    news_domain(app.env).run.computed["substack_posts"] = posts


def issue_addresses(env: BuildEnvironment) -> IssueAddresses:
    domain = news_domain(env)
    return IssueAddresses(
        domain.issues(),
        env.config.root_doc,
        posts=domain.run.computed.get("substack_posts", {}),
        hosts=env.config.newsarchive_substack_hosts,
    )


def updated_issue_links(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: pages whose issue links now point elsewhere (or nowhere)."""
    addresses = issue_addresses(env)
    stored: dict[str, str] = (
        news_domain(env).data["remembered"].setdefault("issue_link_targets", {})
    )
    changed = []
    candidates = _candidates(env)
    for docname in sorted(candidates):
        targets = [(key, addresses.docname_for(f"https://{key}")) for key in candidates[docname]]
        digest = hashlib.sha1(repr(targets).encode()).hexdigest()
        if stored.get(docname) != digest:
            if docname in stored:
                changed.append(docname)
            stored[docname] = digest
    for docname in set(stored) - set(candidates):
        del stored[docname]
    return [docname for docname in changed if docname in env.found_docs]


def resolve_issue_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: each link to an issue's original points to our page of it (and
    the Revue profile to the archive's home)."""
    if app.builder.format != "html":
        return
    addresses = issue_addresses(app.env)
    for node in _links(doctree):
        target = addresses.docname_for(node["refuri"])
        if target is None:
            continue
        node["refuri"] = app.builder.get_relative_uri(docname, target)
        node["classes"] = [c for c in node["classes"] if c != "external"] + ["internal"]


def setup_issue_links(app: Sphinx) -> None:
    app.connect("builder-inited", load_posts_table)
    app.connect("doctree-read", note_issue_links)
    app.connect("env-get-updated", updated_issue_links)
    app.connect("doctree-resolved", resolve_issue_links)
