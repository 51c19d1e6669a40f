"""What the sites teach, component by component, and the revisions of the description it
suggests (spreadkit.compare.lessons and .revisions), from small constructed measurements
and FRAME logs (pure functions, no files); the patch is tested on files in
test_revisions_patch.py.

Ten sites of 1,000 patients each on one outcome, lower is better. The sites near 10% are
`a` to `j`; a test sets the rates it needs.
"""

from __future__ import annotations

from typing import Any

import pytest

from spreadkit.compare.lessons import component_lessons
from spreadkit.compare.report import Comparison, Settings, compare
from spreadkit.compare.revisions import SEVERAL_SITES, suggest
from spreadkit.formats.log import Log

from .helpers import CAUSAL, RANKING, entry, log, measurement, spec, table_of

SITES = "abcdefghij"
NEAR = {"a": 100, "b": 104, "c": 97, "d": 102, "e": 99, "f": 101, "g": 96, "h": 103, "i": 98, "j": 100}
SHARED = entry("searches", "personnel", "substituting", description="A technician runs the searches.")


def change(component: str | None = "searches", what: str = "personnel", nature: str = "substituting",
           fidelity: str = "consistent", description: str = "A technician runs the searches.",
           level: str | None = "organisation") -> dict[str, Any]:
    data = entry(component, what, nature, fidelity, description)
    if level is not None:
        data["level"] = level
    return data


def run(by_site: dict[str, list[dict[str, Any]]], counts: dict[str, int] | None = None, *,
        intervention: Any = "default", contexts: Any = None, logged: str = SITES) -> Comparison:
    """The comparison of the ten sites; every site in `logged` has a log (empty unless
    `by_site` gives it entries)."""
    counts = counts or NEAR
    rows = [measurement(site, count, 1000) for site, count in counts.items()]
    logs: list[tuple[str, Log]] = [(f"logs/{site}.yaml", log(f"Site {site.upper()}", *by_site.get(site, [])))
                                   for site in logged]
    return compare(table_of(rows), spec=spec() if intervention == "default" else intervention, logs=logs,
                   contexts=contexts, settings=Settings())


def kinds(result: Comparison) -> list[tuple[str, str]]:
    return [(r.kind, r.component) for r in result.revisions]


# --- the lessons ------------------------------------------------------------------------------


def test_a_change_is_told_by_nature_what_and_level_with_its_fidelity() -> None:
    result = run({"a": [change()], "b": [change()], "c": [change(fidelity="unknown")],
                  "d": [change(level="unit")]})
    [lesson] = result.components
    assert lesson.component == "searches" and lesson.sites_with_logs == list(SITES)
    assert lesson.changed == ["a", "b", "c", "d"]
    first, second = lesson.adaptations
    assert first.label == "substituting personnel, organisation level" and first.sites == ["a", "b", "c"]
    assert first.fidelity == {"consistent": ["a", "b"], "unknown": ["c"], "inconsistent": []}
    assert second.label == "substituting personnel, unit level" and second.sites == ["d"]


def test_the_sites_that_made_a_change_are_compared_with_the_sites_with_a_log_that_did_not() -> None:
    # `j` has no log: its changes are not known, so it is on neither side.
    result = run({site: [change()] for site in "abc"}, logged="abcdefghi")
    [outcome] = result.components[0].adaptations[0].outcomes
    assert outcome.contrast.made == ("a", "b", "c")
    assert outcome.contrast.other == tuple("defghi")
    assert outcome.contrast.finding == "no-clear-difference"
    text = outcome.text()
    assert text.startswith("Harmful prescribing: ") and "at the 3 sites that made it" in text
    assert "at the 6 that did not" in text and "percentage points (95% CI " in text
    assert text.endswith(": no clear difference.")


def test_with_too_few_sites_it_says_it_cannot_tell_with_the_numbers() -> None:
    result = run({"a": [change()], "b": [change()]})
    [outcome] = result.components[0].adaptations[0].outcomes
    assert outcome.contrast.finding == "cannot-tell" and outcome.contrast.difference is None
    assert outcome.text() == ("Harmful prescribing: cannot tell, with 2 sites that made it and 8 that did not "
                              "(the comparison needs at least 3 on each side).")


