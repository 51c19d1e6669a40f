"""Each path of the fit analysis (DESIGN.md, "Adapt semantics"), one small case each,
and the JSON plan's shape at every level."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spreadkit.adapt import analyse, evidence_fits
from spreadkit.adapt.fit import LEAVE_OUT, ComponentFit, Fit
from spreadkit.adapt.plan import guide_view, plan_json, planned_entries
from spreadkit.formats.context import Context
from spreadkit.formats.intervention import Intervention

from .helpers import alternative, component, context, intervention, need, role

HAS_IT = {"it_system": "EMIS Web"}
MEETING = {"fact": "weekly-meeting", "equals": True}


def only(spec: Intervention, site: Context) -> ComponentFit:
    fit = analyse(spec, site)
    assert len(fit.components) == 1
    return fit.components[0]


def roles_of(result: ComponentFit) -> list[tuple[str, str, str | None]]:
    return [(r.id, r.status, r.via) for r in result.roles]


def needs_of(result: ComponentFit) -> list[tuple[str, str]]:
    return [(n.id, n.status) for n in result.needs]


# --- 1. needs -------------------------------------------------------------------------


def test_essential_need_false_is_a_gap_whatever_the_forms() -> None:
    spec = intervention([component(who=["pharmacist"], requires=[need("it", HAS_IT)],
                                   alternatives=[alternative("Anything else")])], roles=[role("pharmacist")])
    result = only(spec, context(roles=["pharmacist"], it_systems=["SystmOne"]))
    assert result.verdict == "gap"
    assert [n.id for n in result.gaps] == ["it"]
    assert result.risks == []
    assert result.form_source == "original"  # no change of form can cure an unmet need


def test_non_essential_need_false_is_only_a_risk() -> None:
    spec = intervention([component(requires=[need("it", HAS_IT, essential=False)])])
    result = only(spec, context(roles=[], it_systems=[]))
    assert result.verdict == "ready"
    assert [n.id for n in result.risks] == ["it"]
    assert result.gaps == []
    assert result.questions == []


def test_non_essential_need_unknown_is_asked_as_helpful_and_decides_nothing() -> None:
    spec = intervention([component(requires=[need("meeting", MEETING, essential=False)])])
    result = only(spec, context(roles=[]))
    assert result.verdict == "ready"
    assert needs_of(result) == [("meeting", "unknown")]
    assert result.questions == ["The site has meeting. (Inner Setting; helpful, not essential; answer "
                                "it in the context's `facts.weekly-meeting`)"]


def test_need_unknown_makes_a_feasible_form_unknown() -> None:
    spec = intervention([component(requires=[need("meeting", MEETING)])])
    result = only(spec, context(roles=[], facts={}))
    assert result.verdict == "unknown"
    assert result.form_source == "original"
    assert result.questions == ["The site has meeting. (Inner Setting; answer it in the context's `facts.weekly-meeting`)"]


def test_a_need_without_a_check_cannot_be_answered() -> None:
    spec = intervention([component(requires=[need("culture", None)])])
    result = only(spec, context(roles=[]))
    assert needs_of(result) == [("culture", "unknown")]
    assert result.verdict == "unknown"


def test_need_met_and_form_feasible_is_ready() -> None:
    spec = intervention([component(who=["pharmacist"], requires=[need("it", HAS_IT), need("meeting", MEETING)])],
                        roles=[role("pharmacist")])
    result = only(spec, context(roles=["pharmacist"], it_systems=[" emis web "], facts={"weekly-meeting": True}))
    assert needs_of(result) == [("it", "met"), ("meeting", "met")]  # names compare trimmed, any case
    assert result.verdict == "ready"
    assert result.form == "The c form as described."


def test_intervention_level_needs_apply_to_every_component() -> None:
    spec = intervention([component("a"), component("b", kind="adaptable")], requires=[need("it", HAS_IT)])
    fit = analyse(spec, context(roles=[], it_systems=[]))
    assert [c.verdict for c in fit.components] == ["gap", "gap"]
    for result in fit.components:
        assert [(n.id, n.status, n.scope) for n in result.needs] == [("it", "unmet", "intervention")]
    assert fit.readiness == "not-ready"
    met = analyse(spec, context(roles=[], it_systems=["EMIS Web"]))
    assert [c.verdict for c in met.components] == ["ready", "ready"]


def test_component_needs_come_before_intervention_needs() -> None:
    spec = intervention([component(requires=[need("own", MEETING)])], requires=[need("shared", HAS_IT)])
    result = only(spec, context(roles=[], it_systems=["EMIS Web"], facts={"weekly-meeting": True}))
    assert [(n.id, n.scope) for n in result.needs] == [("own", "component"), ("shared", "intervention")]


# --- 2. roles of the original form -------------------------------------------------------


def test_original_form_with_every_role_is_ready() -> None:
    spec = intervention([component(who=["pharmacist", "gp"])], roles=[role("pharmacist"), role("gp")])
    result = only(spec, context(roles=["pharmacist", "gp"]))
    assert roles_of(result) == [("pharmacist", "available", None), ("gp", "available", None)]
    assert result.verdict == "ready"


def test_feasible_through_a_substitute_is_adapt_via_the_substitute() -> None:
    spec = intervention([component(who=["pharmacist"])],
                        roles=[role("pharmacist", substitutes=["technician", "mo-pharmacist"]), role("technician"),
                               role("mo-pharmacist")])
    result = only(spec, context(roles=["mo-pharmacist"]))
    assert roles_of(result) == [("pharmacist", "substitute", "mo-pharmacist")]
    assert result.verdict == "adapt"
    assert result.form_source == "original"
    assert result.form == "The c form as described."
    assert [(r.id, r.via) for r in result.substitutes] == [("pharmacist", "mo-pharmacist")]


def test_the_first_listed_substitute_the_site_has_is_named() -> None:
    spec = intervention([component(who=["pharmacist"])],
                        roles=[role("pharmacist", substitutes=["technician", "mo-pharmacist"]), role("technician"),
                               role("mo-pharmacist")])
    result = only(spec, context(roles=["mo-pharmacist", "technician"]))
    assert roles_of(result) == [("pharmacist", "substitute", "technician")]


def test_a_role_with_no_wte_is_missing() -> None:
    spec = intervention([component(who=["pharmacist"])], roles=[role("pharmacist", substitutes=["technician"]),
                                                                role("technician")])
    result = only(spec, context(roles=[("pharmacist", 0), ("technician", 0)]))
    assert roles_of(result) == [("pharmacist", "missing", None)]
    assert result.verdict == "gap"
    assert [r.id for r in result.missing_roles] == ["pharmacist"]


def test_a_role_with_some_wte_is_available() -> None:
    spec = intervention([component(who=["pharmacist"])], roles=[role("pharmacist")])
    assert roles_of(only(spec, context(roles=[("pharmacist", 0.1)]))) == [("pharmacist", "available", None)]


def test_a_context_with_no_roles_leaves_every_role_unknown() -> None:
    spec = intervention([component(who=["pharmacist", "gp"])], roles=[role("pharmacist"), role("gp")])
    result = only(spec, context())
    assert roles_of(result) == [("pharmacist", "unknown", None), ("gp", "unknown", None)]
    assert result.verdict == "unknown"
    assert any("`pharmacist`" in q for q in result.questions)
    assert any("`gp`" in q for q in result.questions)


def test_an_empty_role_list_is_an_answer_not_a_question() -> None:
    spec = intervention([component(who=["pharmacist"])], roles=[role("pharmacist")])
    result = only(spec, context(roles=[]))
    assert roles_of(result) == [("pharmacist", "missing", None)]
    assert result.verdict == "gap"


def test_a_role_the_intervention_does_not_define_can_still_be_available() -> None:
    spec = intervention([component(who=["helper"])])
    assert only(spec, context(roles=["helper"])).verdict == "ready"
    assert only(spec, context(roles=[])).verdict == "gap"


# --- 3. alternatives ---------------------------------------------------------------------


def _with_alternatives(*alternatives: dict[str, Any], kind: str = "core", **fields: Any) -> Intervention:
    return intervention([component(kind=kind, who=["pharmacist"], alternatives=list(alternatives), **fields)],
                        roles=[role("pharmacist"), role("technician"), role("nurse")])


def test_original_infeasible_first_fitting_alternative_is_adapt_with_its_form() -> None:
    spec = _with_alternatives(alternative("Technician runs it", when={"has_role": "technician"}, who=["technician"]))
    result = only(spec, context(roles=["technician"]))
    assert result.verdict == "adapt"
    assert result.form == "Technician runs it"
    assert result.form_source == "alternative"
    assert result.alternative is not None and result.alternative.form == "Technician runs it"
    assert [(r.id, r.status) for r in result.form_roles] == [("technician", "available")]
    assert roles_of(result) == [("pharmacist", "missing", None)]  # the original form's roles, as they are


def test_the_first_fitting_alternative_wins() -> None:
    spec = _with_alternatives(alternative("First", when={"has_role": "technician"}, who=["technician"]),
                              alternative("Second", when={"has_role": "nurse"}, who=["nurse"]))
    assert only(spec, context(roles=["technician", "nurse"])).form == "First"
    assert only(spec, context(roles=["nurse"])).form == "Second"
    swapped = _with_alternatives(alternative("Second", when={"has_role": "nurse"}, who=["nurse"]),
                                 alternative("First", when={"has_role": "technician"}, who=["technician"]))
    assert only(swapped, context(roles=["technician", "nurse"])).form == "Second"


def test_an_alternative_without_when_fits_anywhere() -> None:
    spec = _with_alternatives(alternative("Recorded briefing"))
    result = only(spec, context(roles=[]))
    assert (result.verdict, result.form, result.form_roles) == ("adapt", "Recorded briefing", [])


def test_an_alternative_whose_when_is_false_is_passed_over() -> None:
    spec = _with_alternatives(alternative("Meeting", when=MEETING), alternative("Leaflet"))
    result = only(spec, context(roles=[], facts={"weekly-meeting": False}))
    assert (result.verdict, result.form) == ("adapt", "Leaflet")


def test_an_alternative_whose_when_is_unknown_makes_it_unknown() -> None:
    spec = _with_alternatives(alternative("Meeting", when=MEETING))
    result = only(spec, context(roles=[], facts={}))
    assert result.verdict == "unknown"
    assert result.form_source == "original"
    assert result.questions == ["Would this form fit: Meeting (its condition is not answered by the context; answer it in the "
                                "context's `facts.weekly-meeting`)"]


def test_a_later_definite_fit_wins_over_an_earlier_open_question() -> None:
    spec = _with_alternatives(alternative("Meeting", when=MEETING), alternative("Leaflet", when={"has_role": "nurse"}))
    result = only(spec, context(roles=["nurse"], facts={}))
    assert (result.verdict, result.form) == ("adapt", "Leaflet")


def test_an_alternative_whose_roles_are_missing_is_skipped() -> None:
    spec = _with_alternatives(alternative("Technician runs it", who=["technician"]),
                              alternative("Nurse runs it", who=["nurse"]))
    result = only(spec, context(roles=["nurse"]))
    assert (result.verdict, result.form) == ("adapt", "Nurse runs it")
    assert only(spec, context(roles=[])).verdict == "gap"


def test_an_alternative_can_use_a_substitute_role() -> None:
    spec = intervention([component(who=["pharmacist"], alternatives=[alternative("Team", who=["technician"])])],
                        roles=[role("pharmacist"), role("technician", substitutes=["nurse"]), role("nurse")])
    result = only(spec, context(roles=["nurse"]))
    assert (result.verdict, result.form) == ("adapt", "Team")
    assert [(r.id, r.status, r.via) for r in result.form_roles] == [("technician", "substitute", "nurse")]


def test_a_fitting_alternative_with_a_need_unknown_is_unknown() -> None:
    spec = _with_alternatives(alternative("Leaflet"), requires=[need("meeting", MEETING)])
    result = only(spec, context(roles=[], facts={}))
    assert result.verdict == "unknown"


def test_an_original_form_with_unknown_roles_tries_the_alternatives() -> None:
    spec = _with_alternatives(alternative("Leaflet"))
    result = only(spec, context())
    assert (result.verdict, result.form) == ("adapt", "Leaflet")
    other = _with_alternatives(alternative("Technician", who=["technician"]))
    assert only(other, context()).verdict == "unknown"


# --- none fits -----------------------------------------------------------------------------


def test_none_fits_core_is_a_gap() -> None:
    spec = _with_alternatives(alternative("Meeting", when=MEETING))
    result = only(spec, context(roles=[], facts={"weekly-meeting": False}))
    assert (result.verdict, result.form_source) == ("gap", "none")
    assert analyse(spec, context(roles=[], facts={"weekly-meeting": False})).readiness == "not-ready"


def test_none_fits_adaptable_is_a_gap_the_site_works_around() -> None:
    spec = _with_alternatives(alternative("Meeting", when=MEETING), kind="adaptable", guidance="Any format")
    fit = analyse(spec, context(roles=[], facts={"weekly-meeting": False}))
    assert (fit.components[0].verdict, fit.components[0].form_source) == ("gap", "none")
    assert fit.readiness == "ready-with-adaptations"


def test_none_fits_optional_adaptable_is_left_out() -> None:
    spec = _with_alternatives(alternative("Meeting", when=MEETING), kind="adaptable", optional=True)
    fit = analyse(spec, context(roles=[], facts={"weekly-meeting": False}))
    result = fit.components[0]
    assert (result.verdict, result.form, result.form_source) == ("adapt", LEAVE_OUT, "leave-out")
    assert result.form_roles == []
    assert fit.readiness == "ready-with-adaptations"
    assert planned_entries(fit)[0]["nature"] == "removing"


def test_an_optional_component_is_left_out_until_a_form_is_known_to_fit() -> None:
    """Left out is open to every site: an optional component is never a gap for its own
    needs, nor `unknown`; a question is asked only while its answer could make a form fit."""
    spec = _with_alternatives(kind="adaptable", optional=True, requires=[need("meeting", MEETING)])
    nobody = only(spec, context(roles=[], facts={}))
    assert (nobody.verdict, nobody.form_source, nobody.questions) == ("adapt", "leave-out", [])
    no_meeting = only(spec, context(roles=["pharmacist"], facts={"weekly-meeting": False}))
    assert (no_meeting.verdict, no_meeting.form_source, no_meeting.gaps) == ("adapt", "leave-out", [])
    open_meeting = only(spec, context(roles=["pharmacist"], facts={}))
    assert (open_meeting.verdict, open_meeting.form_source) == ("adapt", "leave-out")
    assert open_meeting.questions == ["The site has meeting. (Inner Setting; answer it in the context's "
                                      "`facts.weekly-meeting`)"]
    kept = only(spec, context(roles=["pharmacist"], facts={"weekly-meeting": True}))
    assert (kept.verdict, kept.form_source) == ("ready", "original")


def test_an_optional_component_is_a_gap_when_the_whole_intervention_is() -> None:
    spec = intervention([component(kind="adaptable", optional=True, who=["pharmacist"])], roles=[role("pharmacist")],
                        requires=[need("meeting", MEETING)])
    for roles in ([], ["pharmacist"]):
        result = only(spec, context(roles=roles, facts={"weekly-meeting": False}))
        assert (result.verdict, [n.id for n in result.gaps]) == ("gap", ["meeting"])


def test_an_optional_component_the_site_can_deliver_is_kept() -> None:
    spec = _with_alternatives(kind="adaptable", optional=True)
    assert only(spec, context(roles=["pharmacist"])).verdict == "ready"


def test_a_fixed_core_component_never_takes_an_alternative() -> None:
    spec = _with_alternatives(alternative("Leaflet"), fixed=True)
    result = only(spec, context(roles=[]))
    assert (result.verdict, result.form_source, result.alternative) == ("gap", "original", None)
    assert only(spec, context()).verdict == "unknown"  # roles unknown: still no alternative
    assert only(spec, context(roles=["pharmacist"])).verdict == "ready"


def test_a_fixed_core_component_still_takes_a_listed_substitute_role() -> None:
    spec = intervention([component(who=["pharmacist"], fixed=True, alternatives=[alternative("Leaflet")])],
                        roles=[role("pharmacist", substitutes=["technician"]), role("technician")])
    result = only(spec, context(roles=["technician"]))
    assert (result.verdict, result.form_source) == ("adapt", "original")


# --- readiness -----------------------------------------------------------------------------


def _mixed(*verdicts: tuple[str, str]) -> Fit:
    """Components of the given (kind, verdict), built from conditions that give them."""
    make = {
        "ready": {},
        "adapt": {"who": ["absent"], "alternatives": [alternative("Other")]},
        "gap": {"requires": [need("it", HAS_IT)]},
        "unknown": {"requires": [need("meeting", MEETING)]},
    }
    components = [component(f"c{i}", kind=kind, **make[verdict]) for i, (kind, verdict) in enumerate(verdicts)]
    fit = analyse(intervention(components), context(roles=[], it_systems=[], facts={}))
    assert [(c.kind, c.verdict) for c in fit.components] == list(verdicts)
    return fit


@pytest.mark.parametrize(("verdicts", "readiness"), [
    ([("core", "ready"), ("adaptable", "ready")], "ready"),
    ([("core", "ready"), ("adaptable", "adapt")], "ready-with-adaptations"),
    ([("core", "adapt"), ("adaptable", "ready")], "ready-with-adaptations"),
    ([("core", "ready"), ("adaptable", "gap")], "ready-with-adaptations"),
    ([("core", "unknown"), ("adaptable", "adapt")], "incomplete"),
    ([("core", "unknown"), ("adaptable", "gap")], "incomplete"),
    ([("core", "gap"), ("core", "unknown")], "not-ready"),
    ([("core", "gap"), ("adaptable", "ready")], "not-ready"),
    ([("adaptable", "gap"), ("core", "gap")], "not-ready"),
    # An open question on an adaptable component: at worst it is a gap there, which the
    # site works around, so ready with adaptations (monotone; see readiness_of).
    ([("core", "ready"), ("adaptable", "unknown")], "ready-with-adaptations"),
    ([], "ready"),
])
def test_readiness(verdicts: list[tuple[str, str]], readiness: str) -> None:
    assert _mixed(*verdicts).readiness == readiness


# --- the JSON plan ---------------------------------------------------------------------------


def _plan() -> dict[str, Any]:
    spec = intervention(
        [component("a", who=["pharmacist"], requires=[need("it", HAS_IT), need("meeting", MEETING, essential=False)]),
         component("b", kind="adaptable", who=["gp"], alternatives=[alternative("Other", when=MEETING)])],
        roles=[role("pharmacist", substitutes=["technician"]), role("technician"), role("gp")],
        evidence=[{"id": "trial", "citation": "A trial", "context": {"country": "England", "settings": ["gp"]}},
                  {"id": "bare", "citation": "No context"}],
    )
    site = context(roles=["technician"], it_systems=[], settings=["gp"], country="Wales")
    return json.loads(json.dumps(plan_json(analyse(spec, site), evidence_fits(spec, site))))


def test_plan_json_has_exactly_the_documented_keys_at_every_level() -> None:
    plan = _plan()
    assert list(plan) == ["intervention", "version", "site", "readiness", "components", "evidence", "questions",
                          "actions"]
    assert (plan["intervention"], plan["version"], plan["site"]) == ("demo", "1.0.0", "Test site")
    assert plan["readiness"] in ("ready", "ready-with-adaptations", "not-ready", "incomplete")
    assert len(plan["components"]) == 2
    for item in plan["components"]:
        assert list(item) == ["id", "kind", "verdict", "form", "requirements", "roles", "strategies", "questions",
                              "fits"]
        for fit in item["fits"]:
            assert list(fit) == ["form", "source", "conditions"]
            assert fit["source"] in ("original", "alternative", "leave-out")
        assert item["verdict"] in ("ready", "adapt", "gap", "unknown")
        for requirement in item["requirements"]:
            assert list(requirement) == ["id", "status", "essential"]
            assert requirement["status"] in ("met", "unmet", "unknown")
            assert isinstance(requirement["essential"], bool)
        for entry in item["roles"]:
            assert list(entry) == ["id", "status", "via"]
            assert entry["status"] in ("available", "substitute", "missing", "unknown")
        for strategy in item["strategies"]:
            assert set(strategy) == {"eric", "name", "reason", "for"}
        assert all(isinstance(q, str) for q in item["questions"])
    assert len(plan["evidence"]) == 2
    for evidence in plan["evidence"]:
        assert list(evidence) == ["id", "similarity", "matches", "differences"]
    assert all(isinstance(q, str) for q in plan["questions"])


def test_plan_json_values() -> None:
    plan = _plan()
    a, b = plan["components"]
    assert (a["verdict"], a["requirements"]) == ("gap", [{"id": "it", "status": "unmet", "essential": True},
                                                         {"id": "meeting", "status": "unknown", "essential": False}])
    assert a["roles"] == [{"id": "pharmacist", "status": "substitute", "via": "technician"}]
    assert a["strategies"] == []  # "The site has it." says nothing an ERIC strategy could be matched on
    assert (b["verdict"], b["roles"]) == ("unknown", [{"id": "gp", "status": "missing", "via": None}])
    assert b["questions"] == ["Would this form fit: Other (its condition is not answered by the context; answer it in the "
                              "context's `facts.weekly-meeting`)"]
    # a's helpful need is open too: asked, marked as helpful, though it decides no verdict
    assert a["questions"] == ["The site has meeting. (Inner Setting; helpful, not essential; answer it "
                              "in the context's `facts.weekly-meeting`)"]
    assert plan["questions"] == [*a["questions"], *b["questions"]]
    trial, bare = plan["evidence"]
    assert trial["similarity"] == "partial"
    assert trial["matches"] == ["settings: both in gp"]
    assert trial["differences"] == ["country: studied in England; this site is in Wales"]
    assert bare == {"id": "bare", "similarity": "unknown", "matches": [], "differences": []}


def test_a_missing_role_on_a_core_gap_gets_strategies_for_the_role() -> None:
    spec = intervention([component(who=["gp"])], roles=[role("gp")])
    site = context(roles=[])
    plan = plan_json(analyse(spec, site), [])
    assert plan["components"][0]["verdict"] == "gap"
    assert plan["components"][0]["strategies"] and {s["for"] for s in plan["components"][0]["strategies"]} == {"gp"}


def test_questions_are_deduplicated_in_order() -> None:
    spec = intervention([component("a", requires=[need("meeting", MEETING)]),
                         component("b", requires=[need("meeting", MEETING)])])
    fit = analyse(spec, context(roles=[]))
    assert fit.questions == ["The site has meeting. (Inner Setting; answer it in the context's `facts.weekly-meeting`)"]


def test_guide_view_gathers_what_the_guide_shows() -> None:
    spec = intervention([component("a", who=["pharmacist"]), component("b", kind="adaptable", optional=True, who=["gp"])],
                        roles=[role("pharmacist", substitutes=["technician"]), role("technician"), role("gp")])
    fit = analyse(spec, context(roles=["technician"]))
    view = guide_view(fit, [])
    assert [c["id"] for c in view["core"]] == ["a"] and [c["id"] for c in view["adaptable"]] == ["b"]
    assert view["counts"] == {"ready": 0, "adapt": 2, "gap": 0, "unknown": 0}
    assert view["core"][0]["changed"] and view["core"][0]["roles"][0]["via_title"] == "Technician"
    assert [a["nature"] for a in view["adaptations"]] == ["substituting", "removing"]
    for entry in view["adaptations"]:
        assert (entry["when"], entry["planned"], entry["fidelity"]) == ("pre-implementation", "proactive", "consistent")
