"""Links: which URLs are allowed, tracking parameters, hosts and archived copies."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})

#: Query parameters that only identify a campaign or a click, never the target.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "ref_url",
    }
)
TRACKING_PREFIXES = ("utm_",)


def iri_to_uri(url: str) -> str:
    """``url`` as HTTP sends it: the host in IDNA (ASCII), the rest percent-encoded as
    UTF-8 (an IRI such as ``https://ja.wikipedia.org/wiki/機械学習``); ASCII URLs and
    existing escapes are kept."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    if parts.username is not None:
        credentials = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{quote(credentials, safe='%:')}@{netloc}"
    safe = "%/:=&?~#+!$,;'@()*[]"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=safe),
            quote(parts.query, safe=safe),
            quote(parts.fragment, safe=safe),
        )
    )


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host (the only links a card may hold)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def tracking_params(url: str) -> list[str]:
    """Names of the tracking parameters in ``url``, in order."""
    query = urlsplit(url).query
    return [name for name, _ in parse_qsl(query, keep_blank_values=True) if is_tracking_param(name)]


def strip_tracking(url: str) -> str:
    """Remove tracking parameters; every other parameter is kept exactly, in its order.

    The query is split on ``&`` by hand rather than re-encoded, so that the
    remaining parameters keep their original spelling (``%20`` stays ``%20``).
    """
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = []
    for pair in parts.query.split("&"):
        name = pair.split("=", 1)[0]
        if not is_tracking_param(_unquote_name(name)):
            kept.append(pair)
    return urlunsplit(parts._replace(query="&".join(kept)))


def _unquote_name(name: str) -> str:
    pairs = parse_qsl(f"{name}=", keep_blank_values=True)
    return pairs[0][0] if pairs else name


def site_of(url: str) -> str:
    """The host shown on a card when the editor gives no ``site``."""
    host = urlsplit(url).hostname or ""
    return host.lower()


def site_key(site_or_url: str) -> str:
    """The host a site index groups by: lower case, without ``www.``."""
    host = urlsplit(site_or_url).hostname if "://" in site_or_url else site_or_url
    host = (host or "").strip().lower()
    return host.removeprefix("www.")


def wayback_url(url: str, date: dt.date | None) -> str:
    """The Wayback Machine's copy of ``url`` nearest to ``date`` (no network needed)."""
    stamp = date.strftime("%Y%m%d") if date else "2"
    return f"https://web.archive.org/web/{stamp}/{quote(url, safe=':/?&=%#+,;@!~*()[]$')}"
