"""`spreadkit adapt SPEC --context 'sites/*.yaml' -o guides/`: one guide per site and the
programme's readiness; `--peers DIR`: "Sites like yours" from the programme folder.

Run as a user runs them (the real command line, from the repository root, relative
paths), with golden files for each example's summary and for a guide with its peers.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import EXAMPLES, GOLDEN, PAIRS, ROOT, SITES, check_golden, spreadkit, spreadkit_many

FORMATS = ("md", "html", "json")
LINE = re.compile(r"^[^:\n]+:\d+:\d+: SK\d{3} .+$")


def _spec(example: str) -> str:
    return f"examples/{example}/intervention.yaml"


def _glob(example: str) -> str:
    return f"examples/{example}/sites/*.yaml"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    """(example, format, peers or "") -> the folder of guides the command wrote; every run at once."""
    runs: list[tuple[tuple[str | Path, ...], dict[str, str]]] = []
    keys: list[tuple[str, str, str]] = []
    folders: list[Path] = []
    for example in EXAMPLES:
        for output in FORMATS:
            for peers in ("", "peers"):
                folder = tmp_path_factory.mktemp(f"{example}-{output}-{peers or 'alone'}") / "guides"
                args: tuple[str | Path, ...] = ("adapt", _spec(example), "--context", _glob(example),
                                                "-o", f"{folder}/", "--format", output)
                if peers:
                    args += ("--peers", f"examples/{example}")
                runs.append((args, {}))
                keys.append((example, output, peers))
                folders.append(folder)
    found: dict[tuple[str, str, str], Path] = {}
    for key, folder, done in zip(keys, folders, spreadkit_many(runs), strict=True):
        assert done.returncode == 0, f"{key}: exit {done.returncode}: {done.stderr}"
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        found[key] = folder
    return found


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES)
def test_summary_matches_golden(written: dict[tuple[str, str, str], Path], example: str, output: str) -> None:
    check_golden(f"{example}-programme.{output}", (written[(example, output, "")] / f"index.{output}").read_text("utf-8"))


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES)
def test_guide_with_peers_matches_golden(written: dict[tuple[str, str, str], Path], example: str,
                                         output: str) -> None:
    site = SITES[(example, "fit")]
    check_golden(f"{example}-fit-peers.{output}", (written[(example, output, "peers")] / f"{site}.{output}")
                 .read_text("utf-8"))


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize(("example", "context"), PAIRS)
def test_each_sites_guide_is_the_guide_adapt_writes_for_it_alone(written: dict[tuple[str, str, str], Path],
                                                                  example: str, context: str, output: str) -> None:
    guide = written[(example, output, "")] / f"{SITES[(example, context)]}.{output}"
    assert guide.read_bytes() == (GOLDEN / f"{example}-{context}.{output}").read_bytes()


@pytest.mark.parametrize("example", EXAMPLES)
def test_one_guide_per_site_named_by_its_id_and_the_summary_links_each(written: dict[tuple[str, str, str], Path],
                                                                      example: str) -> None:
    sites = sorted(p.stem for p in (ROOT / "examples" / example / "sites").glob("*.yaml"))
    folder = written[(example, "md", "")]
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{s}.md" for s in sites] + ["index.md"])
    summary = (folder / "index.md").read_text("utf-8")
    assert all(f"]({s}.md)" in summary for s in sites)
    view = json.loads((written[(example, "json", "")] / "index.json").read_text("utf-8"))
    assert [s["site"] for s in view["sites"]] == sites
    assert sum(view["readiness"].values()) == len(sites)


def test_the_programme_view_names_the_needs_unmet_most_often_with_their_sites_and_domain() -> None:
    done = spreadkit("adapt", _spec("pincer"), "--context", _glob("pincer"), "--format", "json")
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    counts = [n["unmet"] for n in view["needs"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    funded = next(n for n in view["needs"] if n["id"] == "funded-time")
    assert funded["sites"] == ["hillside-mp", "northgate-pcn"] and funded["of"] == 10
    assert funded["domain"] == "Inner Setting" and funded["blocks"] == funded["sites"]
    site = next(s for s in view["sites"] if s["site"] == "hillside-mp")
    assert site["readiness"] == "not-ready"
    assert {c["id"]: c["verdict"] for c in site["components"]}["dedicated-support"] == "gap"


@pytest.mark.parametrize("how", ["shell", "folder"])
def test_a_glob_the_shell_expands_and_a_folder_give_what_the_quoted_glob_gives(how: str) -> None:
    quoted = spreadkit("adapt", _spec("news2"), "--context", _glob("news2"), "--format", "json")
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "news2" / "sites").glob("*.yaml"))
    given = files if how == "shell" else ["examples/news2/sites"]
    other = spreadkit("adapt", _spec("news2"), "--context", *given, "--format", "json")
    assert quoted.returncode == other.returncode == 0, other.stderr
    assert other.stdout == quoted.stdout


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    """A copy of the PINCER programme, to break."""
    shutil.copytree(ROOT / "examples" / "pincer", tmp_path / "pincer")
    return tmp_path / "pincer"


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return spreadkit("adapt", "intervention.yaml", *args, cwd=folder)


def test_a_context_with_errors_is_a_finding_exit_1_and_nothing_is_written(programme: Path) -> None:
    site = programme / "sites" / "riverside-surgery.yaml"
    site.write_text(site.read_text("utf-8").replace("prescribers-can-meet: true", "prescribers-can-meet: yes"),
                    encoding="utf-8")
    done = _run(programme, "--context", "sites/*.yaml", "-o", "guides/")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(LINE.match(line) for line in lines), done.stderr
    assert lines[0].startswith("sites/riverside-surgery.yaml:") and " SK712 " in lines[0]
    assert not (programme / "guides").exists()


def test_two_sites_with_one_id_are_sk713(programme: Path) -> None:
    shutil.copy(programme / "sites" / "hillside-mp.yaml", programme / "sites" / "hillside-copy.yaml")
    copy = programme / "sites" / "hillside-copy.yaml"
    copy.write_text(copy.read_text("utf-8") + "id: hillside-mp\n", encoding="utf-8")
    done = _run(programme, "--context", "sites/*.yaml", "--format", "json")
    assert done.returncode == 1 and done.stdout == ""
    assert re.fullmatch(r"sites/hillside-mp\.yaml:\d+:\d+: SK713 site id `hillside-mp` is also the id of "
                        r"sites/hillside-copy\.yaml: .+\n", done.stderr), done.stderr


def test_an_existing_guide_is_kept_and_nothing_else_written_without_force(programme: Path) -> None:
    guides = programme / "guides"
    guides.mkdir()
    (guides / "index.md").write_text("my own notes\n", encoding="utf-8")
    done = _run(programme, "--context", "sites/*.yaml", "-o", "guides")
    assert done.returncode == 2
    assert done.stderr.endswith("index.md exists; use --force to overwrite it\n")
    assert [p.name for p in guides.iterdir()] == ["index.md"]
    assert (guides / "index.md").read_text("utf-8") == "my own notes\n"
    forced = _run(programme, "--context", "sites/*.yaml", "-o", "guides", "--force")
    assert forced.returncode == 0, forced.stderr
    assert forced.stderr == ("wrote 10 guides and the summary guides/index.md "
                             "(3 ready, 4 ready-with-adaptations, 1 incomplete, 2 not-ready)\n")
    assert len(list(guides.iterdir())) == 11 and not list(guides.glob(".*"))


@pytest.mark.parametrize(("args", "message"), [
    (("--context", "sites/*.yaml"), "several sites' guides go in a folder: add -o guides/"),
    (("--context", "sites/*.yaml", "-o", "all.md"), "-o all.md: several sites' guides go in a folder"),
    (("--context", "nowhere/*.yaml", "-o", "guides/"), "--context nowhere/*.yaml: no file matches"),
    (("--context", "sites/*.yaml", "-o", "guides/", "--log", "log.yaml"), "--log writes one site's log"),
    (("sites/hillside-mp.yaml",), "adapt takes one SPEC; sites/hillside-mp.yaml is a second"),
    (("--context", "sites/hillside-mp.yaml", "--peers", "nowhere"), "--peers nowhere: not a folder"),
])
def test_misuse_is_one_line_and_exit_2(programme: Path, args: tuple[str, ...], message: str) -> None:
    done = _run(programme, *args)
    assert done.returncode == 2
    assert done.stderr.startswith(f"spreadkit: error: {message}"), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert not (programme / "guides").exists() and not (programme / "log.yaml").exists()


def test_one_context_with_peers_is_the_guide_the_programme_run_writes_for_it(
        written: dict[tuple[str, str, str], Path]) -> None:
    site = SITES[("escape-pain", "gaps")]
    done = spreadkit("adapt", _spec("escape-pain"), "--context", f"examples/escape-pain/sites/{site}.yaml",
                     "--peers", "examples/escape-pain", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (written[("escape-pain", "json", "peers")] / f"{site}.json").read_text("utf-8")


@pytest.mark.parametrize("example", EXAMPLES)
def test_peers_are_other_adopted_sites_most_similar_first(written: dict[tuple[str, str, str], Path],
                                                         example: str) -> None:
    folder = ROOT / "examples" / example
    adopted = {p.stem for p in (folder / "logs").glob("*.yaml")}
    adopted |= {line.split(",", 1)[0] for line in (folder / "measurements.csv").read_text("utf-8").splitlines()[1:]}
    shown = 0
    for guide in written[(example, "json", "peers")].glob("*.json"):
        if guide.stem == "index":
            continue
        peers = json.loads(guide.read_text("utf-8"))["peers"]
        assert guide.stem not in {p["site"] for p in peers}  # never its own peer
        assert {p["site"] for p in peers} <= adopted
        scores = [p["score"] for p in peers]
        assert scores == sorted(scores, reverse=True)
        for peer in peers:
            assert set(peer) >= {"site", "similarity", "dimensions", "adaptations", "results", "contact"}
            assert [d["dimension"] for d in peer["dimensions"]] == ["settings", "country", "population", "roles",
                                                                    "facts"]
            assert peer["results"], f"{peer['site']} has measurements"
        shown += len(peers)
    assert shown


def _peers_section(guide: str) -> str:
    return guide[guide.index("## Sites like yours"):guide.index("## How to record adaptations")]


def test_no_adopted_site_says_the_programme_was_looked_at(programme: Path) -> None:
    shutil.rmtree(programme / "logs")
    (programme / "measurements.csv").unlink()
    done = _run(programme, "--context", "sites/eastbrook-pcn.yaml", "--peers", ".")
    assert done.returncode == 0, done.stderr
    assert _peers_section(done.stdout) == ("## Sites like yours\n\nNo site in ./ has adopted the intervention yet: "
                                           "of the 10 sites read, none has an adaptation log or measurements.\n\n")
    as_json = _run(programme, "--context", "sites/eastbrook-pcn.yaml", "--peers", ".", "--format", "json")
    plan = json.loads(as_json.stdout)
    assert plan["peers"] == []
    assert plan["peers_read"] == {"folder": ".", "sites": 10, "adopted": 0, "left_out": []}


FAR_AWAY = "tests/data/far-island/far-island-hospital.yaml"  # a site unlike every PINCER site


@pytest.mark.parametrize("output", FORMATS)
def test_no_site_alike_enough_says_how_many_were_read(output: str) -> None:
    done = spreadkit("adapt", _spec("pincer"), "--context", FAR_AWAY, "--peers", "examples/pincer", "--format", output)
    assert done.returncode == 0, done.stderr
    said = ("No site in examples/pincer/ is alike enough to show here: of the 10 sites read, 10 have adopted it, "
            "and none of those is close to this one or partly like it.")
    if output == "json":
        plan = json.loads(done.stdout)
        assert plan["peers"] == []
        assert plan["peers_read"] == {"folder": "examples/pincer", "sites": 10, "adopted": 10, "left_out": []}
    elif output == "md":
        assert _peers_section(done.stdout) == f"## Sites like yours\n\n{said}\n\n"
        check_golden("pincer-far-island-peers.md", done.stdout)
    else:
        assert f'<h2 id="peers">Sites like yours</h2>\n<p>{said}</p>\n</section>' in done.stdout
        assert '<a href="#peers">Sites like yours</a>' in done.stdout


def _break_peers(programme: Path) -> None:
    """A log naming a component the intervention lacks (SK603) and a context answering
    a yes-or-no fact with text (SK712): two of the programme's files with errors."""
    log = programme / "logs" / "moorside-pcn.yaml"
    log.write_text(log.read_text("utf-8").replace("component: searches", "component: serches", 1), encoding="utf-8")
    site = programme / "sites" / "riverside-surgery.yaml"
    site.write_text(site.read_text("utf-8").replace("prescribers-can-meet: true", "prescribers-can-meet: yes"),
                    encoding="utf-8")


