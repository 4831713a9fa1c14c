"""The extension's configuration values (set in ``docs/conf.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from newsarchive.sphinxext.diagnostics import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from newsarchive.core.vocabulary import Vocabulary

#: The link finder's page (written by newsarchive.finder, linked from the home page).
FINDER_PAGE = "links/index"

#: name -> (default, rebuild, type, description)
CONFIG_VALUES: dict[str, tuple[object, Literal["env", "html"], type, str]] = {
    "newsarchive_issue_dir": ("issues", "env", str, "folder of the issue pages"),
    "newsarchive_years_dir": ("docs/years", "env", str, "folder of the year pages"),
    "newsarchive_tags_file": ("docs/tags.toml", "env", str, "the tag vocabulary"),
    "newsarchive_tags_dir": ("tags", "html", str, "where tag pages are written"),
    "newsarchive_sites_dir": ("sites", "html", str, "where the sites index is written"),
}


def setup_config(app: Sphinx) -> None:
    for name, (default, rebuild, kind, _) in CONFIG_VALUES.items():
        app.add_config_value(name, default, rebuild, types=frozenset({kind}))
    app.connect("config-inited", check_config)
    app.connect("builder-inited", load_vocabulary)


def check_config(app: Sphinx, config: Config) -> None:
    for name in CONFIG_VALUES:
        value = getattr(config, name)
        if not isinstance(value, str) or not value.strip("/"):
            warn(f"{name} must be a non-empty path, not {value!r}", Subtype.VOCABULARY)
            setattr(config, name, CONFIG_VALUES[name][0])
        else:
            setattr(config, name, value.strip("/") if name.endswith("_dir") else value)


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
    app.newsarchive_vocabulary = vocabulary  # type: ignore[attr-defined]
