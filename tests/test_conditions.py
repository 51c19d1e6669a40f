"""The condition language (`check`, `when`): three-valued, Kleene logic, closed world.

Conditions are built from plain dicts through the pydantic TypeAdapter, exactly as a
YAML file gives them, and contexts through the Context model. The property tests
generate nested all/any/not over every kind of leaf, and contexts in which each list,
the country, the population and each fact may be given, left out, or (facts) null.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from spreadkit.formats.conditions import Condition, evaluate, kleene_all, kleene_any, kleene_not
from spreadkit.formats.context import Context

CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)
PROPERTY = settings(max_examples=80, deadline=None)

ROLES = ["pharmacist", "pharmacy-technician", "nurse"]
SETTINGS = ["general-practice", "hospital", "community-pharmacy"]
SYSTEMS = ["EMIS Web", "SystmOne", "Vision"]
RESOURCES = ["protected-time", "private-room", "budget"]
COUNTRIES = ["England", "Scotland", "Norway"]
FACTS = ["weekly-meeting", "list-size", "region"]
# Context fields that may be left out; leaving one out makes every question about it unknown.
OPTIONAL = ["roles", "settings", "it_systems", "resources", "country", "population", "facts"]


def cond(data: Any) -> Any:
    return CONDITION.validate_python(data)


def ctx(**fields: Any) -> Context:
    return Context.model_validate({"spreadkit-context": 1, "site": "Test site", **fields})


def truth(condition: Any, context: Context) -> bool | None:
    return evaluate(cond(condition), context)


# --- strategies ---------------------------------------------------------------------------

def spelled(*pool: str) -> st.SearchStrategy[str]:
    """A name from `pool` as a person might type it: any case, stray spaces around it."""
    pad = st.sampled_from(["", " ", "\t"])
    case = st.sampled_from([v for name in pool for v in (name, name.lower(), name.upper(), name.swapcase())])
    return st.tuples(pad, case, pad).map("".join)


def names(pool: list[str]) -> st.SearchStrategy[Any]:
    one = spelled(*pool, "Unheard-of")
    return st.one_of(one, st.lists(one, min_size=1, max_size=3))


scalars = st.one_of(st.booleans(), st.integers(-5, 60), st.floats(-5, 60, allow_nan=False),
                    st.sampled_from(["yes", "no", "North", " north "]))
numbers = st.one_of(st.integers(-5, 60), st.floats(-5, 60, allow_nan=False))

fact_tests = st.one_of(
    st.fixed_dictionaries({"equals": scalars}),
    st.fixed_dictionaries({"at_least": numbers}),
    st.fixed_dictionaries({"at_most": numbers}),
    st.fixed_dictionaries({"in": st.lists(scalars, min_size=1, max_size=3)}),
)

leaves = st.one_of(
    st.sampled_from(ROLES).map(lambda r: {"has_role": r}),
    names(SETTINGS).map(lambda n: {"setting": n}),
    names(SYSTEMS).map(lambda n: {"it_system": n}),
    names(RESOURCES).map(lambda n: {"resource": n}),
    names(COUNTRIES).map(lambda n: {"country": n}),
    st.integers(0, 100_000).map(lambda n: {"population_at_least": n}),
    st.integers(0, 100_000).map(lambda n: {"population_at_most": n}),
    st.tuples(st.sampled_from(FACTS), fact_tests).map(lambda t: {"fact": t[0], **t[1]}),
)


def _compound(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    parts = st.lists(children, min_size=1, max_size=3)
    return st.one_of(parts.map(lambda p: {"all": p}), parts.map(lambda p: {"any": p}),
                     children.map(lambda c: {"not": c}))


conditions = st.recursive(leaves, _compound, max_leaves=8)


def _roles() -> st.SearchStrategy[list[dict[str, Any]]]:
    entry = st.tuples(st.sampled_from(ROLES), st.sampled_from([None, 0, 0.0, 0.5, 1, 2.5])).map(
        lambda t: {"id": t[0]} if t[1] is None else {"id": t[0], "wte": t[1]})
    return st.lists(entry, max_size=3, unique_by=lambda e: e["id"])


@st.composite
def context_data(draw: st.DrawFn) -> dict[str, Any]:
    """Everything a context could say; `known` then decides what it leaves out."""
    return {
        "roles": draw(_roles()),
        "settings": draw(st.lists(st.sampled_from(SETTINGS), max_size=3, unique=True)),
        "it_systems": draw(st.lists(spelled(*SYSTEMS), max_size=3)),
        "resources": draw(st.lists(spelled(*RESOURCES), max_size=3)),
        "country": draw(spelled(*COUNTRIES)),
        "population": draw(st.one_of(st.just({}), st.integers(0, 100_000).map(lambda n: {"size": n}))),
        "facts": draw(st.dictionaries(st.sampled_from(FACTS), st.one_of(st.none(), scalars), max_size=3)),
    }


@st.composite
def contexts(draw: st.DrawFn) -> Context:
    full = draw(context_data())
    kept = draw(st.sets(st.sampled_from(OPTIONAL)))
    return ctx(**{key: value for key, value in full.items() if key in kept})


@st.composite
def less_and_more(draw: st.DrawFn) -> tuple[Context, Context]:
    """Two contexts for the same site: `more` fills in some of what `less` leaves unknown.

    Knowledge only grows: a list `less` gives is complete, so `more` gives the same list;
    `more` may add lists, the country, the population size, or answers to facts.
    """
    given = draw(st.sets(st.sampled_from(OPTIONAL)), label="given")
    learnt = draw(st.sets(st.sampled_from(OPTIONAL)), label="learnt")
    more = {key: value for key, value in draw(context_data()).items() if key in given}
    less = {key: value for key, value in more.items() if key not in learnt}
    if "facts" in less:
        forgotten = draw(st.sets(st.sampled_from(FACTS)))
        null = draw(st.booleans())
        less["facts"] = {name: (None if null and name in forgotten else answer)
                         for name, answer in less["facts"].items() if null or name not in forgotten}
    if "population" in less and draw(st.booleans()):
        less["population"] = {}
    return ctx(**less), ctx(**more)


# --- Kleene laws --------------------------------------------------------------------------

@PROPERTY
@given(conditions, conditions, contexts())
def test_all_and_any_are_commutative(a: Any, b: Any, context: Context) -> None:
    assert truth({"all": [a, b]}, context) == truth({"all": [b, a]}, context)
    assert truth({"any": [a, b]}, context) == truth({"any": [b, a]}, context)


@PROPERTY
@given(conditions, conditions, contexts())
def test_de_morgan(a: Any, b: Any, context: Context) -> None:
    assert truth({"not": {"all": [a, b]}}, context) == truth({"any": [{"not": a}, {"not": b}]}, context)
    assert truth({"not": {"any": [a, b]}}, context) == truth({"all": [{"not": a}, {"not": b}]}, context)


@PROPERTY
@given(conditions, contexts())
def test_double_negation(a: Any, context: Context) -> None:
    assert truth({"not": {"not": a}}, context) == truth(a, context)


@PROPERTY
@given(conditions, conditions, contexts())
def test_all_and_any_associate(a: Any, b: Any, context: Context) -> None:
    c = {"has_role": "nurse"}
    assert truth({"all": [{"all": [a, b]}, c]}, context) == truth({"all": [a, {"all": [b, c]}]}, context)
    assert truth({"any": [{"any": [a, b]}, c]}, context) == truth({"any": [a, {"any": [b, c]}]}, context)


@PROPERTY
@given(st.lists(conditions, max_size=3), st.lists(conditions, max_size=3), contexts())
def test_false_annihilates_all_and_true_annihilates_any(before: list[Any], after: list[Any],
                                                        context: Context) -> None:
    # Whatever else the context says, it answers these two facts for certain.
    facts = {**(context.facts or {}), "known-yes": True, "known-no": False}
    context = context.model_copy(update={"facts": facts})
    false, true = {"fact": "known-no", "equals": True}, {"fact": "known-yes", "equals": True}
    assert truth({"all": [*before, false, *after]}, context) is False
    assert truth({"any": [*before, true, *after]}, context) is True
    # ... and the other way round they are identities.
    if before:
        assert truth({"all": [*before, true]}, context) == truth({"all": before}, context)
        assert truth({"any": [*before, false]}, context) == truth({"any": before}, context)


@PROPERTY
@given(st.lists(conditions, min_size=1, max_size=4), contexts())
def test_all_is_the_minimum_and_any_the_maximum_of_false_unknown_true(parts: list[Any], context: Context) -> None:
    rank = {False: 0, None: 1, True: 2}
    values = [truth(p, context) for p in parts]
    assert rank[truth({"all": parts}, context)] == min(rank[v] for v in values)
    assert rank[truth({"any": parts}, context)] == max(rank[v] for v in values)


def test_the_kleene_tables() -> None:
    values = [True, None, False]
    assert [kleene_not(v) for v in values] == [False, None, True]
    assert [[kleene_all([a, b]) for b in values] for a in values] == [
        [True, None, False], [None, None, False], [False, False, False]]
    assert [[kleene_any([a, b]) for b in values] for a in values] == [
        [True, True, True], [True, None, None], [True, None, False]]


# --- unknown stays unknown ----------------------------------------------------------------

@PROPERTY
@given(conditions)
def test_a_context_that_says_nothing_answers_nothing(condition: Any) -> None:
    # With every leaf unknown no combination of all/any/not can force a value.
    assert truth(condition, ctx()) is None


@PROPERTY
@given(conditions, contexts())
def test_a_context_that_says_everything_answers_everything_it_can(condition: Any, context: Context) -> None:
    # Fill in every list, the country and the population; answer every fact with a number
    # (which every fact test can compare with). Then nothing is left unknown.
    data = context.model_dump(by_alias=True, exclude_none=True)
    data.update(roles=data.get("roles", []), settings=data.get("settings", []), it_systems=data.get("it_systems", []),
                resources=data.get("resources", []), country=data.get("country", "England"),
                population={"size": 1000}, facts={name: 7 for name in FACTS})
    assert truth(condition, Context.model_validate(data)) is not None


@PROPERTY
@given(conditions, less_and_more())
def test_learning_more_only_settles_unknowns(condition: Any, pair: tuple[Context, Context]) -> None:
    """Knowledge-ordering monotonicity: filling in what was unknown may turn an unknown
    answer into true or false, but never flips a true into false or back."""
    less, more = pair
    before = truth(condition, less)
    if before is not None:
        assert truth(condition, more) is before


# --- the closed world ---------------------------------------------------------------------

LISTS = [("setting", "settings", SETTINGS), ("it_system", "it_systems", SYSTEMS),
         ("resource", "resources", RESOURCES)]


@PROPERTY
@given(st.sampled_from(LISTS), st.data())
def test_a_list_the_context_gives_is_complete(kind: tuple[str, str, list[str]], data: st.DataObject) -> None:
    operator, field, pool = kind
    offered = data.draw(st.lists(st.sampled_from(pool), max_size=len(pool), unique=True), label="offered")
    wanted = data.draw(st.sampled_from(pool), label="wanted")
    spelling = data.draw(spelled(wanted), label="spelling")
    if field == "settings":  # settings are slugs in the context; the condition may be spelled loosely
        context = ctx(settings=offered)
    else:
        context = ctx(**{field: [data.draw(spelled(name)) for name in offered]})
    assert truth({operator: spelling}, context) is (wanted in offered)
    assert truth({operator: [spelling, "Unheard-of"]}, context) is (wanted in offered)
    # A list the context leaves out is unknown, whatever is asked.
    assert truth({operator: spelling}, ctx()) is None


@PROPERTY
@given(_roles(), st.sampled_from(ROLES))
def test_has_role_reads_the_roles_list_as_complete(roles: list[dict[str, Any]], wanted: str) -> None:
    listed = {r["id"]: r.get("wte") for r in roles}
    expected = wanted in listed and (listed[wanted] is None or listed[wanted] > 0)
    assert truth({"has_role": wanted}, ctx(roles=roles)) is expected
    assert truth({"has_role": wanted}, ctx()) is None


@PROPERTY
@given(st.sampled_from(FACTS), fact_tests, st.sampled_from(["absent", "null", "no-facts"]))
def test_a_fact_the_context_does_not_answer_is_unknown(name: str, test: dict[str, Any], how: str) -> None:
    facts = {"absent": {"other-fact": 3}, "null": {name: None}, "no-facts": None}[how]
    context = ctx() if facts is None else ctx(facts=facts)
    assert truth({"fact": name, **test}, context) is None
    assert truth({"not": {"fact": name, **test}}, context) is None


# --- examples -----------------------------------------------------------------------------

def test_has_role() -> None:
    assert truth({"has_role": "pharmacist"}, ctx(roles=[{"id": "pharmacist", "wte": 0}])) is False
    assert truth({"has_role": "pharmacist"}, ctx(roles=[{"id": "pharmacist", "wte": 0.2}])) is True
    assert truth({"has_role": "pharmacist"}, ctx(roles=[{"id": "pharmacist"}])) is True
    assert truth({"has_role": "pharmacist"}, ctx(roles=[{"id": "nurse", "wte": 3}])) is False
    assert truth({"has_role": "pharmacist"}, ctx(roles=[])) is False
    assert truth({"has_role": "pharmacist"}, ctx()) is None


def test_names_compare_case_insensitively_after_trimming() -> None:
    context = ctx(it_systems=["  SystmOne "], country="england", resources=["Protected-Time"],
                  settings=["general-practice"])
    assert truth({"it_system": "systmone"}, context) is True
    assert truth({"it_system": ["EMIS Web", "SYSTMONE\t"]}, context) is True
    assert truth({"it_system": "Systm One"}, context) is False  # trimmed, not squashed
    assert truth({"country": " England"}, context) is True
    assert truth({"country": ["Scotland", "Wales"]}, context) is False
    assert truth({"resource": "protected-time "}, context) is True
    assert truth({"setting": "General-Practice"}, context) is True
    assert truth({"country": "England"}, ctx()) is None


def test_fact_equals() -> None:
    context = ctx(facts={"weekly-meeting": False, "region": "North", "list-size": 3, "ratio": 0.5})
    assert truth({"fact": "weekly-meeting", "equals": False}, context) is True
    assert truth({"fact": "weekly-meeting", "equals": True}, context) is False
    assert truth({"fact": "region", "equals": " north"}, context) is True   # names: case and spaces
    assert truth({"fact": "region", "equals": "South"}, context) is False
    assert truth({"fact": "list-size", "equals": 3.0}, context) is True     # a number is a number
    assert truth({"fact": "ratio", "equals": 0.5}, context) is True
    # Types do not mix: true is not 1, and the text "3" is not the number 3.
    assert truth({"fact": "list-size", "equals": True}, ctx(facts={"list-size": 1})) is False
    assert truth({"fact": "list-size", "equals": "3"}, context) is False


def test_fact_at_least_and_at_most() -> None:
    context = ctx(facts={"list-size": 5, "region": "North", "weekly-meeting": True})
    assert truth({"fact": "list-size", "at_least": 5}, context) is True
    assert truth({"fact": "list-size", "at_least": 5.5}, context) is False
    assert truth({"fact": "list-size", "at_most": 5}, context) is True
    assert truth({"fact": "list-size", "at_most": 4.9}, context) is False
    # A text or true/false answer cannot be compared with a number: unknown, not false.
    assert truth({"fact": "region", "at_least": 1}, context) is None
    assert truth({"fact": "weekly-meeting", "at_least": 1}, context) is None


def test_fact_in() -> None:
    context = ctx(facts={"region": "North", "list-size": 2})
    assert truth({"fact": "region", "in": ["South", "NORTH"]}, context) is True
    assert truth({"fact": "region", "in": ["South", "East"]}, context) is False
    assert truth({"fact": "list-size", "in": [1, 2, 3]}, context) is True
    assert truth({"fact": "list-size", "in": ["2"]}, context) is False
    assert truth({"fact": "region", "in": ["North"]}, ctx(facts={"region": None})) is None


def test_population() -> None:
    assert truth({"population_at_least": 10_000}, ctx(population={"size": 48_000})) is True
    assert truth({"population_at_least": 48_000}, ctx(population={"size": 48_000})) is True
    assert truth({"population_at_least": 48_001}, ctx(population={"size": 48_000})) is False
    assert truth({"population_at_most": 48_000}, ctx(population={"size": 48_000})) is True
    assert truth({"population_at_most": 47_999}, ctx(population={"size": 48_000})) is False
    # A population described but not counted, or not given at all, is unknown.
    assert truth({"population_at_least": 1}, ctx(population={"description": "Rural"})) is None
    assert truth({"population_at_least": 1}, ctx()) is None
    assert truth({"population_at_most": 1}, ctx(population={})) is None


def test_conditions_are_built_from_yaml_shaped_dicts() -> None:
    built = cond({"all": [{"has_role": "nurse"}, {"not": {"fact": "agency-only", "equals": True}},
                          {"any": [{"setting": "hospital"}, {"fact": "beds", "in": [10, 20]}]}]})
    context = ctx(roles=[{"id": "nurse"}], facts={"agency-only": False, "beds": 20}, settings=["general-practice"])
    assert evaluate(built, context) is True
    # `x-` keys are notes for people, set aside.
    assert truth({"has_role": "nurse", "x-why": "ward cover"}, context) is True


@pytest.mark.parametrize("data", [
    {},                                                      # no operator
    {"has_role": "nurse", "setting": "hospital"},            # two operators
    {"has_rol": "nurse"},                                    # a typo
    "__import__('os').system('echo hi')",                    # code
    ["has_role", "nurse"],                                   # not a mapping
    {"all": []},                                             # all of nothing
    {"any": []},
    {"fact": "beds"},                                        # a fact with no test
    {"fact": "beds", "at_least": 1, "at_most": 3},           # a fact with two tests
    {"fact": "beds", "equals": 1, "between": [1, 2]},        # an unknown test
    {"has_role": "Head Nurse"},                              # not an id
    {"population_at_least": -1},
    {"not": [{"has_role": "nurse"}]},                        # not takes one condition
], ids=lambda d: str(d)[:40])
def test_malformed_conditions_are_rejected(data: Any) -> None:
    with pytest.raises(ValidationError):
        cond(data)


# --- what a fact asks of its answer (SK712 and the questionnaire read it) ----------------------

def _question(*conditions: Any) -> Any:
    from spreadkit.formats.conditions import fact_questions

    found = fact_questions(cond(c) for c in conditions)
    assert len(found) == 1
    return next(iter(found.values()))


@PROPERTY
@given(st.sampled_from(FACTS), fact_tests, scalars)
def test_an_answer_that_fits_the_question_always_gets_a_definite_value(name: str, test: dict[str, Any],
                                                                     answer: Any) -> None:
    """Never true or false by accident: an answer the check lets through is compared for
    real, and one whose kind no condition can compare is refused, not read as false."""
    condition = {"fact": name, **test}
    question = _question(condition)
    value = truth(condition, ctx(facts={name: answer}))
    if question.mismatch(answer) is None:
        assert value is not None
    elif "in" not in test:  # a value outside an `in` list is refused though it is a definite no
        assert value is not True


def test_what_each_fact_test_asks() -> None:
    assert _question({"fact": "f", "equals": True}).detail == "true or false"
    assert _question({"fact": "f", "at_least": 3}, {"fact": "f", "equals": 4}).detail == "a number"
    assert _question({"fact": "f", "equals": "North"}).detail == "text, for example 'North'"
    assert _question({"fact": "f", "in": ["North", "South"]}, {"fact": "f", "in": ["south", "East"]}).detail == \
        "one of North, South, East"
    assert _question({"fact": "f", "in": [True]}).detail == "one of true"
    # A fact asked both as a list and as open text is open text: any text can be compared.
    assert _question({"fact": "f", "in": ["North"]}, {"fact": "f", "equals": "West"}).mismatch("Middle") is None


@pytest.mark.parametrize(("condition", "answer", "fix"), [
    ({"equals": True}, "yes", "write true (yes is text in YAML 1.2, not true or false)"),
    ({"equals": False}, " No ", "write false (No is text in YAML 1.2, not true or false)"),
    ({"equals": True}, "true", "write true without quotes (quoted, it is text)"),
    ({"equals": True}, 1, "answer true or false, not a number"),
    ({"at_least": 5000}, "48000", "write the number 48000 without quotes (quoted, it is text)"),
    ({"at_most": 3}, "about three", "answer a number"),
    ({"at_most": 3}, False, "answer a number, not true or false"),
    ({"in": ["North", "South"]}, "East", "answer one of North, South (the values the intervention asks about)"),
    ({"in": ["North", "South"]}, 3, "answer one of North, South (the values the intervention asks about)"),
    # Quoting true would give text no condition names: the site is told the text that is.
    ({"equals": "yes"}, True, "answer yes (the text the intervention compares it with); if the intervention's yes "
                              "means true or false, it should write true or false instead (SK412)"),
    ({"equals": "signed"}, 3, "answer signed (the text the intervention compares it with)"),
    ({"in": ["3", "4"]}, 3, 'answer one of 3, 4; to give 3 as text, quote it: "3"'),
    ({"equals": True}, True, None),
    ({"at_least": 1}, 0.5, None),
    ({"in": ["North"]}, "north ", None),
])
def test_the_fix_for_an_answer(condition: dict[str, Any], answer: Any, fix: str | None) -> None:
    assert _question({"fact": "f", **condition}).mismatch(answer) == fix


def test_the_operator_table_covers_the_language() -> None:
    """One row per operator, and the context key each reads is one a context has."""
    from spreadkit.formats.conditions import OPERATORS, TABLE, answered_by

    assert [op.key for op in TABLE] == list(OPERATORS)
    every = cond({"all": [{"has_role": "nurse"}, {"setting": "hospital"}, {"it_system": "EMIS Web"},
                          {"resource": "room"}, {"country": "England"}, {"population_at_least": 1},
                          {"any": [{"population_at_most": 9}, {"not": {"fact": "beds", "at_least": 3}}]}]})
    assert answered_by(every) == ["roles", "settings", "it_systems", "resources", "country", "population.size",
                                  "facts.beds"]
    fields = set(Context.model_fields) | {"population.size"}
    assert {key.split(".")[0] if key.startswith("facts.") else key for key in answered_by(every)} <= fields
