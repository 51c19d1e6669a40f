"""`adapt --new-context`: a questionnaire that is a valid context in which everything the
intervention asks is still unknown, and that asks about every fact and role it needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from spreadkit import yamlio
from spreadkit.adapt import analyse
from spreadkit.formats import model_for
from spreadkit.formats.conditions import Fact, HasRole, evaluate, walk
from spreadkit.formats.intervention import Intervention

from .helpers import EXAMPLES, ROOT, spreadkit


def _spec(example: str) -> Intervention:
    loaded = yamlio.load_path(ROOT / "examples" / example / "intervention.yaml")
    assert loaded.document is not None
    return model_for("intervention").model_validate(loaded.document.data)  # type: ignore[return-value]


def _conditions(spec: Intervention) -> list[object]:
    found: list[object] = []
    for component in spec.components:
        found += [r.check for r in component.requires if r.check is not None]
        found += [a.when for a in component.alternatives if a.when is not None]
        found += [r.check for a in component.alternatives for r in a.requires if r.check is not None]
    found += [r.check for r in (spec.context.requires if spec.context else []) if r.check is not None]
    return found


def _asked_roles(spec: Intervention) -> set[str]:
    roles = {s for r in spec.roles for s in r.substitutes}
    for component in spec.components:
        roles |= set(component.who)
        for alternative in component.alternatives:
            roles |= set(alternative.who or [])
    for condition in _conditions(spec):
        roles |= {leaf.has_role for leaf in walk(condition) if isinstance(leaf, HasRole)}  # type: ignore[arg-type]
    return roles


@pytest.fixture(scope="module")
def questionnaires(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("questionnaires")
    written = {}
    for example in EXAMPLES:
        path = folder / f"{example}-context.yaml"
        done = spreadkit("adapt", f"examples/{example}/intervention.yaml", "--new-context", path)
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        assert done.stderr == f"wrote {path}\n"
        written[example] = path
    return written


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_questionnaire_lints_without_errors(questionnaires: dict[str, Path], example: str) -> None:
    done = spreadkit("lint", "--isolated", "--no-cache", "--format", "json", questionnaires[example])
    assert done.returncode == 0, done.stdout
    assert '"error": 0' in done.stdout


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_condition_is_unknown_in_the_questionnaire(questionnaires: dict[str, Path], example: str) -> None:
    spec = _spec(example)
    loaded = yamlio.load_path(questionnaires[example])
    assert loaded.document is not None, loaded.problems
    site = model_for("context").model_validate(loaded.document.data)
    conditions = _conditions(spec)
    assert conditions
    for condition in conditions:
        assert evaluate(condition, site) is None, condition  # type: ignore[arg-type]
    fit = analyse(spec, site)  # type: ignore[arg-type]
    assert fit.readiness == "incomplete"
    for result, component in zip(fit.components, spec.components, strict=True):
        if getattr(component, "optional", False):  # left out until a form is known to fit, asking what would
            assert (result.verdict, result.form_source, bool(result.questions)) == ("adapt", "leave-out", True)
        elif component.who or any(r.essential for r in component.requires) or (spec.context and spec.context.requires):
            assert result.verdict == "unknown", result.id
        assert all(n.status == "unknown" for n in result.needs)
        assert all(r.status == "unknown" for r in result.roles)


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_questionnaire_asks_every_fact_and_role(questionnaires: dict[str, Path], example: str) -> None:
    spec = _spec(example)
    text = questionnaires[example].read_text(encoding="utf-8")
    data = yamlio.load_text(text).document.data  # type: ignore[union-attr]
    facts = {leaf.fact for c in _conditions(spec) for leaf in walk(c) if isinstance(leaf, Fact)}  # type: ignore[arg-type]
    assert facts
    assert set(data["facts"]) == facts
    assert all(value is None for value in data["facts"].values())
    for role in _asked_roles(spec):
        assert f"#   {role} (" in text, role
    assert data["site"] and data["roles"] is None and data["settings"] is None


def test_the_questionnaire_does_not_overwrite(questionnaires: dict[str, Path]) -> None:
    path = questionnaires["pincer"]
    before = path.read_bytes()
    done = spreadkit("adapt", "examples/pincer/intervention.yaml", "--new-context", path)
    assert done.returncode == 2
    assert done.stderr == f"spreadkit: error: {path} exists; use --force to overwrite it\n"
    assert path.read_bytes() == before


def test_a_filled_in_questionnaire_answers_the_questions(tmp_path: Path) -> None:
    """Answering everything the questionnaire asks leaves no open question."""
    path = tmp_path / "context.yaml"
    assert spreadkit("adapt", "examples/pincer/intervention.yaml", "--new-context", path).returncode == 0
    data = yamlio.load_path(path).document.data  # type: ignore[union-attr]
    spec = _spec("pincer")
    data.update({"site": "Filled in", "roles": [{"id": r} for r in sorted(_asked_roles(spec))],
                 "settings": ["general-practice"], "it_systems": ["EMIS Web"], "resources": [],
                 "country": "England", "population": {"size": 10000},
                 "facts": {fact: True for fact in data["facts"]}})
    site = model_for("context").model_validate(data)
    fit = analyse(spec, site)  # type: ignore[arg-type]
    assert fit.questions == []
    assert all(c.verdict != "unknown" for c in fit.components)