@pytest.mark.parametrize("output", FORMATS)
def test_a_broken_file_in_the_peers_folder_is_left_out_said_and_exit_1(programme: Path, output: str) -> None:
    _break_peers(programme)
    done = _run(programme, "--context", "sites/hillside-mp.yaml", "--peers", ".", "-o", f"guide.{output}")
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert [line for line in lines if LINE.match(line)] == lines[:2], done.stderr
    assert {line.split(":", 1)[0] for line in lines[:2]} == {"logs/moorside-pcn.yaml", "sites/riverside-surgery.yaml"}
    assert lines[2:] == ['spreadkit: note: 2 files of the programme left out of "Sites like yours" for their '
                         'errors, listed above', f"wrote guide.{output} (readiness: not-ready)"]
    guide = (programme / f"guide.{output}").read_text("utf-8")
    if output == "json":
        plan = json.loads(guide)
        assert plan["peers_left_out"] == ["logs/moorside-pcn.yaml", "sites/riverside-surgery.yaml"]
        assert plan["peers_read"]["left_out"] == [{"file": "logs/moorside-pcn.yaml", "codes": ["SK603"]},
                                                  {"file": "sites/riverside-surgery.yaml", "codes": ["SK712"]}]
        peers = {(p["site"],) for p in plan["peers"]}
    else:
        assert "Left out for errors in their files (the programme team can fix them): logs/moorside-pcn.yaml " \
               "(SK603 log-unknown-component), sites/riverside-surgery.yaml (SK712 context-answer-type)." in guide
        peers = set(re.findall(r"### (Riverside Surgery|Church Lane)|<h3 id=\"p-(riverside-surgery|church-lane-mc)\"",
                               guide))
    assert peers and not any("iverside" in part for found in peers for part in found)  # unbroken, its first peer


