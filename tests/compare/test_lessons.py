"""What the sites teach: the lessons of spreadkit.compare.report, from small constructed
measurements and FRAME logs (pure functions, no files).

The funnel: ten sites of 1000 patients each, lower is better. Eight sit near the pooled
rate (within the limits), `w` is far above it (worse) and `z` far below (better). The
statistics themselves are tested in test_funnel.py; here only what the lessons say.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from spreadkit.compare.report import Comparison, Settings, compare, lessons, match_logs, slug
from spreadkit.formats.intervention import Intervention
from spreadkit.formats.log import Log

from .helpers import CAUSAL, RANKING, entry, log, measurement, spec, table_of

WITHIN = ("a", "b", "c", "d", "e", "f", "g", "h")
COUNTS = {"a": 100, "b": 105, "c": 95, "d": 98, "e": 102, "f": 101, "g": 99, "h": 97, "w": 200, "z": 40}


def rows(groups: dict[str, str] | None = None) -> list[dict[str, Any]]:
    return [measurement(site, count, 1000, **({"team": groups[site]} if groups else {}))
            for site, count in COUNTS.items()]


def logs(**by_site: list[dict[str, Any]]) -> list[tuple[str, Log]]:
    """Logs named after their site's file, as `--logs 'logs/*.yaml'` gives them."""
    return [(f"logs/{site}.yaml", log(f"Site {site.upper()}", *entries)) for site, entries in by_site.items()]


def compare_rows(measured: list[dict[str, Any]], spec: Intervention | None = None, by: str | None = None,
                 logs: list[tuple[str, Log]] | None = None) -> Comparison:
    return compare(table_of(measured), spec=spec, logs=logs, settings=Settings(by=by))


def run(by_site: dict[str, list[dict[str, Any]]], **options: Any) -> Comparison:
    options.setdefault("spec", spec())
    return compare_rows(options.pop("rows", None) or rows(), logs=logs(**by_site), **options)


SUBSTITUTE = entry("searches", "personnel", "substituting")


def test_the_funnel_is_as_the_lessons_below_assume() -> None:
    result = run({})
    funnel = result.outcomes[0].funnel
    assert funnel is not None
    where = {site: result.outcomes[0].interpretation(site) for site in result.outcomes[0].funnel_sites}
    assert where == {**{site: None for site in WITHIN}, "w": "worse", "z": "better"}


# --- a change several sites made --------------------------------------------------------------


def test_a_change_made_by_sites_all_within_is_a_signal_to_investigate() -> None:
    result = run({"c": [SUBSTITUTE], "a": [SUBSTITUTE], "b": [SUBSTITUTE]})
    [lesson] = result.lessons
    assert lesson.startswith("3 of 10 sites made the change `searches`: substituting personnel (a, b, c)")
    assert "none sits outside the limits on the worse side for Harmful prescribing" in lesson
    assert "A signal to investigate, not proof that the change works." in lesson


def test_sites_on_the_better_side_are_counted_not_singled_out() -> None:
    [lesson] = run({"a": [SUBSTITUTE], "z": [SUBSTITUTE]}).lessons
    assert "2 of 10 sites made the change" in lesson and "(a, z)" in lesson
    assert "(1 on the better side)" in lesson


@pytest.mark.parametrize("change", [SUBSTITUTE, entry("searches", "content", "adding")])
def test_a_signal_suggests_no_revision_of_its_own(change: dict[str, Any]) -> None:
    # Listing a change as an alternative form is a suggested revision's to say, on the
    # comparison of the sites that made it with the rest (test_revisions.py), never here.
    [lesson] = run({"a": [change], "b": [change]}).lessons
    assert "A signal to investigate" in lesson
    assert "alternative" not in lesson


def test_a_change_one_site_made_teaches_nothing_on_its_own() -> None:
    assert run({"a": [SUBSTITUTE], "b": [entry("searches", "format", "shortening")]}).lessons == []


def test_a_change_where_a_site_sits_worse_says_look_at_how() -> None:
    [lesson] = run({"a": [SUBSTITUTE], "w": [SUBSTITUTE], "b": [SUBSTITUTE]}).lessons
    assert lesson.startswith("3 of 10 sites made the change `searches`: substituting personnel (a, b, w)")
    assert "2 are within or better than the limits for Harmful prescribing" in lesson
    assert "1 (w) sits outside on the worse side: look at how it made the change before recommending it." in lesson
    assert "alternative" not in lesson and "signal to investigate" not in lesson.lower()


def test_a_change_is_the_same_change_when_component_what_and_nature_agree() -> None:
    one = entry("searches", "personnel", "substituting", description="Technician runs them.")
    other = entry("searches", "personnel", "substituting", fidelity="unknown", description="A locum runs them.")
    [lesson] = run({"a": [one], "b": [other]}).lessons
    assert "2 of 10 sites made the change `searches`: substituting personnel (a, b)" in lesson


def test_a_whole_intervention_change_is_labelled_so() -> None:
    whole = entry(None, "setting", "substituting")
    [lesson] = run({"a": [whole], "b": [whole]}).lessons
    assert "`(whole intervention)`: substituting setting" in lesson


# --- fidelity --------------------------------------------------------------------------------


def test_a_fidelity_inconsistent_change_at_a_worse_site_is_named() -> None:
    departing = entry("outreach", "format", "departing", "inconsistent",
                      "Instead of a meeting, each practice got a recorded briefing and an e-mail.")
    [lesson] = run({"w": [departing]}).lessons
    assert lesson == ("`w` made a fidelity-inconsistent change to `outreach` (Instead of a meeting, each practice "
                      "got a recorded briefing and an e-mail.) and sits outside the limits on the worse side for "
                      "Harmful prescribing: check whether the core function was lost there.")


def test_a_fidelity_inconsistent_change_to_the_whole_intervention_reads_well() -> None:
    [lesson] = run({"w": [entry(None, "setting", "departing", "inconsistent", "Moved online.")]}).lessons
    assert "made a fidelity-inconsistent change to the whole intervention (Moved online.)" in lesson


def test_a_long_description_is_shortened_at_a_word() -> None:
    text = "The pharmacist " + "reviews only some patients " * 12 + "and the rest wait."
    [lesson] = run({"w": [entry("review", "content", "removing", "inconsistent", text)]}).lessons
    quoted = re.search(r"\((.*)\) and sits", lesson)
    assert quoted is not None
    assert quoted.group(1).endswith("…") and len(quoted.group(1)) <= 141
    assert text.startswith(quoted.group(1)[:-1])


def test_a_fidelity_inconsistent_change_within_the_limits_is_not_a_lesson() -> None:
    assert run({"a": [entry("outreach", "format", "departing", "inconsistent")]}).lessons == []


def test_a_fidelity_inconsistent_change_at_a_better_site_questions_its_figures() -> None:
    [lesson] = run({"z": [entry("outreach", "format", "departing", "inconsistent")]}).lessons
    assert "sits outside the limits on the better side" in lesson
    assert "check that its figures are comparable with the other sites'" in lesson


def test_consistent_or_unknown_fidelity_at_a_worse_site_is_not_named() -> None:
    assert run({"w": [entry(fidelity="consistent"), entry("outreach", fidelity="unknown")]}).lessons == []


# --- groups (--by) ---------------------------------------------------------------------------


def test_a_group_all_within_the_limits_is_a_signal_not_a_cause() -> None:
    teams = {**{site: "pharmacist" for site in ("a", "b", "c")}, **{site: "technician" for site in ("d", "w")},
             **{site: "locum" for site in ("e", "f", "g", "h", "z")}}
    result = compare_rows(rows(teams), spec=spec(), by="team")
    assert result.lessons == [
        "All 5 sites with team = locum are within or better than the limits for Harmful prescribing. "
        "A signal to investigate, not a cause.",
        "All 3 sites with team = pharmacist are within or better than the limits for Harmful prescribing. "
        "A signal to investigate, not a cause.",
    ]  # not technician: `w`, one of its two sites, sits on the worse side


def test_a_group_of_one_site_teaches_nothing() -> None:
    teams = {site: "x" for site in COUNTS} | {"a": "alone"}
    assert not any("alone" in lesson for lesson in compare_rows(rows(teams), spec=spec(), by="team").lessons)


# --- never a cause, never a rank -------------------------------------------------------------


def everything() -> list[str]:
    """Every kind of lesson at once: shared changes (within, worse, better), fidelity, groups."""
    teams = {site: ("one" if site in "abcdw" else "two") for site in COUNTS}
    result = compare_rows(rows(teams), spec=spec(), by="team", logs=logs(
        a=[SUBSTITUTE, entry("outreach", "format", "shortening")],
        b=[SUBSTITUTE, entry("outreach", "format", "shortening")],
        w=[SUBSTITUTE, entry("outreach", "format", "departing", "inconsistent", "A recorded briefing instead.")],
        z=[entry("outreach", "format", "shortening"), entry(None, "setting", "adding")],
        h=[entry(None, "setting", "adding")]))
    return result.lessons


def test_all_kinds_of_lesson_appear_in_the_mixed_case() -> None:
    found = everything()
    assert any("look at how" in lesson for lesson in found)
    assert any("A signal to investigate, not proof" in lesson for lesson in found)
    assert any("fidelity-inconsistent" in lesson for lesson in found)
    assert any(lesson.startswith("All 5 sites with team = two") for lesson in found)
    assert len(found) == len(set(found))  # each said once


def test_no_lesson_claims_a_cause_or_ranks_sites() -> None:
    for lesson in everything():
        assert not CAUSAL.search(lesson), lesson
        assert not RANKING.search(lesson), lesson


def test_sites_are_named_in_alphabetical_order_never_by_rate() -> None:
    # `z` has the lowest (best) rate and `w` the highest; the list is still a, w, z.
    [lesson] = run({"z": [SUBSTITUTE], "w": [SUBSTITUTE], "a": [SUBSTITUTE]}).lessons
    assert "(a, w, z)" in lesson


def test_lessons_are_recomputed_the_same_from_the_comparison() -> None:
    result = run({"a": [SUBSTITUTE], "w": [SUBSTITUTE]})
    assert lessons(result, spec()) == result.lessons


# --- no direction, no funnel lessons ---------------------------------------------------------


@pytest.mark.parametrize("how", ["no spec", "no direction", "continuous"])
def test_without_a_direction_there_are_no_funnel_lessons(how: str) -> None:
    shared = {"a": [SUBSTITUTE], "b": [SUBSTITUTE], "w": [SUBSTITUTE, entry("outreach", fidelity="inconsistent")]}
    teams = {site: "one" for site in COUNTS}
    if how == "continuous":
        values = [measurement(site, period=f"2026-0{month}", value=count / 10 + month, team="one")
                  for site, count in COUNTS.items() for month in (1, 2, 3)]
        result = compare_rows(values, spec=spec(), by="team", logs=logs(**shared))
        assert result.outcomes[0].funnel is None
    else:
        intervention = None if how == "no spec" else spec(direction=None)
        result = compare_rows(rows(teams), spec=intervention, by="team", logs=logs(**shared))
        assert result.outcomes[0].funnel is not None and result.outcomes[0].direction is None
    assert result.lessons == []
    assert set(result.adaptations) == {"a", "b", "w"}  # the logs were read; only the lessons are withheld


def test_an_outcome_without_a_direction_is_skipped_beside_one_with_a_direction() -> None:
    both = rows() + [measurement(site, count, 1000, outcome="reach") for site, count in COUNTS.items()]
    intervention = spec()
    intervention.outcomes.append(type(intervention.outcomes[0])(id="reach", name="Reach", type="process"))
    result = compare_rows(both, spec=intervention, logs=logs(a=[SUBSTITUTE], b=[SUBSTITUTE]))
    assert [o.outcome for o in result.outcomes] == ["harm", "reach"]
    [lesson] = result.lessons
    assert "Harmful prescribing" in lesson and "Reach" not in lesson


# --- joining logs to sites -------------------------------------------------------------------


def test_logs_join_by_file_name_or_by_the_slug_of_their_site() -> None:
    sites = ["abbey-fields-pcn", "northgate-pcn", "riverside"]
    matched, unmatched = match_logs([
        ("examples/pincer/logs/abbey-fields-pcn.yaml", log("Abbey Fields Primary Care Network", entry())),
        ("logs/2026-returns.yaml", log("Northgate PCN", entry("outreach"))),   # slug of site: northgate-pcn
        ("logs/riverside.yml", log("somewhere else entirely", entry("review"))),  # file name, .yml
        ("logs/unknown-site.yaml", log("Nowhere Surgery", entry())),
        ("logs/also-unknown.yaml", log("Hill Top", entry())),
    ], sites)
    assert sorted(matched) == sites
    assert matched["abbey-fields-pcn"].name == "Abbey Fields Primary Care Network"
    assert [e.component for e in matched["northgate-pcn"].entries] == ["outreach"]
    assert [e.component for e in matched["riverside"].entries] == ["review"]
    assert unmatched == ["logs/unknown-site.yaml", "logs/also-unknown.yaml"]


def test_a_log_joins_a_site_written_as_its_id() -> None:
    matched, unmatched = match_logs([("x.yaml", log("Site_9 ", entry()))], ["site-9"])
    assert list(matched) == ["site-9"] and unmatched == []
    assert slug("  St. Anne's Hall ") == "st-anne-s-hall"


def test_two_logs_of_one_site_are_read_together() -> None:
    matched, _ = match_logs([("logs/a.yaml", log("A", entry("one"))), ("more/a.yaml", log("A", entry("two")))], ["a"])
    assert [e.component for e in matched["a"].entries] == ["one", "two"]


def test_unmatched_logs_are_reported_and_teach_nothing() -> None:
    result = compare_rows(rows(), spec=spec(), logs=[("logs/nobody.yaml", log("Nobody", SUBSTITUTE)),
                                                     ("logs/nobody-else.yaml", log("Nobody Else", SUBSTITUTE))])
    assert result.unmatched_logs == ["logs/nobody.yaml", "logs/nobody-else.yaml"]
    assert result.adaptations == {} and result.lessons == []
