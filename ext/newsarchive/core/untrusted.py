"""Pages are untrusted: nothing in a page may read the build machine's files or URLs.

A pull request's pages are built on a machine that holds other files (a preview build
publishes what it reads), so directives and roles that read a file or a URL named in the
page (``include``, ``literalinclude``, ``raw`` and ``csv-table`` with ``:file:`` or
``:url:``), local images and links to local files are refused: a warning with file and
line, and nothing is read or copied. The rules are plain functions, used by the build
(:mod:`newsarchive.sphinxext.untrusted`) and by ``newsarchive check`` alike, with the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

#: Directives that read the file or URL they are given, whatever their options.
READING_DIRECTIVES = frozenset({"include", "literalinclude"})
#: Directives that read a file or URL when given one of these options.
READING_OPTIONS: dict[str, tuple[str, ...]] = {"raw": ("file", "url"), "csv-table": ("file", "url")}
#: Directives whose argument is an image (a local one is copied into the site).
IMAGE_DIRECTIVES = frozenset({"image", "figure"})
#: Roles that copy the file they name into the site.
READING_ROLES = frozenset({"download"})
#: Schemes of image and link targets that are not files of the build machine.
REMOTE_SCHEMES = frozenset({"http", "https", "data", "mailto"})


def is_local(target: str) -> bool:
    """True when ``target`` names a file (a path, ``path:`` or ``file:``), not a URL."""
    try:
        scheme = urlsplit(target.strip()).scheme.lower()
    except ValueError:
        return True
    return scheme not in REMOTE_SCHEMES


def directive_refusal(name: str, options: Iterable[str], argument: str = "") -> str | None:
    """Why the directive ``name`` (with these option names) may not be in a page, or None."""
    if name in READING_DIRECTIVES:
        return f"{{{name}}} reads a file of the build machine: refused, nothing was read"
    options = set(options)
    for option in READING_OPTIONS.get(name, ()):
        if option in options:
            return (
                f"{{{name}}} with :{option}: reads a file or URL at build time: "
                "refused, nothing was read"
            )
    if name in IMAGE_DIRECTIVES:
        return image_refusal(argument)
    return None


def role_refusal(name: str) -> str | None:
    if name in READING_ROLES:
        return f"{{{name}}} copies a file of the build machine into the site: refused"
    return None


def image_refusal(uri: str) -> str | None:
    if uri.strip() and is_local(uri):
        return (
            f"image {uri.strip()!r} is a file of the build machine: refused "
            "(images must be http or https URLs)"
        )
    return None


def link_refusal(target: str) -> str:
    return (
        f"link to the file {target.strip()!r} would copy a file of the build machine "
        "into the site: refused (link to an http or https URL)"
    )
