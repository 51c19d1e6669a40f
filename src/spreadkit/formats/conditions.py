"""The condition language of `check` and `when`, and its three-valued evaluation.

A condition is data, never code: one operator per mapping, combined with `all`,
`any` and `not`. Evaluated against a context it is true, false, or unknown (None)
when the context did not say; `all`/`any`/`not` follow Kleene's logic, so unknown
is never silently turned into true or false.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Discriminator, Field, Tag, model_validator

from spreadkit.formats.base import Slug, SpecModel
from spreadkit.formats.context import Context, Scalar

Truth = bool | None
Names = str | list[str]


class HasRole(SpecModel):
    has_role: Slug


class InSetting(SpecModel):
    setting: Names


class HasItSystem(SpecModel):
    it_system: Names


class HasResource(SpecModel):
    resource: Names


class InCountry(SpecModel):
    country: Names


class PopulationAtLeast(SpecModel):
    population_at_least: int = Field(ge=0)


class PopulationAtMost(SpecModel):
    population_at_most: int = Field(ge=0)


FACT_TESTS = ("equals", "at_least", "at_most", "in")


class Fact(SpecModel):
    model_config = {"populate_by_name": True}

    fact: Slug
    equals: Scalar | None = None
    at_least: float | None = None
    at_most: float | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")

    @model_validator(mode="after")
    def _one_test(self) -> Fact:
        given = [name for name in ("equals", "at_least", "at_most", "in_") if name in self.model_fields_set]
        if len(given) != 1:
            raise ValueError("a `fact` condition needs exactly one of equals, at_least, at_most, in")
        if given == ["equals"] and self.equals is None:
            raise ValueError("a `fact` condition cannot test `equals: null`: no site can answer it")
        return self


class AllOf(SpecModel):
    all: list[Condition] = Field(min_length=1)


class AnyOf(SpecModel):
    any: list[Condition] = Field(min_length=1)


class Not(SpecModel):
    model_config = {"populate_by_name": True}

    not_: Condition = Field(alias="not")


OPERATORS = ("has_role", "setting", "it_system", "resource", "country", "population_at_least",
             "population_at_most", "fact", "all", "any", "not")


def _operator(value: Any) -> str | None:
    if isinstance(value, dict):
        found = [key for key in value if key in OPERATORS]
        return found[0] if len(found) == 1 else None
    if isinstance(value, SpecModel):
        return next(name for name, cls in _BY_OPERATOR.items() if isinstance(value, cls))
    return None


Condition = Annotated[
    Union[
        Annotated[HasRole, Tag("has_role")],
        Annotated[InSetting, Tag("setting")],
        Annotated[HasItSystem, Tag("it_system")],
        Annotated[HasResource, Tag("resource")],
        Annotated[InCountry, Tag("country")],
        Annotated[PopulationAtLeast, Tag("population_at_least")],
        Annotated[PopulationAtMost, Tag("population_at_most")],
        Annotated[Fact, Tag("fact")],
        Annotated[AllOf, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[Not, Tag("not")],
    ],
    Discriminator(
        _operator,
        custom_error_type="condition",
        custom_error_message="a condition needs exactly one operator: " + ", ".join(OPERATORS)
        + " (combine several with all/any)",
    ),
]

_BY_OPERATOR: dict[str, type[SpecModel]] = {
    "has_role": HasRole, "setting": InSetting, "it_system": HasItSystem, "resource": HasResource,
    "country": InCountry, "population_at_least": PopulationAtLeast,
    "population_at_most": PopulationAtMost, "fact": Fact, "all": AllOf, "any": AnyOf, "not": Not,
}

AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


def normalise(name: str) -> str:
    return name.strip().casefold()


def _as_list(names: Names) -> list[str]:
    return [names] if isinstance(names, str) else names


def _overlap(wanted: Names, offered: list[str] | None) -> Truth:
    """Closed world: a list the context gives is complete; one it omits is unknown."""
    if offered is None:
        return None
    have = {normalise(name) for name in offered}
    return any(normalise(name) in have for name in _as_list(wanted))


def _same(answer: Scalar, expected: Scalar) -> bool:
    if isinstance(answer, bool) or isinstance(expected, bool):
        return isinstance(answer, bool) and isinstance(expected, bool) and answer == expected
    if isinstance(answer, str) and isinstance(expected, str):
        return normalise(answer) == normalise(expected)
    if isinstance(answer, str) or isinstance(expected, str):
        return False
    return float(answer) == float(expected)


def _number(answer: Scalar) -> float | None:
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return None
    return float(answer)


def kleene_all(values: list[Truth]) -> Truth:
    if any(value is False for value in values):
        return False
    return True if all(value is True for value in values) else None


def kleene_any(values: list[Truth]) -> Truth:
    if any(value is True for value in values):
        return True
    return False if all(value is False for value in values) else None


def kleene_not(value: Truth) -> Truth:
    return None if value is None else not value


def has_role(context: Context, role: str) -> Truth:
    if context.roles is None:
        return None
    wanted = normalise(role)
    return any(normalise(r.id) == wanted and (r.wte is None or r.wte > 0) for r in context.roles)


def evaluate(condition: SpecModel, context: Context) -> Truth:
    """True, False, or None for unknown: what `condition` says of this site."""
    match condition:
        case HasRole(has_role=role):
            return has_role(context, role)
        case InSetting(setting=wanted):
            return _overlap(wanted, context.settings)
        case HasItSystem(it_system=wanted):
            return _overlap(wanted, context.it_systems)
        case HasResource(resource=wanted):
            return _overlap(wanted, context.resources)
        case InCountry(country=wanted):
            return None if context.country is None else _overlap(wanted, [context.country])
        case PopulationAtLeast(population_at_least=bound):
            size = context.population.size if context.population else None
            return None if size is None else size >= bound
        case PopulationAtMost(population_at_most=bound):
            size = context.population.size if context.population else None
            return None if size is None else size <= bound
        case Fact():
            return _fact(condition, context)
        case AllOf(all=parts):
            return kleene_all([evaluate(part, context) for part in parts])
        case AnyOf(any=parts):
            return kleene_any([evaluate(part, context) for part in parts])
        case Not(not_=part):
            return kleene_not(evaluate(part, context))
    raise TypeError(f"not a condition: {condition!r}")


def _fact(condition: Fact, context: Context) -> Truth:
    answer = (context.facts or {}).get(condition.fact)
    if answer is None:
        return None
    if "equals" in condition.model_fields_set:
        return None if condition.equals is None else _same(answer, condition.equals)
    if condition.in_ is not None:
        return any(_same(answer, option) for option in condition.in_)
    number = _number(answer)
    if number is None:
        return None
    if condition.at_least is not None:
        return number >= condition.at_least
    assert condition.at_most is not None
    return number <= condition.at_most


def facts_asked(condition: SpecModel) -> list[str]:
    """The fact slugs a condition asks about, in the order written."""
    return [c.fact for c in walk(condition) if isinstance(c, Fact)]


def walk(condition: SpecModel) -> list[SpecModel]:
    """The condition and every condition inside it, depth first."""
    found = [condition]
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        for part in parts:
            found.extend(walk(part))
    elif isinstance(condition, Not):
        found.extend(walk(condition.not_))
    return found


def _atom(leaf: SpecModel) -> tuple[Any, ...]:
    """A key for a leaf: equal keys are the same question, asked twice."""
    match leaf:
        case HasRole(has_role=role):
            return ("has_role", normalise(role))
        case InSetting(setting=names) | HasItSystem(it_system=names) | HasResource(resource=names):
            return (type(leaf).__name__, tuple(sorted(normalise(n) for n in _as_list(names))))
        case InCountry(country=names):
            return ("country", tuple(sorted(normalise(n) for n in _as_list(names))))
    return (type(leaf).__name__, leaf.model_dump_json(by_alias=True))


def _consistent(true_leaves: list[SpecModel]) -> bool:
    """Whether some real context could make all these leaves true together."""
    lowest, highest = 0.0, float("inf")
    countries: set[str] | None = None
    facts: dict[str, list[Fact]] = {}
    for leaf in true_leaves:
        if isinstance(leaf, PopulationAtLeast):
            lowest = max(lowest, leaf.population_at_least)
        elif isinstance(leaf, PopulationAtMost):
            highest = min(highest, leaf.population_at_most)
        elif isinstance(leaf, InCountry):
            names = {normalise(n) for n in _as_list(leaf.country)}
            countries = names if countries is None else countries & names
        elif isinstance(leaf, Fact):
            facts.setdefault(leaf.fact, []).append(leaf)
    if lowest > highest or countries == set():
        return False
    for tests in facts.values():
        low, high = float("-inf"), float("inf")
        values: list[Scalar] = []
        for test in tests:
            if "equals" in test.model_fields_set and test.equals is not None:
                values.append(test.equals)
            elif test.at_least is not None:
                low = max(low, test.at_least)
            elif test.at_most is not None:
                high = min(high, test.at_most)
        if low > high:
            return False
        if any(not _same(v, values[0]) for v in values[1:]):
            return False
        if values and (low > float("-inf") or high < float("inf")):
            number = _number(values[0])
            if number is None or not low <= number <= high:
                return False
    return True


def can_be_true(condition: SpecModel, max_atoms: int = 12) -> bool | None:
    """Whether any context could make `condition` true; None when too large to tell.

    Distinct leaves are treated as independent questions, except where they cannot
    be (one population, one country, one answer per fact), so a False here is certain.
    """
    leaves = [c for c in walk(condition) if not isinstance(c, AllOf | AnyOf | Not)]
    atoms: dict[tuple[Any, ...], SpecModel] = {}
    for leaf in leaves:
        atoms.setdefault(_atom(leaf), leaf)
    keys = list(atoms)
    if len(keys) > max_atoms:
        return None
    for mask in range(1 << len(keys)):
        truth = {key: bool(mask >> i & 1) for i, key in enumerate(keys)}
        if not _consistent([atoms[k] for k in keys if truth[k]]):
            continue
        if _value(condition, truth) is True:
            return True
    return False


def _value(condition: SpecModel, truth: dict[tuple[Any, ...], bool]) -> bool:
    if isinstance(condition, AllOf):
        return all(_value(part, truth) for part in condition.all)
    if isinstance(condition, AnyOf):
        return any(_value(part, truth) for part in condition.any)
    if isinstance(condition, Not):
        return not _value(condition.not_, truth)
    return truth[_atom(condition)]


def answered_by(condition: SpecModel) -> list[str]:
    """The context keys that answer a condition, e.g. `roles`, `facts.weekly-meeting`."""
    keys: dict[str, None] = {}
    for leaf in walk(condition):
        match leaf:
            case HasRole():
                keys["roles"] = None
            case InSetting():
                keys["settings"] = None
            case HasItSystem():
                keys["it_systems"] = None
            case HasResource():
                keys["resources"] = None
            case InCountry():
                keys["country"] = None
            case PopulationAtLeast() | PopulationAtMost():
                keys["population.size"] = None
            case Fact(fact=fact):
                keys[f"facts.{fact}"] = None
    return list(keys)
