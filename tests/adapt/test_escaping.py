"""Every user string is data: escaped in HTML, shown as text in Markdown, printed (never
evaluated) when it looks like Jinja; and user templates run in Jinja's sandbox."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spreadkit import yamlio

from .helpers import PAYLOAD, hostile_context, hostile_intervention, spreadkit

JINJA = ("{{ 7*7 }}", "{% for x in range(3) %}x{% endfor %}")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    # JSON is YAML 1.2: the values reach spreadkit exactly as written here.
    (folder / "intervention.yaml").write_text(json.dumps(hostile_intervention(), indent=1), encoding="utf-8")
    (folder / "context.yaml").write_text(json.dumps(hostile_context(), indent=1), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def outputs(files: Path) -> dict[str, str]:
    found = {}
    for output in ("md", "html", "json"):
        args = ["adapt", "intervention.yaml", "--context", "context.yaml", "--format", output]
        if output == "md":
            args += ["--log", "adaptations.yaml", "--force"]
        done = spreadkit(*args, cwd=files)
        assert done.returncode == 0, done.stderr
        found[output] = done.stdout
    found["log"] = (files / "adaptations.yaml").read_text(encoding="utf-8")
    return found


def test_the_guide_shows_every_kind_of_text(outputs: dict[str, str]) -> None:
    """The case reaches every place a user string is shown (else the test proves little)."""
    for label in ("Name", "Title", "Summary", "Problem", "Goal", "Rationale", "Mechanism", "Outcome", "Substituted",
                  "Gapped", "Function", "Form", "Limit", "Need", "Criterion", "Alternative", "Alt form", "Guidance",
                  "Open form", "Helpful", "Citation", "Result", "Site", "Country", "Constraint", "Priority",
                  "Pharmacist", "Technician", "GP"):
        for output in ("md", "html"):
            # Titles inside a sentence read in lower case ("in place of the pharmacist").
            assert f"{label} ".casefold() in outputs[output].casefold(), f"{label} is not in the {output} guide"
    for label in ("Innovator", "Contact"):  # only the HTML guide's footer names the innovators
        assert f"{label} " in outputs["html"]


def test_html_escapes_every_user_string(outputs: dict[str, str]) -> None:
    html = outputs["html"]
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;amp;" in html  # an entity in the YAML is text, shown as typed
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html))
    assert tags <= {"html", "head", "meta", "title", "style", "body", "a", "header", "h1", "h2", "h3", "p", "nav",
                    "ol", "ul", "li", "main", "section", "span", "table", "caption", "thead", "tbody", "tr", "th",
                    "td", "dl", "dt", "dd", "strong", "em", "article", "code", "footer", "div"}
    # Markdown in YAML text is not rendered in HTML: no link from it becomes an element.
    assert 'href="javascript' not in html and 'href="https://example.org/ok"' not in html


def test_markdown_shows_raw_html_as_text(outputs: dict[str, str]) -> None:
    md = outputs["md"]
    # Markdown's own backslash escapes, only where needed: no HTML entities in the text.
    assert "\\<script>alert(1)\\</script>" in md
    assert "\\<img src=x onerror=alert(1)>" in md
    assert "\\&amp;" in md
    assert "&lt;" not in md and "&gt;" not in md


def test_markdown_rendered_by_a_viewer_runs_nothing_and_loads_nothing(outputs: dict[str, str]) -> None:
    """What a Markdown viewer (CommonMark, here markdown-it) makes of the guide: no
    script, no image, no link other than http(s) or relative; the text as written."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(outputs["md"])
    assert "<script" not in html and "<img" not in html
    assert not re.findall(r'href="(?!https?://|#)', html)
    assert '<a href="https://example.org/ok">ok</a>' in html  # a safe link stays a link
    assert "[click](javascript:alert(1))" in html  # shown as the text it is
    assert "![pixel](https://tracker.example/p.png)" in html
    assert "&amp;amp; a | pipe" in html  # an entity in the YAML is text, shown as typed


