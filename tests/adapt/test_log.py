"""`adapt --log`: the pre-filled FRAME log lints with no findings at all beside the
intervention it belongs to, and records only planned, proactive, pre-implementation
adaptations that keep the core function."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spreadkit import yamlio
from spreadkit.formats import model_for

from .helpers import GOLDEN, PAIRS, ROOT, spreadkit


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder per example context: a copy of the intervention and the log adapt writes
    (the golden log, which test_golden holds equal, byte for byte, to what adapt writes now)."""
    tree = tmp_path_factory.mktemp("logs")
    for example, context in PAIRS:
        folder = tree / f"{example}-{context}"
        folder.mkdir()
        shutil.copy(ROOT / "examples" / example / "intervention.yaml", folder / "intervention.yaml")
        golden = GOLDEN / f"{example}-{context}.log.yaml"
        assert golden.exists(), f"{golden.name} missing (SPREADKIT_UPDATE_GOLDEN=1 writes it)"
        shutil.copy(golden, folder / "adaptations.yaml")
    return tree


def test_the_log_is_written_as_the_golden_file_says(tmp_path: Path) -> None:
    log = tmp_path / "adaptations.yaml"
    done = spreadkit("adapt", "examples/pincer/intervention.yaml", "--context", "examples/pincer/sites/eastbrook-pcn.yaml",
                     "--format", "json", "--log", log)
    assert done.returncode == 0, done.stderr
    assert log.read_bytes() == (GOLDEN / "pincer-fit.log.yaml").read_bytes()


def test_every_log_lints_with_no_findings_at_all(logs: Path) -> None:
    done = spreadkit("lint", "--isolated", "--no-cache", "--fail-on", "info", ".", cwd=logs)
    assert done.returncode == 0, done.stdout
    assert done.stdout == f"All checks passed ({2 * len(PAIRS)} files).\n"


@pytest.mark.parametrize(("example", "context"), PAIRS)
def test_entries_are_planned_before_implementation_and_keep_the_function(logs: Path, example: str,
                                                                         context: str) -> None:
    loaded = yamlio.load_path(logs / f"{example}-{context}" / "adaptations.yaml")
    assert loaded.document is not None, loaded.problems
    log = model_for("log").model_validate(loaded.document.data)
    spec = yamlio.load_path(ROOT / "examples" / example / "intervention.yaml").document.data  # type: ignore[union-attr]
    assert (log.intervention, log.intervention_version) == (spec["id"], spec["version"])  # type: ignore[attr-defined]
    components = {c["id"]: c for c in spec["components"]}
    for entry in log.entries:  # type: ignore[attr-defined]
        assert (entry.when, entry.planned, entry.fidelity) == ("pre-implementation", "proactive", "consistent")
        assert entry.component in components
        assert entry.description.strip()
        if entry.nature == "removing":  # only an optional adaptable component may be left out
            assert components[entry.component]["kind"] == "adaptable"
            assert components[entry.component].get("optional") is True
