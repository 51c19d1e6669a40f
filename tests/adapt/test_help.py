"""What the guide suggests beside a gap, and how it words things: ERIC strategies only
when they match the need (CFIR domain and word stems), "a" or "an" by sound, and
headings that name the site once."""

from __future__ import annotations

import json

import pytest
from ruamel.yaml import YAML

from spreadkit.adapt import analyse
from spreadkit.adapt.help import SHOWN, for_need, stem
from spreadkit.adapt.plan import guide_view
from spreadkit.wording import indefinite, mid_sentence

from .helpers import GOLDEN, PAIRS, ROOT, component, context, intervention


def test_stems_meet_across_word_forms() -> None:
    assert stem("funded") == stem("funding") == stem("fund")
    assert stem("trained") == stem("training") == stem("train")
    assert stem("meetings") == stem("meeting")
    assert stem("systems") == "system"


@pytest.mark.parametrize(("domain", "need", "expected"), [
    ("inner-setting", "Funded pharmacist time for reviewing flagged patients", ["involve-executive-boards",
                                                                                "access-new-funding"]),
    ("individuals", "Care-home staff are trained", ["conduct-ongoing-training"]),
    ("inner-setting", "A clinical system with coded records", ["change-record-systems"]),
])
def test_a_strategy_is_suggested_when_its_keywords_share_a_stem_with_the_need(domain: str, need: str,
                                                                              expected: list[str]) -> None:
    found = for_need(domain, "n", need)
    assert [s.eric for s in found] == expected
    assert all(s.reason and s.name for s in found)


def test_none_rather_than_unrelated_strategies() -> None:
    # "the" must not match "round-the-clock", nor a need in another domain match at all.
    assert for_need("inner-setting", "n", "The ward is round the corner from the lift") == []
    assert for_need("outer-setting", "n", "Prescribing safety fits local goals") == []
    assert for_need("no-such-domain", "n", "Funded time") == []


def test_never_more_than_three() -> None:
    assert len(for_need("inner-setting", "n", "Funded protected staff time, budget, systems, records, rooms")) == SHOWN


@pytest.mark.parametrize(("words", "expected"), [
    ("pharmacist", "a pharmacist"), ("exercise professional", "an exercise professional"),
    ("NHS trust lead", "an NHS trust lead"), ("GP partner", "a GP partner"), ("hour", "an hour"),
    ("unit manager", "a unit manager"), ("MSK physiotherapist", "an MSK physiotherapist"),
    ("one-stop clinic", "a one-stop clinic"), ("healthcare assistant", "a healthcare assistant"),
])
def test_a_or_an_by_sound(words: str, expected: str) -> None:
    assert indefinite(words) == expected


# Every role title of the examples, as a question reads it ("Does the site have ...?"):
# the head noun decides, never a plural inside what qualifies it.
EXAMPLE_TITLES = {
    "Physiotherapist (facilitator)": "a physiotherapist (facilitator)",
    "Exercise professional (facilitator)": "an exercise professional (facilitator)",
    "Osteopath (facilitator)": "an osteopath (facilitator)",
    "Band 3-4 support worker (facilitator with physiotherapy back-up)":
        "a band 3-4 support worker (facilitator with physiotherapy back-up)",
    "Registered nurse caring for the patient": "a registered nurse caring for the patient",
    "Healthcare assistant": "a healthcare assistant",
    "Clinician competent in the assessment of acute illness":
        "a clinician competent in the assessment of acute illness",
    "Advanced clinical practitioner": "an advanced clinical practitioner",
    "Team with critical-care competencies (critical-care outreach)":
        "a team with critical-care competencies (critical-care outreach)",
    "Rapid-response team": "a rapid-response team",
    "Medical emergency team": "a medical emergency team",
    "Clinical pharmacist working with the practice": "a clinical pharmacist working with the practice",
    "Medicines-optimisation pharmacist from the commissioner's (ICB, formerly CCG) team":
        "a medicines-optimisation pharmacist from the commissioner's (ICB, formerly CCG) team",
    "Pharmacy technician": "a pharmacy technician",
    "Lead GP for prescribing safety": "a lead GP for prescribing safety",
    "GPs and other prescribers in the practice": "GPs and other prescribers in the practice",
}


def test_every_example_role_title_gets_the_article_it_reads_with() -> None:
    titles = {role["title"] for path in sorted((ROOT / "examples").glob("*/intervention.yaml"))
              for role in YAML(typ="safe").load(path.read_text(encoding="utf-8")).get("roles", [])}
    assert titles == set(EXAMPLE_TITLES)  # a new example's titles are read here too
    assert {title: indefinite(mid_sentence(title)) for title in titles} == EXAMPLE_TITLES


@pytest.mark.parametrize(("title", "expected"), [
    ("Ward nurses", "ward nurses"), ("Care-home staff", "care-home staff"), ("HCAs on the ward", "HCAs on the ward"),
    ("Nurses and a healthcare assistant", "nurses and a healthcare assistant"),
    ("Health and social care worker", "a health and social care worker"), ("Analysis lead", "an analysis lead"),
    ("Bus driver", "a bus driver"), ("Nurse with the skills of a midwife", "a nurse with the skills of a midwife"),
])
def test_a_plural_title_has_no_article(title: str, expected: str) -> None:
    assert indefinite(mid_sentence(title)) == expected


def test_titles_read_in_lower_case_inside_a_sentence_but_keep_initialisms() -> None:
    assert mid_sentence("Clinical pharmacist") == "clinical pharmacist"
    assert mid_sentence("GPs and other prescribers") == "GPs and other prescribers"
    assert mid_sentence("NHS trust lead") == "NHS trust lead"


def test_the_heading_names_the_site_once() -> None:
    spec = intervention([component()], name="Transfer form at Northshire")
    assert guide_view(analyse(spec, context(site="Northshire")), [])["heading"] == "Transfer form at Northshire"
    assert guide_view(analyse(spec, context(site="Eastbrook")), [])["heading"] == \
        "Transfer form at Northshire at Eastbrook"


def test_the_examples_exercise_every_path() -> None:
    """Between them the example contexts show each path of the rule and the plan, so the
    golden files show each of them to a reader (a change that loses one is deliberate)."""
    plans = {pair: json.loads((GOLDEN / f"{pair[0]}-{pair[1]}.json").read_text(encoding="utf-8")) for pair in PAIRS}
    components = [c for plan in plans.values() for c in plan["components"]]
    actions = [a for plan in plans.values() for a in plan["actions"]]
    sources = {(c["verdict"], c["fits"][0]["source"] if c["fits"] else "none") for c in components}
    assert {("ready", "original"), ("adapt", "original"), ("adapt", "alternative"), ("adapt", "leave-out"),
            ("gap", "none")} <= sources
    assert {"unknown"} <= {c["verdict"] for c in components}
    assert any(len(c["fits"]) > 1 and c["fits"][1]["conditions"] for c in components)  # also fits, because
    steps = [r for c in components for r in c["requirements"] if r.get("met_by") and r["status"] != "met"]
    assert steps and any(c["verdict"] in ("ready", "adapt") for c in components
                         if any(r in steps for r in c["requirements"]))
    assert {"strategy", "component", "eric"} <= {a["source"] for a in actions}
    assert any(a["source"] == "eric" and not a["options"] for a in actions)  # none rather than unrelated
    assert any(a["source"] == "eric" and len(a["options"]) == SHOWN for a in actions)
    assert any(k["kind"] == "step" for a in actions for k in a["closes"])