def test_a_difference_is_worded_by_the_outcome_s_direction() -> None:
    worse = {**NEAR, "a": 160, "b": 158, "c": 165}
    [outcome] = run({site: [change()] for site in "abc"}, worse).components[0].adaptations[0].outcomes
    assert outcome.contrast.finding == "higher" and outcome.interpretation == "worse"
    assert outcome.contrast.lower is not None and outcome.contrast.lower > 0
    assert outcome.text().endswith(": higher, on the worse side.")
    undirected = run({site: [change()] for site in "abc"}, worse, intervention=spec(direction=None))
    [outcome] = undirected.components[0].adaptations[0].outcomes
    assert outcome.interpretation is None and outcome.text().endswith(": higher.")


def test_a_component_no_log_changed_is_not_listed_and_the_whole_intervention_comes_last() -> None:
    components = [{"id": "searches", "kind": "core", "name": "Searches", "form": "F.", "function": "G.",
                   "who": ["pharmacist"]},
                  {"id": "outreach", "kind": "core", "name": "Outreach", "form": "F.", "function": "G.",
                   "who": ["pharmacist"]}]
    result = run({"a": [change(None, "setting")], "b": [change("outreach", "format")]},
                 intervention=spec(components=components))
    assert [c.component for c in result.components] == ["outreach", None]
    assert result.components[1].label == "the whole intervention"


def test_without_logs_there_is_nothing_to_teach_and_nothing_to_revise() -> None:
    result = run({}, logged="")
    assert result.components == [] and result.revisions == []


# --- candidate alternatives -----------------------------------------------------------------------


def test_a_change_several_sites_made_without_harm_is_a_candidate_alternative() -> None:
    longer = change(description="The practice's own pharmacy technician runs every search on the same days.")
    result = run({"a": [change()], "b": [longer], "c": [change(description="A technician runs them.")]})
    [revision] = result.revisions
    assert revision.kind == "candidate-alternative" and revision.component == "searches"
    assert revision.sites == ("a", "b", "c")
    assert revision.summary.startswith("Consider listing the change `substituting personnel, organisation level` "
                                       "as an alternative form of `searches`: 3 sites made it")
    assert revision.evidence[0] == ("3 of the 10 sites with a log made it (a, b, c): fidelity 3 consistent.")
    assert "no clear difference" in revision.evidence[1]
    # The form to start from: the shortest of the sites' own words.
    assert (revision.form, revision.form_from) == ("A technician runs them.", "c")


def test_a_candidate_says_which_of_its_sites_also_broke_the_component() -> None:
    departed = change(nature="departing", what="content", fidelity="inconsistent", description="Dropped a search.")
    result = run({"a": [change(), departed], "b": [change()], "c": [change()]})
    [candidate] = [r for r in result.revisions if r.kind == "candidate-alternative"]
    assert ("a also made fidelity-inconsistent changes to `searches`: its results are those of both."
            in candidate.evidence)


@pytest.mark.parametrize("case", ["two sites", "one inconsistent", "departing", "worse", "no outcome told"])
def test_no_candidate_alternative_without_the_evidence(case: str) -> None:
    by_site = {site: [change()] for site in "abc"}
    counts = None
    logged = SITES
    if case == "two sites":
        del by_site["c"]
    elif case == "one inconsistent":
        by_site["d"] = [change(fidelity="inconsistent")]
    elif case == "departing":
        by_site = {site: [change(nature="departing")] for site in "abc"}
    elif case == "worse":
        counts = {**NEAR, "a": 160, "b": 158, "c": 165}
    else:  # five sites with a log, three of which made it: two on the other side
        logged = "abcde"
    result = run(by_site, counts, logged=logged)
    assert not any(kind == "candidate-alternative" for kind, _ in kinds(result)), result.revisions
    assert SEVERAL_SITES == 3


