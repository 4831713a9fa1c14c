"""Pages are untrusted, in the build: the directives and roles that read a file or URL
named in a page are refused with a warning (file and line) and nothing is read; the rules
and their messages are :mod:`newsarchive.core.untrusted`'s, shared with ``check``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from newsarchive.core.untrusted import (
    READING_DIRECTIVES,
    READING_OPTIONS,
    directive_refusal,
    image_refusal,
    is_local,
    link_refusal,
    role_refusal,
)

if TYPE_CHECKING:
    from docutils import nodes
    from docutils.parsers.rst import Directive
    from sphinx.application import Sphinx


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

    class Guarded(original):
        def run(self) -> list[nodes.Node]:
            refusal = directive_refusal(self.name, self.options)
            return _refuse(self, refusal) if refusal else super().run()

    Guarded.__name__ = f"Guarded{original.__name__}"
    return Guarded


def _registered(name: str) -> type[Directive]:
    from importlib import import_module

    from docutils.parsers.rst import directives

    found = directives._directives.get(name)
    if found is None:
        module, class_name = directives._directive_registry[name]
        found = getattr(import_module(f"docutils.parsers.rst.directives.{module}"), class_name)
    directive: type[Directive] = getattr(found, "unguarded", found)
    return directive


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
        guarded.unguarded = original
        app.add_directive(name, guarded, override=True)
    # Sphinx's collectors of images and downloads run at the default priority (500).
    app.connect("doctree-read", refuse_local_files, priority=100)
