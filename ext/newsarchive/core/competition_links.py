"""Which competition a link points to: one table of URL patterns, pure functions.

A competition is recognised from its URL alone: the host names a platform, the path
holds the competition's id, and any sub-path (discussion, leaderboard, overview, data …)
still points to the same competition. The id becomes part of a page address
(``competitions/<platform>/<id>.html``), so every pattern only accepts ids made of
letters, digits, ``-`` and ``_``; anything else is not a competition.

=========== ============================================ ========================================
platform    hosts                                        paths recognised (``<id>`` is kept)
=========== ============================================ ========================================
kaggle      kaggle.com                                   ``/c/<slug>``, ``/competitions/<slug>``
signate     signate.jp                                   ``/competitions/<number>``
nishika     nishika.com                                  ``/competitions/<id>`` (not ``ranking``)
probspace   comp.probspace.com                           ``/competitions/<slug>``
solafune    solafune.com                                 ``[/<lang>]/competitions/<uuid>``, also
                                                         after ``#`` (``/#/competitions/<uuid>``)
guruguru    guruguru.science, guruguru.ml                ``/competitions/<number>``
aicrowd     aicrowd.com                                  ``/challenges/<slug>``
drivendata  drivendata.org                               ``/competitions/<number>[/<slug>]``
zindi       zindi.africa                                 ``/competitions/<slug>``
codalab     competitions.codalab.org,                    ``/competitions/<number>``
            codalab.lisn.upsaclay.fr
=========== ============================================ ========================================

Hosts match exactly or with a ``www.`` prefix. Kaggle slugs, like the site itself, ignore
case (kept in lower case); other ids are kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_SLUG = r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}"
_NUMBER = r"[0-9]{1,9}"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


@dataclass(frozen=True)
class Platform:
    """One competition platform: where its competitions live and how they are named."""

    key: str  #: ASCII, used in page addresses
    name: str  #: shown to readers
    hosts: tuple[str, ...]
    path: re.Pattern[str]  #: matched against the URL's path; group ``id`` is the id
    url: str  #: the competition's own address, ``{id}`` filled in
    reserved: frozenset[str] = frozenset()  #: path words that are pages, not competitions
    lower: bool = False  #: ids ignore case
    fragment_routes: bool = False  #: a single-page site that routes after ``#``


def _path(pattern: str) -> re.Pattern[str]:
    # The id ends at "/", or the end of the path: "/c/titanic-x" is not "/c/titanic".
    return re.compile(rf"^{pattern}(?:/.*)?$", re.DOTALL)


#: The table. Order does not matter: hosts never overlap.
PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "kaggle",
        "Kaggle",
        ("kaggle.com",),
        _path(rf"/(?:c|competitions)/(?P<id>{_SLUG})"),
        "https://www.kaggle.com/competitions/{id}",
        lower=True,
    ),
    Platform(
        "signate",
        "SIGNATE",
        ("signate.jp",),
        _path(rf"/competitions/(?P<id>{_NUMBER})"),
        "https://signate.jp/competitions/{id}",
    ),
    Platform(
        "nishika",
        "Nishika",
        ("nishika.com",),
        _path(rf"/competitions/(?P<id>{_SLUG})"),
        "https://www.nishika.com/competitions/{id}/summary",
        reserved=frozenset({"ranking"}),
    ),
    Platform(
        "probspace",
        "ProbSpace",
        ("comp.probspace.com",),
        _path(rf"/competitions/(?P<id>{_SLUG})"),
        "https://comp.probspace.com/competitions/{id}",
    ),
    Platform(
        "solafune",
        "Solafune",
        ("solafune.com",),
        _path(rf"(?:/[a-z]{{2}})?/competitions/(?P<id>{_UUID})"),
        "https://solafune.com/competitions/{id}",
        lower=True,
        fragment_routes=True,
    ),
    Platform(
        "guruguru",
        "guruguru",
        ("guruguru.science", "guruguru.ml"),
        _path(rf"/competitions/(?P<id>{_NUMBER})"),
        "https://www.guruguru.science/competitions/{id}/",
    ),
    Platform(
        "aicrowd",
        "AIcrowd",
        ("aicrowd.com",),
        _path(rf"/challenges/(?P<id>{_SLUG})"),
        "https://www.aicrowd.com/challenges/{id}",
    ),
    Platform(
        "drivendata",
        "DrivenData",
        ("drivendata.org",),
        _path(rf"/competitions/(?P<id>{_NUMBER})"),
        "https://www.drivendata.org/competitions/{id}/",
    ),
    Platform(
        "zindi",
        "Zindi",
        ("zindi.africa",),
        _path(rf"/competitions/(?P<id>{_SLUG})"),
        "https://zindi.africa/competitions/{id}",
    ),
    Platform(
        "codalab",
        "CodaLab",
        ("competitions.codalab.org", "codalab.lisn.upsaclay.fr"),
        _path(rf"/competitions/(?P<id>{_NUMBER})"),
        "https://codalab.lisn.upsaclay.fr/competitions/{id}",
    ),
)
PLATFORM_BY_KEY = {platform.key: platform for platform in PLATFORMS}
_BY_HOST = {host: platform for platform in PLATFORMS for host in platform.hosts}

#: What a key looks like: ``<platform>/<id>`` (the page address below competitions/).
KEY_PATTERN = re.compile(rf"^(?P<platform>[a-z]+)/(?P<id>{_SLUG}|{_UUID})$")


@dataclass(frozen=True, order=True)
class CompetitionRef:
    """A competition, as a link names it."""

    platform: str
    id: str

    @property
    def key(self) -> str:
        """``<platform>/<id>``: unique, stable, safe in a path."""
        return f"{self.platform}/{self.id}"

    @property
    def url(self) -> str:
        return PLATFORM_BY_KEY[self.platform].url.format(id=self.id)

    @property
    def platform_name(self) -> str:
        return PLATFORM_BY_KEY[self.platform].name


def platform_of_host(host: str) -> Platform | None:
    host = host.lower().rstrip(".")
    return _BY_HOST.get(host) or _BY_HOST.get(host.removeprefix("www."))


def competition_of(url: str) -> CompetitionRef | None:
    """The competition ``url`` points to, or None (also for anything malformed)."""
    if not isinstance(url, str) or len(url) > 2048 or any(c.isspace() for c in url.strip()):
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    platform = platform_of_host(host)
    if platform is None:
        return None
    path = parts.path or "/"
    if platform.fragment_routes and path.strip("/") in ("", "ja", "en") and parts.fragment:
        path = "/" + parts.fragment.split("?", 1)[0].lstrip("/")
    match = platform.path.match(path)
    if match is None:
        return None
    identifier = match["id"]
    if identifier.lower() in platform.reserved:
        return None
    return CompetitionRef(platform.key, identifier.lower() if platform.lower else identifier)


def parse_key(key: str) -> CompetitionRef | None:
    """``kaggle/titanic`` -> its reference; None when malformed or of no known platform."""
    match = KEY_PATTERN.match(key) if isinstance(key, str) else None
    if match is None or match["platform"] not in PLATFORM_BY_KEY:
        return None
    platform = PLATFORM_BY_KEY[match["platform"]]
    ref = CompetitionRef(platform.key, match["id"].lower() if platform.lower else match["id"])
    # The same rules as links: the key must be what the competition's own URL gives.
    return ref if competition_of(ref.url) == ref else None