def test_a_candidate_says_when_the_component_already_lists_forms() -> None:
    components = [{"id": "searches", "kind": "core", "name": "Searches", "form": "F.", "function": "G.",
                   "who": ["pharmacist"], "alternatives": [{"form": "A technician runs them."}]}]
    roles = [{"id": "pharmacist", "title": "Pharmacist", "substitutes": ["technician"]},
             {"id": "technician", "title": "Technician"}]
    result = run({site: [change()] for site in "abc"}, intervention=spec(components=components, roles=roles))
    [revision] = result.revisions
    assert any(e.startswith("`searches` already lists 1 alternative form and substitutes for pharmacist "
                            "(technician); the logs do not say whether") for e in revision.evidence)


def test_a_fixed_component_s_candidate_says_it_is_fixed() -> None:
    components = [{"id": "searches", "kind": "core", "name": "Searches", "form": "F.", "function": "G.",
                   "who": ["pharmacist"], "fixed": True}]
    [revision] = run({site: [change()] for site in "abc"}, intervention=spec(components=components)).revisions
    assert any("`fixed: true`" in e for e in revision.evidence)


# --- limits to strengthen ---------------------------------------------------------------------------


def test_sites_that_broke_a_component_and_did_worse_suggest_strengthening_its_limits() -> None:
    broke = change("searches", "content", "removing", "inconsistent", "Only some indicators are searched.")
    components = [{"id": "searches", "kind": "core", "name": "Searches", "form": "F.", "function": "G.",
                   "who": ["pharmacist"], "limits": ["Every indicator is searched."]}]
    result = run({site: [broke] for site in "abc"}, {**NEAR, "a": 160, "b": 158, "c": 165},
                 intervention=spec(components=components))
    [revision] = result.revisions
    assert revision.kind == "limit-to-strengthen" and revision.sites == ("a", "b", "c")
    assert revision.summary == ("Consider strengthening the limits of `searches`: the 3 sites that made "
                                "fidelity-inconsistent changes to it did worse.")
    assert revision.evidence[0].startswith("3 of the 10 sites with a log made fidelity-inconsistent changes to it: "
                                           "a (removing content, organisation level): Only some indicators")
    assert revision.evidence[1].endswith(": higher, on the worse side.")


def test_a_component_without_limits_is_asked_for_some() -> None:
    broke = change(fidelity="inconsistent")
    [revision] = run({site: [broke] for site in "abc"}, {**NEAR, "a": 160, "b": 158, "c": 165}).revisions
    assert revision.summary.startswith("Consider giving `searches` limits that any change must respect: the 3 sites")


def test_with_too_few_sites_to_compare_the_funnel_says_whether_they_did_worse() -> None:
    broke = change(fidelity="inconsistent", description="Searches dropped.")
    far = {**NEAR, "a": 190}
    [revision] = run({"a": [broke]}, far).revisions
    assert revision.kind == "limit-to-strengthen"
    assert revision.summary.startswith("Consider giving `searches` limits that any change must respect: the site "
                                       "that made fidelity-inconsistent changes to it did worse.")
    assert revision.evidence[1] == ("Harmful prescribing: cannot tell, with 1 site that made it and 9 that did not "
                                    "(the comparison needs at least 3 on each side). a sits outside the funnel's 95% "
                                    "limits on the worse side for it.")
    # Within the limits, or on the better side: no suggestion.
    assert run({"a": [broke]}).revisions == []
    assert run({"a": [broke]}, {**NEAR, "a": 20}).revisions == []
    # Two that broke it, one of them within the limits: not every one did worse.
    assert run({"a": [broke], "b": [broke]}, far).revisions == []


# --- components no site could deliver ---------------------------------------------------------------


def test_a_component_every_site_with_a_log_changed_is_one_no_site_could_deliver() -> None:
    by_site = {site: [change(nature="shortening", what="format", fidelity="unknown")] for site in "abcd"}
    result = run(by_site, logged="abcd")
    [revision] = result.revisions
    assert revision.kind == "cannot-deliver" and revision.sites == ("a", "b", "c", "d")
    assert revision.evidence == ("Every one of the 4 sites with a log changed it: shortening format, organisation "
                                 "level (4 sites).",)
    assert run({site: by_site[site] for site in "ab"}, logged="ab").revisions == []  # 2 logs: too few


