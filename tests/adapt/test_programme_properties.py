"""Property tests of the programme's logic: how alike two sites are (sites like yours)
and how the programme view counts what the sites lack.

Similarity is one comparison of two contexts, dimension by dimension: it must not
matter which site asks (symmetric), it is a share (in [0, 1]), and a site is as like
itself as a site can be (1, when it says anything that can be compared). The
programme view counts each site's own fit: a need's count is the number of sites
whose fit leaves it unmet, most often first, and one site's readiness never depends on
which other sites are in the programme.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from spreadkit.adapt import analyse
from spreadkit.adapt.likeness import judge
from spreadkit.adapt.fit import Fit
from spreadkit.adapt.peers import Likeness
from spreadkit.adapt.plan import guide_view
from spreadkit.adapt.programme import SiteFit, programme_json, programme_view
from spreadkit.formats import model_for
from spreadkit.formats.context import Context
from spreadkit.formats.intervention import Intervention

from .helpers import ROOT

SPEC: Intervention = model_for("intervention").model_validate(  # type: ignore[assignment]
    YAML(typ="safe").load((ROOT / "examples" / "pincer" / "intervention.yaml").read_text(encoding="utf-8")))
LIKENESS = Likeness(SPEC)
ROLE_IDS = [r.id for r in SPEC.roles]
SETTINGS = ("general-practice", "primary-care-network", "hospital")
FACTS = tuple(LIKENESS.asked)
ANSWERS = st.one_of(st.none(), st.booleans(), st.sampled_from([0, 1, 2.5, "yes", "Yes", "no"]))


@st.composite
def contexts(draw: st.DrawFn) -> Context:
    data: dict[str, Any] = {"spreadkit-context": 1, "site": draw(st.sampled_from(["A site", "Another site"]))}
    if draw(st.booleans()):
        data["settings"] = draw(st.lists(st.sampled_from(SETTINGS), max_size=3))
    if draw(st.booleans()):
        data["country"] = draw(st.sampled_from(["England", "england", "Scotland"]))
    if draw(st.booleans()):
        data["population"] = {"size": draw(st.integers(0, 500_000))}
    if draw(st.booleans()):
        data["roles"] = [{"id": r} for r in draw(st.lists(st.sampled_from(ROLE_IDS), max_size=4, unique=True))]
    if draw(st.booleans()):
        data["facts"] = {f: draw(ANSWERS) for f in draw(st.lists(st.sampled_from(FACTS), max_size=4, unique=True))}
    return model_for("context").model_validate(data)  # type: ignore[return-value]


def _score(ours: Context, theirs: Context) -> float | None:
    return judge(LIKENESS.dimensions(ours, theirs))[1]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contexts(), contexts())
def test_similarity_is_symmetric_and_a_share(one: Context, other: Context) -> None:
    forward, backward = _score(one, other), _score(other, one)
    assert forward == backward
    assert forward is None or 0.0 <= forward <= 1.0
    # Dimension by dimension too: both sides compare the same things, alike or not.
    pairs = zip(LIKENESS.dimensions(one, other), LIKENESS.dimensions(other, one), strict=True)
    assert all(a.name == b.name and a.score == b.score for a, b in pairs)


@settings(max_examples=200, deadline=None)
@given(contexts())
def test_a_site_identical_to_itself_scores_1(site: Context) -> None:
    dimensions = LIKENESS.dimensions(site, site)
    similarity, score = judge(dimensions)
    assert all(d.score in (None, 1.0) for d in dimensions)
    assert score in (None, 1.0)
    assert similarity == ("unknown" if score is None else "close" if sum(
        d.score is not None for d in dimensions) >= 2 else "partial")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contexts(), min_size=1, max_size=6))
def test_the_programme_view_counts_each_sites_own_fit(sites: list[Context]) -> None:
    fits = [SiteFit(f"s{i}", f"sites/s{i}.yaml", analyse(SPEC, c)) for i, c in enumerate(sites)]
    view = programme_json(programme_view(fits))
    alone = {f.id: programme_json(programme_view([f]))["sites"][0]["readiness"] for f in fits}
    assert {s["site"]: s["readiness"] for s in view["sites"]} == alone
    assert sum(view["readiness"].values()) == len(sites)
    counts = [n["unmet"] for n in view["needs"]]
    assert counts == sorted(counts, reverse=True)
    for need in view["needs"]:
        assert need["unmet"] == len(need["sites"]) == len(set(need["sites"]))
        assert set(need["blocks"]) <= set(need["sites"])
        for site in need["sites"]:
            fit = next(f.fit for f in fits if f.id == site)
            unmet = [n for n in fit.site_needs if n.status == "unmet"]
            unmet += [n for c in fit.components for n in c.needs if n.status == "unmet" and n.scope != "intervention"]
            assert need["id"] in {n.id for n in unmet}
    questions = [q["unanswered"] for q in view["questions"]]
    assert questions == sorted(questions, reverse=True)


def _listed_by_guide(fit: Fit) -> set[str]:
    """The needs a site's guide lists under "Gaps and what to do", as it shows them."""
    view = guide_view(fit, [])
    listed = {n["need"] for key in ("gaps", "risks") for n in view["site_needs"][key]}
    return listed | {n["need"] for c in view["core"] + view["adaptable"] for key in ("gaps", "risks") for n in c[key]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contexts(), min_size=1, max_size=3))
def test_the_programme_counts_exactly_the_needs_each_sites_own_guide_lists(sites: list[Context]) -> None:
    fits = [SiteFit(f"site-{i}", f"site-{i}.yaml", analyse(SPEC, c)) for i, c in enumerate(sites)]
    view = programme_view(fits)
    for site in fits:
        counted = {n.text for n in view.needs if site.id in n.sites}
        assert counted == {text.strip() for text in _listed_by_guide(site.fit)}
