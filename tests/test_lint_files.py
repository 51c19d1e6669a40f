"""What lint checks, through the real command line: no false green, nothing that hangs.

- A file named on the command line is always checked: one that is not a spreadkit file
  is an error finding, never "All checks passed (0 files)".
- A folder that holds no spreadkit file says so and exits 1, unless --allow-empty.
- In folders, FIFOs, sockets and devices are skipped (never opened: a FIFO would hang);
  files and folders that cannot be read are findings.
- A cache that is corrupt is ignored and rebuilt; a second run over unchanged files gives
  the same report, from the cache, without parsing or validating anything.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from helpers import check_golden
from lint_cli import MINIMAL, spreadkit, write
from spreadkit.lint.engine import Options, lint_paths
from spreadkit.lint.rules import registry


# --- no false green ----------------------------------------------------------------------------

NOT_OURS = {
    "workflow.yaml": ("on: push\njobs: {}\n".encode(),
                      "workflow.yaml:1:1: SK108 [error] not a spreadkit file: its first key is `on`"),
    "utf16.yaml": (MINIMAL.encode("utf-16-le"),
                   "utf16.yaml:1:1: SK101 [error] file is UTF-16LE without a byte-order mark; save it as UTF-8"),
    "semicolons.csv": (b"site;period;outcome;numerator;denominator\nnorth;2026-01;harm;1;10\n",
                       "semicolons.csv:1:1: SK701 [error] columns are separated by `;`"),
    "no-header.csv": (b"practice,month,count\nnorth,2026-01,1\n",
                      "no-header.csv:1:1: SK701 [error] measurements header lacks column(s): site, period, outcome"),
    "spredkit.yaml": (b"spredkit: 1\nid: demo\n",
                      "spredkit.yaml:1:1: SK108 [error] not a spreadkit file: its first key is `spredkit` "
                      "(did you mean `spreadkit`?)"),
}


@pytest.mark.parametrize("name", list(NOT_OURS))
def test_a_named_file_that_is_not_a_spreadkit_file_is_an_error(tmp_path: Path, name: str) -> None:
    content, expected = NOT_OURS[name]
    (tmp_path / name).write_bytes(content)
    done = spreadkit("lint", "--no-cache", "--format", "concise", name, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith(expected), done.stdout
    assert "(1 error) in 1 file." in done.stdout



@pytest.mark.parametrize(("first", "pointer"), [("spreadkit/v2", "/spreadkit~1v2"), ("spreadkit~v2", "/spreadkit~0v2"),
                                                ("spreadkit~1", "/spreadkit~01")])
def test_a_key_with_a_slash_or_tilde_is_pointed_to_as_rfc_6901_writes_it(tmp_path: Path, first: str,
                                                                          pointer: str) -> None:
    # SARIF viewers and editors resolve the pointer: unescaped, `spreadkit/v2` would name
    # a key `v2` inside a key `spreadkit`, which the file does not have.
    (tmp_path / "spec.yaml").write_text(f"# a new kind?\n{first}: 1\nid: demo\n", encoding="utf-8")
    done = spreadkit("lint", "--no-cache", "--format", "json", "spec.yaml", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    [finding] = json.loads(done.stdout)["findings"]
    assert (finding["code"], finding["line"], finding["column"], finding["pointer"]) == ("SK108", 2, 1, pointer)
    sarif = json.loads(spreadkit("lint", "--no-cache", "--format", "sarif", "spec.yaml", cwd=tmp_path).stdout)
    assert [r["properties"]["pointer"] for r in sarif["runs"][0]["results"]] == [pointer]

def test_a_cr_only_file_is_checked_with_its_lines(tmp_path: Path) -> None:
    (tmp_path / "old-mac.yaml").write_bytes(b"# saved on a classic Mac\r" + MINIMAL.replace("\n", "\r").encode()
                                            + b"statis: evaluated\r")
    done = spreadkit("lint", "--no-cache", "--format", "concise", "--select", "SK1", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("old-mac.yaml:6:1: SK109 [error] unknown key `statis`"), done.stdout


def test_a_utf16_spreadkit_file_in_a_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "intervention.yaml").write_bytes(MINIMAL.encode("utf-16-be"))
    done = spreadkit("lint", "--no-cache", "--format", "concise", ".", cwd=tmp_path)
    assert done.returncode == 1 and "intervention.yaml:1:1: SK101 [error] file is UTF-16BE" in done.stdout


def test_other_files_in_a_folder_are_still_skipped(tmp_path: Path) -> None:
    (tmp_path / "workflow.yaml").write_text("on: push\n", encoding="utf-8")
    (tmp_path / "intervention.yaml").write_text(MINIMAL, encoding="utf-8")
    done = spreadkit("lint", "--no-cache", "--select", "SK1", ".", cwd=tmp_path)
    assert done.returncode == 0 and "All checks passed (1 file)." in done.stdout


def test_a_folder_with_no_spreadkit_file_says_so_and_fails(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "workflow.yaml").write_text("on: push\n", encoding="utf-8")
    done = spreadkit("lint", "--no-cache", "--format", "concise", "docs", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout == ("docs:1:1: SK113 [error] no spreadkit files in docs (use --allow-empty to accept a "
                           "folder with none)\nFound 1 problem (1 error) in 0 files.\n")
    allowed = spreadkit("lint", "--no-cache", "--allow-empty", "docs", cwd=tmp_path)
    assert allowed.returncode == 0 and allowed.stderr == "spreadkit: warning: docs: no spreadkit files found\n"
    assert allowed.stdout == "All checks passed (0 files).\n"


def test_every_report_of_an_empty_folder_fails_as_the_exit_code_does(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    junit = spreadkit("lint", "--no-cache", "--format", "junit", "empty", cwd=tmp_path)
    assert junit.returncode == 1
    assert '<testsuites name="spreadkit lint" tests="1" failures="1" errors="0">' in junit.stdout
    assert '<failure type="SK113"' in junit.stdout
    report = json.loads(spreadkit("lint", "--no-cache", "--format", "json", "empty", cwd=tmp_path).stdout)
    assert (report["files"], report["counts"]["error"]) == (0, 1)
    assert [(f["path"], f["code"]) for f in report["findings"]] == [("empty", "SK113")]
    sarif = json.loads(spreadkit("lint", "--no-cache", "--format", "sarif", "empty", cwd=tmp_path).stdout)
    assert [(r["ruleId"], r["level"]) for r in sarif["runs"][0]["results"]] == [("SK113", "error")]
    github = spreadkit("lint", "--no-cache", "--format", "github", "empty", cwd=tmp_path)
    assert github.returncode == 1 and "::error " in github.stdout and "SK113" in github.stdout
    allowed = spreadkit("lint", "--no-cache", "--allow-empty", "--format", "junit", "empty", cwd=tmp_path)
    assert allowed.returncode == 0 and 'tests="0" failures="0"' in allowed.stdout


def test_one_empty_folder_among_others_is_named(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "intervention.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "typo").mkdir()
    done = spreadkit("lint", "--no-cache", "--format", "concise", "--select", "SK1", "specs", "typo", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "typo:1:1: SK113 [error] no spreadkit files in typo (use --allow-empty to accept a folder with none)",
        "Found 1 problem (1 error) in 1 file."]



# --- a file refused for its encoding is quoted as its author wrote it ---------------------------

REFUSED = {  # name: (bytes, where its finding is)
    "utf16-bom.yaml": (MINIMAL.encode("utf-16"), (1, 1)),
    "utf16le.yaml": (MINIMAL.encode("utf-16-le"), (1, 1)),
    "utf16be.yaml": (MINIMAL.encode("utf-16-be"), (1, 1)),
    "latin1.yaml": (MINIMAL.replace("Demo", "D\u00e9mo").encode("latin-1"), (3, 8)),
    "binary.yaml": (b"spreadkit: 1\nid: \x00\x89PNG\r\n", (1, 1)),
}


def _refused(folder: Path, form: str) -> str:
    for name, (content, _) in REFUSED.items():
        (folder / name).write_bytes(content)
    done = spreadkit("lint", "--no-cache", "--format", form, *REFUSED, cwd=folder)
    assert done.returncode == 1 and not done.stderr, done.stdout + done.stderr
    return done.stdout


def test_a_file_refused_for_its_encoding_is_quoted_decoded_or_not_at_all(tmp_path: Path) -> None:
    # UTF-16 and UTF-32 lines read as such; a Latin-1 byte shown as the byte, the caret
    # under it; no line of a binary file.
    check_golden("lint/refused-encodings.text", _refused(tmp_path, "text"))


LOCATED = {  # how each format writes `name` at `line`:`column`
    "text": "{name}:{line}:{column}: SK101 ", "concise": "{name}:{line}:{column}: SK101 [error] ",
    "github": "::error file={name},line={line},col={column},", "junit": ">{name}:{line}:{column}: SK101 [error] ",
    "json": '"path": "{name}",\n      "line": {line},\n      "column": {column},',
    "sarif": '"uri": "{name}",',
}


@pytest.mark.parametrize("form", list(LOCATED))
def test_every_format_places_the_finding_and_holds_no_garbage(tmp_path: Path, form: str) -> None:
    out = _refused(tmp_path, form)
    for name, (_, (line, column)) in REFUSED.items():
        assert LOCATED[form].format(name=name, line=line, column=column) in out, (name, out)
    # No NUL, no escaped NUL, no replacement character, no UTF-8 read as Latin-1.
    assert not [bad for bad in ("\x00", "\\x00", "\ufffd", "\u00c3") if bad in out], out
    if form == "sarif":
        places = [r["locations"][0]["physicalLocation"] for r in json.loads(out)["runs"][0]["results"]]
        assert {p["artifactLocation"]["uri"]: (p["region"]["startLine"], p["region"]["startColumn"])
                for p in places} == {name: where for name, (_, where) in REFUSED.items()}

# --- nothing hangs, nothing unreadable is passed over --------------------------------------------

def test_a_fifo_socket_in_a_folder_is_skipped_without_opening_it(tmp_path: Path) -> None:
    (tmp_path / "intervention.yaml").write_text(MINIMAL, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "socket.yaml"))
        os.symlink("/dev/zero", tmp_path / "device.yaml")
        done = spreadkit("lint", "--no-cache", "--verbose", "--select", "SK1", ".", cwd=tmp_path, timeout=30)
    finally:
        server.close()
    assert done.returncode == 0 and "All checks passed (1 file)." in done.stdout
    for name in ("pipe.yaml", "socket.yaml", "device.yaml"):
        assert f"skipped {name}: not a regular file (a FIFO, socket or device)" in done.stderr


def test_an_unreadable_file_in_a_folder_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "intervention.yaml").write_text(MINIMAL, encoding="utf-8")
    os.symlink(tmp_path / "gone.yaml", tmp_path / "broken.yaml")
    done = spreadkit("lint", "--no-cache", "--format", "concise", "--select", "SK1", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert "broken.yaml:1:1: SK101 [error] cannot read file: No such file or directory" in done.stdout


def test_an_unreadable_folder_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "intervention.yaml").write_text(MINIMAL, encoding="utf-8")
    real = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)  # as root, chmod 000 would not stop us
    run = lint_paths([tmp_path], registry(), Options(use_config=False))
    assert [(f.path, f.code, f.message) for f in run.findings if f.code == "SK101"] == [
        (locked.as_posix(), "SK101", "cannot read folder: Permission denied")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_is_a_finding_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "intervention.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "locked").chmod(0)
    try:
        done = spreadkit("lint", "--no-cache", "--format", "concise", ".", cwd=tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert done.returncode == 1 and "locked:1:1: SK101 [error] cannot read folder" in done.stdout


# --- the cache ----------------------------------------------------------------------------------

@pytest.mark.parametrize("corrupt", [
    b"{not json", b"\xff\xfe\x00", b"[" * 100_000, b'{"version": "VERSION", "entries": []}',
    b'{"version": "VERSION", "entries": {"KEY": 5}}',
    b'{"version": "VERSION", "entries": {"KEY": [[1, 2, 3]]}}',
    b'{"version": "VERSION", "entries": {"KEY": [[1, 1, 1, 1, "SK109", "x", "fatal", "m", ""]]}}',
], ids=["not-json", "binary", "deep", "list", "number", "short-row", "bad-severity"])
def test_a_corrupt_cache_is_ignored_and_rebuilt(tmp_path: Path, corrupt: bytes) -> None:
    from spreadkit import __version__

    (tmp_path / "intervention.yaml").write_text(MINIMAL + "statis: x\n", encoding="utf-8")
    first = spreadkit("lint", "--format", "concise", "--select", "SK1", ".", cwd=tmp_path)
    cache = tmp_path / ".spreadkit_cache" / "lint-v1.json"
    key = next(iter(json.loads(cache.read_text())["entries"]))
    cache.write_bytes(corrupt.replace(b"VERSION", __version__.encode()).replace(b"KEY", key.encode()))
    again = spreadkit("lint", "--format", "concise", "--select", "SK1", ".", cwd=tmp_path)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert first.returncode == 1 and "SK109" in first.stdout
    assert json.loads(cache.read_text())["entries"][key][0][4] == "SK109"  # rebuilt


# What parses and validates files: a run answered from the cache needs none of it.
LOADING = ("ruamel", "ruamel.yaml", "spreadkit.formats.intervention", "spreadkit.formats.context",
           "spreadkit.formats.log", "spreadkit.formats.measurements", "spreadkit.formats.errors")


@pytest.mark.parametrize("form", ["text", "concise", "json", "sarif", "github", "junit"])
def test_a_second_run_gives_the_same_report_from_the_cache_alone(tmp_path: Path, form: str) -> None:
    shutil.copytree(Path(__file__).parent.parent / "examples" / "pincer", tmp_path / "pincer")
    write(tmp_path, "draft/intervention.yaml", MINIMAL + "statis: x\nroles:\n  - id: nurse\n    title: Nurse\n"
          "components:\n  - id: visit  # spreadkit: ignore[SK401]: nothing to silence\n    kind: core\n"
          "    name: Visit\n    function: See\n    form: Home visit\n    who: [nures]\n")
    cold = spreadkit("lint", "--no-cache", "--format", form, ".", cwd=tmp_path)
    spreadkit("lint", ".", cwd=tmp_path)  # fills the cache
    cached = spreadkit("lint", "--format", form, ".", cwd=tmp_path, unimportable=LOADING)
    assert (cached.returncode, cached.stdout, cached.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert cold.returncode == 1 and "SK109" in cold.stdout and "SK401" in cold.stdout


# --- no selection silences a file that cannot be read ------------------------------------------

UNREADABLE = {
    "broken.yaml": (b"spreadkit: 1\nid: pincer\nname: [unclosed\n", "SK102"),
    "utf16.yaml": (MINIMAL.encode("utf-16"), "SK101"),
    "suppressed.yaml": (b"# spreadkit: ignore-file[SK102]: a suppression cannot silence it either\nspreadkit: 1\n"
                        b"name: [unclosed\n", "SK102"),
    "list.yaml": (b"- spreadkit: 1\n", "SK107"),
}


@pytest.mark.parametrize("options", [("--select", "SK9"), ("--ignore", "SK1"), ("--ignore", "SK101,SK102,SK107")])
@pytest.mark.parametrize("name", list(UNREADABLE))
def test_a_file_that_cannot_be_read_is_an_error_whatever_is_selected(tmp_path: Path, name: str,
                                                                       options: tuple[str, str]) -> None:
    content, code = UNREADABLE[name]
    (tmp_path / name).write_bytes(content)
    done = spreadkit("lint", "--no-cache", "--format", "concise", *options, name, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith(f"{name}:"), done.stdout
    assert f" {code} [error] " in done.stdout.splitlines()[0]
    assert "All checks passed" not in done.stdout and "SK990" not in done.stdout


def test_configuration_cannot_silence_or_soften_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "per-file-ignores:\n  '*.yaml': [SK1]\nseverity:\n  SK102: info\n")
    (tmp_path / "broken.yaml").write_bytes(UNREADABLE["broken.yaml"][0])
    done = spreadkit("lint", "--no-cache", "--format", "concise", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("broken.yaml:4:1: SK102 [error] YAML syntax: "), done.stdout


@pytest.mark.parametrize(("args", "config", "named"), [
    (("--ignore", "SK"), "", "--ignore SK"),
    (("--select", "SK9", "--ignore", "SK9"), "", "--select SK9 with --ignore SK9"),
    (("--extend-select", "SK3"), "select: [SK2]\nignore: [SK2, SK3]\n",
     "--extend-select SK3 with select = [SK2] and ignore = [SK2, SK3] in {folder}/.spreadkit.yaml"),
])
def test_a_selection_that_leaves_no_rule_enabled_is_a_usage_error(tmp_path: Path, args: tuple[str, ...],
                                                                   config: str, named: str) -> None:
    write(tmp_path, "intervention.yaml", MINIMAL)
    if config:
        write(tmp_path, ".spreadkit.yaml", config)
    done = spreadkit("lint", "--no-cache", *args, ".", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"spreadkit: error: {named.format(folder=tmp_path)} leaves no rule enabled, so nothing would be checked: select " \
                          "at least one rule (see `spreadkit rules`)\n"


def test_a_configuration_that_ignores_every_rule_still_lets_other_commands_work(tmp_path: Path) -> None:
    # Only lint refuses to check nothing; adapt still reads its inputs and writes its guide.
    programme = tmp_path / "pincer"
    shutil.copytree(Path(__file__).parent.parent / "examples" / "pincer", programme)
    write(programme, ".spreadkit.yaml", "ignore: [SK]\n")
    assert spreadkit("lint", "--no-cache", ".", cwd=programme).returncode == 2
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/hillside-mp.yaml", "-o", "guide.md",
                     cwd=programme)
    assert done.returncode == 0, done.stderr
    assert (programme / "guide.md").read_text(encoding="utf-8").startswith("# ")


# --- a format key that is not first --------------------------------------------------------

LATE = Path(__file__).parent / "data" / "late-format-key"
LATE_CONTEXT = ("late.yaml:2:1: SK108 [error] `spreadkit-context` must be the first key, not after `id`: "
                "move it to the top of the file; the first key says what the file is")


@pytest.mark.parametrize("extra", [(), ("--skip-unrecognised",)])
def test_a_named_file_whose_format_key_is_not_first_is_an_error(tmp_path: Path, extra: tuple[str, ...]) -> None:
    shutil.copytree(LATE, tmp_path / "t")
    done = spreadkit("lint", "--no-cache", "--format", "concise", *extra, "late.yaml", cwd=tmp_path / "t")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.splitlines() == [LATE_CONTEXT, "Found 1 problem (1 error) in 1 file."]


def test_adapt_refuses_a_late_format_key_as_lint_does(tmp_path: Path) -> None:
    shutil.copytree(LATE, tmp_path / "t")
    done = spreadkit("adapt", "intervention.yaml", "--context", "late.yaml", "-o", "guide.md", cwd=tmp_path / "t")
    assert done.returncode == 1 and not (tmp_path / "t" / "guide.md").exists()
    assert LATE_CONTEXT.replace(" [error]", "") in done.stderr


def test_in_a_folder_a_file_whose_format_key_is_not_first_is_reported_not_skipped(tmp_path: Path) -> None:
    # li/intervention.yaml is the intervention li/yesno.yaml is read against: skipped, its
    # own errors would never be seen, while the context's were checked against it.
    shutil.copytree(LATE, tmp_path / "t")
    done = spreadkit("lint", "--no-cache", "--format", "concise", "--verbose", "li", cwd=tmp_path / "t")
    assert done.returncode == 1, done.stdout + done.stderr
    assert ("li/intervention.yaml:2:1: SK108 [error] `spreadkit` must be the first key, not after `id`: "
            "move it to the top of the file; the first key says what the file is") in done.stdout.splitlines()
    assert "li/yesno.yaml:5:9: SK111 [error]" in done.stdout
    assert "skipped" not in done.stdout + done.stderr
    assert "in 2 files." in done.stdout