def test_a_sites_own_context_with_errors_still_writes_no_guide(programme: Path) -> None:
    _break_peers(programme)
    done = _run(programme, "--context", "sites/riverside-surgery.yaml", "--peers", ".", "-o", "guide.md")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("sites/riverside-surgery.yaml:26:25: SK712 ") == 1, done.stderr
    assert not (programme / "guide.md").exists()


def test_peers_without_the_compare_extra_still_work_and_say_why_in_one_line() -> None:
    modules = ("numpy", "scipy", "pyarrow")
    blocked = "".join(f"sys.modules[{name!r}] = None\n" for name in modules)
    args = ["adapt", _spec("pincer"), "--context", "examples/pincer/sites/eastbrook-pcn.yaml",
            "--peers", "examples/pincer"]
    code = (f"import sys\n{blocked}sys.argv = ['spreadkit', *{args!r}]\n"
            "from spreadkit._entry import main\nmain()\n")
    guide = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    plan = subprocess.run([sys.executable, "-c", code.replace("'examples/pincer']", "'examples/pincer', '--format', "
                                                                                    "'json']")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert guide.returncode == plan.returncode == 0, guide.stderr + plan.stderr
    note = "How these sites are doing is not shown: compare needs numpy, scipy, pyarrow, which are not installed"
    assert guide.stdout.count(note) == 3  # once per peer, in its place
    peers = json.loads(plan.stdout)["peers"]
    assert peers and all(p["results"] is None for p in peers)
    assert json.loads(plan.stdout)["peers_note"].startswith(note)


def test_a_file_named_twice_is_one_site(programme: Path) -> None:
    done = _run(programme, "--context", "sites/hillside-mp.yaml", "sites/hillside-mp.yaml", "sites/riverside-surgery.yaml",
                "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [s["site"] for s in json.loads(done.stdout)["sites"]] == ["hillside-mp", "riverside-surgery"]


def test_the_programme_view_with_peers_names_each_sites_peers_most_alike_first() -> None:
    done = spreadkit("adapt", _spec("pincer"), "--context", _glob("pincer"), "--peers", "examples/pincer",
                     "--format", "json")
    assert done.returncode == 0, done.stderr
    sites = {s["site"]: s["peers"] for s in json.loads(done.stdout)["sites"]}
    assert sites["eastbrook-pcn"] == ["moorside-pcn", "abbey-fields-pcn", "northgate-pcn"]
    assert all(site not in peers for site, peers in sites.items())


def _yaml(path: Path, data: object) -> None:
    """Block-style YAML, so that lint finds the file in a folder by its first key."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.representer.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)


def test_every_string_of_the_summary_and_of_sites_like_yours_is_data(tmp_path: Path) -> None:
    from .helpers import PAYLOAD, hostile_context, hostile_intervention

    _yaml(tmp_path / "intervention.yaml", hostile_intervention())
    (tmp_path / "sites").mkdir()
    (tmp_path / "logs").mkdir()
    for name in ("one", "two"):
        context = {**hostile_context(), "site": f"Site {name} {PAYLOAD}", "contact": f"Contact {PAYLOAD}"}
        _yaml(tmp_path / "sites" / f"{name}.yaml", context)
        log = {"spreadkit-log": 1, "intervention": "hostile", "site": context["site"],
               "entries": [{"component": "alt", "nature": "tailoring", "what": "content", "fidelity": "consistent",
                            "description": f"Entry {PAYLOAD}", "reasons": [{"level": "provider",
                                                                            "reason": f"Reason {PAYLOAD}"}]}]}
        _yaml(tmp_path / "logs" / f"{name}.yaml", log)
    for output in ("md", "html"):
        done = spreadkit("adapt", "intervention.yaml", "--context", "sites/", "--peers", ".", "-o", f"{output}/",
                         "--format", output, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        for page in ("index", "one"):
            text = (tmp_path / output / f"{page}.{output}").read_text("utf-8")
            # Raw HTML shows as text: escaped in HTML, behind a backslash in Markdown.
            assert not re.search(r"(?<!\\)<(script|img)" if output == "md" else "<(script|img)", text)
            assert "{{ 7*7 }}" in text and "49" not in text  # Jinja in the data is shown, never run
        guide = (tmp_path / output / f"one.{output}").read_text("utf-8")
        assert "Sites like yours" in guide and "Entry " in guide and "Reason " in guide and "Contact " in guide


SAFER_WARDS = ROOT / "tests" / "data" / "safer-wards"


def test_the_summary_and_the_readiness_page_count_only_the_gaps_each_sites_guide_counts(tmp_path: Path) -> None:
    # Eastfield uses the ward-doctor review, so the pharmacist's time (a need of the form
    # as described only) is no gap there; Northgate's training need is met by the launch,
    # a first step of its guide.
    folder = tmp_path / "guides"
    done = spreadkit("adapt", SAFER_WARDS / "intervention.yaml", "--context", SAFER_WARDS / "sites", "-o", f"{folder}/")
    assert done.returncode == 0, done.stderr
    summary = (folder / "index.md").read_text(encoding="utf-8")
    lacking = summary.split("## The needs sites lack most")[1].split("## Roles sites lack")[0]
    assert lacking.strip().splitlines() == [
        "- **Enough healthcare assistants to staff a bay at all times**: 1 of 2 sites (Inner Setting, essential; "
        "for Supervised bay); a gap nothing in the description closes at 1 of them: "
        "[Eastfield Community Hospital](eastfield.md)."]
    assert "Ward pharmacist time" not in summary and "Ward staff are trained" not in summary
    assert "**First step:** Ward staff are trained in the assessment, met by Ward launch and training" in (
        folder / "northgate.md").read_text(encoding="utf-8")
    site = tmp_path / "site"
    built = spreadkit("site", SAFER_WARDS, "-o", site)
    assert built.returncode == 0, built.stderr
    page = (site / "readiness.html").read_text(encoding="utf-8")
    assert "Enough healthcare assistants" in page
    assert "Ward pharmacist time" not in page and "Ward staff are trained" not in page


def test_the_forms_a_peer_chose_are_its_logs_where_its_log_records_a_change() -> None:
    done = spreadkit("adapt", _spec("pincer"), "--context", "examples/pincer/sites/eastbrook-pcn.yaml",
                     "--peers", "examples/pincer")
    assert done.returncode == 0, done.stderr
    moorside = done.stdout.split("### Moorside Primary Care Network")[1].split("###")[0]
    chose = moorside.split("The forms it chose:")[1].split("The adaptations in its log:")[0]
    outreach = next(line for line in chose.splitlines() if line.startswith("- Educational outreach"))
    assert "held the meeting by video call" in outreach and "as described" not in outreach
    # Not said twice: the log's entry then gives only its FRAME codes and reasons.
    assert moorside.count("held the meeting by video call") == 1
    # A component its log says nothing of keeps the form its context makes fit.
    assert "- Local incentive alignment: as described" in chose


@pytest.mark.parametrize(("log", "said", "adaptations"), [
    (None, "It has no adaptation log.", None),
    ("entries: []\n", "Its log records no adaptation.", []),
])
def test_a_peer_without_a_log_is_not_said_to_log_nothing(programme: Path, log: str | None, said: str,
                                                          adaptations: list[object] | None) -> None:
    """Eastbrook is a peer of Moorside by its measurements alone once its log is gone: it
    has no adaptation log, which is not a log that records none."""
    path = programme / "adaptations.yaml"  # Eastbrook's log, named by its `site:`
    head = path.read_text("utf-8").split("entries:\n", 1)[0]
    if log is None:
        path.unlink()
    else:
        path.write_text(head + log, encoding="utf-8")
    args = ("--context", "sites/moorside-pcn.yaml", "--peers", ".")
    for output_format in ("md", "html"):
        done = _run(programme, *args, "--format", output_format)
        assert done.returncode == 0, done.stderr
        section = done.stdout.split("Eastbrook Primary Care Network", 1)[1].split("Who to ask", 1)[0]
        other = "Its log records no adaptation." if log is None else "It has no adaptation log."
        assert said in section and other not in section
    plan = json.loads(_run(programme, *args, "--format", "json").stdout)
    eastbrook = next(p for p in plan["peers"] if p["site"] == "eastbrook-pcn")
    assert eastbrook["adaptations"] == adaptations


def test_a_folder_of_contexts_leaves_out_the_sites_a_nearer_intervention_reads(tmp_path: Path) -> None:
    """PINCER's folder holding ESCAPE-pain's programme in a subfolder: --context on the
    folder gives PINCER's sites alone, as lint and --peers read them, each other site said."""
    shutil.copytree(ROOT / "examples" / "pincer", tmp_path / "a")
    shutil.copytree(ROOT / "examples" / "escape-pain", tmp_path / "a" / "sub")
    done = spreadkit("adapt", "a/intervention.yaml", "--context", "a", "-o", "ga/", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pincer = sorted(p.stem for p in (tmp_path / "a" / "sites").glob("*.yaml"))
    assert sorted(p.stem for p in (tmp_path / "ga").glob("*.md")) == sorted([*pincer, "index"])
    below = spreadkit("adapt", str(tmp_path / "a" / "intervention.yaml"), "--context", str(tmp_path / "a"), "-o",
                      str(tmp_path / "gc"), cwd=tmp_path / "a" / "sub" / "sites")
    assert below.returncode == 0, below.stderr
    assert sorted(p.name for p in (tmp_path / "gc").iterdir()) == sorted(p.name for p in (tmp_path / "ga").iterdir())
    escape = sorted((tmp_path / "a" / "sub" / "sites").glob("*.yaml"))
    for path in escape:
        assert f"spreadkit: note: a/sub/sites/{path.name}: read against a/sub/intervention.yaml, the intervention " \
               "nearest it, not a/intervention.yaml; left out\n" in done.stderr, done.stderr
    assert " SK703 " not in done.stderr and " SK704 " not in done.stderr
    # A draft beside the programmes' folders reads none of their sites.
    shutil.copy(tmp_path / "a" / "intervention.yaml", tmp_path / "draft.yaml")
    none = spreadkit("adapt", "draft.yaml", "--context", ".", "-o", "gb/", cwd=tmp_path)
    assert none.returncode == 2 and not (tmp_path / "gb").exists()
    assert none.stderr.count(" left out\n") == len(pincer) + len(escape)
    assert none.stderr.endswith("spreadkit: error: .: every context profile in the folder is read against another "
                                "intervention, none against draft.yaml\n"), none.stderr
