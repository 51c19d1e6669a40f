"""What changed between two versions of one description, by id, not by line.

Components, roles, measures, materials, evidence, needs, fidelity criteria and
mechanisms are matched by their ids, strategies by their ERIC name. Alternatives,
limits, tailoring and modifications have no ids: they are matched by their text,
exactly first (wherever they moved), then, among those left, by similar words, so that
a reworded limit reads as reworded rather than as one removed and another added.

Text is compared word for word: re-wrapping a paragraph, or writing it as a folded
block instead of a plain scalar, is no change. Each change points into the new file,
or into the old one when what it points at is gone (`Change.side`). Pure: models in,
changes out.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel

from spreadkit.problems import pointer_from
from spreadkit.versions.rule import KINDS
from spreadkit.versions.semver import Bump

if TYPE_CHECKING:
    from spreadkit.formats.intervention import (Alternative, AdaptableComponent, CoreComponent, Intervention,
                                                Requirement)

    Component = CoreComponent | AdaptableComponent

Path = tuple[str | int, ...]
Side = Literal["new", "old"]
T = TypeVar("T")

# Below this share of words in common, two texts are two different things, not one reworded.
SIMILAR = 0.6


@dataclass(frozen=True, slots=True)
class Change:
    """One change: its kind (a key of `rule.KINDS`), where it is, and what it was and is."""

    kind: str
    path: Path  # into the new file, or the old one when `side` is "old"
    side: Side
    subject: str  # where, in words: "component `outreach`, alternative 2"
    before: Any = None  # JSON values, as written; None when added
    after: Any = None  # None when removed

    @property
    def pointer(self) -> str:
        return pointer_from(self.path)

    @property
    def bump(self) -> Bump:
        return KINDS[self.kind].bump

    @property
    def label(self) -> str:
        return KINDS[self.kind].label

    @property
    def reason(self) -> str:
        return KINDS[self.kind].reason


def changes(old: Intervention, new: Intervention) -> list[Change]:
    """Every change from `old` to `new`, in the order of the new file (what is gone
    after what remains, in each list)."""
    differ = _Differ()
    differ.intervention(old, new)
    return differ.found


def item_at(model: Any, path: Path) -> Any:
    """What `path` names in a model: attributes by name, list items by index."""
    for part in path:
        model = model[part] if isinstance(part, int) else getattr(model, part)
    return model


def owners(change: Change, old: Intervention, new: Intervention) -> tuple[str, str]:
    """The ids of the component and of the need a change is in ("" for none)."""
    spec = new if change.side == "new" else old
    path = change.path
    component = item_at(spec, path[:2]).id if path[:1] == ("components",) and len(path) > 1 else ""
    at = max((k for k, part in enumerate(path) if part == "requires"), default=-1)
    need = item_at(spec, path[:at + 2]).id if at >= 0 and len(path) > at + 1 else ""
    return component, need


def words(text: str | None) -> str:
    """Text as compared: its words, one space apart."""
    return " ".join(text.split()) if text else ""


def plain(value: Any) -> Any:
    """A model, list or value as JSON values, with only what the file writes."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def similarity(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, words(first).split(), words(second).split(), autojunk=False).ratio()


def match_by_text(old: Sequence[T], new: Sequence[T], text: Callable[[T], str]) -> list[tuple[int | None, int | None]]:
    """Pairs (old index, new index) of items without ids: equal texts first, wherever
    they moved, then items whose words are similar; the rest alone, as removed (None
    new index) or added (None old index). In the order of `new`, then the removed."""
    keys_old = [words(text(item)) for item in old]
    keys_new = [words(text(item)) for item in new]
    partner: dict[int, int] = {}
    taken: set[int] = set()
    for j, key in enumerate(keys_new):
        i = next((i for i, k in enumerate(keys_old) if k == key and i not in taken), None)
        if i is not None:
            partner[j] = i
            taken.add(i)
    for j, key in enumerate(keys_new):
        if j in partner:
            continue
        scored = [(similarity(keys_old[i], key), -i) for i in range(len(old)) if i not in taken]
        best = max(scored, default=None)
        if best is not None and best[0] >= SIMILAR:
            partner[j] = -best[1]
            taken.add(-best[1])
    pairs: list[tuple[int | None, int | None]] = [(partner.get(j), j) for j in range(len(new))]
    return pairs + [(i, None) for i in range(len(old)) if i not in taken]


