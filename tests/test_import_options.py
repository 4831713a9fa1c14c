"""The options every import shares (``commands/pipeline/options.py``): what each one is
when given and when not, and that the imports go where they say."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS
from newsarchive.commands.cli import main
from newsarchive.commands.pipeline.options import add_page_options

EXPORT = Path(__file__).resolve().parent / "substack_fixtures" / "export"
VOCABULARY = '[[tag]]\nslug = "paper"\nja = "論文"\nen = "Papers"\nsites = ["arxiv.org"]\n'


def parser() -> argparse.ArgumentParser:
    made = argparse.ArgumentParser(prog="import")
    add_page_options(made, manifest="OUT/record.json", force_note="; a note")
    return made


def test_the_defaults():
    args = parser().parse_args([])
    assert vars(args) == {
        "out": Path("issues"),
        "force": False,
        "manifest": None,
        "vocabulary": Path("docs/tags.toml"),
        "no_tags": False,
    }


def test_given_values_are_paths_and_flags():
    args = parser().parse_args(
        ["--out", "o", "--force", "--manifest", "m.json", "--vocabulary", "v.toml", "--no-tags"]
    )
    assert vars(args) == {
        "out": Path("o"),
        "force": True,
        "manifest": Path("m.json"),
        "vocabulary": Path("v.toml"),
        "no_tags": True,
    }
    for option in ("--force", "--no-tags"):  # flags take no value
        with pytest.raises(SystemExit):
            parser().parse_args([option, "yes", "--out"])


def test_the_help_can_be_shown(capsys):
    with pytest.raises(SystemExit) as done:
        parser().parse_args(["--help"])
    assert done.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    for option in ("--out OUT", "--force", "--manifest MANIFEST", "--vocabulary VOCABULARY"):
        assert option in shown
    assert "(default: OUT/record.json)" in shown and "; a note" in shown


def test_an_import_without_options_writes_into_issues_with_the_vocabulary_of_docs(
    tmp_path, monkeypatch, capsys
):
    """Run where the book is: pages go to ``issues/``, tags come from ``docs/tags.toml``
    and the record is ``issues/substack/imported.json``."""
    shutil.copytree(ROOTS / "test-basic" / "issues", tmp_path / "issues")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tags.toml").write_text(VOCABULARY, "utf-8")
    monkeypatch.chdir(tmp_path)
    main(["import-substack", str(EXPORT), "--years-dir", "years"])
    capsys.readouterr()
    page = (tmp_path / "issues" / "0160.md").read_text("utf-8")
    assert "\n:tags: paper\n" in page
    record = json.loads((tmp_path / "issues" / "substack" / "imported.json").read_text("utf-8"))
    assert "0160.md" in json.dumps(record)


def test_the_record_goes_where_manifest_says(tmp_path, capsys):
    out = tmp_path / "issues"
    shutil.copytree(ROOTS / "test-basic" / "issues", out)
    record = tmp_path / "elsewhere.json"
    base = ["import-substack", str(EXPORT), "--out", str(out), "--years-dir", str(tmp_path)]
    main([*base, "--no-tags", "--manifest", str(record)])
    assert "0160.md" in record.read_text("utf-8")
    assert not (out / "substack" / "imported.json").exists()
    # The record read back: the same import again writes nothing.
    capsys.readouterr()
    main([*base, "--no-tags", "--manifest", str(record)])
    assert "issues: 0 written, 3 unchanged, 0 skipped" in capsys.readouterr().out


def test_without_a_note_the_force_option_says_only_what_it_does(capsys):
    made = argparse.ArgumentParser(prog="import")
    add_page_options(made, manifest="OUT/record.json")
    with pytest.raises(SystemExit):
        made.parse_args(["--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "(what is removed is said) --manifest MANIFEST" in shown
