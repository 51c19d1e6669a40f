"""`spreadkit describe` on a real (pseudo-)terminal: the interview and `--fill`.

These are the slow tests (a process and a pty each), so there are few of them; the
pure functions are tested case by case in test_scaffold.py and test_fill.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from spreadkit.describe.fill import to_ask
from spreadkit.describe.questions import (ADAPTABLE_FUNCTION, CORE_FUNCTION, FIDELITY, FORM, HOW, INTERVIEW, KIND,
                                          LIMITS, MAY_CHANGE, PART_NAME)

from .helpers import ROOT, Terminal, inserted_lines, load, spreadkit

# Awkward answers: quotes, a colon, `#`, unicode, Jinja, YAML-ish text.
TYPED = {
    "name": 'PINCER "2": #1 ✓',
    "title": "Pharmacist-led IT: it's {{ x }} & more # not a comment",
    "problem": "1 in 20 prescriptions — ünïcödé, 日本語",
    "goal": "- fewer [hazards] {a: b}",
    "rationale": "Audit & feedback: *make* risk visible",
    "material": "Search library: v2 `tick`",
    "who": "Clinical pharmacist (band 7)",
    "how": "Face to face, GROUP",
    "where": "In the practice: room #2",
    "frequency": "monthly",
    "duration": "12 months",
    "tailoring": "Which patients first: highest risk",
}
CORE = {"name": "Identify patients: at risk", "function": "Every patient at risk is found {{ 7*7 }}",
        "form": 'The pharmacist runs "the" searches', "fidelity": "Searches run ≥ 90% of months # kept"}
ADAPTABLE = {"name": "Educational outreach", "function": "Prescribers agree the actions",
             "form": "A 30-minute meeting", "guidance": "Any format: if every prescriber hears",
             "limits": "Prescribers see their own results"}


def lint_structure(path: Path) -> None:
    """The file validates: no file, schema or reference errors (SK1, SK4)."""
    done = spreadkit("lint", path.name, "--select", "SK1,SK4", "--no-cache", "--isolated", cwd=path.parent)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_whole_interview(tmp_path: Path) -> None:
    terminal = Terminal("describe", "NEW.yaml", cwd=tmp_path)
    try:
        for question in INTERVIEW:
            if question is HOW:
                terminal.answer(HOW, "Face to face, by pigeon")
                terminal.answer(HOW, TYPED["how"], again="`by pigeon` is not one of: face-to-face, remote, digital, "
                                "individual, group, self-directed; separate several with commas.")
            else:
                terminal.answer(question, TYPED[question.key])
        # A typo is asked again, saying why, not taken as "finish".
        terminal.answer(KIND, "cor")
        terminal.answer(KIND, "core", again="`cor` is not one of: core, adaptable.")
        for question, key in ((PART_NAME, "name"), (CORE_FUNCTION, "function"), (FORM, "form"),
                              (FIDELITY, "fidelity")):
            terminal.answer(question, CORE[key])
        terminal.answer(KIND, "Adaptable")
        for question, key in ((PART_NAME, "name"), (ADAPTABLE_FUNCTION, "function"), (FORM, "form"),
                              (MAY_CHANGE, "guidance"), (LIMITS, "limits")):
            terminal.answer(question, ADAPTABLE[key])
        terminal.answer(KIND, "")
        status, rest = terminal.finish()
    finally:
        terminal.close()
    assert status == 0, terminal.transcript
    assert "wrote NEW.yaml" in rest and "Traceback" not in terminal.transcript
    assert "For example: PINCER" in terminal.transcript  # each question shows its example

    path = tmp_path / "NEW.yaml"
    lint_structure(path)
    document, spec = load(path.read_text(encoding="utf-8"))
    data = document.data
    assert data["name"] == TYPED["name"] and data["title"] == TYPED["title"]
    assert data["why"] == {**data["why"], "problem": TYPED["problem"], "goal": TYPED["goal"],
                           "rationale": TYPED["rationale"]}
    assert data["materials"][0]["name"] == TYPED["material"]
    assert data["roles"][0] == {**data["roles"][0], "id": "clinical-pharmacist-band-7", "title": TYPED["who"]}
    assert data["tailoring"][0]["what"] == TYPED["tailoring"]
    assert spec.id == "pincer-2-1"

    core, adaptable = data["components"]
    assert (core["id"], core["kind"], core["name"], core["function"], core["form"]) == (
        "identify-patients-at-risk", "core", CORE["name"], CORE["function"], CORE["form"])
    assert core["fidelity"] == [{"id": "kept", "criterion": CORE["fidelity"]}]
    assert core["limits"] == [] and "guidance" not in core and "optional" not in core
    assert (adaptable["id"], adaptable["kind"], adaptable["name"], adaptable["function"], adaptable["form"],
            adaptable["guidance"], adaptable["limits"]) == (
        "educational-outreach", "adaptable", ADAPTABLE["name"], ADAPTABLE["function"], ADAPTABLE["form"],
        ADAPTABLE["guidance"], [ADAPTABLE["limits"]])
    assert "fidelity" not in adaptable and "fixed" not in adaptable
    for part in (core, adaptable):
        assert part["how"] == ["face-to-face", "group"]
        assert part["where"] == TYPED["where"] and part["who"] == ["clinical-pharmacist-band-7"]
        assert part["dose"] == {"frequency": "monthly", "duration": "12 months"}


def test_an_interview_answered_blank_writes_the_no_input_template(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    terminal = Terminal("describe", "new-plan.yaml", cwd=tmp_path / "a")
    try:
        for question in (*INTERVIEW, KIND):
            terminal.answer(question, "")
        status, _ = terminal.finish()
    finally:
        terminal.close()
    assert status == 0, terminal.transcript
    done = spreadkit("describe", "new-plan.yaml", "--no-input", cwd=tmp_path / "b")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "a" / "new-plan.yaml").read_bytes() == (tmp_path / "b" / "new-plan.yaml").read_bytes()


def test_a_file_created_while_the_interview_waits_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "NEW.yaml"
    terminal = Terminal("describe", "NEW.yaml", cwd=tmp_path)
    try:
        terminal.answer(INTERVIEW[0], "Mine")
        path.write_bytes(b"# someone else's file\n")
        for question in (*INTERVIEW[1:], KIND):
            terminal.answer(question, "")
        status, rest = terminal.finish()
    finally:
        terminal.close()
    assert status == 2 and "exists" in rest, terminal.transcript
    assert path.read_bytes() == b"# someone else's file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["NEW.yaml"]  # no temporary file left behind


# A file with every awkward thing at once, as bytes: a BOM, CRLF line endings, comments
# in odd places, a block scalar last in a mapping, a flow mapping, no final newline.
AWKWARD = (
    "\ufeff# before the first key\r\n"
    "spreadkit: 1   # format\r\n"
    "id: awkward\r\n"
    "name: Awkward\r\n"
    "version: 0.1.0\r\n"
    "why:\r\n"
    "  # inside why\r\n"
    "  problem: |\r\n"
    "    It goes wrong.\r\n"
    "    # text, not a comment\r\n"
    "components:\r\n"
    "  - id: one   # first\r\n"
    "    kind: core\r\n"
    "    name: One\r\n"
    "    function: Keep it.\r\n"
    "    form: >-\r\n"
    "      Folded\r\n"
    "      form\r\n"
    "    # after the last key of one\r\n"
    "  # between items\r\n"
    "  - {id: flow, kind: adaptable, name: Flow, form: Left alone}\r\n"
    "  - id: two\r\n"
    "    kind: adaptable\r\n"
    "    name: Two\r\n"
    "    form: Another\r\n"
    "    dose: {frequency: weekly}   # flow, left alone"
).encode("utf-8")
FILL_ANSWERS = {  # in file order: each question where its answer goes
    "/why/goal": "",
    "/why/rationale": "Because {{ reasons }}",
    "/components/0/how": "remote, Group",
    "/components/0/where": "",
    "/components/0/fidelity": "Kept: yes",
    "/components/2/function": "",
    "/components/2/how": "",
    "/components/2/where": "Anywhere #1",
    "/summary": 'A "summary": # with awkward text ✓',
    "/tailoring": "",
}


def awkward_questions() -> list:
    document, spec = load(AWKWARD.decode("utf-8-sig"))
    return to_ask(spec, document)


def fill_only_the_goal(tmp_path: Path, name: str, prelude: str = "") -> tuple[int, str, str]:
    """`describe NAME --fill` on a terminal: the first question (the goal) answered, every
    other left blank; the exit status, what came after the last answer, the transcript."""
    first, *others = awkward_questions()
    terminal = Terminal("describe", name, "--fill", cwd=tmp_path, prelude=prelude)
    try:
        terminal.answer(first.question, "Fewer hazards")
        for item in others:
            terminal.answer(item.question, "")
        status, rest = terminal.finish()
    finally:
        terminal.close()
    return status, rest, terminal.transcript


def test_fill_on_a_terminal_keeps_every_byte(tmp_path: Path) -> None:
    path = tmp_path / "awkward.yaml"
    path.write_bytes(AWKWARD)
    old_text = AWKWARD.decode("utf-8-sig")
    missing = awkward_questions()
    assert [item.pointer for item in missing] == list(FILL_ANSWERS)

    terminal = Terminal("describe", path.name, "--fill", cwd=tmp_path)
    try:
        terminal.wait_for(f"{len(missing)} question(s), in file order; leave one blank to skip it.")
        for item in missing:
            if item.pointer == "/components/0/how":  # a mode that is not one is asked again, saying why
                terminal.answer(item.question, "remote, by pigeon")
                terminal.answer(item.question, FILL_ANSWERS[item.pointer], again=(
                    "`by pigeon` is not one of: face-to-face, remote, digital, individual, group, self-directed; "
                    "separate several with commas."))
            else:
                terminal.answer(item.question, FILL_ANSWERS[item.pointer])
        status, rest = terminal.finish()
    finally:
        terminal.close()
    answered = {pointer: text for pointer, text in FILL_ANSWERS.items() if text}
    assert status == 0, terminal.transcript
    assert f"wrote {len(answered)} answer(s) to {path.name}; {len(missing) - len(answered)} left blank" in rest

    new = path.read_bytes()
    assert new.startswith(b"\xef\xbb\xbf") and new.count(b"\xef\xbb\xbf") == 1
    new_text = new.decode("utf-8-sig")
    added = inserted_lines(old_text, new_text)
    assert all(line.endswith("\r\n") for line in added)
    assert b"\n" not in new.replace(b"\r\n", b""), "LF-only lines in a CRLF file"
    assert "  - {id: flow, kind: adaptable, name: Flow, form: Left alone}\r\n" in new_text
    lint_structure(path)

    new_document, _ = load(new_text)
    data = new_document.data
    assert data["summary"] == answered["/summary"]
    assert data["why"]["rationale"] == answered["/why/rationale"] and "goal" not in data["why"]
    assert data["why"]["problem"] == "It goes wrong.\n# text, not a comment\n"
    one, flow, two = data["components"]
    assert one["how"] == ["remote", "group"] and "where" not in one
    assert one["fidelity"] == [{"id": "kept", "criterion": "Kept: yes"}]
    assert one["form"] == "Folded form"
    assert flow == {"id": "flow", "kind": "adaptable", "name": "Flow", "form": "Left alone"}
    assert two["where"] == "Anywhere #1" and "how" not in two and "function" not in two
    assert two["dose"] == {"frequency": "weekly"}
    assert "tailoring" not in data


def test_fill_refuses_when_the_file_changed_while_it_asked(tmp_path: Path) -> None:
    path = tmp_path / "awkward.yaml"
    path.write_bytes(AWKWARD)
    other = AWKWARD.replace(b"name: Awkward", b"name: Edited elsewhere")
    first, *others = awkward_questions()
    terminal = Terminal("describe", path.name, "--fill", cwd=tmp_path)
    try:
        terminal.answer(first.question, "An answer")
        path.write_bytes(other)  # another editor saves the file meanwhile
        for item in others:
            terminal.answer(item.question, "remote" if item.question.choices else "x")
        status, rest = terminal.finish()
    finally:
        terminal.close()
    assert status == 2, terminal.transcript
    assert "changed on disk" in rest and "not overwritten" in rest
    assert path.read_bytes() == other


def test_fill_with_nothing_answered_or_nothing_to_ask(tmp_path: Path) -> None:
    path = tmp_path / "awkward.yaml"
    path.write_bytes(AWKWARD)
    terminal = Terminal("describe", path.name, "--fill", cwd=tmp_path)
    try:
        for item in awkward_questions():
            terminal.answer(item.question, "")
        status, rest = terminal.finish()
    finally:
        terminal.close()
    assert status == 0 and "nothing answered; the file is unchanged" in rest, terminal.transcript
    assert path.read_bytes() == AWKWARD

    complete = tmp_path / "complete.yaml"
    lists_only = tmp_path / "lists-only.yaml"
    lists_only.write_text("spreadkit: 1\nid: c\nname: C\nversion: 1.0.0\nsummary: S\n"
                          "why:\n  problem: P\n  goal: G\n  rationale: R\ntailoring: []\ncomponents: []\n",
                          encoding="utf-8")
    terminal = Terminal("describe", lists_only.name, "--fill", cwd=tmp_path)
    try:
        status, rest = terminal.finish()
    finally:
        terminal.close()
    # Not complete (no components), and what is left is not --fill's to ask: it says so.
    assert status == 0 and "nothing for --fill to ask; `spreadkit describe lists-only.yaml` lists what is " \
        "missing, and what it does not ask (lists such as components" in rest, terminal.transcript

    example = tmp_path / "intervention.yaml"
    example.write_bytes((ROOT / "examples" / "pincer" / "intervention.yaml").read_bytes())
    terminal = Terminal("describe", example.name, "--fill", cwd=tmp_path)
    try:
        status, rest = terminal.finish()
    finally:
        terminal.close()
    assert status == 0 and "nothing for --fill to ask; the description is complete" in rest, terminal.transcript


def test_fill_asks_why_when_the_file_has_none_and_writes_it_as_a_new_mapping(tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text("spreadkit: 1\nid: minimal\nname: Minimal\nversion: 1.0.0\n", encoding="utf-8")
    items, transcript = fill_on_a_terminal(path, {"/why/problem": "Bags go missing", "/why/rationale": "A checklist"})
    assert [item.pointer for item in items] == ["/summary", "/why/problem", "/why/goal", "/why/rationale",
                                                "/tailoring"], transcript
    assert path.read_text(encoding="utf-8") == ("spreadkit: 1\nid: minimal\nname: Minimal\nversion: 1.0.0\n"
                                                 "why:\n  problem: \"Bags go missing\"\n  rationale: \"A checklist\"\n")
    # The goal left blank is asked again next time, inside the mapping now written.
    document, spec = load(path.read_text(encoding="utf-8"))
    assert [item.pointer for item in to_ask(spec, document)] == ["/why/goal", "/summary", "/tailoring"]


def test_input_that_ends_mid_interview_writes_nothing(tmp_path: Path) -> None:
    terminal = Terminal("describe", "NEW.yaml", cwd=tmp_path)
    try:
        terminal.answer(INTERVIEW[0], "Mine")
        terminal.answer(INTERVIEW[1], "")
        terminal.wait_for_prompt(INTERVIEW[2].prompt)
        terminal.child.sendeof()  # Ctrl-D
        status, rest = terminal.finish()
    finally:
        terminal.close()
    assert status == 2 and "input ended before the interview did; NEW.yaml was not written" in rest, rest
    assert "Traceback" not in rest and list(tmp_path.iterdir()) == []


def fill_on_a_terminal(path: Path, replies: dict[str, str], again: dict[str, tuple[str, str]] | None = None
                       ) -> tuple[list, str]:
    """`describe FILE --fill` on a terminal, each question answered by its pointer (blank if
    not in `replies`); `again` gives a first answer that is refused and the reason shown."""
    document, spec = load(path.read_text(encoding="utf-8"))
    items = to_ask(spec, document)
    terminal = Terminal("describe", path.name, "--fill", cwd=path.parent)
    try:
        terminal.wait_for(f"{len(items)} question(s), in file order; leave one blank to skip it.")
        for item in items:
            if item.pointer in (again or {}):
                refused, reason = (again or {})[item.pointer]
                terminal.answer(item.question, refused)
                terminal.answer(item.question, replies.get(item.pointer, ""), again=reason)
            else:
                terminal.answer(item.question, replies.get(item.pointer, ""))
        status, rest = terminal.finish()
    finally:
        terminal.close()
    assert status == 0, terminal.transcript
    return items, terminal.transcript


def placeholders_lint_flags(path: Path) -> list[str]:
    done = spreadkit("lint", path.name, "--format", "json", "--select", "SK901", "--no-cache", "--isolated",
                     cwd=path.parent)
    return [finding["pointer"] for finding in json.loads(done.stdout)["findings"]]


def test_the_interview_then_fill_asks_for_what_the_interview_left(tmp_path: Path) -> None:
    path = tmp_path / "NEW.yaml"
    terminal = Terminal("describe", "NEW.yaml", cwd=tmp_path)
    try:
        for question in INTERVIEW:
            terminal.answer(question, {"name": "PINCER", "who": "Clinical pharmacist", "how": "remote"}.get(
                question.key, ""))
        terminal.answer(KIND, "core")
        for question in (PART_NAME, CORE_FUNCTION, FORM, FIDELITY):
            terminal.answer(question, "Searches" if question is PART_NAME else "")
        terminal.answer(KIND, "")
        status, _ = terminal.finish()
    finally:
        terminal.close()
    assert status == 0, terminal.transcript
    before = path.read_text(encoding="utf-8")
    left = placeholders_lint_flags(path)
    assert {"/title", "/why/problem", "/components/0/function", "/components/0/fidelity/0/criterion"} <= set(left)

    replies = {"/title": 'PINCER: the "pharmacist-led" trial # 1', "/why/problem": "- 1 in 20 prescriptions: wrong",
               "/components/0/function": "Every patient at risk is found",
               "/components/0/fidelity/0/criterion": "Searches run ≥ 90% of months",
               "/roles/0/expertise": "A registered pharmacist"}
    items, transcript = fill_on_a_terminal(path, replies, again={
        "/why/problem": ("TBD", "`TBD` is a placeholder too; write the text, or leave it blank for later.")})
    assert f"wrote {len(replies)} answer(s) to NEW.yaml; {len(items) - len(replies)} left blank" in transcript
    # The question shows the text it replaces, what it asks, and an example.
    assert 'Now: "TODO: the full name". The long form of the name. For example: ' in transcript

    data = load(path.read_text(encoding="utf-8"))[0].data
    assert data["title"] == replies["/title"] and data["why"]["problem"] == replies["/why/problem"]
    assert data["components"][0]["function"] == replies["/components/0/function"]
    assert data["components"][0]["fidelity"] == [{"id": "kept", "criterion": replies["/components/0/fidelity/0/criterion"]}]
    assert data["roles"][0]["expertise"] == replies["/roles/0/expertise"]
    assert data["name"] == "PINCER" and data["components"][0]["how"] == ["remote"]
    # The placeholders left blank are still there, and lint still lists them; nothing else changed.
    assert placeholders_lint_flags(path) == [pointer for pointer in left if pointer not in replies]
    after = path.read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines())
    assert [line for line in after.splitlines() if line not in before.splitlines()] == [
        line for line in after.splitlines() if any(json.dumps(reply, ensure_ascii=False) in line
                                                   for reply in replies.values())]
    lint_structure(path)


def test_fill_after_no_input(tmp_path: Path) -> None:
    done = spreadkit("describe", "plan.yaml", "--no-input", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "plan.yaml"
    before = path.read_bytes()
    replies = {"/summary": "Searches find patients at risk: a pharmacist helps the practice act.",
               "/components/0/how": "face to face, Group", "/components/1/limits/0": "- never fewer than monthly"}
    fill_on_a_terminal(path, replies, again={"/components/0/how": ("in person", (
        "`in person` is not one of: face-to-face, remote, digital, individual, group, self-directed; "
        "separate several with commas."))})
    data = load(path.read_text(encoding="utf-8"))[0].data
    assert data["summary"] == replies["/summary"]
    assert data["components"][0]["how"] == ["face-to-face", "group"] and "how" not in data["components"][1]
    assert data["components"][1]["limits"] == [replies["/components/1/limits/0"]]
    assert inserted_lines(before.decode(), path.read_text(encoding="utf-8").replace(
        json.dumps(replies["/summary"]), '"TODO: one paragraph for a busy reader"').replace(
        json.dumps(replies["/components/1/limits/0"]), '"TODO: a boundary any change must respect"')) == [
        "    how: [face-to-face, group]\n"]


def test_fill_through_a_symbolic_link_edits_the_file_it_names(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_bytes(AWKWARD)
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)
    status, rest, transcript = fill_only_the_goal(tmp_path, link.name)
    assert status == 0 and "wrote 1 answer(s) to link.yaml" in rest, transcript
    assert link.is_symlink() and link.readlink() == Path(real.name)
    assert load(real.read_bytes().decode("utf-8-sig"))[0].data["why"]["goal"] == "Fewer hazards"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "real.yaml"]


def test_input_that_ends_mid_fill_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "awkward.yaml"
    path.write_bytes(AWKWARD)
    first, second, *_ = awkward_questions()
    terminal = Terminal("describe", path.name, "--fill", cwd=tmp_path)
    try:
        terminal.answer(first.question, "An answer")
        terminal.wait_for_prompt(second.question.prompt)
        terminal.child.sendeof()
        status, rest = terminal.finish()
    finally:
        terminal.close()
    assert status == 2 and "input ended before the questions did; awkward.yaml is unchanged" in rest, rest
    assert path.read_bytes() == AWKWARD and [p.name for p in tmp_path.iterdir()] == ["awkward.yaml"]


FULL_DISK = """
import errno, os
def _full(fd, data):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
os.write = _full
"""


def test_fill_on_a_full_disk_is_one_line_naming_the_file_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "awkward.yaml"
    path.write_bytes(AWKWARD)
    status, rest, transcript = fill_only_the_goal(tmp_path, path.name, prelude=FULL_DISK)
    said = [line for line in rest.replace("\r\n", "\n").split("\n") if line.strip()]
    assert status == 2 and said == ["spreadkit: error: cannot write awkward.yaml: No space left on device; "
                                    "it is unchanged"], transcript
    assert path.read_bytes() == AWKWARD and [p.name for p in tmp_path.iterdir()] == ["awkward.yaml"]
