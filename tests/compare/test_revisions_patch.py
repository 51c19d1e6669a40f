"""`spreadkit compare --format patch`: the suggested revisions as a unified diff of the
description, which `git apply` and `patch` apply to the file as it is, leaving every other
byte unchanged, and which never touches the description itself.

A small programme in a temporary folder gives all three kinds of revision: sites a-c made
the same change to `searches` (a candidate alternative, added to its `alternatives`),
sites d-f broke `outreach` and did worse (a limit to strengthen: a comment), sites g-i
joined `outreach` to another meeting (a candidate alternative for a component that lists
none: a new `alternatives` key), and every site tailored `review` (no site delivered it as
written: a comment above its `form`). `outreach` ends the file, so its additions go at the
very end.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from spreadkit.compare.report import compare
from spreadkit.compare.revisions import Revision, patch, unified_diff
from spreadkit.formats import validate
from spreadkit.formats.measurements import read_measurements
from spreadkit.yamlio import load_text

from .helpers import ROOT, check_golden, external_tool, spreadkit, spreadkit_many

INTERVENTION = """\
# A small intervention for the patch tests; comments, quoting and blank lines must survive.
spreadkit: 1
id: demo
name: Demo
version: 1.0.0

outcomes:
  - {id: harm, name: Harmful prescribing, type: outcome, direction: down}

roles:
  - id: pharmacist
    title: Pharmacist

components:
  - id: searches   # the first component
    kind: core
    name: Searches
    function: Find the patients at risk.
    form: 'The pharmacist runs the searches.'
    who: [pharmacist]
    alternatives:
      - form: >-
          A locum pharmacist runs the searches.
    limits:
      - Every indicator is searched.

  - id: review
    kind: core
    name: Review
    function: Every flagged patient is reviewed.
    form: The pharmacist reviews each flagged patient.
    who: [pharmacist]

  - id: outreach
    kind: core
    name: Outreach
    function: The practice owns the changes.
    form: "The pharmacist meets the prescribers."
    who: [pharmacist]
"""

RATES = {"a": 100, "b": 104, "c": 97, "d": 160, "e": 158, "f": 165, "g": 96, "h": 103, "i": 98, "j": 100}


def _entry(component: str, what: str, nature: str, fidelity: str, description: str) -> dict[str, Any]:
    return {"date": "2026-01-05", "component": component, "what": what, "level": "organisation", "nature": nature,
            "fidelity": fidelity, "description": description,
            "reasons": [{"level": "organisation", "reason": "No time."}]}


def programme(folder: Path, text: str = INTERVENTION, newline: str = "\n") -> Path:
    """The programme's files in `folder`; the intervention's text written with `newline`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "intervention.yaml").write_bytes(text.replace("\n", newline).encode("utf-8"))
    (folder / "measurements.csv").write_text(
        "site,period,outcome,numerator,denominator\n"
        + "".join(f"{site},2026-01,harm,{count},1000\n" for site, count in RATES.items()), encoding="utf-8")
    (folder / "logs").mkdir(exist_ok=True)
    for site in RATES:
        entries = [_entry("review", "content", "tailoring", "consistent", "Reviews ordered by risk.")]
        if site in "abc":
            entries.append(_entry("searches", "personnel", "substituting", "consistent",
                                  f"At {site}, a pharmacy technician runs the searches; the pharmacist checks them."))
        if site in "def":
            entries.append(_entry("outreach", "format", "departing", "inconsistent", "A recorded briefing instead."))
        if site in "ghi":
            entries.append(_entry("outreach", "format", "integrating-into", "consistent",
                                  "Results taken at the monthly meeting: #1 item, with \"quotes\" and a: colon."))
        log = {"spreadkit-log": 1, "intervention": "demo", "site": f"Site {site}", "entries": entries}
        (folder / "logs" / f"{site}.yaml").write_text("".join(f"{k}: {json.dumps(v)}\n" for k, v in log.items()),
                                                      encoding="utf-8")
    return folder / "intervention.yaml"


