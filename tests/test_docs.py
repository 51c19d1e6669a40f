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


def _schema_urls(text: str) -> set[str]:
    import re

    return set(re.findall(r"https://raw\.githubusercontent\.com/\S+?\.schema\.json", text))


def test_docs_name_a_release_tag_and_schemas_that_exist_at_it() -> None:
    import re

    from spreadkit import DOCS_URL, __version__

    tag = f"v{__version__}"
    repository = DOCS_URL.removeprefix("https://github.com/").split("/blob/")[0]  # owner/name
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert re.findall(r"^\s*rev: (\S+)", ci, re.MULTILINE) == [tag]
    assert f"repo: https://github.com/{repository}\n" in ci
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.findall(r"- id: (\S+)", ci) == ["spreadkit-lint"] and "- id: spreadkit-lint\n" in hooks
    urls = _schema_urls(ci) | _schema_urls((ROOT / "README.md").read_text(encoding="utf-8"))
    assert urls, "no schema URL in the docs"
    for url in urls:
        prefix = f"https://raw.githubusercontent.com/{repository}/{tag}/"
        assert url.startswith(prefix), url
        assert (ROOT / url.removeprefix(prefix)).is_file(), f"{url}: no such file committed"


def test_the_licence_file_is_the_licence_pyproject_declares() -> None:
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert declared == "MIT" and licence.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in licence
