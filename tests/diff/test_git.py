"""A committed version, read with git, in a real repository: `diff --rev` and the lint
rule that checks a description's version against `previous` (SK609, SK610), as CI
meets them: a moved branch, a shallow clone, a new file, no repository at all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.diff.helpers import ROOT, git, spreadkit

PINCER = (ROOT / "examples/pincer/intervention.yaml").read_text(encoding="utf-8")
LIMIT = "      - A named lead GP agrees the action plan.\n"


def loosened(version: str) -> str:
    """PINCER with a limit removed (a minor change) and its version set."""
    return PINCER.replace(LIMIT, "").replace("version: 1.0.0", f"version: {version}")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose one commit holds PINCER 1.0.0 at programme/intervention.yaml."""
    root = tmp_path / "repo"
    (root / "programme").mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=root)
    (root / "programme" / "intervention.yaml").write_text(PINCER, encoding="utf-8")
    git("add", ".", cwd=root)
    git("commit", "-q", "-m", "PINCER 1.0.0", cwd=root)
    return root


def lint(root: Path, *args: str) -> list[str]:
    done = spreadkit("lint", "--format", "concise", "--quiet", *args, cwd=root)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout.splitlines()


def configure(root: Path, previous: str) -> None:
    (root / ".spreadkit.yaml").write_text(f"previous: {previous}\nignore: [SK212]\n", encoding="utf-8")


def test_diff_rev_compares_with_the_committed_version(repo: Path) -> None:
    path = repo / "programme" / "intervention.yaml"
    path.write_text(loosened("1.1.0"), encoding="utf-8")
    done = spreadkit("diff", "programme/intervention.yaml", "--rev", "HEAD", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == [
        "pincer 1.0.0 -> 1.1.0 (HEAD:programme/intervention.yaml -> programme/intervention.yaml)",
        "1 change needs a minor version: 1.1.0 is one."]
    from_inside = spreadkit("diff", "intervention.yaml", "--rev", "main", cwd=repo / "programme")
    assert from_inside.stdout.startswith("pincer 1.0.0 -> 1.1.0 (main:programme/intervention.yaml -> ")


def test_diff_rev_without_the_bump_needed_exits_1(repo: Path) -> None:
    (repo / "programme" / "intervention.yaml").write_text(loosened("1.0.0"), encoding="utf-8")
    done = spreadkit("diff", "programme/intervention.yaml", "--rev", "HEAD", cwd=repo)
    assert done.returncode == 1
    assert done.stderr == "programme/intervention.yaml:10:10: SK609 version 1.0.0 has not moved since HEAD, but the " \
                          "changes need a minor version (1.1.0 or later): limit removed (component `outreach`, " \
                          "limit 3)\n"


@pytest.mark.parametrize(("rev", "message"), [
    ("no-such-branch", "cannot compare with no-such-branch: `no-such-branch` is not a commit in this repository"),
])
def test_diff_rev_with_an_unknown_ref_is_a_finding(repo: Path, rev: str, message: str) -> None:
    done = spreadkit("diff", "programme/intervention.yaml", "--rev", rev, cwd=repo)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"programme/intervention.yaml:1:1: SK610 {message}\n"


def test_diff_rev_of_a_new_file_or_outside_git_is_a_finding(repo: Path, tmp_path: Path) -> None:
    (repo / "programme" / "new.yaml").write_text(PINCER, encoding="utf-8")
    done = spreadkit("diff", "programme/new.yaml", "--rev", "HEAD", cwd=repo)
    assert done.returncode == 1
    assert done.stderr == "programme/new.yaml:1:1: SK610 HEAD:programme/new.yaml does not exist: a new file has no " \
                          "committed version to compare with\n"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "intervention.yaml").write_text(PINCER, encoding="utf-8")
    done = spreadkit("diff", "intervention.yaml", "--rev", "HEAD", cwd=outside)
    assert done.returncode == 1 and "is not in a git repository" in done.stderr and "Traceback" not in done.stderr


def test_lint_flags_a_version_that_does_not_move(repo: Path) -> None:
    configure(repo, "main")
    assert lint(repo) == []  # the file as committed: nothing changed
    path = repo / "programme" / "intervention.yaml"
    path.write_text(loosened("1.0.0"), encoding="utf-8")
    assert lint(repo) == ["programme/intervention.yaml:10:10: SK609 [error] version 1.0.0 has not moved since main, "
                          "but the changes need a minor version (1.1.0 or later): limit removed (component "
                          "`outreach`, limit 3)"]
    path.write_text(loosened("1.0.1"), encoding="utf-8")
    assert lint(repo)[0].startswith("programme/intervention.yaml:10:10: SK609 [error] version 1.0.1 moves only a "
                                    "patch step from 1.0.0 (main)")
    path.write_text(loosened("1.1.0"), encoding="utf-8")
    assert lint(repo) == []
    path.write_text(loosened("0.9.0"), encoding="utf-8")
    assert lint(repo)[0].startswith("programme/intervention.yaml:10:10: SK609 [error] version 0.9.0 goes back from "
                                    "1.0.0 (main)")


def test_a_suppression_at_the_version_line_says_why(repo: Path) -> None:
    configure(repo, "main")
    text = loosened("1.0.0").replace("version: 1.0.0", "version: 1.0.0  # spreadkit: ignore[SK609]: a typo only")
    (repo / "programme" / "intervention.yaml").write_text(text, encoding="utf-8")
    assert lint(repo) == []