def make_patch(folder: Path) -> subprocess.CompletedProcess[str]:
    return spreadkit("compare", "measurements.csv", "--logs", "logs/*.yaml", "--format", "patch", cwd=folder)


def data_of(path: Path) -> Any:
    loaded = load_text(path.read_bytes().decode("utf-8"), path.as_posix())
    assert loaded.document is not None and not loaded.problems, loaded.problems
    return loaded.document.data


def added_alternatives(before: Any, after: Any) -> dict[str, list[Any]]:
    """component id -> the alternatives `after` has beyond `before`; everything else equal."""
    added = {}
    for old, new in zip(before["components"], after["components"], strict=True):
        old_forms, new_forms = old.get("alternatives", []), new.get("alternatives", [])
        assert new_forms[:len(old_forms)] == old_forms
        if len(new_forms) > len(old_forms):
            added[new["id"]] = new_forms[len(old_forms):]
        assert {k: v for k, v in old.items() if k != "alternatives"} == \
               {k: v for k, v in new.items() if k != "alternatives"}
    assert {k: v for k, v in before.items() if k != "components"} == \
           {k: v for k, v in after.items() if k != "components"}
    return added


def only_additions(before: bytes, after: bytes) -> bool:
    """Whether `after` is `before` with whole lines added and nothing else changed (split at
    line feeds, so a last line without one may gain one)."""
    import difflib

    matcher = difflib.SequenceMatcher(None, before.split(b"\n"), after.split(b"\n"), autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


# --- the patch applies, and changes nothing else ------------------------------------------------


@pytest.mark.parametrize("ending", ["lf", "crlf", "no final line break"])
def test_the_patch_applies_with_git_and_patch_and_the_result_is_valid(tmp_path: Path, ending: str) -> None:
    git = external_tool("git", why="to apply the patch as a user would")
    patch_tool = external_tool("patch", why="to apply the patch as a user would")
    text = INTERVENTION.rstrip("\n") if ending == "no final line break" else INTERVENTION
    spec_path = programme(tmp_path / "p", text, "\r\n" if ending == "crlf" else "\n")
    original = spec_path.read_bytes()
    # Written with -o: a text pipe in the test would turn the CRLF file's line ends into LF.
    made = spreadkit("compare", "measurements.csv", "--logs", "logs/*.yaml", "-o", tmp_path / "revisions.patch",
                     cwd=tmp_path / "p")
    assert made.returncode == 0, made.stderr
    assert spec_path.read_bytes() == original  # the description itself is never written
    diff = (tmp_path / "revisions.patch").read_bytes().decode("utf-8")
    assert diff.startswith("Suggested revisions of intervention.yaml, from spreadkit compare: 4 suggestions.\n")
    assert "--- a/intervention.yaml\n+++ b/intervention.yaml\n" in diff
    assert (ending == "no final line break") == ("\\ No newline at end of file" in diff)
    for tool in ("git", "patch"):
        folder = tmp_path / tool
        shutil.copytree(tmp_path / "p", folder)
        if tool == "git":
            subprocess.run([git, "init", "-q"], cwd=folder, check=True)
            applied = subprocess.run([git, "apply", str(tmp_path / "revisions.patch")], cwd=folder,
                                     capture_output=True, text=True)
        else:
            applied = subprocess.run([patch_tool, "-p1", "-i", str(tmp_path / "revisions.patch")], cwd=folder,
                                     capture_output=True, text=True)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        patched = folder / "intervention.yaml"
        new = patched.read_bytes()
        assert only_additions(original, new)
        if ending == "crlf":
            assert all(line.endswith(b"\r") for line in new.split(b"\n")[:-1])
        added = added_alternatives(data_of(spec_path), data_of(patched))
        assert added == {
            "searches": [{"form": "At a, a pharmacy technician runs the searches; the pharmacist checks them."}],
            "outreach": [{"form": "Results taken at the monthly meeting: #1 item, with \"quotes\" and a: colon."}]}
        linted = spreadkit("lint", patched)
        assert linted.returncode == 0, linted.stdout + linted.stderr


def test_each_suggestion_sits_where_it_belongs_with_its_evidence(tmp_path: Path) -> None:
    programme(tmp_path)
    diff = make_patch(tmp_path).stdout
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    text = "\n".join(added)
    # A candidate alternative: its evidence as a comment, then the form, folded, in the list.
    assert ("      # suggested by spreadkit compare (candidate-alternative): Consider listing the change\n"
            "      #   `substituting personnel, organisation level` as an alternative form of `searches`: 3"
            in text)
    assert "      # - 3 of the 10 sites with a log made it (a, b, c): fidelity 3 consistent.\n" in text
    assert ("      - form: >-\n"
            "          At a, a pharmacy technician runs the searches; the pharmacist checks them.") in text
    # A component that lists no alternative gets the key.
    assert "    alternatives:\n      - form: " in text
    # A limit to strengthen and a component no site could deliver: comments only.
    assert "    # suggested by spreadkit compare (limit-to-strengthen): Consider giving `outreach` limits" in text
    assert "    # suggested by spreadkit compare (cannot-deliver): No site delivered `review` as it\n" in text
    # The cannot-deliver comment sits just above `review`'s form.
    after = [line for line in diff[diff.index("(cannot-deliver)"):].splitlines()[1:] if not line.startswith("+")]
    assert after[0] == "     form: The pharmacist reviews each flagged patient."


def test_the_patch_is_byte_identical_across_runs(tmp_path: Path) -> None:
    programme(tmp_path)
    args = ("compare", str(tmp_path / "measurements.csv"), "--logs", str(tmp_path / "logs" / "*.yaml"),
            "--format", "patch")
    first, second = spreadkit_many([(args, {"PYTHONHASHSEED": "0"}), (args, {"PYTHONHASHSEED": "99"})])
    assert first.returncode == 0 and first.stdout and first.stdout == second.stdout


# --- the library: what cannot be placed is said, never forced ------------------------------------


def _revisions(folder: Path) -> tuple[Any, list[Revision]]:
    from spreadkit.formats import model_for

    spec_text = (folder / "intervention.yaml").read_text(encoding="utf-8")
    document = load_text(spec_text, "intervention.yaml").document
    assert document is not None
    spec, _ = validate(document, "intervention")
    logs = [(path.as_posix(), model_for("log").model_validate(data_of(path)))
            for path in sorted((folder / "logs").glob("*.yaml"))]
    table = read_measurements((folder / "measurements.csv").read_text(encoding="utf-8"))
    result = compare(table, spec=spec, logs=logs)  # type: ignore[arg-type]
    return document, result.revisions


def test_a_component_written_in_flow_style_is_passed_over_and_said(tmp_path: Path) -> None:
    flow = INTERVENTION.replace("""  - id: review
    kind: core
    name: Review
    function: Every flagged patient is reviewed.
    form: The pharmacist reviews each flagged patient.
    who: [pharmacist]
""", """  - {id: review, kind: core, name: Review, function: Every flagged patient is reviewed.,
     form: The pharmacist reviews each flagged patient., who: [pharmacist]}
""")
    programme(tmp_path, flow)
    document, revisions = _revisions(tmp_path)
    made = patch(document, revisions, "intervention.yaml")
    assert [(r.kind, why) for r, why in made.skipped] == [
        ("cannot-deliver", "its component is not written as a block mapping")]
    assert "Not written (cannot-deliver, `review`): its component is not written as a block mapping." in made.text
    assert len(made.written) == 3 and "@@" in made.text


def test_a_form_that_cannot_be_folded_is_written_quoted(tmp_path: Path) -> None:
    programme(tmp_path)
    document, revisions = _revisions(tmp_path)
    odd = "Two  spaces, a line\nbreak, and a trailing space "
    revised = [Revision(r.kind, r.component, r.summary, r.evidence, r.sites, odd, r.form_from)
               if r.kind == "candidate-alternative" else r for r in revisions]
    made = patch(document, revised, "intervention.yaml")
    assert '- form: "Two  spaces, a line\\nbreak, and a trailing space "' in made.text
    assert made.skipped == []


def test_nothing_to_suggest_is_an_empty_patch_said_on_stderr(tmp_path: Path) -> None:
    programme(tmp_path)
    for log in (tmp_path / "logs").glob("*.yaml"):
        log.unlink()
    (tmp_path / "logs" / "a.yaml").write_text('spreadkit-log: 1\nintervention: demo\nsite: "Site a"\nentries: []\n',
                                              encoding="utf-8")
    made = make_patch(tmp_path)
    assert made.returncode == 0 and made.stdout == ""
    assert made.stderr == "spreadkit: no revisions to suggest\n"


def test_a_diff_marks_a_last_line_without_a_line_break() -> None:
    assert unified_diff("a\nb", "a\nb\nc\n", "x.yaml") == (
        "--- a/x.yaml\n+++ b/x.yaml\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n")
    # A carriage return or a line separator inside a line is part of it, as patch reads it.
    assert unified_diff("a\u2028b\n", "a\u2028b\nc\n", "x") == "--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n a\u2028b\n+c\n"


# --- the command line --------------------------------------------------------------------------


def test_the_patch_is_written_to_a_file_never_over_the_description(tmp_path: Path) -> None:
    spec_path = programme(tmp_path)
    original = spec_path.read_bytes()
    written = spreadkit("compare", "measurements.csv", "--logs", "logs/*.yaml", "-o", "revisions.patch",
                        cwd=tmp_path)
    assert written.returncode == 0 and written.stdout == "" and written.stderr == "wrote revisions.patch\n"
    assert (tmp_path / "revisions.patch").read_text(encoding="utf-8").startswith("Suggested revisions of ")
    over = spreadkit("compare", "measurements.csv", "--logs", "logs/*.yaml", "--format", "patch",
                     "-o", "intervention.yaml", "--force", cwd=tmp_path)
    assert over.returncode == 2
    assert over.stderr == ("spreadkit: error: -o intervention.yaml is the intervention description: the patch is "
                           "written beside it, never over it\n")
    assert spec_path.read_bytes() == original


@pytest.mark.parametrize("args, message", [
    (("--format", "patch"), "--format patch revises the intervention description: give it with --spec (or put it "
                            "beside the measurements)"),
    (("--format", "md", "-o", "x.patch"), "--format md and -o x.patch disagree: the suffix says patch; drop one"),
    (("--format", "patch", "-o", "x.html"), "--format patch and -o x.html disagree: name the file x.patch"),
])
def test_patch_misuse_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    folder = tmp_path / "data" / "returns"
    folder.mkdir(parents=True)
    (folder / "m.csv").write_text("site,period,outcome,numerator,denominator\na,2026-01,harm,1,10\n",
                                  encoding="utf-8")
    found = spreadkit("compare", "m.csv", *args, cwd=folder)
    assert found.returncode == 2 and found.stderr == f"spreadkit: error: {message}\n"


def test_contexts_join_by_id_and_feed_the_fit_analysis(tmp_path: Path) -> None:
    spec_path = programme(tmp_path)
    text = spec_path.read_text(encoding="utf-8").replace(
        "    form: \"The pharmacist meets the prescribers.\"\n",
        "    form: \"The pharmacist meets the prescribers.\"\n    requires:\n      - id: meeting-room\n"
        "        need: A room for the meeting\n        domain: inner-setting\n        check: {resource: room}\n")
    spec_path.write_text(text, encoding="utf-8")
    (tmp_path / "sites").mkdir()
    for site in "abc":
        (tmp_path / "sites" / f"{site}.yaml").write_text(
            f'spreadkit-context: 1\nsite: "Site {site}"\nroles: [{{id: pharmacist}}]\nresources: [desk]\n',
            encoding="utf-8")
    found = spreadkit("compare", "measurements.csv", "--logs", "logs/*.yaml", "--contexts", "sites/*.yaml",
                      "--format", "json", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    report = json.loads(found.stdout)
    [outreach] = [c for c in report["components"] if c["component"] == "outreach"]
    assert outreach["contexts"] == 3 and outreach["gaps"] == ["a", "b", "c"]
    assert outreach["gap_needs"] == {"meeting-room": ["a", "b", "c"]}
    [revision] = [r for r in report["revisions"] if r["kind"] == "cannot-deliver" and r["component"] == "outreach"]
    assert revision["evidence"] == ["The fit analysis finds it a gap at every one of the 3 sites with a context: "
                                    "meeting-room unmet at 3 sites."]
    missing = spreadkit("compare", "measurements.csv", "--contexts", "nowhere/*.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr == "spreadkit: error: --contexts nowhere/*.yaml: no files match\n"


# --- the examples ---------------------------------------------------------------------------------

EXAMPLES = ("pincer", "news2", "escape-pain")


@pytest.fixture(scope="module")
def example_patches() -> dict[str, str]:
    runs = [(("compare", f"examples/{name}/measurements.csv", "--logs", f"examples/{name}/logs/*.yaml", "--format",
              "patch"), {}) for name in EXAMPLES]
    done = spreadkit_many(runs)
    for name, result in zip(EXAMPLES, done):
        assert result.returncode == 0 and result.stderr == "", f"{name}: {result.stderr}"
    return {name: result.stdout for name, result in zip(EXAMPLES, done)}


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_examples_patches_match_their_golden_files(example_patches: dict[str, str], name: str) -> None:
    check_golden(f"{name}.patch", example_patches[name])


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_examples_patches_apply_and_leave_valid_descriptions(example_patches: dict[str, str], name: str,
                                                                tmp_path: Path) -> None:
    git = external_tool("git", why="to apply the patch as a user would")
    folder = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / name, folder / "examples" / name)
    (tmp_path / "x.patch").write_text(example_patches[name], encoding="utf-8", newline="")
    subprocess.run([git, "init", "-q"], cwd=folder, check=True)
    applied = subprocess.run([git, "apply", str(tmp_path / "x.patch")], cwd=folder, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    before = ROOT / "examples" / name / "intervention.yaml"
    after = folder / "examples" / name / "intervention.yaml"
    assert only_additions(before.read_bytes(), after.read_bytes())
    added_alternatives(data_of(before), data_of(after))
    # The whole example, its logs and contexts read against the revised description: clean.
    linted = spreadkit("lint", folder / "examples" / name)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout.startswith("All checks passed"), linted.stdout


def test_bad_or_doubled_contexts_are_findings_at_their_line_and_exit_1(tmp_path: Path) -> None:
    programme(tmp_path)
    (tmp_path / "sites").mkdir()
    context = 'spreadkit-context: 1\nsite: "Site {0}"\nroles: [{{id: pharmacist}}]\n'
    (tmp_path / "sites" / "a.yaml").write_text(context.format("a"), encoding="utf-8")
    (tmp_path / "sites" / "b.yaml").write_text(context.format("b").replace("site:", "id: a\nsite:", 1),
                                               encoding="utf-8")
    (tmp_path / "sites" / "c.yaml").write_text(context.format("c") + "roles: twice\n", encoding="utf-8")
    found = spreadkit("compare", "measurements.csv", "--logs", "logs/*.yaml", "--contexts", "sites/*.yaml",
                      "--format", "json", cwd=tmp_path)
    assert found.returncode == 1 and found.stdout == ""
    lines = found.stderr.splitlines()
    assert lines[0] == ("sites/b.yaml:2:5: SK713 site id `a` is also the id of sites/a.yaml: each site of a "
                        "programme needs its own (give one an `id:`, or rename its file)")
    assert lines[1].startswith("sites/c.yaml:4:1: ") and "Traceback" not in found.stderr
