"""lint's options are coerced without pydantic (spreadkit._plain_options), and nothing a
user sees changes: every value typer accepts parses to what typer would make of it, and
every value it refuses is refused with typer's own words and exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer.main import get_command

import helpers as shared
from lint_cli import MINIMAL, spreadkit, write
from spreadkit._plain_options import PlainParam, is_plain
from spreadkit.cli import app

ROOT = Path(__file__).resolve().parent.parent
GROUP = get_command(app)
LINT = GROUP.commands["lint"]  # type: ignore[attr-defined]
PARAMS = {param.name: param for param in [*GROUP.params, *LINT.params] if hasattr(param, "type_descriptor")}


def _outcome(runtime: Any, value: Any, param: Any) -> tuple[str, Any]:
    ctx = Context(LINT)
    try:
        return "value", runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as error:
        return "refused", error.format_message()


def test_every_lint_option_is_coerced_without_pydantic() -> None:
    plain = {name for name, param in PARAMS.items() if is_plain(param.type_descriptor)}
    assert plain == set(PARAMS)  # a new option of another type would bring pydantic back


FOLDER = ROOT / "examples" / "pincer"
WORDS = st.sampled_from(["text", "TEXT", "Json", "sarif ", "error", "Warning", "info", "0", "1", "007", "-1",
                         "+3", " 4", "1_000", "9" * 5000, "١٢", "", "-", ".", "examples", str(FOLDER),
                         str(FOLDER / "intervention.yaml"), "no/such/file", "a//b/", "a\x00b", "SK1,SK2"])
VALUES = WORDS | st.text(max_size=12)


@settings(max_examples=400, deadline=None)
@given(name=st.sampled_from(sorted(PARAMS)), values=st.lists(VALUES, min_size=1, max_size=3))
def test_a_value_parses_as_typer_parses_it(name: str, values: list[str]) -> None:
    param = PARAMS[name]
    descriptor = param.type_descriptor
    value: Any = tuple(values) if param.multiple or param.nargs == -1 else values[0]
    plain = PlainParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
    assert _outcome(plain, value, param) == _outcome(build_runtime_param(descriptor), value, param)


def _cli(args: list[str], cwd: Path, typer_own: bool) -> tuple[int, str, str]:
    """The real command line, with the plain coercion, or with typer's own instead."""
    switch = "import spreadkit._plain_options as p\np.use_plain_coercion = lambda params: None\n" if typer_own else ""
    done = shared.spreadkit(*args, cwd=cwd, prelude=switch, timeout=60)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("args", [
    ["lint", "--jobs", "0", "."], ["lint", "-j", "two", "."], ["lint", "--format", "xml", "."],
    ["lint", "--format", "SARIF", "--fail-on", "WARNING", "."], ["lint", "--fail-on", "fatal", "."],
    ["lint", "--max-bytes", "0", "."], ["lint", "--max-bytes", "64", "--select", "SK1,sk9", "."],
    ["lint", "--config", "missing.toml", "."], ["lint", "--output"], ["lint", "-q", "-j", "1", "--ignore", "SK9", "a//b/"],
    ["lint", "--with-dependents", "--skip-unrecognised", "intervention.yaml"], ["lint", "-h"], ["--version"],
    ["lint", "--show-completion", "."], ["lint", "--stdin-filename", "x.yaml", "."],
], ids=lambda args: " ".join(args))
def test_the_command_line_is_what_typer_alone_makes_of_it(tmp_path: Path, args: list[str]) -> None:
    write(tmp_path, "intervention.yaml", MINIMAL + "statis: x\n")
    assert _cli(args, tmp_path, typer_own=False) == _cli(args, tmp_path, typer_own=True)


def test_a_lint_answered_from_the_cache_needs_no_pydantic(tmp_path: Path) -> None:
    write(tmp_path, "intervention.yaml", MINIMAL + "statis: x\n")
    cold = spreadkit("lint", "--format", "concise", "-j", "1", "--select", "SK1", ".", cwd=tmp_path)
    cached = spreadkit("lint", "--format", "concise", "-j", "1", "--select", "SK1", ".", cwd=tmp_path,
                       unimportable=("pydantic", "pydantic_core"))
    assert (cached.returncode, cached.stdout, cached.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert "SK109" in cold.stdout
