"""Configuration: every ``newsarchive_*`` value is checked at ``config-inited``; a value that
breaks its rule is a ``newsarchive.config`` warning and the default is used."""

from __future__ import annotations

import re

import pytest
from newsarchive.sphinxext.config import SETTINGS

BAD = {
    "newsarchive_tags_dir": "/",
    "newsarchive_feed_size": 0,
    "newsarchive_search": "google",
    "newsarchive_linkcheck_by_hand": ["kaggle.com", 3],
}


@pytest.mark.sphinx("html", testroot="basic", srcdir="config-bad", confoverrides=BAD)
def test_bad_values_are_warned_and_replaced_by_their_defaults(app):
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    defaults = {setting.name: setting.default for setting in SETTINGS}
    for name, value in BAD.items():
        assert f"{name} must be " in warnings
        assert f"not {value!r} [newsarchive.config]" in warnings
        assert getattr(app.config, name) == defaults[name]


@pytest.mark.sphinx("html", testroot="basic", srcdir="config-good")
def test_good_values_give_no_warning(app):
    assert "[newsarchive.config]" not in app.warning.getvalue()
    assert app.config.newsarchive_tags_dir == "tags"


def test_every_value_is_declared_once() -> None:
    names = [setting.name for setting in SETTINGS]
    assert len(names) == len(set(names))
    assert all(setting.accept(setting.default) is not None for setting in SETTINGS)
