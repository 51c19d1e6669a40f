"""Reference docs generated from the single sources: the models and the rule registry.

`docs/format.md` and `docs/rules.md` hold generated sections between markers; a test
fails when the committed text differs from what these functions produce.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from spreadkit.formats.base import SLUG_PATTERN

BEGIN = "<!-- BEGIN GENERATED: {name} (make docs) -->"
END = "<!-- END GENERATED: {name} -->"


def replace_generated(text: str, name: str, body: str) -> str:
    """`text` with the generated section `name` replaced by `body`."""
    begin, end = BEGIN.format(name=name), END.format(name=name)
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"no generated section {name!r}")
    return pattern.sub(lambda _: f"{begin}\n{body.rstrip()}\n{end}", text)


def _type_text(tp: Any, seen: list[type[BaseModel]]) -> str:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        metadata = args[1:]
        if any(getattr(m, "pattern", None) == SLUG_PATTERN for m in _field_infos(metadata)):
            return "id"
        for m in metadata:
            if type(m).__name__ == "Discriminator" and args[0] is not None:
                members = typing.get_args(args[0])
                if members and typing.get_origin(members[0]) is typing.Annotated:
                    return "[condition](#conditions)"
        return _type_text(args[0], seen)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_text(a, seen) for a in args if a is not type(None))
    if origin is list:
        return f"list of {_type_text(args[0], seen)}"
    if origin is dict:
        return f"mapping of {_type_text(args[0], seen)} to {_type_text(args[1], seen)}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp not in seen:
            seen.append(tp)
        return f"[{_title(tp)}](#{_anchor(tp)})"
    names = {str: "text", int: "whole number", float: "number", bool: "true/false"}
    if tp in names:
        return names[tp]
    return getattr(tp, "__name__", str(tp))


def _field_infos(metadata: tuple[Any, ...]) -> list[Any]:
    found = []
    for m in metadata:
        found.append(m)
        found.extend(getattr(m, "metadata", []))
    return found


def _title(model: type[BaseModel]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def _anchor(model: type[BaseModel]) -> str:
    return _title(model).replace(" ", "-")


def model_reference(root: type[BaseModel], heading: str = "###") -> str:
    """A table of keys for `root` and every model reachable from it, in first-use order."""
    seen: list[type[BaseModel]] = [root]
    parts = []
    index = 0
    while index < len(seen):
        model = seen[index]
        index += 1
        if model.__module__.endswith("conditions"):
            continue
        rows = ["| key | type | required | meaning |", "|---|---|---|---|"]
        fields = sorted(model.model_fields.items(), key=lambda item: item[0] not in ("id", "kind"))
        for name, info in fields:
            key = info.alias or name
            kind = _type_text(info.annotation if not info.metadata else typing.Annotated[(info.annotation, *info.metadata)], seen)
            required = "yes" if info.is_required() else ""
            meaning = (info.description or "").replace("|", "\\|")
            rows.append(f"| `{key}` | {kind} | {required} | {meaning} |")
        doc = " ".join((model.__doc__ or "").split())
        parts.append(f'{heading} {_title(model)}\n<a id="{_anchor(model)}"></a>\n\n'
                     + (f"{doc}\n\n" if doc else "") + "\n".join(rows))
    return "\n\n".join(parts) + "\n"


def format_reference() -> str:
    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Log

    sections: list[tuple[str, type[BaseModel]]] = [
        ("Intervention description (`spreadkit: 1`)", Intervention),
        ("Context profile (`spreadkit-context: 1`)", Context),
        ("Adaptation log (`spreadkit-log: 1`)", Log),
    ]
    parts = [f"## Reference: {title}\n\n{model_reference(model)}" for title, model in sections]
    return "\n".join(parts) + "\n" + eric_reference()


def eric_reference() -> str:
    """The ERIC strategies that `strategies[].eric` accepts, by cluster."""
    from spreadkit.vocab import vocabulary

    data = vocabulary("eric")
    lines = ["## Reference: ERIC implementation strategies", "",
             "`strategies[].eric` takes one of these 73 slugs (Powell et al. 2015), grouped here in the",
             "9 clusters of Waltz et al. (2015). The cluster of each strategy is spreadkit's curated reading",
             "of that paper.", ""]
    for cluster in data["clusters"]:
        lines += [f"### {cluster['name']}", ""]
        lines += [f"- `{s['slug']}`: {s['definition']}" for s in data["strategies"] if s["cluster"] == cluster["slug"]]
        lines.append("")
    return "\n".join(lines)


def rules_reference() -> str:
    from spreadkit.lint.rules import registry

    lines = ["| code | name | severity | summary |", "|---|---|---|---|"]
    rules = registry().sorted_rules()
    for rule in rules:
        lines.append(f"| [{rule.code}](#{rule.code.lower()}) | `{rule.name}` | {rule.severity} | {rule.summary} |")
    for rule in rules:
        lines.append(f'\n### {rule.code}\n<a id="{rule.code.lower()}"></a>\n\n'
                     f"**{rule.name}** ({rule.severity}). {rule.summary}\n\n{rule.rationale}")
        if rule.bad:
            lines.append(f"\nFlagged:\n\n```yaml\n{rule.bad}\n```")
        if rule.good:
            lines.append(f"\nFine:\n\n```yaml\n{rule.good}\n```")
    return "\n".join(lines) + "\n"


def version_rule_reference() -> str:
    from spreadkit.versions.rule import table

    return table()


DOCS = {"docs/format.md": ("format-reference", format_reference),
        "docs/rules.md": ("rules-reference", rules_reference),
        "docs/versions.md": ("version-rule", version_rule_reference)}


def regenerate(root: str = ".") -> list[str]:
    """Rewrite the generated sections of the docs under `root`; the paths changed."""
    from pathlib import Path

    changed = []
    for relative, (name, build) in DOCS.items():
        path = Path(root) / relative
        old = path.read_text(encoding="utf-8")
        new = replace_generated(old, name, build())
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(relative)
    return changed


if __name__ == "__main__":
    for changed_path in regenerate():
        print(f"regenerated {changed_path}")
