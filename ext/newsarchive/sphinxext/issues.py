"""Issue pages: the front matter judged (by the rules ``check`` applies), the issue
recorded in the domain, the date line and the link to the original; which issues belong to
which year. Lists of issues, previous / next and "also in" are in
:mod:`newsarchive.sphinxext.issuenav`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from docutils import nodes

from newsarchive.core.frontmatter import FrontMatter, judge_front_matter
from newsarchive.core.sourcefiles import read_source
from newsarchive.core.sources import claim_order
from newsarchive.core.text import japanese_date
from newsarchive.sphinxext.diagnostics import Subtype, warn
from newsarchive.sphinxext.doctext import intro_text
from newsarchive.sphinxext.domain import IssueRecord, issue_numbers, news_domain
from newsarchive.sphinxext.nodes import issue_pager

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


# -- front matter ------------------------------------------------------------------


def record_issue(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: judge an issue page's front matter (the rules ``check`` applies) and
    store the issue; one without a valid number or date is left out of the archive."""
    env = app.env
    docname = env.docname
    try:
        text = read_source(Path(env.doc2path(docname))).text
    except (OSError, UnicodeDecodeError):
        return  # named by the sources' own check
    matter, findings = judge_front_matter(text)
    if not (docname.startswith(app.config.newsarchive_issue_dir + "/") or "issue" in matter.keys):
        return
    for finding in findings:
        warn(finding.message, Subtype(finding.kind), (docname, finding.line))
    if matter.number is None or matter.date is None:
        return  # an issue without number or date cannot be placed in the archive
    record = IssueRecord(
        docname=docname,
        number=matter.number,
        date=matter.date.isoformat(),
        title=matter.title or _first_title(doctree) or docname,
        source=matter.source,
        description=intro_text(doctree),
    )
    news_domain(env).add_issue(record)
    _decorate(doctree, record)


def _first_title(doctree: nodes.document) -> str:
    for section in doctree.findall(nodes.section):
        title: str = section[0].astext()
        return title
    return ""


def _decorate(doctree: nodes.document, record: IssueRecord) -> None:
    """Put the date and the link to the original under the title; the pager at the end."""
    meta = nodes.paragraph(classes=["wkn-issue-meta"])
    meta += nodes.inline("", f"#{record.number}", classes=["wkn-issue-number"])
    meta += nodes.Text(" · ")
    meta += nodes.inline("", japanese_date(record.day), classes=["wkn-issue-date"])
    if record.source:
        meta += nodes.Text(" · ")
        label = f"原文（{source_platform(record.source)}）"
        meta += nodes.reference("", label, refuri=record.source, classes=["wkn-source"])
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None:
        section.insert(1, meta)
        section += issue_pager()
    else:
        doctree.insert(0, meta)
        doctree += issue_pager()


def source_platform(url: str) -> str:
    """Where the original was published, as the source link names it."""
    host = (urlsplit(url).hostname or "").lower()
    return "Substack" if host == "substack.com" or host.endswith(".substack.com") else "Revue"


def check_issue_numbers(app: Sphinx, env: BuildEnvironment) -> None:
    """env-check-consistency: issue numbers are unique."""
    for number, records in sorted(issue_numbers(news_domain(env).issues()).items()):
        if len(records) < 2:
            continue
        records = sorted(records, key=lambda r: claim_order(number, env.doc2path(r.docname)))
        first = records[0].docname
        for record in records[1:]:
            matter = judged_front_matter(env.doc2path(record.docname))
            line = matter.lines.get("issue", 1) if matter else 1
            warn(
                f"issue number {number} is also used by {first}",
                Subtype.FRONTMATTER,
                (record.docname, line),
            )


# -- which issues belong to which year (read time, for the toctree) ------------------
def issue_years(env: BuildEnvironment, issue_dir: str) -> dict[str, tuple[int, int]]:
    """docname -> (year, number) of every issue page, read from front matter only.

    Year pages need their toctree when they are read, before the other pages are;
    reading just the front matter keeps that cheap.
    """
    years: dict[str, tuple[int, int]] = {}
    for docname in sorted(env.found_docs):
        if not docname.startswith(issue_dir + "/"):
            continue
        matter = judged_front_matter(env.doc2path(docname))
        if matter is not None and matter.date and matter.number:
            years[docname] = (matter.date.year, matter.number)
    return years


@functools.lru_cache(maxsize=4096)
def _judged(path: str, mtime_ns: int) -> FrontMatter | None:
    try:
        text = read_source(Path(path)).text
    except (OSError, UnicodeDecodeError):
        return None
    return judge_front_matter(text)[0]


def judged_front_matter(path: str | Path) -> FrontMatter | None:
    """The page's front matter as the rules accept it (cached per file version)."""
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError:
        return None
    return _judged(str(path), mtime)


def setup_issues(app: Sphinx) -> None:
    app.connect("doctree-read", record_issue)
    app.connect("env-check-consistency", check_issue_numbers)