def test_text_reads_as_written_in_markdown(tmp_path: Path) -> None:
    spec = hostile_intervention()
    spec["outcomes"][0]["numerator"] = "Patients with no recent U&E result"
    spec["components"][1]["fidelity"][0]["target"] = ">= 90%"
    (tmp_path / "intervention.yaml").write_text(json.dumps(spec), encoding="utf-8")
    (tmp_path / "context.yaml").write_text(json.dumps(hostile_context()), encoding="utf-8")
    done = spreadkit("adapt", "intervention.yaml", "--context", "context.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no recent U&E result" in done.stdout and "target >= 90%" in done.stdout


def test_markdown_table_cells_escape_the_pipe(outputs: dict[str, str]) -> None:
    rows = [line for line in outputs["md"].splitlines() if line.startswith("| outcome |")]
    assert len(rows) == 1
    assert "a \\| pipe" in rows[0]
    assert len(re.findall(r"(?<!\\)\|", rows[0])) == 6  # five cells, no more


@pytest.mark.parametrize("output", ["md", "html", "log"])
def test_jinja_in_a_value_is_printed_never_evaluated(outputs: dict[str, str], output: str) -> None:
    text = outputs[output]
    for jinja in JINJA:
        assert jinja in text
    assert "49" not in text
    assert "xxx" not in text


def test_json_and_log_keep_the_text_exactly(outputs: dict[str, str], files: Path) -> None:
    plan = json.loads(outputs["json"])
    assert plan["site"] == f"Site {PAYLOAD}"
    forms = {c["id"]: c["form"] for c in plan["components"]}
    assert forms["alt"] == f"Alt form {PAYLOAD}"
    loaded = yamlio.load_text(outputs["log"])
    assert loaded.document is not None, loaded.problems
    log = loaded.document.data
    assert log["site"] == f"Site {PAYLOAD}"
    assert [e["component"] for e in log["entries"]] == ["sub", "alt"]
    assert log["entries"][1]["description"].endswith(f"Alt form {PAYLOAD}")


def test_the_log_lints_without_errors(files: Path, outputs: dict[str, str]) -> None:
    done = spreadkit("lint", "--isolated", "--no-cache", "--select", "SK1,SK4,SK6", "adaptations.yaml",
                     "intervention.yaml", cwd=files)
    assert done.returncode == 0, done.stdout


LINE_BREAKS = "\r\u2028\u2029\x85\x0b\x0c\x1c"


def test_names_with_line_breaks_cannot_add_keys_to_the_yaml_written(tmp_path: Path) -> None:
    """A comment line in a written YAML file holds user text (the intervention's name, a
    role's title); every character a reader may take for a line break must be flattened,
    or the text after it becomes YAML (and lint no longer even recognises the file)."""
    spec = hostile_intervention()
    spec["name"] = "Demo" + "".join(f"{c}entries: {i}" for i, c in enumerate(LINE_BREAKS))
    spec["roles"][0]["title"] = "Pharmacist" + "".join(f"{c}roles: [x{i}]" for i, c in enumerate(LINE_BREAKS))
    spec["components"][1]["requires"][0]["need"] = "Money\u2028facts: {a: 1}"
    site = hostile_context()
    site["site"] = "Site\u2028entries: []\rintervention: other\x85x: 1"
    (tmp_path / "intervention.yaml").write_text(json.dumps(spec), encoding="utf-8")
    (tmp_path / "context.yaml").write_text(json.dumps(site), encoding="utf-8")
    assert spreadkit("adapt", "intervention.yaml", "--context", "context.yaml", "--log", "log.yaml",
                     cwd=tmp_path).returncode == 0
    assert spreadkit("adapt", "intervention.yaml", "--new-context", "questionnaire.yaml", cwd=tmp_path).returncode == 0
    log = yamlio.load_path(tmp_path / "log.yaml")
    assert log.document is not None, log.problems
    assert list(log.document.data) == ["spreadkit-log", "intervention", "intervention_version", "site", "entries"]
    assert log.document.data["site"] == site["site"]
    questionnaire = yamlio.load_path(tmp_path / "questionnaire.yaml")
    assert questionnaire.document is not None, questionnaire.problems
    data = questionnaire.document.data
    assert data["roles"] is None and set(data["facts"]) == {"funded", "not-answered"}
    for name in ("log.yaml", "questionnaire.yaml"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert not any(c in text for c in LINE_BREAKS), name
    done = spreadkit("lint", "--isolated", "--no-cache", "--select", "SK1", "-v", "log.yaml", "questionnaire.yaml",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert "skipped" not in done.stderr
    assert "(2 files)" in done.stdout


# --- user templates ---------------------------------------------------------------------------


def _with_template(files: Path, tmp_path: Path, name: str, text: str,
                   *args: str) -> tuple[int, str, str]:
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / name).write_text(text, encoding="utf-8")
    done = spreadkit("adapt", files / "intervention.yaml", "--context", files / "context.yaml",
                     "--template-dir", templates, *args)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}",
    "{{ site.__class__ }}",
    "{% for c in core %}{{ c.items.__self__.__class__ }}{% endfor %}",
])
def test_the_sandbox_refuses_what_a_template_may_not_touch(files: Path, tmp_path: Path, attack: str) -> None:
    code, out, err = _with_template(files, tmp_path, "guide.md.j2", f"Guide {attack}\n")
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("spreadkit: error: template error in guide.md.j2: ")
    assert "unsafe" in err or "access to attribute" in err
    assert "pwned" not in out + err


