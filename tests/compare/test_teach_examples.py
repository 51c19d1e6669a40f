"""The section "What the sites teach, component by component" and the suggested revisions
of the description, in the reports of the three examples, as a user runs them: golden
files (md, html, json) for news2 and escape-pain (pincer's are in test_command.py), the JSON keys the docs
promise, and words that never claim a cause or rank sites.
"""

from __future__ import annotations

import json
import re

import pytest

from .helpers import CAUSAL, PINCER, RANKING, ROOT, check_golden, spreadkit_many

EXAMPLES = {"news2": ("compare", "examples/news2/measurements.csv", "--logs", "examples/news2/logs/*.yaml"),
            "escape-pain": ("compare", "examples/escape-pain/measurements.csv", "--logs",
                            "examples/escape-pain/logs/*.yaml"),
            "pincer": PINCER}
FORMATS = ("md", "html", "json")


@pytest.fixture(scope="module")
def reports() -> dict[tuple[str, str], str]:
    keys = [(name, fmt) for name in EXAMPLES for fmt in FORMATS]
    done = spreadkit_many([((*EXAMPLES[name], "--format", fmt), {}) for name, fmt in keys])
    for key, result in zip(keys, done):
        assert result.returncode == 0, f"{key}: {result.stderr}"
    return {key: result.stdout for key, result in zip(keys, done)}


@pytest.mark.parametrize("name", ["news2", "escape-pain"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_examples_reports_match_their_golden_files(reports: dict[tuple[str, str], str], name: str,
                                                      fmt: str) -> None:
    check_golden(f"{name}.{fmt}", reports[(name, fmt)])


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_change_in_the_logs_is_told_under_its_component(reports: dict[tuple[str, str], str],
                                                              name: str) -> None:
    report = json.loads(reports[(name, "json")])
    logged = {(e["component"], e["nature"], e["what"], site["site"])
              for outcome in report["outcomes"] for site in outcome["sites"] for e in site["adaptations"]}
    told = {(c["component"], a["nature"], a["what"], site)
            for c in report["components"] for a in c["adaptations"] for site in a["sites"]}
    assert told == logged
    for component in report["components"]:
        for adaptation in component["adaptations"]:
            assert sorted(sum(adaptation["fidelity"].values(), [])) == adaptation["sites"]
            for outcome in adaptation["outcomes"]:
                made, other = outcome["made"]["sites"], outcome["other"]["sites"]
                assert set(made) <= set(adaptation["sites"]) and not set(made) & set(other)
                if outcome["finding"] == "cannot-tell":
                    assert min(len(made), len(other)) < 3 and outcome["difference"] is None
                else:
                    low, high = outcome["ci95"]
                    assert low <= outcome["difference"] <= high
                    # Each number is kept to 7 significant figures.
                    assert outcome["difference"] == pytest.approx(outcome["made"]["rate"] - outcome["other"]["rate"],
                                                                  rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_section_never_claims_a_cause_or_ranks_sites(reports: dict[tuple[str, str], str], name: str) -> None:
    report = json.loads(reports[(name, "json")])
    texts = [o["text"] for c in report["components"] for a in c["adaptations"] for o in a["outcomes"]]
    texts += [t for r in report["revisions"] for t in (r["summary"], *r["evidence"])]
    assert report["revisions"], name
    for text in texts:
        assert not CAUSAL.search(text), text
        assert not RANKING.search(text), text
    markdown = reports[(name, "md")]
    section = markdown[markdown.index("## What the sites teach, component by component"):]
    assert "## Suggested revisions of the description" in section
    assert "a signal to investigate, never its effect" in section


def test_the_json_keys_of_the_section_are_documented(reports: dict[tuple[str, str], str]) -> None:
    report = json.loads(reports[("pincer", "json")])
    docs = (ROOT / "docs" / "compare.md").read_text(encoding="utf-8")
    component = report["components"][0]
    adaptation = component["adaptations"][0]
    outcome = adaptation["outcomes"][0]
    keys = {"components", "revisions", *component, *adaptation, *outcome, *outcome["made"],
            *report["revisions"][0]}
    documented = set(re.findall(r"`([a-z0-9_]+)`", docs))
    assert keys - documented == set()
