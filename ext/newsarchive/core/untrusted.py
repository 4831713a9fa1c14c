"""Pages are untrusted: nothing in a page may read the build machine's files or URLs.

A pull request's pages are built on a machine that holds other files (a preview build
publishes what it reads), so directives and roles that read a file or a URL named in the
page (``include``, ``literalinclude``, ``raw`` and ``csv-table`` with ``:file:`` or
``:url:``), local images and links to local files are refused: a warning with file and
line, and nothing is read or copied. The rules are plain functions, used by the build
(``setup_untrusted``) and by ``newsarchive check`` alike, with the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from docutils import nodes
    from docutils.parsers.rst import Directive
    from sphinx.application import Sphinx

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


# -- the build ---------------------------------------------------------------------------
def _location(directive: Directive) -> str:
    source, line = directive.state_machine.get_source_and_line(directive.lineno)
    return f"{source}:{line}"


def _refuse(directive: Directive, refusal: str) -> list[nodes.Node]:
    from newsarchive.sphinxext.diagnostics import Subtype, warn

    warn(refusal, Subtype.UNTRUSTED, _location(directive))
    return []


class _AnyOption(dict[str, Any]):
    """Every option is accepted, so the refusal is the only message."""

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str) -> Any:
        from docutils.parsers.rst import directives

        return directives.unchanged


def _refused_directive() -> type[Directive]:
    # Not a subclass of docutils' Include: MyST reads the file itself for those.
    from docutils.parsers.rst import Directive

    class RefusedDirective(Directive):
        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec: ClassVar[dict[str, Any]] = _AnyOption()

        def run(self) -> list[nodes.Node]:
            refusal = directive_refusal(self.name, self.options)
            assert refusal is not None
            return _refuse(self, refusal)

    return RefusedDirective


def _guarded(original: type[Directive]) -> type[Directive]:
    """``original``, refusing the options that make it read a file or URL."""

    class Guarded(original):  # type: ignore[valid-type,misc]
        def run(self) -> list[nodes.Node]:
            refusal = directive_refusal(self.name, self.options)
            return _refuse(self, refusal) if refusal else super().run()

    Guarded.__name__ = f"Guarded{original.__name__}"
    return Guarded


def _registered(name: str) -> type[Directive]:
    from importlib import import_module

    from docutils.parsers.rst import directives

    found = directives._directives.get(name)  # type: ignore[attr-defined]
    if found is None:
        module, class_name = directives._directive_registry[name]
        found = getattr(import_module(f"docutils.parsers.rst.directives.{module}"), class_name)
    return getattr(found, "unguarded", found)


def refuse_local_files(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read, before Sphinx collects images and downloads: drop local ones."""
    from docutils import nodes
    from sphinx import addnodes

    from newsarchive.sphinxext.diagnostics import Subtype, warn

    for image in list(doctree.findall(nodes.image)):
        refusal = image_refusal(image.get("uri", ""))
        if refusal:
            warn(refusal, Subtype.UNTRUSTED, image)
            image.parent.remove(image)
    for download in list(doctree.findall(addnodes.download_reference)):
        target = download.get("reftarget", "")
        if is_local(target):
            refusal = role_refusal(download["reftype"]) or link_refusal(target)
            warn(refusal, Subtype.UNTRUSTED, download)
            download.replace_self(nodes.inline(download.astext(), download.astext()))


def setup_untrusted(app: Sphinx) -> None:
    for name in sorted(READING_DIRECTIVES):
        app.add_directive(name, _refused_directive(), override=True)
    for name in sorted(READING_OPTIONS):
        original = _registered(name)
        guarded = _guarded(original)
        guarded.unguarded = original  # type: ignore[attr-defined]
        app.add_directive(name, guarded, override=True)
    # Sphinx's collectors of images and downloads run at the default priority (500).
    app.connect("doctree-read", refuse_local_files, priority=100)
