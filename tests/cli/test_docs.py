"""Every command is explained: help text, a mention in the user docs, every option in its --help.

In the manner of sqlite-utils' tests/test_docs.py: the click group is walked
recursively, so a command added later is checked without touching this file.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from clusterkg.cli import main

ROOT = Path(__file__).resolve().parents[2]


def walk(command: click.Command, path: tuple[str, ...] = ("clusterkg",)):
    """(path, command) for ``command`` and every command below it, groups included."""
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, (*path, name))


COMMANDS = [(" ".join(path), command) for path, command in walk(main)]


def docs_text() -> str:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def mentioned(path: str, text: str) -> bool:
    """``clusterkg rdf export`` as written, or in a list of subcommands: ``clusterkg analyze centrality|brokerage``."""
    if re.search(re.escape(path) + r"(?![\w-])", text):
        return True
    *parent, name = path.split(" ")
    alternatives = re.findall(re.escape(" ".join(parent)) + r" ([\w\\|-]+)", text)
    return any(name in words.replace("\\|", "|").split("|") for words in alternatives)


def test_the_walk_finds_the_commands():
    paths = {path for path, _ in COMMANDS}
    assert {"clusterkg", "clusterkg build", "clusterkg analyze centrality", "clusterkg rdf export",
            "clusterkg load sparql", "clusterkg export neo4j-import"} <= paths


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_command_has_help_text(path, command):
    assert (command.help or "").strip(), f"{path} has no help text (a docstring)"


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS[1:]])
def test_command_is_documented(path):
    assert mentioned(path, docs_text()), f"`{path}` appears neither in README.md nor in docs/*.md"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_option_is_in_the_help(path, command):
    result = CliRunner().invoke(main, [*path.split(" ")[1:], "--help"])
    assert result.exit_code == 0, result.output
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            for opt in (*param.opts, *param.secondary_opts):
                assert opt in result.output, f"{path} --help does not show {opt}"
            if isinstance(param.type, click.Choice):  # the choices are listed, not retyped in prose
                assert all(str(c) in result.output for c in param.type.choices), f"{path} {param.opts[0]}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_option_says_what_it_does(path, command):
    silent = [p.opts[0] for p in command.params
              if isinstance(p, click.Option) and not p.hidden and not (p.help or "").strip()]
    assert not silent, f"{path}: no help text for {', '.join(silent)}"


def test_mentioned_reads_lists_of_subcommands():
    text = "| `clusterkg analyze centrality\\|brokerage DATA` | ... |\nrun `clusterkg rdf export` or `clusterkg mapping`"
    assert mentioned("clusterkg analyze brokerage", text) and mentioned("clusterkg rdf export", text)
    assert not mentioned("clusterkg analyze suggest", text) and not mentioned("clusterkg rdf query", text)
    assert not mentioned("clusterkg map", text)
