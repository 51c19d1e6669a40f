"""The interview for a new file and the template it fills, as pure functions.

`interview(ask)` is driven with a fake `ask`; `template_data` + the packaged template
give the text that `spreadkit describe NEW.yaml` writes. Every answer must read back
exactly as typed, and every file written must be a valid intervention.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spreadkit.describe.questions import (ADAPTABLE_FUNCTION, CORE_FUNCTION, FIDELITY, FORM, HOW, INTERVIEW, KIND,
                                          LIMITS, MAY_CHANGE, PART_NAME, Question, ask_until_accepted, choices_in,
                                          hint, refusal, shorten, slug)
from spreadkit.describe.scaffold import MAX_COMPONENTS, interview, template_data
from spreadkit.render import render

from .helpers import fake_ask, inserted_lines, load

AWKWARD = ('He said "stop": now # not a comment', "it's {{ x }} & {% raw %}", "ünïcödé — 日本語 ✓",
           "- looks like a list", "key: value", "[a, b]", "{a: 1}", "*alias &anchor !tag", "@at `tick` %pct",
           "trailing backslash \\", "null", "true", "0.1.0", "2027-03-01", "~", "'single'")


def write(answers: dict[str, object], stem: str = "new") -> str:
    return render("intervention.yaml.j2", template_data(answers, stem))


def blank_interview() -> list[str]:
    return [""] * (len(INTERVIEW) + 1)


# --- the questions -------------------------------------------------------------------


def test_every_question_is_explained_with_an_example() -> None:
    for question in (*INTERVIEW, KIND, PART_NAME, CORE_FUNCTION, FORM, FIDELITY, ADAPTABLE_FUNCTION, MAY_CHANGE,
                     LIMITS):
        assert question.prompt and question.explain.endswith((".", "?")), question
        assert question.example, question


def test_the_interview_follows_tidier_order() -> None:
    numbers = [int(q.prompt.split("TIDieR ")[1].split(")")[0].split(":")[0]) for q in INTERVIEW if "TIDieR" in q.prompt]
    assert numbers == sorted(numbers) and numbers[0] == 1


@pytest.mark.parametrize(("answer", "expected"), [
    ("face-to-face, group", ["face-to-face", "group"]),
    ("Face to face,GROUP", ["face-to-face", "group"]),
    ("self directed", ["self-directed"]),
    ("remote, carrier pigeon", ["remote"]),
    ("", []),
])
def test_choices_in(answer: str, expected: list[str]) -> None:
    assert choices_in(answer, HOW.choices) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Clinical pharmacist", "clinical-pharmacist"), ("  Über -- Team!  ", "ber-team"), ("日本語", "item"),
    ("x" * 100, "x" * 48),
])
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


# --- the interview -------------------------------------------------------------------


def test_blank_answers_give_no_answers_and_ask_each_question_once() -> None:
    asked: list = []
    answers = interview(fake_ask(blank_interview(), asked))
    assert answers == {"how": [], "components": []}
    assert asked == [*INTERVIEW, KIND]


def test_a_whole_interview() -> None:
    asked: list = []
    ask = fake_ask([
        "PINCER", "Pharmacist-led IT intervention", "Hazardous prescribing", "Fewer hazards", "Audit and feedback",
        "Search library", "Clinical pharmacist", "remote, individual", "In the practice", "monthly", "12 months",
        "Which patients first",
        " Core ", "Identify patients", "Every patient at risk is found", "Pharmacist runs searches", "Monthly runs",
        "adaptable", "Outreach", "Prescribers agree actions", "A meeting", "Any format", "Own results only",
        "",
    ], asked)
    answers = interview(ask)
    assert not ask.pending
    assert asked[len(INTERVIEW):] == [KIND, PART_NAME, CORE_FUNCTION, FORM, FIDELITY,
                                      KIND, PART_NAME, ADAPTABLE_FUNCTION, FORM, MAY_CHANGE, LIMITS, KIND]
    assert answers["how"] == ["remote", "individual"]
    assert answers["components"] == [
        {"kind": "core", "name": "Identify patients", "function": "Every patient at risk is found",
         "form": "Pharmacist runs searches", "fidelity": "Monthly runs"},
        {"kind": "adaptable", "name": "Outreach", "function": "Prescribers agree actions", "form": "A meeting",
         "guidance": "Any format", "limits": "Own results only"},
    ]


def test_a_mistyped_kind_is_asked_again_not_taken_as_finish() -> None:
    asked: list = []
    ask = fake_ask([*[""] * len(INTERVIEW), "cor", "core component", "core", "Part", "", "", "", ""], asked)
    answers = interview(ask)
    assert [c["kind"] for c in answers["components"]] == ["core"]
    kinds = [q for q in asked if q.key == "kind"]
    # Asked again with the reason, in one line; the first time and after an accepted answer, without.
    assert [q.again for q in kinds] == ["", "`cor` is not one of: core, adaptable.",
                                        "`core component` is not one of: core, adaptable.", ""]
    assert all(q.prompt == KIND.prompt for q in kinds)


def test_a_kind_mistyped_every_time_is_asked_until_left_blank() -> None:
    asked: list = []
    ask = fake_ask([*[""] * len(INTERVIEW), *["maybe"] * 7, ""], asked)
    assert interview(ask)["components"] == []
    assert not ask.pending and sum(q.key == "kind" for q in asked) == 8


def test_an_unknown_mode_of_delivery_is_asked_again() -> None:
    asked: list = []
    ask = fake_ask([*[""] * 7, "online", "remote, by pigeon, by post", "Remote, digital", *[""] * 4, ""], asked)
    assert interview(ask)["how"] == ["remote", "digital"]
    hows = [q for q in asked if q.key == "how"]
    modes = "face-to-face, remote, digital, individual, group, self-directed"
    assert [q.again for q in hows] == [
        "", f"`online` is not one of: {modes}; separate several with commas.",
        f"`by pigeon`, `by post` are not one of: {modes}; separate several with commas."]


@pytest.mark.parametrize(("answer", "reason"), [
    ("", ""), ("  ", ""), ("core", ""), (" Core ", ""), ("ADAPTABLE", ""),
    ("core, adaptable", "`core, adaptable` is not one of: core, adaptable."),
    ("cor", "`cor` is not one of: core, adaptable."),
])
def test_refusal_of_a_single_choice(answer: str, reason: str) -> None:
    assert refusal(KIND, answer) == reason


def test_a_question_without_choices_takes_any_answer_unless_refused() -> None:
    assert refusal(PART_NAME, "anything, at all") == ""
    asked: list = []
    answer = ask_until_accepted(fake_ask(["bad", "worse", "good"], asked), PART_NAME,
                                lambda text: "" if text == "good" else f"not {text}")
    assert answer == "good" and [q.again for q in asked] == ["", "not bad", "not worse"]
    # A blank answer is never refused: it leaves the question for later.
    assert ask_until_accepted(fake_ask([" "]), PART_NAME, lambda text: "never") == ""


def test_the_hint_line() -> None:
    assert hint(KIND) == f"{KIND.explain} For example: core"
    question = Question("x", "X", "What x is.", now='TODO:\tfix \x1b[2J me\nnow')
    assert hint(question) == 'Now: "TODO: fix \\x1b[2J me now". What x is.'
    long = Question("x", "X", "What x is.", now="word " * 100)
    assert hint(long).startswith('Now: "word word') and '…". What x is.' in hint(long)


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("short", 10, "short"), ("two words here", 9, "two…"), ("two words here", 14, "two words here"),
    ("averyverylongword and more", 5, "averyverylongword…"), ("averyverylongword", 5, "averyverylongword"),
])
def test_shorten_never_cuts_a_word(text: str, width: int, expected: str) -> None:
    assert shorten(text, width) == expected


def test_components_stop_at_the_limit() -> None:
    ask = fake_ask([*[""] * len(INTERVIEW), *(["core", "Same name", "", "", ""] * MAX_COMPONENTS)])
    answers = interview(ask)
    assert len(answers["components"]) == MAX_COMPONENTS
    data = template_data(answers, "x")
    ids = [c["id"] for c in data["components"]]
    assert len(set(ids)) == MAX_COMPONENTS


# --- the template ----------------------------------------------------------------------


def test_template_data_ids() -> None:
    data = template_data({"who": "Nurse (band 6)", "components": [
        {"kind": "core", "name": "Same"}, {"kind": "core", "name": "Same"}, {"kind": "adaptable", "name": "日本"},
        {"kind": "adaptable", "name": ""}]}, "my_new-thing")
    assert data["id"] == "my-new-thing" and data["name"] == "My New Thing"
    assert data["role_id"] == "nurse-band-6"
    assert [c["id"] for c in data["components"]] == ["same", "same-2", "component-3", "component-4"]
    assert template_data({"name": "日本語"}, "x")["id"] == "my-intervention"
    assert template_data({}, "x")["role_id"] == "deliverer"


def test_the_template_without_answers_validates() -> None:
    document, spec = load(write({}))
    assert [c.kind for c in spec.components] == ["core", "adaptable"]
    assert spec.status == "idea" and spec.name == "New"


def test_every_answer_reads_back_exactly() -> None:
    texts = iter(AWKWARD * 3)
    answers: dict[str, object] = {q.key: next(texts) for q in INTERVIEW if q is not HOW}
    answers["how"] = ["digital", "group"]
    core = {"kind": "core", "name": next(texts), "function": next(texts), "form": next(texts),
            "fidelity": next(texts)}
    adaptable = {"kind": "adaptable", "name": next(texts), "function": next(texts), "form": next(texts),
                 "guidance": next(texts), "limits": next(texts)}
    answers["components"] = [core, adaptable]
    document, spec = load(write(answers))
    data = document.data
    assert data["name"] == answers["name"] and data["title"] == answers["title"]
    assert [data["why"][k] for k in ("problem", "goal", "rationale")] == [answers[k] for k in ("problem", "goal",
                                                                                               "rationale")]
    assert data["materials"][0]["name"] == answers["material"]
    assert data["roles"][0]["title"] == answers["who"]
    assert data["tailoring"][0]["what"] == answers["tailoring"]
    first, second = data["components"]
    for part in (first, second):
        assert part["how"] == ["digital", "group"] and part["where"] == answers["where"]
        assert part["dose"] == {"frequency": answers["frequency"], "duration": answers["duration"]}
        assert part["who"] == [data["roles"][0]["id"]]
    assert (first["kind"], first["name"], first["function"], first["form"], first["fidelity"][0]["criterion"]) == \
        ("core", core["name"], core["function"], core["form"], core["fidelity"])
    assert (second["kind"], second["name"], second["function"], second["form"], second["guidance"],
            second["limits"]) == ("adaptable", adaptable["name"], adaptable["function"], adaptable["form"],
                                  adaptable["guidance"], [adaptable["limits"]])
    assert "limits" in first and first["limits"] == [] and "fixed" not in first


# Text a person can type or paste: any printable character (no control characters).
TYPED = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=40).map(
    str.strip).filter(bool)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TYPED, problem=TYPED, part=TYPED, limit=TYPED)
def test_any_typed_text_reads_back_exactly(name: str, problem: str, part: str, limit: str) -> None:
    answers = {"name": name, "problem": problem, "components": [
        {"kind": "adaptable", "name": part, "form": part, "limits": limit}]}
    document, _ = load(write(answers))
    assert document.data["name"] == name and document.data["why"]["problem"] == problem
    component = document.data["components"][0]
    assert (component["name"], component["limits"]) == (part, [limit])


@pytest.mark.parametrize("char", ["\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\x1b", "\t"])
def test_control_characters_read_back(char: str) -> None:
    """Pasted text may hold control characters; they are escaped, never written raw."""
    document, _ = load(write({"problem": f"a{char}b"}))
    assert document.data["why"]["problem"] == f"a{char}b"


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_noncharacters_read_back(char: str) -> None:
    document, _ = load(write({"problem": f"a{char}b"}))
    assert document.data["why"]["problem"] == f"a{char}b"


def test_the_template_comments_name_the_tidier_items() -> None:
    text = write({})
    for number in range(1, 13):
        assert f"TIDieR {number}" in text, number
    assert all(line.strip() == "" or not line.startswith("\t") for line in text.splitlines())
    assert set(text) - set(string.printable) <= set("—")


@pytest.mark.parametrize("text", ["2024", "1e3", "0x1f", "true", "null", "0b1", "1e-3"])
def test_ids_that_look_like_numbers_or_booleans_stay_text(text: str) -> None:
    document, spec = load(write({"name": text, "who": text, "components": [{"kind": "core", "name": text}]}))
    assert spec.id == text and spec.roles[0].id == text and spec.components[0].id == text
    assert spec.components[0].who == [text]



def test_the_template_does_not_check_the_people_in_who_again_as_a_need() -> None:
    # `who` is checked with its listed substitutes; a has_role need on the same role would
    # make the substitute the guide recommends a gap.
    document, spec = load(write({"name": "Falls", "who": "Ward nurse", "components": [{"kind": "core", "name": "Assess"}]}))
    for component in spec.components:
        checks = [str(r.check) for r in component.requires]
        assert component.who and not any("has_role" in c for c in checks)


def test_plain_ids_are_written_without_quotes() -> None:
    text = write({"name": "PINCER", "who": "Pharmacist", "components": [{"kind": "core", "name": "Search"}]})
    assert "\nid: pincer\n" in text and "  - id: pharmacist\n" in text and "  - id: search\n" in text


def test_an_unanswered_mode_of_delivery_is_left_for_fill_not_made_up() -> None:
    from spreadkit.describe.fill import apply, gaps

    document, spec = load(write({}))
    assert all(c.how == [] and "how" not in document.data["components"][i] for i, c in enumerate(spec.components))
    missing = gaps(spec, document)
    assert [f"{g.mapping}/{g.key}" for g in missing] == ["/components/0/how", "/components/1/how"]
    new_text, skipped = apply(document, [(gap, "remote") for gap in missing])
    assert not skipped and len(inserted_lines(document.text, new_text)) == 2
    assert [c.how for c in load(new_text)[1].components] == [["remote"], ["remote"]]
