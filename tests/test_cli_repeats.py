"""An option given more than once, as a user types it: an option that takes several
paths (adapt --context, compare --logs and --contexts) counts every one; any other
option that takes a value refuses a second (exit 2, one line), where click alone would
keep the last and drop the first without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import ROOT, spreadkit

PINCER = ROOT / "examples" / "pincer"


def test_every_context_option_counts_and_each_may_be_a_glob_or_a_file() -> None:
    result = spreadkit("adapt", "intervention.yaml", "--context", "sites/h*.yaml", "--context",
                       "sites/moorside-pcn.yaml", "--context", "sites/hillside-mp.yaml", "--format", "json", cwd=PINCER)
    assert result.returncode == 0, result.stderr
    assert [site["site"] for site in json.loads(result.stdout)["sites"]] == ["hillside-mp", "moorside-pcn"]


@pytest.mark.parametrize(("args", "message"), [
    (("diff", "intervention.yaml", "intervention.yaml", "--peers", ".", "--peers", "sites"),
     "--peers given twice (., sites): it takes one value"),
    (("site", ".", "-o", "OUT/a", "--output", "OUT/b"), "-o/--output given twice (OUT/a, OUT/b): it takes one value"),
    (("lint", "--config", "a.toml", "--config", "b.toml", "."), "--config given twice (a.toml, b.toml): it takes one value"),
    (("compare", "measurements.csv", "--outcome", "a", "--outcome", "b", "--outcome", "c"),
     "--outcome given 3 times (a, b, c): it takes one value"),
    (("adapt", "intervention.yaml", "--context", "sites/hillside-mp.yaml", "--log", "OUT/a.yaml", "--log",
      "OUT/b.yaml"), "--log given twice (OUT/a.yaml, OUT/b.yaml): it takes one value"),
], ids=["diff --peers", "site -o", "lint --config", "compare --outcome", "adapt --log"])
def test_an_option_that_takes_one_value_given_twice_is_misuse(tmp_path: Path, args: tuple[str, ...],
                                                              message: str) -> None:
    result = spreadkit(*(arg.replace("OUT", tmp_path.as_posix()) for arg in args), cwd=PINCER)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"spreadkit: error: {message.replace('OUT', tmp_path.as_posix())}\n"
    assert list(tmp_path.iterdir()) == []
