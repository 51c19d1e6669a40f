"""`spreadkit describe FILE`: the TIDieR completeness report, as text and as JSON.

The examples are complete (every item ticked); deliberately incomplete files cross
each TIDieR item with the message that says what is missing; an invalid file gives
exit 1 and its errors as `path:line:col: CODE message` (text) or `"valid": false` (JSON).
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from spreadkit.describe.completeness import report, report_json, report_text

from .helpers import EXAMPLES, ROOT, load, spreadkit, spreadkit_many

ITEMS = [f"tidier-{n}" for n in range(1, 13)] + ["balance", "measures", "evidence"]

# Crosses every TIDieR item but 4 (it has a component) and the three summary items.
INCOMPLETE = """\
spreadkit: 1
id: incomplete
name: A very long name that is really the full title of the intervention and not brief
version: 0.1.0
status: piloted
why:
  problem: Something goes wrong
components:
  - id: only
    kind: adaptable
    name: Only part
    form: Done somehow
evidence:
  - id: one-study
    citation: Someone 2020
"""
INCOMPLETE_MISSING = {
    "tidier-1": ["`name` is 80 characters; a brief name is a few words, the long form goes in `title`"],
    "tidier-2": ["`why` lacks goal, rationale, mechanisms; adopters need the rationale to keep the function"],
    "tidier-3": ["no materials: list what is used in delivery or training, and where to get it"],
    "tidier-5": ["component `only` does not say who delivers it (`who`)"],
    "tidier-6": ["component `only` does not say how it is delivered (`how`)"],
    "tidier-7": ["component `only` does not say where it happens (`where`)"],
    "tidier-8": ["component `only` does not say when and how much (`dose`)"],
    "tidier-9": ["no `tailoring`: say what may be personalised at delivery, why and how"],
    "tidier-10": ["no `modifications`: record changes made since it was first described, or write "
                  "`modifications: []`"],
    "tidier-11": ["no component has `fidelity` criteria: say how a site knows it kept the function"],
    "tidier-12": ["evidence `one-study` does not say how well delivery followed the plan (`fidelity`)"],
    "balance": ["no component is core: mark the parts whose function must be kept as `kind: core`",
                "adaptable component `only` gives no alternatives, guidance or limits: say how far adopters may go",
                "adaptable component `only` does not say what it is for (`function`)"],
    "measures": ["no outcome measure (`type: outcome`): how will a site know it works?",
                 "no process measure (`type: process`): how will a site know it was delivered?",
                 "no balancing measure (`type: balancing`): what could get worse elsewhere?"],
    "evidence": ["evidence `one-study` does not say where it was done (`context`)",
                 "evidence from 0 contexts; compare performance across at least two before spreading"],
}
# Crosses TIDieR 4, and says why 5-8 and 11 cannot be ticked yet.
NO_COMPONENTS = "spreadkit: 1\nid: empty\nname: Empty\nversion: 0.1.0\ncomponents: []\n"
INVALID = textwrap.dedent("""\
    spreadkit: 1
    id: Not A Slug
    name: Broken
    version: 0.1.0
    components:
      - id: part
        kind: core
        name: Part
        form: No function, though core
        colour: blue
    """)


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], subprocess.CompletedProcess[str]]:
    """(file, format) -> the finished command, for every file here, all run at once."""
    folder = tmp_path_factory.mktemp("files")
    files = {example: f"examples/{example}/intervention.yaml" for example in EXAMPLES}
    for name, text in (("incomplete", INCOMPLETE), ("no-components", NO_COMPONENTS), ("invalid", INVALID),
                       ("syntax", "spreadkit: 1\nid: [oops\n")):
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        files[name] = str(folder / f"{name}.yaml")
    keys = [(name, output) for name in files for output in ("text", "json")]
    done = spreadkit_many([(("describe", files[name], "--format", output), {}) for name, output in keys])
    for (name, _), result in zip(keys, done, strict=True):
        result.args = files[name]  # the path as given, for the messages
    return dict(zip(keys, done, strict=True))


def items_of(document: dict) -> dict[str, dict]:
    return {item["key"]: item for item in document["items"]}


@pytest.mark.parametrize("example", EXAMPLES)
def test_examples_are_complete(example: str, cli: dict) -> None:
    path = f"examples/{example}/intervention.yaml"
    text, as_json = cli[(example, "text")], cli[(example, "json")]
    assert text.returncode == 0 and as_json.returncode == 0, text.stderr + as_json.stderr
    assert text.stderr == "" and as_json.stderr == ""

    lines = text.stdout.splitlines()
    assert re.match(rf"{re.escape(path)}: \S.* \d+\.\d+\.\d+ \(spreading\)$", lines[0])
    ticks = [line for line in lines if line.startswith(("✓", "✗"))]
    assert len(ticks) == 15 and all(line.startswith("✓ ") for line in ticks), text.stdout
    assert [line[2:].split(":")[0] for line in ticks[:12]] == [f"TIDieR {n}" for n in range(1, 13)]
    assert lines[-1] == "15 of 15 complete."

    document = json.loads(as_json.stdout)
    assert document["file"] == path and document["valid"] is True and document["complete"] is True
    assert document["status"] == "spreading" and document["placeholders"] == 0
    assert document["core"] >= 1 and document["adaptable"] >= 1 and document["contexts"] >= 2
    assert [item["key"] for item in document["items"]] == ITEMS
    assert all(item["ok"] and item["missing"] == [] and item["why"] for item in document["items"])
    assert set(document) == {"file", "valid", "intervention", "version", "status", "complete", "core", "adaptable",
                             "contexts", "placeholders", "fill_questions", "items"}


def test_an_incomplete_file_crosses_each_item_with_what_is_missing(cli: dict) -> None:
    document = json.loads(cli[("incomplete", "json")].stdout)
    assert cli[("incomplete", "json")].returncode == 0  # incomplete is not invalid
    assert document["complete"] is False and (document["core"], document["adaptable"]) == (0, 1)
    items = items_of(document)
    assert items["tidier-4"]["ok"] is True
    for key, missing in INCOMPLETE_MISSING.items():
        assert items[key]["ok"] is False and items[key]["missing"] == missing, key
        assert items[key]["why"], key

    text = cli[("incomplete", "text")].stdout
    for item in document["items"]:
        if item["ok"]:
            assert f"\n✓ {item['title']}\n" in text
            continue
        block = f"\n✗ {item['title']}\n" + "".join(f"    - {m}\n" for m in item["missing"]) + \
            f"    why it matters: {item['why']}\n"
        assert block in text, item["key"]
    # --fill is offered for what it can ask, and only that: lists are the author's to write.
    assert document["fill_questions"] > 0
    file = text.split(": ", 1)[0]
    assert text.endswith(f"\n1 of 15 complete. `spreadkit describe {file} --fill` asks {document['fill_questions']} "
                         "questions it can write in place; what it does not ask (lists such as components, roles, "
                         "materials, outcomes and evidence; who, dose and mechanisms; a key left empty; anything "
                         "written in `{...}` or JSON form) is written by hand, as the commented template shows "
                         "(`spreadkit describe new.yaml --no-input` writes one).\n")
    assert "Evidence across contexts (1 study, 0 contexts)" in text


def test_a_file_without_components_crosses_tidier_4(cli: dict) -> None:
    items = items_of(json.loads(cli[("no-components", "json")].stdout))
    assert items["tidier-4"]["missing"] == ["no components: describe the procedures as core and adaptable components"]
    for number in (5, 6, 7, 8, 11):
        assert items[f"tidier-{number}"]["missing"] == ["no components yet: describe them first (TIDieR 4)"]
    assert items["tidier-12"]["missing"] == ["no evidence yet, so nothing says how well it was delivered where it "
                                             "was tried"]
    assert items["balance"]["missing"] == ["no components"]
    assert items["evidence"]["missing"] == ["no evidence cited: where has it been tried, and what happened?"]


@pytest.mark.parametrize("name", ["invalid", "syntax"])
def test_an_invalid_file_is_exit_1_with_its_errors(name: str, cli: dict) -> None:
    text, as_json = cli[(name, "text")], cli[(name, "json")]
    path = text.args
    assert text.returncode == 1 and as_json.returncode == 1
    assert text.stdout == "" and as_json.stderr == "" and "Traceback" not in text.stderr
    lines = text.stderr.splitlines()
    assert lines and all(re.fullmatch(rf"{re.escape(path)}:\d+:\d+: SK\d{{3}} \S.*", line) for line in lines), lines
    document = json.loads(as_json.stdout)
    assert document["valid"] is False and document["file"] == path
    errors = document["errors"]
    assert [f"{path}:{e['line']}:{e['column']}: {e['code']} {e['message']}" for e in errors] == lines
    if name == "invalid":
        assert [(e["line"], e["column"], e["code"]) for e in errors] == [(2, 5, "SK111"), (6, 5, "SK110"),
                                                                          (10, 5, "SK109")]
        assert errors[1]["message"] == "core component needs `function`"
        assert errors[2]["message"].startswith("unknown key `colour`; expected one of: ")
    else:
        assert [e["code"] for e in errors] == ["SK102"]


def test_a_context_file_is_not_an_intervention(tmp_path: Path) -> None:
    path = tmp_path / "context.yaml"
    path.write_text("spreadkit-context: 1\nsite: Somewhere\n", encoding="utf-8")
    done = spreadkit("describe", path.name, cwd=tmp_path)
    assert done.returncode == 1 and re.match(r"context\.yaml:1:1: SK108 ", done.stderr), done.stderr


# --- the pure functions ------------------------------------------------------------------


def test_report_functions_agree_with_the_command(cli: dict) -> None:
    document, spec = load(INCOMPLETE, "incomplete.yaml")
    result = report(spec, document)
    assert [item.key for item in result.items] == ITEMS
    as_json = report_json("incomplete.yaml", spec, result)
    assert json.loads(json.dumps(as_json)) == {**json.loads(cli[("incomplete", "json")].stdout),
                                               "file": "incomplete.yaml"}
    text = report_text("incomplete.yaml", spec, result)
    assert text.replace("incomplete.yaml", "X") == cli[("incomplete", "text")].stdout.replace(
        cli[("incomplete", "text")].args, "X")


def test_placeholders_are_not_counted_as_described() -> None:
    """A TODO left in a TIDieR item's text crosses that item, naming the line."""
    text = (ROOT / "examples" / "pincer" / "intervention.yaml").read_text(encoding="utf-8")
    text = text.replace("\n  problem: >-\n", '\n  problem: "TODO: the problem"\n  x-was: >-\n', 1)
    document, spec = load(text)
    result = report(spec, document)
    crossed = {item.key: item.missing for item in result.items if not item.ok}
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "TODO: the problem" in row)
    assert crossed == {"tidier-2": [f"line {line}: `problem` still holds a placeholder"]}
    assert result.placeholders == 1
    assert report_text("p.yaml", spec, result).endswith(
        "1 placeholder (TODO) still to replace; `spreadkit lint p.yaml` lists them by line.\n")


