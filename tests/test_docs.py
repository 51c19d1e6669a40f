"""Docs generated from the models and the registry must be current, and every command
and rule must be documented for users."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


# The page of docs/ that documents a command beside its README row, if it has one.
PAGES = {"lint": "docs/ci.md", "compare": "docs/compare.md", "diff": "docs/versions.md"}
SHARED = "Options several commands share:"


def _cli() -> Any:
    import typer

    from spreadkit.cli import app

    return typer.main.get_command(app)


def _commands() -> list[str]:
    return sorted(_cli().commands)


def _documentation_of(command: str) -> str:
    """What documents `command` for users: the README lines that name it (its row of the
    table of commands, its examples), the README's options several commands share that
    list it, and its own page in docs/."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line in readme.splitlines() if f"spreadkit {command}" in line]
    shared = readme[readme.index(SHARED):].split("\n\n")[0].removeprefix(SHARED)
    # Each shared option: "`-o FILE` and `--force` (adapt, compare, ...): what it does".
    for part in shared.replace("\n", " ").split(";"):
        listed = re.search(r"\(([a-z, ]+)\):", part)
        if listed and command in [name.strip() for name in listed.group(1).split(",")]:
            lines.append(part)
    page = PAGES.get(command)
    return "\n".join(lines) + ("\n" + (ROOT / page).read_text(encoding="utf-8") if page else "")


