"""The importers' ``--help``: it can be shown, and it names every option and argument.

Its words are for a reader and not checked word for word (they are left out of mutation
testing); what is checked is that argparse can render them (a stray "%" in a help text
fails only when the help is shown) and that nothing is left unnamed."""

from __future__ import annotations

import pytest
from newsarchive.commands.cli import main
from newsarchive.commands.substack.importer import MANIFEST

OPTIONS = {
    "import-feed": ("FEED", "--api-pages N", "--no-api", "--out", "--force", "--number"),
    "import-substack": ("EXPORT", "--url URL", "--out", "--force", "--number"),
}


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_an_importer_s_help_names_each_option(capsys, command):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr()
    assert shown.out.startswith(f"usage: newsarchive {command} ")
    assert "Exit status 0 when" in shown.out
    # The record's default is named, as the import writes it.
    assert f"(default: OUT/{MANIFEST})" in " ".join(shown.out.split())
    for option in OPTIONS[command]:
        assert option in shown.out
    assert shown.err == ""