def test_an_idea_is_judged_as_if_it_were_evaluated() -> None:
    """The report is where an author learns what an adopter will need, whatever the status."""
    document, spec = load(INCOMPLETE.replace("status: piloted", "status: idea"))
    crossed = {item.key for item in report(spec, document).items if not item.ok}
    assert {"tidier-2", "tidier-3", "tidier-5", "tidier-10"} <= crossed


def test_a_suppression_lint_honours_is_honoured_by_the_report() -> None:
    from spreadkit.formats import validate
    from spreadkit.yamlio import load_text

    text = (ROOT / "examples" / "pincer" / "intervention.yaml").read_text(encoding="utf-8")
    head, rest = text.split("\ntailoring:", 1)
    text = head + "\nstrategies:" + rest.split("\nstrategies:", 1)[1]  # the same file without tailoring

    def tailoring_ok(source: str) -> bool:
        document = load_text(source).document
        assert document is not None
        spec, _ = validate(document, "intervention")
        return next(i for i in report(spec, document).items if i.key == "tidier-9").ok

    assert not tailoring_ok(text)
    assert tailoring_ok("# spreadkit: ignore-file[SK209]: tailoring does not apply to a national score\n" + text)


def test_why_the_balance_matters_is_said_by_the_rule_that_found_something() -> None:
    """A core part and an adaptable one with no function: the reason given is that an
    adaptable part must say what it is for, not that there is no core component."""
    from spreadkit.lint.rules import registry

    document, spec = load(textwrap.dedent("""\
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
        components:
          - {id: a, kind: core, name: A, function: Keep a., form: F}
          - {id: b, kind: adaptable, name: B, form: G, guidance: Any form.}
        """))
    balance = next(item for item in report(spec, document).items if item.key == "balance")
    rules = registry().rules
    assert not balance.ok and balance.why == rules["SK309"].rationale
    assert balance.why != rules["SK305"].rationale