def _by_id(items: Sequence[T], key: Callable[[T], str]) -> dict[str, tuple[int, T]]:
    found: dict[str, tuple[int, T]] = {}
    for index, item in enumerate(items):
        found.setdefault(key(item), (index, item))  # a repeated id is lint's SK402; the first counts
    return found


def match_by_id(old: Sequence[T], new: Sequence[T], key: Callable[[T], str]
                ) -> Iterator[tuple[tuple[int, T] | None, tuple[int, T] | None]]:
    """(old, new) pairs of items with the same id, then the added (no old) and the
    removed (no new), each as (index, item); in the order of `new`, then the removed."""
    old_by, new_by = _by_id(old, key), _by_id(new, key)
    for ident, (j, item) in new_by.items():
        yield old_by.get(ident), (j, item)
    for ident, found in old_by.items():
        if ident not in new_by:
            yield found, None


def _fixed(component: Component) -> bool:
    return component.kind == "core" and component.fixed


def _optional(component: Component) -> bool:
    return component.kind == "adaptable" and component.optional


class _Differ:
    def __init__(self) -> None:
        self.found: list[Change] = []

    def add(self, kind: str, path: Path, subject: str, before: Any = None, after: Any = None,
            side: Side = "new") -> None:
        assert kind in KINDS, kind
        self.found.append(Change(kind, path, side, subject, plain(before), plain(after)))

    def text(self, kind: str, old: str | None, new: str | None, path: Path, subject: str) -> None:
        if words(old) != words(new):
            self.add(kind, path, subject, old, new)

    def ids(self, old: Sequence[str], new: Sequence[str], added: str, removed: str, path: Path,
            subject: str) -> None:
        """A list of ids (roles, materials, ...): one change if any were added, one if any went."""
        gained = [i for i in new if i not in old]
        lost = [i for i in old if i not in new]
        if gained:
            self.add(added, path, subject, list(old), list(new))
        if lost and (removed != added or not gained):
            self.add(removed, path, subject, list(old), list(new))

    def fields(self, kind: str, old: BaseModel, new: BaseModel, names: Sequence[str], path: Path,
               subject: str) -> None:
        """One change of `kind` for each of `names` whose value differs (texts word for word)."""
        for name in names:
            before, after = getattr(old, name), getattr(new, name)
            where = f"{subject}, `{name}`"
            if isinstance(before, str) or isinstance(after, str):
                self.text(kind, before, after, (*path, name), where)
            elif _texts_differ(before, after):
                self.add(kind, (*path, name), where, before, after)

    def keyed(self, old: Sequence[T], new: Sequence[T], path: Path, key: Callable[[T], str],
              added: Callable[[int, T], None], removed: Callable[[int, T], None],
              both: Callable[[int, T, int, T], None]) -> None:
        for was, now in match_by_id(old, new, key):
            if was is None and now is not None:
                added(*now)
            elif now is None and was is not None:
                removed(*was)
            elif was is not None and now is not None:
                both(*was, *now)

    def simple(self, old: Sequence[T], new: Sequence[T], path: Path, subject: Callable[[T], str],
               key: Callable[[T], str], added: str, removed: str, changed: str) -> None:
        """A keyed list whose every change is of one kind per what happened."""
        self.keyed(old, new, path, key,
                   lambda j, item: self.add(added, (*path, j), subject(item), after=item),
                   lambda i, item: self.add(removed, (*path, i), subject(item), before=item, side="old"),
                   lambda i, was, j, now: self.add(changed, (*path, j), subject(now), was, now)
                   if _texts_differ(was, now) else None)

    # --- the description, part by part ---------------------------------------------------

    def intervention(self, old: Intervention, new: Intervention) -> None:
        for name in ("name", "title", "summary"):
            self.text("wording", getattr(old, name), getattr(new, name), (name,), f"`{name}`")
        if sorted(map(words, old.keywords)) != sorted(map(words, new.keywords)):
            self.add("wording", ("keywords",), "`keywords`", old.keywords, new.keywords)
        if _texts_differ(old.innovators, new.innovators):
            self.add("wording", ("innovators",), "`innovators`", old.innovators, new.innovators)
        if old.status != new.status:
            kind = "retired" if new.status == "retired" else "status-changed"
            self.add(kind, ("status",), "`status`", old.status, new.status)
        if (old.licence or "") != (new.licence or ""):
            kind = "licence-added" if not old.licence else "licence-changed"
            self.add(kind, ("licence",), "`licence`", old.licence, new.licence)
        self.why(old, new)
        self.outcomes(old, new)
        self.roles(old, new)
        self.simple(old.materials, new.materials, ("materials",), lambda m: f"material `{m.id}`", lambda m: m.id,
                    "materials-changed", "materials-changed", "materials-changed")
        self.components(old, new)
        self.context(old, new)
        self.unkeyed_texts(old.tailoring, new.tailoring, ("tailoring",), lambda t: t.what, "tailoring",
                           "tailoring-changed", "tailoring-changed", "tailoring-changed")
        self.simple(old.strategies, new.strategies, ("strategies",), lambda s: f"strategy `{s.eric}`",
                    lambda s: s.eric, "strategy-added", "strategy-removed", "strategy-changed")
        self.evidence(old, new)
        self.unkeyed_texts(old.modifications, new.modifications, ("modifications",), lambda m: m.description,
                           "modification", "modifications-changed", "modifications-changed",
                           "modifications-changed")

    def why(self, old: Intervention, new: Intervention) -> None:
        if old.why is None and new.why is None:
            return
        from spreadkit.formats.intervention import Why

        was, now = old.why or Why(), new.why or Why()
        for name in ("problem", "goal", "rationale"):
            self.text("theory-changed", getattr(was, name), getattr(now, name), ("why", name), f"`why.{name}`")
        self.simple(was.mechanisms, now.mechanisms, ("why", "mechanisms"), lambda m: f"mechanism `{m.id}`",
                    lambda m: m.id, "theory-changed", "theory-changed", "theory-changed")

    def outcomes(self, old: Intervention, new: Intervention) -> None:
        path: Path = ("outcomes",)

        def both(i: int, was: Any, j: int, now: Any) -> None:
            subject = f"measure `{now.id}`"
            self.fields("outcome-redefined", was, now, ("type", "direction", "measure", "numerator", "denominator"),
                        (*path, j), subject)
            self.fields("outcome-frequency-changed", was, now, ("frequency",), (*path, j), subject)
            self.fields("wording", was, now, ("name",), (*path, j), subject)

        self.keyed(old.outcomes, new.outcomes, path, lambda o: o.id,
                   lambda j, o: self.add("outcome-added", (*path, j), f"measure `{o.id}`", after=o),
                   lambda i, o: self.add("outcome-removed", (*path, i), f"measure `{o.id}`", before=o, side="old"),
                   both)

    def roles(self, old: Intervention, new: Intervention) -> None:
        path: Path = ("roles",)

        def both(i: int, was: Any, j: int, now: Any) -> None:
            subject = f"role `{now.id}`"
            self.fields("wording", was, now, ("title",), (*path, j), subject)
            self.fields("role-described-differently", was, now, ("expertise", "training"), (*path, j), subject)
            self.ids(was.substitutes, now.substitutes, "substitute-added", "substitute-removed",
                     (*path, j, "substitutes"), subject)

        self.keyed(old.roles, new.roles, path, lambda r: r.id,
                   lambda j, r: self.add("role-added", (*path, j), f"role `{r.id}`", after=r),
                   lambda i, r: self.add("role-removed", (*path, i), f"role `{r.id}`", before=r, side="old"),
                   both)

    def components(self, old: Intervention, new: Intervention) -> None:
        path: Path = ("components",)

        def added(j: int, component: Any) -> None:
            kind = "core-component-added" if component.kind == "core" else \
                "optional-component-added" if component.optional else "component-added"
            self.add(kind, (*path, j), f"component `{component.id}`", after=component)

        self.keyed(old.components, new.components, path, lambda c: c.id, added,
                   lambda i, c: self.add("component-removed", (*path, i), f"component `{c.id}`", before=c,
                                         side="old"),
                   lambda i, was, j, now: self.component(was, now, (*path, j)))

    def component(self, was: Component, now: Component, path: Path) -> None:
        subject = f"component `{now.id}`"
        if was.kind != now.kind:
            kind = "component-made-core" if now.kind == "core" else "component-made-adaptable"
            self.add(kind, (*path, "kind"), subject, was.kind, now.kind)
        if now.kind == "adaptable":
            self.text("wording", was.function, now.function, (*path, "function"), f"{subject}, `function`")
        elif was.kind == "core" or was.function:
            # A function written for the first time, as the component becomes core, is part of that move.
            self.text("core-function-changed", was.function, now.function, (*path, "function"), subject)
        if _fixed(was) != _fixed(now):
            self.add("component-fixed" if _fixed(now) else "component-unfixed", (*path, "fixed"), subject,
                     _fixed(was), _fixed(now))
        if _optional(was) != _optional(now) and now.kind == "adaptable":
            kind = "component-made-optional" if _optional(now) else "component-made-required"
            self.add(kind, (*path, "optional"), subject, _optional(was), _optional(now))
        self.text("wording", was.name, now.name, (*path, "name"), f"{subject}, `name`")
        form = "fixed-form-changed" if _fixed(now) else "form-changed"
        self.fields(form, was, now, ("form", "how", "where", "dose"), path, subject)
        self.ids(was.who, now.who, "form-role-added", "form-role-removed", (*path, "who"), subject)
        self.ids(was.materials, now.materials, "materials-changed", "materials-changed", (*path, "materials"),
                 subject)
        self.ids(was.mechanisms, now.mechanisms, "theory-changed", "theory-changed", (*path, "mechanisms"), subject)
        self.ids(was.depends_on, now.depends_on, "order-changed", "order-changed", (*path, "depends_on"), subject)
        self.needs(was.requires, now.requires, (*path, "requires"), subject)
        self.alternatives(was, now, path, subject)
        self.limits(was.limits, now.limits, (*path, "limits"), subject)
        self.simple(was.fidelity, now.fidelity, (*path, "fidelity"), lambda f: f"{subject}, fidelity `{f.id}`",
                    lambda f: f.id, "fidelity-changed", "fidelity-changed", "fidelity-changed")
        if now.kind == "adaptable" and was.kind == "adaptable":
            self.text("wording", was.guidance, now.guidance, (*path, "guidance"), f"{subject}, `guidance`")

    def alternatives(self, was: Component, now: Component, path: Path, subject: str) -> None:
        path = (*path, "alternatives")
        pairs = match_by_text(was.alternatives, now.alternatives, lambda a: a.form)
        kept = [i for i, j in pairs if i is not None and j is not None]
        if kept != sorted(kept):
            self.add("alternatives-reordered", path, subject, [a.form for a in was.alternatives],
                     [a.form for a in now.alternatives])
        for i, j in pairs:
            if j is None:
                assert i is not None
                self.add("alternative-removed", (*path, i), f"{subject}, alternative {i + 1}",
                         before=was.alternatives[i], side="old")
            elif i is None:
                self.add("alternative-added", (*path, j), f"{subject}, alternative {j + 1}",
                         after=now.alternatives[j])
            else:
                self.alternative(was.alternatives[i], now.alternatives[j], (*path, j), f"{subject}, alternative {j + 1}")

    def alternative(self, was: Alternative, now: Alternative, path: Path, subject: str) -> None:
        self.text("alternative-form-changed", was.form, now.form, (*path, "form"), subject)
        if _texts_differ(was.when, now.when):
            kind = "alternative-condition-removed" if now.when is None else "alternative-condition-changed"
            self.add(kind, (*path, "when"), subject, was.when, now.when)
        self.ids(was.who or [], now.who or [], "form-role-added", "form-role-removed", (*path, "who"), subject)
        self.needs(was.requires, now.requires, (*path, "requires"), subject)
        self.ids(was.evidence, now.evidence, "evidence-changed", "evidence-changed", (*path, "evidence"), subject)

    def limits(self, old: Sequence[str], new: Sequence[str], path: Path, subject: str) -> None:
        for i, j in match_by_text(old, new, lambda text: text):
            if j is None:
                assert i is not None
                self.add("limit-removed", (*path, i), f"{subject}, limit {i + 1}", before=old[i], side="old")
            elif i is None:
                self.add("limit-added", (*path, j), f"{subject}, limit {j + 1}", after=new[j])
            else:
                self.text("limit-changed", old[i], new[j], (*path, j), f"{subject}, limit {j + 1}")

    def unkeyed_texts(self, old: Sequence[Any], new: Sequence[Any], path: Path, text: Callable[[Any], str],
                      noun: str, added: str, removed: str, changed: str) -> None:
        for i, j in match_by_text(old, new, text):
            if j is None:
                assert i is not None
                self.add(removed, (*path, i), f"{noun} {i + 1}", before=old[i], side="old")
            elif i is None:
                self.add(added, (*path, j), f"{noun} {j + 1}", after=new[j])
            elif _texts_differ(old[i], new[j]):
                self.add(changed, (*path, j), f"{noun} {j + 1}", old[i], new[j])

    def needs(self, old: Sequence[Requirement], new: Sequence[Requirement], path: Path, owner: str) -> None:
        def subject(need: Requirement) -> str:
            return f"{owner}, need `{need.id}`"

        def added(j: int, need: Requirement) -> None:
            self.add("essential-need-added" if need.essential else "need-added", (*path, j), subject(need), after=need)

        def both(i: int, was: Requirement, j: int, now: Requirement) -> None:
            self.need(was, now, (*path, j), subject(now))

        self.keyed(old, new, path, lambda n: n.id, added,
                   lambda i, n: self.add("need-removed", (*path, i), subject(n), before=n, side="old"), both)

    def need(self, was: Requirement, now: Requirement, path: Path, subject: str) -> None:
        if was.essential != now.essential:
            self.add("need-made-essential" if now.essential else "need-made-helpful", (*path, "essential"), subject,
                     was.essential, now.essential)
        strict = "need-check-changed" if now.essential else "helpful-need-changed"
        if _texts_differ(was.check, now.check):
            self.add(strict, (*path, "check"), subject, was.check, now.check)
        lost = [i for i in was.met_by if i not in now.met_by]
        gained = [i for i in now.met_by if i not in was.met_by]
        if lost:
            self.add("need-no-longer-met-by" if now.essential else "helpful-need-changed", (*path, "met_by"),
                     subject, was.met_by, now.met_by)
        if gained:
            self.add("need-met-by-added", (*path, "met_by"), subject, was.met_by, now.met_by)
        if was.original_only != now.original_only:
            kind = "need-limited-to-original" if now.original_only else \
                "need-extended-to-every-form" if now.essential else "helpful-need-changed"
            self.add(kind, (*path, "original_only"), subject, was.original_only, now.original_only)
        self.fields("wording", was, now, ("need", "domain"), path, subject)

    def context(self, old: Intervention, new: Intervention) -> None:
        from spreadkit.formats.intervention import InterventionContext

        was, now = old.context or InterventionContext(), new.context or InterventionContext()
        if sorted(was.settings) != sorted(now.settings):
            self.add("settings-changed", ("context", "settings"), "`context.settings`", was.settings, now.settings)
        self.text("wording", was.population, now.population, ("context", "population"), "`context.population`")
        self.needs(was.requires, now.requires, ("context", "requires"), "the whole intervention")

    def evidence(self, old: Intervention, new: Intervention) -> None:
        path: Path = ("evidence",)

        def both(i: int, was: Any, j: int, now: Any) -> None:
            subject = f"evidence `{now.id}`"
            self.fields("evidence-changed", was, now, ("design", "context", "results"), (*path, j), subject)
            self.fields("wording", was, now, ("citation", "doi", "url", "fidelity"), (*path, j), subject)

        self.keyed(old.evidence, new.evidence, path, lambda e: e.id,
                   lambda j, e: self.add("evidence-added", (*path, j), f"evidence `{e.id}`", after=e),
                   lambda i, e: self.add("evidence-removed", (*path, i), f"evidence `{e.id}`", before=e, side="old"),
                   both)


def _texts_differ(old: Any, new: Any) -> bool:
    """Whether two values differ other than in how their texts are wrapped, or in a
    default written out (`essential: true`) or left to be taken."""
    return bool(_normalised(old) != _normalised(new))


def _normalised(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _normalised(value.model_dump(mode="json", by_alias=True))
    if isinstance(value, str):
        return words(value)
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value
