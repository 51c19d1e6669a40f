"""Whatever a file holds, lint reports findings: it never raises, and every finding has
a real position in the file."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spreadkit.lint.engine import Options, lint_file
from spreadkit.lint.rules import registry

ROOT = Path(__file__).parent.parent
SOURCES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.yaml"))]
FIRST_KEYS = ["spreadkit: 1", "spreadkit-context: 1", "spreadkit-log: 1"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)


def _lint(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = lint_file(path, registry(), Options(use_config=False))
    lines = text.count("\n") + 2
    for finding in result.findings:
        assert 1 <= finding.line <= lines, finding
        assert finding.column >= 1, finding
        assert finding.code in registry().rules, finding


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FIRST_KEYS), st.dictionaries(st.text(max_size=15), json_values, max_size=6))
def test_generated_documents(tmp_path: Path, first: str, body: dict[str, object]) -> None:
    lines = [first] + [f"{json.dumps(key)}: {json.dumps(value)}" for key, value in body.items()]
    _lint(tmp_path, "\n".join(lines) + "\n")


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SOURCES)).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "value", "indent", "truncate", "insert"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "value" and ":" in lines[index]:
            key = lines[index].split(":", 1)[0]
            lines[index] = f"{key}: {draw(st.sampled_from(['', '[]', '{}', '~', '-1', 'x', '[a, b]', '*nope', '&a x']))}"
        elif action == "indent":
            lines[index] = " " * draw(st.integers(0, 7)) + lines[index].lstrip()
        elif action == "truncate":
            lines = lines[:index]
        else:
            lines.insert(index, draw(st.text(max_size=30)))
    return "\n".join(lines) + "\n"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_mutated_examples(tmp_path: Path, text: str) -> None:
    _lint(tmp_path, text)


LOG = ("spreadkit-log: 1\nintervention: pincer\nsite: North\nentries:\n  - component: search\n"
       "    nature: removing\n    fidelity: consistent\n    description: Shorter.\n")
CONTEXT = "spreadkit-context: 1\nsite: North\nroles:\n  - id: nobody\nfacts:\n  asked: true\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_files_read_against_a_mutated_intervention(tmp_path: Path, text: str) -> None:
    # Whatever part of the intervention is broken, the log and context beside it are
    # read against its valid parts without raising, and their findings are placed.
    (tmp_path / "intervention.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    for name, content in (("adaptations.yaml", LOG), ("context.yaml", CONTEXT)):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        result = lint_file(path, registry(), Options(use_config=False))
        assert result.kind is not None
        for finding in result.findings:
            assert 1 <= finding.line <= content.count("\n") + 1, finding