def test_the_cache_knows_the_previous_version(repo: Path) -> None:
    """The same bytes checked against another previous version: the cached answer must not stand."""
    configure(repo, "main")
    path = repo / "programme" / "intervention.yaml"
    path.write_text(loosened("1.0.0"), encoding="utf-8")
    assert len(lint(repo)) == 1
    git("commit", "-q", "-am", "the limit removed", cwd=repo)  # main now holds these very bytes
    assert lint(repo) == []
    assert (repo / ".spreadkit_cache").is_dir()


def test_a_new_file_has_no_previous_version_and_is_fine(repo: Path) -> None:
    configure(repo, "main")
    (repo / "programme" / "other.yaml").write_text(PINCER.replace("\nid: pincer\n", "\nid: other\n"), encoding="utf-8")
    assert lint(repo, "programme/other.yaml") == []


def test_a_previous_version_that_is_another_intervention_or_invalid_is_said(repo: Path) -> None:
    configure(repo, "main")
    path = repo / "programme" / "intervention.yaml"
    path.write_text(PINCER.replace("\nid: pincer\n", "\nid: pincer-two\n"), encoding="utf-8")
    assert lint(repo) == ["programme/intervention.yaml:7:5: SK610 [warning] main:programme/intervention.yaml describes "
                          "intervention `pincer`, not `pincer-two`: versions are compared only between descriptions "
                          "of one intervention"]
    path.write_text("spreadkit: 1\nid: pincer\nname: PINCER\nversion: 1.0.0\nstatis: spreading\n", encoding="utf-8")
    git("commit", "-q", "-am", "broken", cwd=repo)
    path.write_text(PINCER, encoding="utf-8")
    assert lint(repo) == ["programme/intervention.yaml:10:10: SK610 [warning] main:programme/intervention.yaml is not "
                          "a valid description (SK109 unknown key `statis` (did you mean `status`?)): versions not "
                          "compared"]


def test_a_shallow_clone_without_the_ref_is_a_warning(repo: Path, tmp_path: Path) -> None:
    git("checkout", "-q", "-b", "feature", cwd=repo)
    (repo / "programme" / "intervention.yaml").write_text(loosened("1.1.0"), encoding="utf-8")
    git("commit", "-q", "-am", "1.1.0", cwd=repo)
    clone = tmp_path / "clone"
    git("clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo}", str(clone), cwd=tmp_path)
    configure(clone, "origin/main")
    assert lint(clone) == ["programme/intervention.yaml:10:10: SK610 [warning] cannot compare with origin/main: "
                           "`origin/main` is not a commit in this repository (this is a shallow clone: fetch the "
                           "ref, or check out with fetch-depth: 0)"]
    git("fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main", cwd=clone)
    assert lint(clone) == []


def test_outside_git_the_rule_says_it_did_not_run(tmp_path: Path) -> None:
    (tmp_path / "intervention.yaml").write_text(PINCER, encoding="utf-8")
    configure(tmp_path, "main")
    [finding] = lint(tmp_path)
    assert finding.startswith("intervention.yaml:10:10: SK610 [warning] cannot compare with main: ") and \
        "is not in a git repository" in finding


def test_pyproject_names_the_previous_version_and_a_bad_ref_is_refused(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.spreadkit]\nprevious = "main"\nignore = ["SK212"]\n', encoding="utf-8")
    (repo / "programme" / "intervention.yaml").write_text(loosened("1.0.0"), encoding="utf-8")
    assert [line.split(": ")[1].split()[0] for line in lint(repo)] == ["SK609"]
    (repo / "pyproject.toml").write_text('[tool.spreadkit]\nprevious = "--output=x"\n', encoding="utf-8")
    done = spreadkit("lint", cwd=repo)
    assert done.returncode == 2 and "previous: `--output=x` is not a git ref" in done.stderr


def test_commands_read_the_file_whatever_its_history(repo: Path, tmp_path: Path) -> None:
    """A version not yet moved is lint's business: adapt still writes the guide."""
    configure(repo, "main")
    (repo / "programme" / "intervention.yaml").write_text(loosened("1.0.0"), encoding="utf-8")
    (repo / "programme" / "site.yaml").write_bytes((ROOT / "examples/pincer/sites/eastbrook-pcn.yaml").read_bytes())
    done = spreadkit("adapt", "programme/intervention.yaml", "--context", "programme/site.yaml", "--format", "json",
                     cwd=repo)
    assert done.returncode == 0, done.stderr


def test_diff_rev_with_peers_reads_the_sites_against_the_committed_version(tmp_path: Path) -> None:
    """The folder holds the new version on disk; its sites adopted the committed one, and
    are read against that, as when the two versions are two files."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "pincer", root / "programme")
    git("init", "-q", "-b", "main", cwd=root)
    git("add", ".", cwd=root)
    git("commit", "-q", "-m", "PINCER 1.0.0", cwd=root)
    (root / "programme" / "intervention.yaml").write_bytes((ROOT / "tests/diff/pairs/pincer-2.0.0.yaml").read_bytes())
    by_rev = spreadkit("diff", "programme/intervention.yaml", "--rev", "HEAD", "--peers", "programme", cwd=root)
    by_files = spreadkit("diff", "examples/pincer/intervention.yaml", "tests/diff/pairs/pincer-2.0.0.yaml",
                         "--peers", "examples/pincer")
    assert (by_rev.returncode, by_files.returncode) == (0, 0), by_rev.stderr + by_files.stderr
    sites = by_rev.stdout.split("\n\nWhat 2.0.0 changes", 1)[1]
    assert sites == by_files.stdout.split("\n\nWhat 2.0.0 changes", 1)[1].replace("examples/pincer", "programme")
    assert "programme/adaptations.yaml:78:16: Eastbrook Primary Care Network: component `incentives`, which 2.0.0 " \
           "no longer has" in sites