def _named(option: str, text: str) -> bool:
    """Whether `text` names `option` (`--log` is not named by `--logs`)."""
    import re

    return re.search(re.escape(option) + r"(?![\w-])", text) is not None


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`spreadkit {command}" in readme, f"the README's table of commands has no row for {command}"
    assert (_cli().commands[command].help or "").strip(), f"{command} has no help text"


@pytest.mark.parametrize("command", _commands())
def test_every_option_and_argument_has_help_and_every_option_is_documented(command: str) -> None:
    text = _documentation_of(command)
    for param in _cli().commands[command].params:
        names = [*param.opts, *param.secondary_opts]
        assert (getattr(param, "help", None) or "").strip(), f"spreadkit {command} {names[0]}: no help text"
        if param.param_type_name == "option":
            assert any(_named(name, text) for name in names), (
                f"spreadkit {command} {' / '.join(names)} is not documented: name it in the command's row of "
                f"the README, in its page ({PAGES.get(command, 'none')}), or in \"{SHARED}\"")


def test_the_options_of_every_command_are_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for param in _cli().params:
        names = [*param.opts, *param.secondary_opts]
        assert (getattr(param, "help", None) or "").strip(), f"spreadkit {names[0]}: no help text"
        assert any(_named(name, readme) for name in names), f"spreadkit {' / '.join(names)} is not in the README"


# An option as the docs write one: after a space, `[`, `(` or an opening backtick (not the
# closing one of `\x1b`-style).
OPTION = r"(?:(?<=[\s\[(])|(?<=[\s\[(]`)|(?<=^`)|^)(--?[A-Za-z][\w-]*)"
# Another program's command line in the docs (`git fetch --depth=1`, `patch -p1`): its
# options are that program's, up to the end of its code.
OTHER_PROGRAM = r"\b(?:git|patch|mypy|make|pre-commit|pip|python|yamllint|check-jsonschema)\b[^`#|]*"
DOC_PAGES = ("README.md", *sorted(f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md")))


def _options_of(command: Any) -> set[str]:
    return {name for param in command.params for name in [*param.opts, *param.secondary_opts]} | {"-h", "--help"}


@pytest.mark.parametrize("page", DOC_PAGES)
def test_every_option_the_docs_name_is_one_the_command_line_takes(page: str) -> None:
    """The other way round: an option renamed or removed cannot live on in the docs, and
    in a command line written out (`spreadkit lint --format sarif`), each option is one
    of that command's (or one of spreadkit's own, `--version`, `--debug`)."""
    import re

    cli = _cli()
    root = _options_of(cli) | {"--install-completion", "--show-completion"}
    known = root.union(*(_options_of(command) for command in cli.commands.values()))
    text = (ROOT / page).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        unknown = [name for name in re.findall(OPTION, re.sub(OTHER_PROGRAM, "", line)) if name not in known]
        assert not unknown, f"{page}:{number}: {', '.join(unknown)} is not an option of any command: {line}"
        # Each command line written out: from `spreadkit COMMAND` to the end of its code.
        for used, rest in re.findall(r"spreadkit ([a-z]+)\b([^`|#]*)", line):
            if used not in cli.commands:
                continue
            wrong = [name for name in re.findall(OPTION, rest) if name not in _options_of(cli.commands[used]) | root]
            assert not wrong, f"{page}:{number}: spreadkit {used} takes no {', '.join(wrong)}: {line}"


@pytest.mark.parametrize("command", ["", *_commands()])
def test_every_command_help_runs_and_lists_every_option(command: str) -> None:
    from helpers import run

    done = run(*command.split(), "--help")
    assert done.exit_code == 0 and not done.stderr, done.output
    cli = _cli()
    chosen = cli.commands[command] if command else cli
    for param in chosen.params:
        if param.param_type_name == "option" and not param.hidden:
            names = [*param.opts, *param.secondary_opts]
            assert any(_named(name, done.stdout) for name in names), f"spreadkit {command} --help: no {names}"
    if not command:
        assert all(name in done.stdout for name in cli.commands), done.stdout


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


def _console_sessions(text: str) -> list[list[tuple[str, str]]]:
    """Each ```console block of a page: its commands (after `$ `), each with the output
    shown under it."""
    import re

    sessions = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL):
        steps: list[tuple[str, str]] = []
        for line in block.splitlines(keepends=True):
            if line.startswith("$ "):
                steps.append((line[2:].rstrip("\n"), ""))
            else:
                assert steps, f"output before any command in:\n{block}"
                steps[-1] = (steps[-1][0], steps[-1][1] + line)
        sessions.append(steps)
    return sessions


def test_the_readme_examples_print_what_they_show(tmp_path: Path) -> None:
    # Run as a new user would, in a copy of the examples: `cat FILE` shows the file the
    # next commands read, and each spreadkit command must print exactly what is shown.
    import shlex
    import shutil

    from helpers import spreadkit

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    sessions = _console_sessions((ROOT / "README.md").read_text(encoding="utf-8"))
    assert sessions and any("spreadkit lint" in command for steps in sessions for command, _ in steps)
    for steps in sessions:
        for command, shown in steps:
            words = shlex.split(command)
            if words[0] == "cat":
                (tmp_path / words[1]).write_text(shown, encoding="utf-8")
                continue
            assert words[0] == ".venv/bin/spreadkit", f"the README runs {command!r}: teach this test what it does"
            done = spreadkit(*words[1:], cwd=tmp_path)
            assert done.stderr + done.stdout == shown, f"README: $ {command}"


CORE_COMPONENT = ("spreadkit: 1\nid: demo\nname: Demo\nversion: 1.0.0\nroles:\n  - id: nurse\n    title: Nurse\n"
                  "components:\n  - id: search\n    kind: core\n    name: Search\n    function: Finds patients.\n"
                  "    form: A nurse searches.\n    who: [nurse]\n")


def test_the_suppression_example_of_the_ci_page_silences_its_finding(tmp_path: Path) -> None:
    import re

    from helpers import spreadkit

    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = ci[ci.index("## Suppressing one finding"):]
    example = re.search(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    assert example is not None
    line = example.group(1)
    code = re.search(r"ignore\[(SK\d+)\]", line)
    assert code is not None and code.group(1) == "SK301"
    bare = line.split("#")[0].rstrip() + "\n"
    for name, text in (("suppressed", line), ("written", bare), ("left-out", "")):
        (tmp_path / f"{name}.yaml").write_text(CORE_COMPONENT + text, encoding="utf-8")
    done = spreadkit("lint", "--no-cache", "--format", "concise", "--select", "SK301,SK990", ".", cwd=tmp_path)
    assert done.stdout.splitlines() == [
        # At the key when it is written, empty; at the component when it is left out.
        "left-out.yaml:9:5: SK301 [warning] core component `search` has no `fidelity` criteria: how will a site "
        "know the function is kept?",
        "written.yaml:15:5: SK301 [warning] core component `search` has no `fidelity` criteria: how will a site "
        "know the function is kept?",
        "Found 2 problems (2 warnings) in 3 files.",
    ], done.stdout + done.stderr
