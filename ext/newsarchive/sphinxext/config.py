"""The extension's configuration: every ``newsarchive_*`` value (set in ``docs/conf.py``) is
declared here, once, with its default and its rule, and checked at ``config-inited``. A
value that breaks its rule is a ``newsarchive.config`` warning and the default is used."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from newsarchive.core.substack_posts import SUBSTACK_HOST
from newsarchive.core.thumbnails import DEFAULT_MANIFEST
from newsarchive.sphinxext.diagnostics import Subtype, warn
from newsarchive.sphinxext.domain import news_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from newsarchive.core.vocabulary import Vocabulary

#: The link finder's old address: it leads to the search page (newsarchive.finder).
FINDER_PAGE = "links/index"
#: The book's search pages: Sphinx's own, or the extension's (search.py; see
#: docs/benchmarks/search.md).
OWN_SEARCH = "newsarchive"
SEARCH_ENGINES = ("sphinx", OWN_SEARCH)
#: Sites that answer automated requests with 403, 429, 999 or a login wall.
BY_HAND_HOSTS = (
    "kaggle.com",
    "medium.com",
    "towardsdatascience.com",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "facebook.com",
    "instagram.com",
    "zenn.dev",
    "qiita.com",
    "speakerdeck.com",
    "note.com",
    "researchgate.net",
    "sciencedirect.com",
)


def _path(value: object) -> str | None:
    """A non-empty path; folders without their slashes at either end."""
    return value if isinstance(value, str) and value.strip("/") else None


def _positive(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _hosts(value: object) -> list[str] | None:
    if isinstance(value, list | tuple) and all(isinstance(host, str) for host in value):
        return [str(host) for host in value]
    return None


def _engine(value: object) -> str | None:
    return value if value in SEARCH_ENGINES else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    rebuild: Literal["env", "html", ""]
    types: frozenset[type]
    accept: Callable[[object], Any]  #: the value as used, or None when it breaks the rule
    rule: str  #: what the warning says the value must be
    description: str
    #: values an older version accepted: value -> (the value that means it now, why)
    former: Mapping[object, tuple[Any, str]] = field(default_factory=dict)


SETTINGS: tuple[Setting, ...] = (
    Setting("newsarchive_issue_dir", "issues", "env", frozenset({str}), _path,
            "a non-empty path", "folder of the issue pages"),
    Setting("newsarchive_years_dir", "docs/years", "env", frozenset({str}), _path,
            "a non-empty path", "folder of the year pages"),
    Setting("newsarchive_tags_file", "docs/tags.toml", "env", frozenset({str}), _path,
            "a non-empty path", "the tag vocabulary"),
    Setting("newsarchive_tags_dir", "tags", "html", frozenset({str}), _path,
            "a non-empty path", "where tag pages are written"),
    Setting("newsarchive_sites_dir", "sites", "html", frozenset({str}), _path,
            "a non-empty path", "where the sites index and site pages are written"),
    Setting("newsarchive_competitions_file", "docs/competitions.toml", "env", frozenset({str}),
            _path, "a non-empty path", "the curated competition file"),
    Setting("newsarchive_competitions_dir", "competitions", "html", frozenset({str}), _path,
            "a non-empty path", "where competition pages are written"),
    Setting("newsarchive_thumbs_manifest", DEFAULT_MANIFEST, "env", frozenset({str}), _path,
            "a non-empty path", "the mirrored thumbnails' manifest"),
    Setting("newsarchive_feed_size", 20, "html", frozenset({int}), _positive,
            "a positive whole number", "issues in the Atom feed"),
    Setting("newsarchive_entries_per_page", 200, "html", frozenset({int}), _positive,
            "a positive whole number", "links per page of a tag's or a site's list"),
    Setting("newsarchive_tag_feed_size", 30, "html", frozenset({int}), _positive,
            "a positive whole number", "entries in a tag's or competition's feed"),
    Setting("newsarchive_search", "sphinx", "html", frozenset({str}), _engine,
            f"one of {SEARCH_ENGINES}",
            "search page of the HTML book: 'sphinx' (built in) or 'newsarchive' (the "
            "extension's, which finds Japanese compounds)",
            former={"pagefind": ("newsarchive", "no page loaded Pagefind's index, so it is no "
                                 "longer built; search.html searches the extension's own "
                                 "index")}),
    Setting("newsarchive_linkcheck_by_hand", list(BY_HAND_HOSTS), "", frozenset({list, tuple}),
            _hosts, "a list of host names", "sites linkcheck leaves to be checked by hand"),
    Setting("newsarchive_substack_hosts", [SUBSTACK_HOST], "html", frozenset({list, tuple}),
            _hosts, "a list of host names",
            "the newsletter's hosts on Substack (its publication's, a custom domain)"),
    Setting("newsarchive_allow_raw_html", False, "env", frozenset({bool}), _flag,
            "True or False", "pass raw HTML through instead of showing it as text"),
)  # fmt: skip


def setup_config(app: Sphinx) -> None:
    for setting in SETTINGS:
        app.add_config_value(
            setting.name,
            setting.default,
            setting.rebuild,
            types=setting.types,
            description=setting.description,
        )
    app.connect("config-inited", check_config)
    app.connect("builder-inited", load_vocabulary)


def check_config(app: Sphinx, config: Config) -> None:
    """config-inited: every value follows its rule; a value that does not is warned about
    and replaced by the default, or, when an older version accepted it, by what it means
    now."""
    for setting in SETTINGS:
        value = getattr(config, setting.name)
        accepted = setting.accept(value)
        former = next((setting.former[old] for old in setting.former if old == value), None)
        if accepted is None and former is not None:
            accepted, why = former
            warn(
                f"{setting.name} = {value!r} is no longer a choice ({why}); {accepted!r} is "
                f"used: set {setting.name} = {accepted!r} in conf.py",
                Subtype.CONFIG,
            )
        if accepted is None:
            warn(f"{setting.name} must be {setting.rule}, not {value!r}", Subtype.CONFIG)
            accepted = setting.default
        if setting.name.endswith("_dir"):
            accepted = accepted.strip("/")
        setattr(config, setting.name, accepted)


def load_vocabulary(app: Sphinx) -> None:
    """builder-inited: read the tag vocabulary once; a broken file is a warning."""
    path = Path(app.srcdir, app.config.newsarchive_tags_file)
    vocabulary: Vocabulary | None = None
    if path.exists():
        from newsarchive.core.vocabulary import Vocabulary, VocabularyError

        try:
            vocabulary = Vocabulary.load(path)
        except VocabularyError as error:
            warn(str(error), Subtype.VOCABULARY, (str(path), getattr(error, "line", None)))
    news_domain(app.env).run.vocabulary = vocabulary
