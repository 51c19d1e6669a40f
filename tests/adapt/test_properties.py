"""Property tests of the fit analysis on generated interventions and sites.

The site lists everything (closed world: roles, settings, IT systems and resources are
all given; a fact left out is unknown). Giving such a site one more role, resource,
setting or IT system, or turning a fact that was unknown or false to true, can only
help: no component's verdict and not the readiness may get worse (best to worst as in
VERDICT_ORDER and READINESS_ORDER of adapt/fit.py).

This holds only because the generated conditions are negation-free: with `not`, more
resources can make a condition false (`when: {not: {resource: dashboard}}`), and the
analysis is rightly not monotone then. So the strategies below never generate `not`,
`population_at_most`, `fact: ... at_most` or `equals: false`.

The generated descriptions use every part of the verdict rule: needs every form shares,
needs of the original form only (`original_only`) and of one alternative (its own
`requires`), needs met by another component or by a strategy (`met_by`), substitutes,
`when`, fixed core and optional adaptable components. The rule itself is restated
below (test_the_recommended_form_is_the_first_that_fits) from the site's answers alone.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from spreadkit.adapt import analyse, evidence_fits
from spreadkit.adapt.fit import READINESS_ORDER, VERDICT_ORDER, Fit
from spreadkit.adapt.plan import guide_view, plan_json
from spreadkit.formats import model_for
from spreadkit.formats.conditions import answered_by

ROLES = ("r0", "r1", "r2", "r3")
SETTINGS = ("s0", "s1", "s2")
RESOURCES = ("res0", "res1", "res2")
SYSTEMS = ("it0", "it1")
FACTS = ("f0", "f1", "f2")


def _names(pool: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(pool), st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))


# Negation-free leaves only (see the module docstring).
LEAVES = st.one_of(
    st.builds(lambda r: {"has_role": r}, st.sampled_from(ROLES)),
    st.builds(lambda s: {"setting": s}, _names(SETTINGS)),
    st.builds(lambda s: {"resource": s}, _names(RESOURCES)),
    st.builds(lambda s: {"it_system": s}, _names(SYSTEMS)),
    st.builds(lambda f: {"fact": f, "equals": True}, st.sampled_from(FACTS)),
    st.builds(lambda n: {"population_at_least": n}, st.sampled_from([0, 1000, 50000])),
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(lambda parts: {"all": parts}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda parts: {"any": parts}, st.lists(inner, min_size=1, max_size=3)),
    ),
    max_leaves=5,
)
WHO = st.lists(st.sampled_from(ROLES), max_size=2, unique=True)


STEPS = ("c0", "c1", "c2", "conduct-ongoing-training")  # what a `met_by` may name


@st.composite
def needs(draw: st.DrawFn, prefix: str, own: bool = False, steps: bool = True) -> list[dict[str, Any]]:
    """Needs; `own`: some belong to the original form only; `steps`: some are met by
    another component or a strategy."""
    found = []
    for i in range(draw(st.integers(0, 2))):
        need: dict[str, Any] = {"id": f"{prefix}-n{i}", "need": f"need {i}",
                                "domain": draw(st.sampled_from(["inner-setting", "outer-setting"])),
                                "essential": draw(st.booleans()), "check": draw(CONDITIONS)}
        if own and draw(st.booleans()):
            need["original_only"] = True
        if steps and draw(st.integers(0, 3)) == 0:
            need["met_by"] = draw(st.lists(st.sampled_from(STEPS), min_size=1, max_size=2, unique=True))
        found.append(need)
    return found


@st.composite
def alternatives(draw: st.DrawFn, index: int, steps: bool = True) -> list[dict[str, Any]]:
    found = []
    for i in range(draw(st.integers(0, 2))):
        alternative: dict[str, Any] = {"form": f"alternative {i}"}
        if draw(st.booleans()):
            alternative["when"] = draw(CONDITIONS)
        if draw(st.booleans()):
            alternative["who"] = draw(WHO)
        if draw(st.booleans()):
            alternative["requires"] = draw(needs(f"c{index}-a{i}", steps=steps))
        found.append(alternative)
    return found


@st.composite
def components(draw: st.DrawFn, index: int, steps: bool = True) -> dict[str, Any]:
    kind = draw(st.sampled_from(["core", "adaptable"]))
    data: dict[str, Any] = {"id": f"c{index}", "kind": kind, "name": f"C{index}", "form": f"form {index}",
                            "who": draw(WHO), "requires": draw(needs(f"c{index}", own=True, steps=steps)),
                            "alternatives": draw(alternatives(index, steps=steps))}
    if kind == "core":
        data["function"] = f"function {index}"
        data["fixed"] = draw(st.booleans())
    else:
        data["optional"] = draw(st.booleans())
    return data


@st.composite
def interventions(draw: st.DrawFn, steps: bool = True) -> dict[str, Any]:
    roles = [{"id": r, "title": r.upper(),
              "substitutes": draw(st.lists(st.sampled_from([o for o in ROLES if o != r]), max_size=2, unique=True))}
             for r in ROLES]
    count = draw(st.integers(1, 3))
    # A `met_by` naming a component that is not there is an error lint reports (SK401): leave it out.
    spec = {"spreadkit": 1, "id": "generated", "name": "Generated", "version": "1.0.0", "roles": roles,
            "components": [draw(components(i, steps)) for i in range(count)],
            "context": {"requires": draw(needs("all", steps=steps))},
            "strategies": [{"eric": "conduct-ongoing-training"}] if draw(st.booleans()) else []}
    named = {f"c{i}" for i in range(count)} | {s["eric"] for s in spec["strategies"]}
    for need in _every_need(spec):
        kept = [m for m in need.pop("met_by", []) if m in named]
        if kept:
            need["met_by"] = kept
    return spec


def _every_need(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(spec["context"]["requires"])
    for component in spec["components"]:
        found += component["requires"]
        for alternative in component["alternatives"]:
            found += alternative.get("requires", [])
    return found


@st.composite
def sites(draw: st.DrawFn) -> dict[str, Any]:
    roles = [{"id": r, **({"wte": draw(st.sampled_from([0, 0.5]))} if draw(st.booleans()) else {})}
             for r in draw(st.lists(st.sampled_from(ROLES), max_size=4, unique=True))]
    facts = {f: draw(st.booleans()) for f in draw(st.lists(st.sampled_from(FACTS), max_size=3, unique=True))}
    site: dict[str, Any] = {
        "spreadkit-context": 1, "site": "Generated site",
        "roles": roles,
        "settings": draw(st.lists(st.sampled_from(SETTINGS), max_size=3, unique=True)),
        "resources": draw(st.lists(st.sampled_from(RESOURCES), max_size=3, unique=True)),
        "it_systems": draw(st.lists(st.sampled_from(SYSTEMS), max_size=2, unique=True)),
        "facts": facts,
    }
    if draw(st.booleans()):
        site["population"] = {"size": draw(st.sampled_from([500, 20000, 100000]))}
    return site


def _more(site: dict[str, Any], change: tuple[str, str]) -> dict[str, Any]:
    """The same site with one more role, setting, resource or IT system, or one fact true."""
    field, value = change
    grown = {**site, "facts": dict(site["facts"])}
    if field == "roles":
        grown["roles"] = [*site["roles"], {"id": value, "wte": 1.0}]
    elif field == "facts":
        grown["facts"][value] = True
    else:
        grown[field] = [*site[field], value]
    return grown


CHANGES = st.one_of(
    st.tuples(st.just("roles"), st.sampled_from(ROLES)),
    st.tuples(st.just("settings"), st.sampled_from(SETTINGS)),
    st.tuples(st.just("resources"), st.sampled_from(RESOURCES)),
    st.tuples(st.just("it_systems"), st.sampled_from(SYSTEMS)),
    st.tuples(st.just("facts"), st.sampled_from(FACTS)),
)


def _fit(spec: dict[str, Any], site: dict[str, Any]) -> Fit:
    return analyse(model_for("intervention").model_validate(spec),  # type: ignore[arg-type]
                   model_for("context").model_validate(site))  # type: ignore[arg-type]


def _spec(component: dict[str, Any], requires: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"spreadkit": 1, "id": "generated", "name": "Generated", "version": "1.0.0",
            "roles": [{"id": r, "title": r.upper()} for r in ROLES], "components": [component],
            "context": {"requires": requires or []}}


EMPTY_SITE = {"spreadkit-context": 1, "site": "Empty", "roles": [], "settings": [], "resources": [],
              "it_systems": [], "facts": {}}
UNKNOWN_FACT = {"id": "n", "need": "need", "domain": "inner-setting", "essential": True,
                "check": {"fact": "f0", "equals": True}}


# Two paths the random search finds only now and then, kept as fixed examples:
# - an optional adaptable component nobody can deliver is left out (adapt) even when one
#   of its needs is unknown; given the role, the unknown need must not make it worse
#   (it stays left out, with the question that could make its form fit);
# - an adaptable component with one need false (gap, which DESIGN counts as ready with
#   adaptations) and one unknown: once the false need is met it is `unknown`, which made
#   the readiness `incomplete`, worse (the fix: an open question about an adaptable
#   component makes the site at worst ready with adaptations, as a gap there does).
@example(_spec({"id": "c0", "kind": "adaptable", "name": "C0", "form": "f", "who": ["r0"], "optional": True,
                "requires": [UNKNOWN_FACT]}), EMPTY_SITE, ("roles", "r0"))
@example(_spec({"id": "c0", "kind": "adaptable", "name": "C0", "form": "f"},
               [{**UNKNOWN_FACT, "check": {"all": [{"has_role": "r2"}, {"fact": "f0", "equals": True}]}}]),
         EMPTY_SITE, ("roles", "r2"))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interventions(), sites(), CHANGES)
def test_more_never_makes_a_verdict_or_the_readiness_worse(spec: dict[str, Any], site: dict[str, Any],
                                                            change: tuple[str, str]) -> None:
    before, after = _fit(spec, site), _fit(spec, _more(site, change))
    for old, new in zip(before.components, after.components, strict=True):
        assert VERDICT_ORDER.index(new.verdict) <= VERDICT_ORDER.index(old.verdict), (
            f"{old.id}: {old.verdict} -> {new.verdict} after adding {change}")
    assert READINESS_ORDER.index(after.readiness) <= READINESS_ORDER.index(before.readiness), (
        f"readiness {before.readiness} -> {after.readiness} after adding {change}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interventions(), sites())
def test_analysis_and_views_never_raise(spec: dict[str, Any], site: dict[str, Any]) -> None:
    intervention = model_for("intervention").model_validate(spec)
    context = model_for("context").model_validate(site)
    fit = analyse(intervention, context)  # type: ignore[arg-type]
    evidence = evidence_fits(intervention, context)  # type: ignore[arg-type]
    plan = plan_json(fit, evidence)
    guide_view(fit, evidence)
    assert plan["readiness"] in READINESS_ORDER
    assert all(c["verdict"] in VERDICT_ORDER for c in plan["components"])
    # Readiness follows from the verdicts (DESIGN.md, with adaptable `unknown` counted as
    # adaptable `gap` is: ready with adaptations; see readiness_of).
    verdicts = [(c.kind, c.verdict) for c in fit.components]
    if ("core", "gap") in verdicts:
        expected = "not-ready"
    elif ("core", "unknown") in verdicts:
        expected = "incomplete"
    elif any(v == "adapt" or (k == "adaptable" and v in ("gap", "unknown")) for k, v in verdicts):
        expected = "ready-with-adaptations"
    else:
        expected = "ready"
    assert fit.readiness == expected


@settings(max_examples=100, deadline=None)
@given(interventions())
def test_a_site_that_has_everything_is_ready(spec: dict[str, Any]) -> None:
    """The site with every role, setting, resource and system, every fact true and a
    large population: every condition is true, so every component is ready as described."""
    everything = {"spreadkit-context": 1, "site": "Everything", "roles": [{"id": r} for r in ROLES],
                  "settings": list(SETTINGS), "resources": list(RESOURCES), "it_systems": list(SYSTEMS),
                  "facts": {f: True for f in FACTS}, "population": {"size": 100000}}
    best = _fit(spec, everything)
    assert [c.verdict for c in best.components] == ["ready"] * len(best.components)
    assert best.readiness == "ready"


# --- the rule, restated from the site's answers alone ------------------------------------------


def _truth(condition: dict[str, Any] | None, site: Any) -> bool | None:
    from pydantic import TypeAdapter

    from spreadkit.formats.conditions import Condition, evaluate

    return True if condition is None else evaluate(TypeAdapter(Condition).validate_python(condition), site)


def _all(values: list[bool | None]) -> bool | None:
    return False if False in values else None if None in values else True


def _covered(roles: list[str], spec: dict[str, Any], site: Any) -> bool | None:
    if site.roles is None:
        return None if roles else True
    have = {r.id for r in site.roles if r.wte is None or r.wte > 0}
    substitutes = {r["id"]: r.get("substitutes", []) for r in spec["roles"]}
    return all(r in have or any(s in have for s in substitutes.get(r, [])) for r in roles)


def _forms(component: dict[str, Any], spec: dict[str, Any], site: Any) -> list[tuple[str, bool | None]]:
    """Each form a site may take, the original first, and whether it is feasible here:
    its roles covered, its own essential needs met and (an alternative) its `when` true."""
    def own(needs: list[dict[str, Any]]) -> list[bool | None]:
        return [_truth(n["check"], site) for n in needs if n["essential"]]

    forms = [("original", _all([_covered(component["who"], spec, site),
                                *own([n for n in component["requires"] if n.get("original_only")])]))]
    if not (component["kind"] == "core" and component.get("fixed")):
        forms += [(a["form"], _all([_covered(a.get("who") or [], spec, site), _truth(a.get("when"), site),
                                    *own(a.get("requires", []))])) for a in component["alternatives"]]
    return forms


# A trial's case: the every-form need false, the original's own need false too, and an
# alternative that fits: the alternative is shown, and the original's need is no gap.
@example(_spec({"id": "c0", "kind": "core", "name": "C0", "function": "f", "form": "f", "who": [],
                "requires": [{**UNKNOWN_FACT, "id": "all", "check": {"resource": "res0"}},
                             {**UNKNOWN_FACT, "id": "gym", "check": {"resource": "res1"}, "original_only": True}],
                "alternatives": [{"form": "alternative 0"}]}), EMPTY_SITE)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interventions(steps=False), sites())
def test_the_recommended_form_is_the_first_that_fits(spec: dict[str, Any], site: dict[str, Any]) -> None:
    """DESIGN.md's rule without `met_by`: a shared essential need false is a gap whatever
    the forms, shown in the form that would be recommended once it is met (the original
    when no form would fit), and its gaps are the shared needs that are false and, only
    when no form would fit, the original's own: never a need of a form it does not use;
    otherwise the recommended form is the original when it is feasible, else the first
    feasible alternative; every feasible form is listed as fitting, the recommended one
    first; with none, another is `unknown` while a form could still fit, else a gap. An
    optional adaptable component takes the first form known to fit, shared needs
    included, else is left out (`adapt`), asking nothing when no answer could make a form
    fit; it is a gap only when a need of the whole intervention is false."""
    context = model_for("context").model_validate(site)
    fit = _fit(spec, site)
    plan = plan_json(fit, [])
    for component, result, planned in zip(spec["components"], fit.components, plan["components"], strict=True):
        every_form = [n for n in component["requires"] + spec["context"]["requires"]
                      if n["essential"] and not n.get("original_only")]
        shared = [_truth(n["check"], context) for n in every_form]
        forms = _forms(component, spec, context)
        feasible = [name for name, ok in forms if ok is True]
        # The JSON's roles are the roles of the form shown.
        assert planned["roles"] == [{"id": r.id, "status": r.status, "via": r.via} for r in result.form_roles]
        if component["kind"] == "adaptable" and component.get("optional"):
            site_wide = [_truth(n["check"], context) for n in spec["context"]["requires"] if n["essential"]]
            fitting = [name for name, ok in forms if _all([*shared, ok]) is True]
            if _all(site_wide) is False:
                assert (result.verdict, result.fits) == ("gap", []), result.id
            elif fitting:
                chosen = "original" if result.form_source == "original" else result.form
                assert chosen == fitting[0], result.id
                assert result.verdict == ("ready" if chosen == "original" and not result.substitutes else "adapt")
            else:
                assert (result.verdict, result.form_source, result.gaps, result.risks) == ("adapt", "leave-out", [], [])
                if all(_all([*shared, ok]) is False for _, ok in forms):
                    assert result.questions == [], result.id
            continue
        if _all(shared) is False:
            assert (result.verdict, result.fits) == ("gap", []), result.id
            shown = "original" if result.form_source == "original" else result.form
            assert shown == (feasible[0] if feasible else "original"), result.id
            own = [] if feasible else [n for n in component["requires"] if n["essential"] and n.get("original_only")]
            assert sorted(n.id for n in result.gaps) == sorted(
                n["id"] for n in every_form + own if _truth(n["check"], context) is False), result.id
            continue
        if feasible:
            chosen = "original" if result.form_source == "original" else result.form
            assert chosen == feasible[0], result.id
            assert [f.form if f.source == "alternative" else "original" for f in result.fits] == \
                [feasible[0]] + [name for name in feasible[1:]], result.id
            if _all(shared) is None:
                assert result.verdict == "unknown"
            else:
                assert result.verdict == ("ready" if chosen == "original" and not result.substitutes else "adapt")
        elif any(ok is None for _, ok in forms):
            assert result.verdict == "unknown", result.id
        else:
            assert result.verdict == "gap", result.id


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interventions(), sites())
def test_a_need_met_by_something_the_site_can_deliver_is_never_a_gap(spec: dict[str, Any],
                                                                     site: dict[str, Any]) -> None:
    """A component is a gap only for a need that nothing the site can deliver meets, or
    for want of a form: a step (met_by a strategy, or a component that is ready or adapted
    here) never is; and readiness is `not-ready` only when some core component is a gap."""
    fit = _fit(spec, site)
    verdicts = {c.id: c.verdict for c in fit.components}
    strategies = {s["eric"] for s in spec["strategies"]}
    # The intervention's own needs are judged against each component apart from them, so a
    # component that meets one may still wait on another site-wide need, open or unmet.
    site_gap = any(n.essential and n.truth is not True for n in fit.site_needs)
    for component in fit.components:
        for need in component.needs:
            if need.step:
                assert need.truth is True
                assert any(m in strategies or verdicts.get(m) in ("ready", "adapt") for m in need.requirement.met_by) \
                    or (need.scope == "intervention" and site_gap)
        assert not [n for n in component.gaps if n.step]
        if component.verdict == "gap" and not component.gaps:
            assert component.fits == []
    assert (fit.readiness == "not-ready") == any(c.kind == "core" and c.verdict == "gap" for c in fit.components)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interventions(), sites())
def test_no_open_question_asks_what_the_site_answered(spec: dict[str, Any], site: dict[str, Any]) -> None:
    """A need the context answers (met or not) is open only while the component or strategy
    that would meet it is: its question points there, and never asks the answer again."""
    fit = _fit(spec, site)
    questions = [*fit.questions, *(q for c in fit.components for q in c.questions)]
    # Two needs worded alike and answered by the same keys ask one question; while either
    # is open it is asked, so only a wording of no open need must not be.
    open_wordings = {(n.requirement.need, tuple(answered_by(n.requirement.check)) if n.requirement.check else ())
                     for c in fit.components for n in c.needs if n.status == "unknown"}
    for component in fit.components:
        for need in component.needs:
            wording = (need.requirement.need,
                       tuple(answered_by(need.requirement.check)) if need.requirement.check else ())
            if need.status != "unknown" and wording not in open_wordings:
                # Questions name no need id: the need's text and the key that answers it say which.
                keys = answered_by(need.requirement.check) if need.requirement.check is not None else []
                hint = "; answer it in the context's " + ", ".join(f"`{k}`" for k in keys) + ")"
                assert not [q for q in questions if q.startswith(f"{need.requirement.need} (") and q.endswith(hint)]
