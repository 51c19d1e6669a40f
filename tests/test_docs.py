"""Docs generated from the models and the registry must be current, and every command
and rule must be documented for users."""

from __future__ import annotations

from pathlib import Path

import pytest

from spreadkit.lint.rules import registry
from spreadkit.reference import DOCS, replace_generated

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("relative", sorted(DOCS))
def test_generated_docs_are_current(relative: str) -> None:
    name, build = DOCS[relative]
    text = (ROOT / relative).read_text(encoding="utf-8")
    assert replace_generated(text, name, build()) == text, f"{relative} is stale: run `make docs`"


def test_every_rule_is_documented() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for code, rule in registry().rules.items():
        assert f"### {code}" in text
        assert rule.rationale in text


def test_every_command_is_in_the_readme() -> None:
    from spreadkit.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"spreadkit {name}" in readme, name
        assert command.callback.__doc__, f"{name} has no help text"


def test_readme_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:25])
    assert "make demo" in first_screen and "make test" in first_screen