def test_a_template_using_an_undefined_name_fails(files: Path, tmp_path: Path) -> None:
    code, out, err = _with_template(files, tmp_path, "guide.md.j2", "Guide for {{ no_such_name }}\n")
    assert code == 2
    assert out == ""
    assert err.strip() == "spreadkit: error: template error in guide.md.j2: 'no_such_name' is undefined"


def test_a_template_cannot_include_files_outside_its_folders(files: Path, tmp_path: Path) -> None:
    code, out, err = _with_template(files, tmp_path, "guide.md.j2", "{% include '../../../../etc/passwd' %}\n")
    assert code == 2
    assert "root:" not in out + err
    assert len(err.strip().splitlines()) == 1


def test_a_template_with_a_syntax_error_is_one_line(files: Path, tmp_path: Path) -> None:
    code, _, err = _with_template(files, tmp_path, "guide.md.j2", "{% if %}\n")
    assert code == 2
    assert "template syntax" in err and len(err.strip().splitlines()) == 1


def test_a_user_template_overrides_the_packaged_one(files: Path, tmp_path: Path) -> None:
    text = "Custom guide: {{ site.name }} is {{ readiness }}.\n{% for c in core %}- {{ c.id }}\n{% endfor %}"
    code, out, err = _with_template(files, tmp_path, "guide.md.j2", text)
    assert code == 0, err
    assert out == f"Custom guide: Site {PAYLOAD} is not-ready.\n- sub\n- gapped\n"


def test_a_user_html_template_is_still_autoescaped(files: Path, tmp_path: Path) -> None:
    code, out, err = _with_template(files, tmp_path, "guide.html.j2", "<p>{{ site.name }}</p>\n", "--format", "html")
    assert code == 0, err
    assert out == ("<p>Site &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; {{ 7*7 }} "
                   "{% for x in range(3) %}x{% endfor %} &amp;amp; a | pipe [click](javascript:alert(1)) "
                   "![pixel](https://tracker.example/p.png) [ok](https://example.org/ok)</p>\n")


def test_templates_not_overridden_still_come_from_the_package(files: Path, tmp_path: Path) -> None:
    code, out, err = _with_template(files, tmp_path, "unrelated.j2", "nothing\n")
    assert code == 0, err
    assert out.startswith("# Name \\<script>")


def test_a_template_dir_that_is_not_a_folder_is_refused(files: Path, tmp_path: Path) -> None:
    done = spreadkit("adapt", files / "intervention.yaml", "--context", files / "context.yaml",
                     "--template-dir", tmp_path / "nowhere")
    assert done.returncode == 2
    assert done.stderr.startswith("spreadkit: error: ") and len(done.stderr.strip().splitlines()) == 1
