"""Shared pieces of the `spreadkit compare` command-level tests.

- `run(...)` (the command line in this process), `spreadkit(...)` and `spreadkit_many(...)`
  (in separate processes, from the repository root), `check_golden(...)` (here, under
  tests/golden/compare/) and the external-tool finders come from the tests' shared
  `helpers` (tests/helpers), re-exported for the tests that import them from here.
- `measurement(...)` and `table_of(...)` build a measurements table from rows, as the CSV
  reader makes it; `entry(...)`, `log(...)` and `spec(...)` build the FRAME logs and
  interventions the pure functions of spreadkit.compare.report take.
- `write_csv(...)` writes a measurements file in a folder that has no intervention beside
  it or above it (an intervention there would make unknown outcomes errors).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import helpers as shared
from helpers import ROOT, external_tool, java_works, require, run, spreadkit, spreadkit_many
from spreadkit.formats import model_for
from spreadkit.formats.intervention import Intervention
from spreadkit.formats.log import Log
from spreadkit.formats.measurements import Table, read_measurements

__all__ = ["ROOT", "GOLDEN", "PINCER", "run", "spreadkit", "spreadkit_many", "external_tool", "java_works",
           "require", "measurement", "table_of", "entry", "log", "spec", "spec_data", "write_csv", "yaml_text", "check_golden",
           "CAUSAL", "RANKING"]

GOLDEN = shared.GOLDEN / "compare"
# The example the golden files hold, as a user types it from the repository root.
PINCER = ("compare", "examples/pincer/measurements.csv", "--by", "delivered_by", "--logs",
          "examples/pincer/logs/*.yaml")

# Words that claim a cause, or order sites: never in a lesson.
CAUSAL = re.compile(r"\b(caused|causes|because( of)?|led to|leads to|due to|results? in|thanks to|improves|improved|"
                    r"worsens|worsened|effect of)\b", re.IGNORECASE)
RANKING = re.compile(r"\b(best|worst|rank|ranks|ranked|ranking|league|top|bottom|first place)\b", re.IGNORECASE)


def check_golden(name: str, text: str) -> None:
    """`text` equals tests/golden/compare/NAME; SPREADKIT_UPDATE_GOLDEN=1 rewrites the file."""
    shared.check_golden(f"compare/{name}", text)


# --- models ----------------------------------------------------------------------------------


def measurement(site: str, numerator: int | None = None, denominator: int | None = None, *, period: str = "2026-01",
                outcome: str = "harm", value: float | None = None, **attributes: str) -> dict[str, Any]:
    """One row of a measurements file, as a mapping of its columns."""
    return {"site": site, "period": period, "outcome": outcome, "numerator": numerator, "denominator": denominator,
            "value": value, **attributes}


def table_of(rows: list[dict[str, Any]]) -> Table:
    """The table the CSV reader makes of `rows` (which must be valid)."""
    columns = list(dict.fromkeys(name for row in rows for name in row))
    lines = [",".join(columns)] + [",".join("" if row.get(name) is None else str(row[name]) for name in columns)
                                   for row in rows]
    table = read_measurements("\n".join(lines) + "\n")
    assert not table.problems, table.problems
    return table


def entry(component: str | None = "searches", what: str = "personnel", nature: str = "substituting",
          fidelity: str = "consistent", description: str = "A change, described in plain words.") -> dict[str, Any]:
    data: dict[str, Any] = {"what": what, "nature": nature, "fidelity": fidelity, "description": description}
    if component is not None:
        data["component"] = component
    return data


def log(site: str, *entries: dict[str, Any]) -> Log:
    return model_for("log").model_validate(  # type: ignore[return-value]
        {"spreadkit-log": 1, "intervention": "demo", "site": site, "entries": list(entries)})


def spec_data(direction: str | None = "down", components: list[dict[str, Any]] | None = None,
              roles: list[dict[str, Any]] | None = None, outcome: str = "harm") -> dict[str, Any]:
    """An intervention with one outcome (`harm`, lower is better by default), as a file holds it."""
    measure: dict[str, Any] = {"id": outcome, "name": "Harmful prescribing", "type": "outcome"}
    if direction is not None:
        measure["direction"] = direction
    default = [{"id": "searches", "kind": "core", "name": "Searches", "form": "The pharmacist runs the searches.",
                "function": "Find the patients at risk.", "who": ["pharmacist"]}]
    return {"spreadkit": 1, "id": "demo", "name": "Demo", "version": "1.0.0",
            "roles": roles if roles is not None else [{"id": "pharmacist", "title": "Pharmacist"}],
            "components": components if components is not None else default, "outcomes": [measure]}


def spec(direction: str | None = "down", components: list[dict[str, Any]] | None = None,
         roles: list[dict[str, Any]] | None = None, outcome: str = "harm") -> Intervention:
    return model_for("intervention").model_validate(  # type: ignore[return-value]
        spec_data(direction, components, roles, outcome))


# --- files -----------------------------------------------------------------------------------


def yaml_text(data: dict[str, Any]) -> str:
    """`data` as a YAML file: one top-level key a line (so the kind is sniffed), values in flow style."""
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in data.items())


def write_csv(tmp_path: Path, text: str, name: str = "measurements.csv") -> Path:
    """A measurements file two folders below `tmp_path`, where no intervention is beside or above it."""
    folder = tmp_path / "data" / "site-returns"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
