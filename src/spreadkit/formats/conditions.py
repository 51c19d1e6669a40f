"""The condition language of `check` and `when`, and its three-valued evaluation.

A condition is data, never code: one operator per mapping, combined with `all`,
`any` and `not`. Evaluated against a context it is true, false, or unknown (None)
when the context did not say; `all`/`any`/`not` follow Kleene's logic, so unknown
is never silently turned into true or false.

Everything spreadkit does with an operator (evaluate it, say which context key answers
it, ask it in the questionnaire, check the answer's type, find the roles it names,
reason about which combinations can hold) is read from one table, `TABLE`, so that a
new operator is one row there and no other module dispatches on operators.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, model_validator

from spreadkit.formats.base import Number, Slug, SpecModel, WholeNumber
from spreadkit.formats.context import Context, Scalar
from spreadkit.wording import indefinite, joined, mid_sentence

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
    population_at_least: WholeNumber = Field(ge=0)


class PopulationAtMost(SpecModel):
    population_at_most: WholeNumber = Field(ge=0)


FACT_TESTS = ("equals", "at_least", "at_most", "in")


class Fact(SpecModel):
    model_config = {"populate_by_name": True}

    fact: Slug
    equals: Scalar | None = None
    at_least: Number | None = None
    at_most: Number | None = None
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
        return operator_of(value).key
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


AnswerKind = Literal["boolean", "number", "text"]
KIND_ORDER: tuple[AnswerKind, ...] = ("boolean", "number", "text")


def answer_kind(value: Scalar) -> AnswerKind:
    """What YAML 1.2 made of an answer: `true` is a boolean, `48000` a number, `yes` text."""
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, int | float) else "text"


def _value_key(value: Scalar) -> tuple[str, Hashable]:
    """Equal keys are the same answer: names compare case-insensitively after trimming,
    numbers by value, and kinds never mix (true is not 1, the text "3" is not 3)."""
    kind = answer_kind(value)
    if kind == "text":
        return kind, normalise(str(value))
    return kind, value if kind == "boolean" else float(value)


def _same(answer: Scalar, expected: Scalar) -> bool:
    return _value_key(answer) == _value_key(expected)


def same_answer(one: Scalar, other: Scalar) -> bool:
    """Whether two answers are the same answer, as a condition compares them."""
    return _same(one, other)


def _number(answer: Scalar) -> float | None:
    return float(answer) if answer_kind(answer) == "number" else None


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


# --- what an operator asks, and what it says of one quantity ---------------------------------


@dataclass(frozen=True, slots=True)
class Ask:
    """One question a condition puts to a site: the section of the context (and of its
    questionnaire) that answers it and the key asked about; for a fact, the kinds of
    answer it compares with and the values it names."""

    section: Literal["roles", "settings", "it_systems", "resources", "countries", "population", "facts"]
    key: str
    kinds: tuple[AnswerKind, ...] = ()
    values: tuple[Scalar, ...] = ()
    closed: bool = False  # `in`: only one of `values` can make it true


@dataclass(frozen=True, slots=True)
class Limit:
    """What a condition, when true, says of one quantity of a site (its population, its
    country, one fact's answer): a range of numbers and, when named, the values allowed."""

    quantity: str
    low: float = float("-inf")
    high: float = float("inf")
    values: frozenset[tuple[str, Hashable]] | None = None


@dataclass(frozen=True, slots=True)
class Operator:
    """One operator of the condition language and everything spreadkit does with it."""

    key: str  # as written in YAML
    model: type[SpecModel]
    evaluate: Callable[[Any, Context], Truth]
    reads: Callable[[Any], str | None]  # the context key that answers it; None for all/any/not
    asks: Callable[[Any], list[Ask]]  # its entries in the context questionnaire
    atom: Callable[[Any], Hashable]  # equal atoms are the same question, asked twice
    says: Callable[[Any, bool, Mapping[str, str]], str] = lambda leaf, negated, titles: ""  # in words
    limit: Callable[[Any], Limit | None] = lambda leaf: None
    parts: Callable[[Any], list[Any]] = lambda leaf: []
    combine: Callable[[list[Truth]], Truth] | None = None  # all/any/not: the value from the parts'


def _combined(node: Any, context: Context) -> Truth:
    combine = operator_of(node).combine
    assert combine is not None
    return combine([evaluate(part, context) for part in operator_of(node).parts(node)])


def _no_key(node: Any) -> str | None:
    return None


def _no_asks(node: Any) -> list[Ask]:
    return []


def _no_atom(node: Any) -> Hashable:
    return None


def _either(names: Names) -> str:
    return joined(_as_list(names), "or")


def _number_words(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


_NAME_WORDS = {
    "setting": ("the setting is {}", "the setting is not {}"),
    "it_system": ("the site uses {}", "the site does not use {}"),
    "resource": ("the site has {}", "the site does not have {}"),
}


def _names_operator(key: str, model: type[SpecModel], field: str,
                    section: Literal["settings", "it_systems", "resources"]) -> Operator:
    """`setting`, `it_system`, `resource`: one of these names is in the site's list."""
    return Operator(
        key, model,
        says=lambda leaf, negated, titles: _NAME_WORDS[key][negated].format(_either(getattr(leaf, key))),
        evaluate=lambda leaf, context: _overlap(getattr(leaf, key), getattr(context, field)),
        reads=lambda leaf: field,
        asks=lambda leaf: [Ask(section, name) for name in _as_list(getattr(leaf, key))],
        atom=lambda leaf: (key, tuple(sorted(normalise(n) for n in _as_list(getattr(leaf, key))))),
    )


def _population(context: Context) -> int | None:
    return context.population.size if context.population else None


def _fact_asks(leaf: Fact) -> list[Ask]:
    if "equals" in leaf.model_fields_set and leaf.equals is not None:
        return [Ask("facts", leaf.fact, (answer_kind(leaf.equals),), (leaf.equals,))]
    if leaf.in_ is not None:
        kinds = tuple(kind for kind in KIND_ORDER if any(answer_kind(v) == kind for v in leaf.in_))
        return [Ask("facts", leaf.fact, kinds, tuple(leaf.in_), closed=True)]
    return [Ask("facts", leaf.fact, ("number",))]


def _fact_limit(leaf: Fact) -> Limit:
    quantity = f"facts.{leaf.fact}"
    if "equals" in leaf.model_fields_set and leaf.equals is not None:
        return Limit(quantity, values=frozenset({_value_key(leaf.equals)}))
    if leaf.in_ is not None:
        return Limit(quantity, values=frozenset(_value_key(v) for v in leaf.in_))
    if leaf.at_least is not None:
        return Limit(quantity, low=leaf.at_least)
    return Limit(quantity, high=leaf.at_most if leaf.at_most is not None else float("inf"))


def _fact_says(leaf: Fact, negated: bool, titles: Mapping[str, str]) -> str:
    """A fact has no title, so it is said as the site writes its answer (`x: true`, never
    `x: yes`, which YAML reads as text)."""
    answered, answer = f"the site answered {leaf.fact}", f"the site's answer to {leaf.fact}"
    if "equals" in leaf.model_fields_set and isinstance(leaf.equals, bool):
        return f"{answered}: {yaml_scalar(leaf.equals != negated)}"
    if "equals" in leaf.model_fields_set and leaf.equals is not None:
        return f"{answer} is not {yaml_scalar(leaf.equals)}" if negated else f"{answered}: {yaml_scalar(leaf.equals)}"
    if leaf.in_ is not None:
        return f"{answer} is {'none' if negated else 'one'} of {', '.join(yaml_scalar(v) for v in leaf.in_)}"
    if leaf.at_least is not None:
        return f"{answer} is {'below' if negated else 'at least'} {_number_words(leaf.at_least)}"
    assert leaf.at_most is not None
    return f"{answer} is {'above' if negated else 'at most'} {_number_words(leaf.at_most)}"


def _role_says(leaf: HasRole, negated: bool, titles: Mapping[str, str]) -> str:
    title = mid_sentence(titles.get(leaf.has_role, leaf.has_role))
    return f"the site has {'no ' + title if negated else indefinite(title)}"


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


TABLE: tuple[Operator, ...] = (
    Operator("has_role", HasRole,
             evaluate=lambda leaf, context: has_role(context, leaf.has_role),
             reads=lambda leaf: "roles",
             asks=lambda leaf: [Ask("roles", leaf.has_role)],
             atom=lambda leaf: ("has_role", normalise(leaf.has_role)),
             says=_role_says),
    _names_operator("setting", InSetting, "settings", "settings"),
    _names_operator("it_system", HasItSystem, "it_systems", "it_systems"),
    _names_operator("resource", HasResource, "resources", "resources"),
    Operator("country", InCountry,
             evaluate=lambda leaf, context: None if context.country is None else _overlap(leaf.country,
                                                                                          [context.country]),
             reads=lambda leaf: "country",
             asks=lambda leaf: [Ask("countries", name) for name in _as_list(leaf.country)],
             atom=lambda leaf: ("country", tuple(sorted(normalise(n) for n in _as_list(leaf.country)))),
             says=lambda leaf, negated, titles: f"the site is {'not ' if negated else ''}in {_either(leaf.country)}",
             limit=lambda leaf: Limit("country", values=frozenset(_value_key(n) for n in _as_list(leaf.country)))),
    Operator("population_at_least", PopulationAtLeast,
             evaluate=lambda leaf, context: (None if (size := _population(context)) is None
                                             else size >= leaf.population_at_least),
             reads=lambda leaf: "population.size",
             asks=lambda leaf: [Ask("population", f"at least {leaf.population_at_least:,}")],
             atom=lambda leaf: ("population_at_least", leaf.population_at_least),
             says=lambda leaf, negated, titles: (f"the site serves {'fewer than' if negated else 'at least'} "
                                                 f"{_number_words(leaf.population_at_least)} people"),
             limit=lambda leaf: Limit("population.size", low=leaf.population_at_least)),
    Operator("population_at_most", PopulationAtMost,
             evaluate=lambda leaf, context: (None if (size := _population(context)) is None
                                             else size <= leaf.population_at_most),
             reads=lambda leaf: "population.size",
             asks=lambda leaf: [Ask("population", f"at most {leaf.population_at_most:,}")],
             atom=lambda leaf: ("population_at_most", leaf.population_at_most),
             says=lambda leaf, negated, titles: (f"the site serves {'more than' if negated else 'at most'} "
                                                 f"{_number_words(leaf.population_at_most)} people"),
             limit=lambda leaf: Limit("population.size", high=leaf.population_at_most)),
    Operator("fact", Fact,
             evaluate=_fact,
             reads=lambda leaf: f"facts.{leaf.fact}",
             asks=_fact_asks,
             atom=lambda leaf: ("fact", leaf.model_dump_json(by_alias=True)),
             says=_fact_says,
             limit=_fact_limit),
    Operator("all", AllOf, evaluate=_combined, reads=_no_key, asks=_no_asks, atom=_no_atom,
             says=lambda node, negated, titles: _joined(node.all, " or " if negated else " and ", negated, titles),
             parts=lambda node: list(node.all), combine=kleene_all),
    Operator("any", AnyOf, evaluate=_combined, reads=_no_key, asks=_no_asks, atom=_no_atom,
             says=lambda node, negated, titles: _joined(node.any, " and " if negated else " or ", negated, titles),
             parts=lambda node: list(node.any), combine=kleene_any),
    Operator("not", Not, evaluate=_combined, reads=_no_key, asks=_no_asks, atom=_no_atom,
             says=lambda node, negated, titles: _says(node.not_, not negated, titles),
             parts=lambda node: [node.not_], combine=lambda values: kleene_not(values[0])),
)
assert tuple(op.key for op in TABLE) == OPERATORS
_BY_MODEL: dict[type[SpecModel], Operator] = {op.model: op for op in TABLE}


def operator_of(condition: SpecModel) -> Operator:
    try:
        return _BY_MODEL[type(condition)]
    except KeyError:
        raise TypeError(f"not a condition: {condition!r}") from None


def evaluate(condition: SpecModel, context: Context) -> Truth:
    """True, False, or None for unknown: what `condition` says of this site."""
    return operator_of(condition).evaluate(condition, context)


def _says(condition: SpecModel, negated: bool, titles: Mapping[str, str]) -> str:
    return operator_of(condition).says(condition, negated, titles)


def _joined(parts: list[Any], joint: str, negated: bool, titles: Mapping[str, str]) -> str:
    phrases = []
    for part in parts:
        phrase = _says(part, negated, titles)
        nested = operator_of(part).combine is not None and len(operator_of(part).parts(part)) > 1
        phrases.append(f"({phrase})" if nested else phrase)
    return joint.join(phrases)


def says(condition: SpecModel, titles: Mapping[str, str] | None = None) -> str:
    """The condition in plain words, roles by their titles: `the site has a pharmacy
    technician and video meetings: yes`."""
    return _says(condition, False, titles or {})


def walk(condition: SpecModel) -> list[SpecModel]:
    """The condition and every condition inside it, depth first."""
    found = [condition]
    for part in operator_of(condition).parts(condition):
        found.extend(walk(part))
    return found


def leaves(condition: SpecModel) -> list[SpecModel]:
    """The conditions inside `condition` that are not all/any/not, in the order written."""
    return [c for c in walk(condition) if operator_of(c).combine is None]


def asks(condition: SpecModel) -> list[Ask]:
    """Every question `condition` puts to a site, in the order written."""
    return [ask for leaf in leaves(condition) for ask in operator_of(leaf).asks(leaf)]


def facts_asked(condition: SpecModel) -> list[str]:
    """The fact slugs a condition asks about, in the order written."""
    return [ask.key for ask in asks(condition) if ask.section == "facts"]


def roles_named(condition: SpecModel) -> list[str]:
    """The role ids a condition asks about, in the order written."""
    return [ask.key for ask in asks(condition) if ask.section == "roles"]


def answered_by(condition: SpecModel) -> list[str]:
    """The context keys that answer a condition, e.g. `roles`, `facts.weekly-meeting`."""
    keys: dict[str, None] = {}
    for leaf in leaves(condition):
        key = operator_of(leaf).reads(leaf)
        if key is not None:
            keys[key] = None
    return list(keys)


# --- the answers a fact takes ------------------------------------------------------------------

_YAML_1_1_BOOLEANS = frozenset({"yes", "no", "y", "n", "on", "off"})
_YAML_1_1_TRUE = frozenset({"yes", "y", "on"})
_KIND_WORDS = {"boolean": "true or false", "number": "a number", "text": "text"}


def yaml_scalar(value: Scalar) -> str:
    """An answer as a person writes it in YAML: `true`, `3`, `North`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True, slots=True)
class FactQuestion:
    """Everything an intervention's conditions ask of one fact, taken together."""

    fact: str
    kinds: tuple[AnswerKind, ...]
    values: tuple[Scalar, ...]  # every value a condition names, in the order written
    options: tuple[Scalar, ...] | None  # when every condition is an `in` list: the values allowed

    @property
    def expected(self) -> str:
        """What the answer must be, in words: `true or false`, `one of North, South`."""
        if self.options is not None:
            return "one of " + ", ".join(yaml_scalar(v) for v in self.options)
        return kinds_words(self.kinds)

    @property
    def detail(self) -> str:
        """The questionnaire's note on how to answer."""
        texts = [v for v in self.values if answer_kind(v) == "text"]
        if self.options is None and self.kinds == ("text",) and texts:
            return f"text, for example {yaml_scalar(texts[0])!r}"
        return self.expected

    def mismatch(self, answer: Scalar, quoted: bool = False) -> str | None:
        """How to fix an answer that no condition can compare (None when it fits);
        `quoted`: the answer is written in quotes."""
        kind = answer_kind(answer)
        if kind not in self.kinds:
            return _fix(answer, self, quoted)
        if self.options is not None and not any(_same(answer, option) for option in self.options):
            return f"answer {self.expected} (the values the intervention asks about)"
        return None


def _looks_like_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _fix(answer: Scalar, question: FactQuestion, quoted: bool = False) -> str:
    kind, wanted = answer_kind(answer), question.expected
    if kind == "text":
        text = str(answer).strip()
        if "boolean" in question.kinds and normalise(text) in ("true", "false"):
            return f"write {normalise(text)} without quotes (quoted, it is text)"
        if "boolean" in question.kinds and is_boolean_word(text):
            meant = "true" if normalise(text) in _YAML_1_1_TRUE else "false"
            # Taking the quotes off would not do: YAML 1.2 reads a bare yes as text too.
            if quoted:
                return f"write {meant} without quotes ({text} is text, quoted or not)"
            return f"write {meant} ({text} is text in YAML 1.2, not true or false)"
        if "number" in question.kinds and _looks_like_number(text):
            return f"write the number {text} without quotes (quoted, it is text)"
        return f"answer {wanted}"
    if "text" in question.kinds:
        texts = [v for v in question.values if answer_kind(v) == "text"]
        if texts and not any(_same(yaml_scalar(answer), v) for v in texts):
            # Quoting `true` would give text no condition names, and a wrong verdict.
            words = [yaml_scalar(v) for v in texts if is_boolean_word(v)]
            meant = f"; if the intervention's {' or '.join(words)} means true or false, it should write true or " \
                "false instead (SK412)" if words and kind == "boolean" else ""
            if question.options is not None:
                return f"answer {wanted} (the values the intervention asks about){meant}"
            return f"answer {' or '.join(yaml_scalar(v) for v in texts)} (the text the intervention compares it " \
                f"with){meant}"
        return f"answer {wanted}; to give {yaml_scalar(answer)} as text, quote it: \"{yaml_scalar(answer)}\""
    return f"answer {wanted}, not {_KIND_WORDS[kind]}"


def fact_questions(conditions: Iterable[SpecModel]) -> dict[str, FactQuestion]:
    """What the conditions ask of each fact, in the order the facts are first asked."""
    found: dict[str, list[Ask]] = {}
    for condition in conditions:
        for ask in asks(condition):
            if ask.section == "facts":
                found.setdefault(ask.key, []).append(ask)
    questions = {}
    for fact, asked in found.items():
        kinds = tuple(kind for kind in KIND_ORDER if any(kind in ask.kinds for ask in asked))
        values: list[Scalar] = []
        for ask in asked:
            values.extend(v for v in ask.values if not any(_same(v, seen) for seen in values))
        options = tuple(values) if all(ask.closed for ask in asked) else None
        questions[fact] = FactQuestion(fact, kinds, tuple(values), options)
    return questions


Path = tuple[str | int, ...]


def leaf_paths(condition: SpecModel, path: Path) -> Iterator[tuple[Path, SpecModel]]:
    """Each leaf of `condition` (written at `path`) with its own path, in the order written."""
    operator = operator_of(condition)
    if operator.combine is None:
        yield path, condition
        return
    parts = operator.parts(condition)
    for index, part in enumerate(parts):
        # `not` holds one condition, `all` and `any` a list of them.
        yield from leaf_paths(part, (*path, operator.key) if operator.key == "not" else (*path, operator.key, index))


@dataclass(frozen=True, slots=True)
class KindClash:
    """A fact tested at `path` with kinds of answer no test before it (at `first`) compares."""

    fact: str
    path: Path
    kinds: tuple[AnswerKind, ...]
    first: Path
    first_kinds: tuple[AnswerKind, ...]


def kind_clashes(conditions: Iterable[tuple[Path, SpecModel]],
                 order: Callable[[Path], Any] | None = None) -> Iterator[KindClash]:
    """Each test of a fact whose kinds of answer (true or false, a number, text) share none
    with the fact's first test: no one answer can be compared by both, so one of them
    is never true for any site. `order` (a sort key on a test's path) says which test
    comes first where `conditions` are not in that order; it is asked only about the
    tests of a fact that is compared more than one way, so that a large description
    whose facts are each asked one way costs no sorting."""
    tests: dict[str, list[tuple[Path, tuple[AnswerKind, ...]]]] = {}
    for path, condition in conditions:
        for at, leaf in leaf_paths(condition, path):
            for ask in operator_of(leaf).asks(leaf):
                if ask.section == "facts":
                    tests.setdefault(ask.key, []).append((at, ask.kinds))
    for fact, found in tests.items():
        if len({kinds for _, kinds in found}) < 2:
            continue
        if order is not None:
            found.sort(key=lambda test: order(test[0]))
        first, first_kinds = found[0]
        for at, kinds in found[1:]:
            if not set(kinds) & set(first_kinds):
                yield KindClash(fact, at, kinds, first, first_kinds)


def is_boolean_word(value: Scalar) -> bool:
    """Whether `value` is text that YAML 1.1 read as true or false (yes, no, on, off, y,
    n, in any case) and YAML 1.2, which spreadkit reads, reads as text."""
    return isinstance(value, str) and normalise(value) in _YAML_1_1_BOOLEANS


@dataclass(frozen=True, slots=True)
class BooleanWord:
    """A fact compared, at `path`, with a word YAML 1.1 read as true or false."""

    fact: str
    path: Path
    word: str
    test: str  # `equals` or `in`


def boolean_words(conditions: Iterable[tuple[Path, SpecModel]]) -> Iterator[BooleanWord]:
    """Each value a fact is compared with that is one of YAML 1.1's true-or-false words,
    written as text, where the fact is compared with no other text (`in: [yes, no,
    unsure]` asks for text; `equals: yes` alone most likely means true)."""
    tests: dict[str, list[BooleanWord]] = {}
    other_text: set[str] = set()
    for path, condition in conditions:
        for at, leaf in leaf_paths(condition, path):
            if not isinstance(leaf, Fact):
                continue
            if "equals" in leaf.model_fields_set and leaf.equals is not None:
                values: list[tuple[Path, Scalar, str]] = [((*at, "equals"), leaf.equals, "equals")]
            else:
                values = [((*at, "in", i), value, "in") for i, value in enumerate(leaf.in_ or [])]
            for where, value, test in values:
                if is_boolean_word(value):
                    tests.setdefault(leaf.fact, []).append(BooleanWord(leaf.fact, where, str(value), test))
                elif answer_kind(value) == "text":
                    other_text.add(leaf.fact)
    for fact, found in tests.items():
        if fact not in other_text:
            yield from found


def kinds_words(kinds: Iterable[AnswerKind]) -> str:
    """`true or false`, `a number or text`: the kinds of answer, in words."""
    return " or ".join(_KIND_WORDS[kind] for kind in kinds)


# --- which combinations can hold ---------------------------------------------------------------


def _consistent(true_leaves: list[SpecModel]) -> bool:
    """Whether some real context could make all these leaves true together: one
    population, one country, one answer per fact."""
    ranges: dict[str, tuple[float, float]] = {}
    allowed: dict[str, frozenset[tuple[str, Hashable]]] = {}
    for leaf in true_leaves:
        limit = operator_of(leaf).limit(leaf)
        if limit is None:
            continue
        low, high = ranges.get(limit.quantity, (float("-inf"), float("inf")))
        ranges[limit.quantity] = (max(low, limit.low), min(high, limit.high))
        if limit.values is not None:
            before = allowed.get(limit.quantity)
            allowed[limit.quantity] = limit.values if before is None else before & limit.values
    for quantity, (low, high) in ranges.items():
        if low > high:
            return False
        values = allowed.get(quantity)
        if values is None:
            continue
        if low > float("-inf") or high < float("inf"):
            values = frozenset(v for v in values if v[0] == "number" and low <= v[1] <= high)  # type: ignore[operator]
        if not values:
            return False
    return True


def can_be_true(condition: SpecModel, max_atoms: int = 12) -> bool | None:
    """Whether any context could make `condition` true; None when too large to tell.

    Distinct leaves are treated as independent questions, except where they cannot
    be (one population, one country, one answer per fact), so a False here is certain.
    """
    atoms: dict[Hashable, SpecModel] = {}
    for leaf in leaves(condition):
        atoms.setdefault(operator_of(leaf).atom(leaf), leaf)
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


def _value(condition: SpecModel, truth: dict[Hashable, bool]) -> Truth:
    """Two-valued evaluation, each leaf's truth given by its atom."""
    operator = operator_of(condition)
    if operator.combine is None:
        return truth[operator.atom(condition)]
    return operator.combine([_value(part, truth) for part in operator.parts(condition)])