def test_a_component_every_site_changed_says_when_it_lists_other_forms() -> None:
    components = [{"id": "searches", "kind": "adaptable", "name": "Searches", "form": "F.", "function": "G.",
                   "who": ["pharmacist"], "alternatives": [{"form": "A technician runs them."}]}]
    by_site = {site: [change(nature="substituting", what="personnel", fidelity="unknown")] for site in "abcd"}
    [revision] = run(by_site, logged="abcd", intervention=spec(components=components)).revisions
    assert revision.kind == "cannot-deliver"
    assert revision.evidence[1] == ("`searches` already lists 1 alternative form: a site that used one of them "
                                    "delivered it as described, and the logs do not say which changes are those "
                                    "(read the entries).")


def test_a_component_the_fit_analysis_finds_a_gap_at_every_site_is_one_no_site_could_deliver() -> None:
    from adapt.helpers import context  # the adapt tests' context profiles

    components = [{"id": "searches", "kind": "core", "name": "Searches", "form": "F.", "function": "G.",
                   "who": ["pharmacist"], "requires": [{"id": "coded-records", "need": "Coded records",
                                                         "domain": "inner-setting",
                                                         "check": {"it_system": "EMIS Web"}}]}]
    intervention = spec(components=components)
    none = [(f"sites/{site}.yaml", context(site=f"Site {site}", it_systems=["Paper"], roles=["pharmacist"]))
            for site in "abc"]
    result = run({}, intervention=intervention, contexts=none)
    [lesson] = result.components
    assert lesson.contexts == ["a", "b", "c"] and lesson.gaps == ["a", "b", "c"]
    assert lesson.gap_needs == {"coded-records": ["a", "b", "c"]}
    [revision] = result.revisions
    assert revision.kind == "cannot-deliver"
    assert revision.evidence == ("The fit analysis finds it a gap at every one of the 3 sites with a context: "
                                 "coded-records unmet at 3 sites.",)
    one_fits = [*none[:2], ("sites/c.yaml", context(site="Site c", it_systems=["EMIS Web"], roles=["pharmacist"]))]
    assert run({}, intervention=intervention, contexts=one_fits).revisions == []


def test_two_contexts_for_one_site_are_refused() -> None:
    from adapt.helpers import context

    from spreadkit.compare.report import CompareError

    twice = [("sites/a.yaml", context(site="A")), ("other/a.yaml", context(site="A"))]
    with pytest.raises(CompareError, match="a second context for site `a`"):
        run({}, contexts=twice)


# --- never a cause, never a rank; nothing without the description --------------------------------


def test_without_the_description_there_are_lessons_but_no_revisions() -> None:
    result = run({site: [change()] for site in "abc"}, intervention=None)
    assert [c.component for c in result.components] == ["searches"]
    assert result.revisions == [] and suggest(result.components, None, result) == []


def test_lessons_and_revisions_recompute_the_same() -> None:
    result = run({site: [change()] for site in "abc"})
    assert component_lessons(result, spec()) == result.components
    assert suggest(result.components, spec(), result) == result.revisions


def test_no_lesson_or_revision_claims_a_cause_or_ranks_sites() -> None:
    broke = change(fidelity="inconsistent")
    results = [run({site: [change()] for site in "abc"}),
               run({site: [broke] for site in "abc"}, {**NEAR, "a": 160, "b": 158, "c": 165}),
               run({site: [change(nature="shortening")] for site in "abcd"}, logged="abcd")]
    texts = [text for result in results for revision in result.revisions
             for text in (revision.summary, *revision.evidence)]
    texts += [o.text() for result in results for c in result.components for a in c.adaptations for o in a.outcomes]
    assert len(texts) > 6
    for text in texts:
        assert not CAUSAL.search(text), text
        assert not RANKING.search(text), text
