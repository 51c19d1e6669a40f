"""What an adopter guide says, read as a service manager reads it: who delivers each
form, what to do first and when, in words that never contradict each other. Run as a
user runs it, on small programmes under tests/data."""

from __future__ import annotations

import shutil
from pathlib import Path

from ruamel.yaml import YAML

from .helpers import ROOT, spreadkit

DATA = ROOT / "tests" / "data"


def _guide(folder: str, site: str, *args: str | Path) -> str:
    done = spreadkit("adapt", DATA / folder / "intervention.yaml", "--context", DATA / folder / "sites" / site, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _section(guide: str, heading: str) -> str:
    return guide.split(f"### {heading}\n")[1].split("\n### ")[0].split("\n## ")[0]


def test_an_alternative_that_names_no_role_says_who_delivers_the_form_as_described() -> None:
    assessment = _section(_guide("safer-wards", "northgate.yaml"), "Multifactorial risk assessment")
    assert "**Form for this site:** The nurse completes the electronic assessment" in assessment
    assert ("- **Who:** the description names no particular role for this form; the form as described is "
            "delivered by the registered ward nurse (training: The one-hour Safer Wards e-learning)") in assessment


def test_a_substitute_on_an_alternatives_role_is_said_with_the_form_and_in_the_log(tmp_path: Path) -> None:
    log = tmp_path / "adaptations.yaml"
    review = _section(_guide("alternative-substitute", "s.yaml", "--log", log), "Medication review")
    assert ("**Form for this site:** The ward doctor reviews medicines on the ward round. (here the advanced "
            "clinical practitioner does what this form gives the ward doctor)") in review
    assert "- **Who:** Advanced clinical practitioner, in place of the ward doctor" in review
    entry = YAML(typ="safe").load(log.read_text(encoding="utf-8"))["entries"][0]
    assert entry["description"] == ("Use the alternative form listed in the description: The ward doctor reviews "
                                    "medicines on the ward round, with the advanced clinical practitioner in place "
                                    "of the ward doctor (a substitute the description lists).")
    assert entry["what"] == "personnel"


def _numbered(guide: str) -> str:
    return guide.split("## What to do first\n")[1].split("\n## ")[0]


def test_the_when_of_a_first_step_says_what_it_comes_before_and_after_never_first() -> None:
    # Northgate's launch training follows a strategy timed "In the first three months":
    # calling it "first" would contradict the order the guide gives.
    northgate = _numbered(_guide("safer-wards", "northgate.yaml"))
    assert "When: first" not in northgate
    assert northgate.index("When: In the first three months") < northgate.index(
        "When: Before you start Multifactorial risk assessment")
    refresher = _numbered(_guide("depends-on-launch", "s.yaml"))
    assert "    - When: Before you start Assessment, after Launch" in refresher
    assert "first" not in refresher.split("2. **Refresher training**")[1].split("\n3.")[0].split("When:")[1].split("\n")[0]


def test_a_description_without_why_has_no_empty_what_it_is_section() -> None:
    guide = _guide("no-why", "s.yaml")
    assert "## What it is and why it works" not in guide
    html = _guide("no-why", "s.yaml", "--format", "html")
    assert "What it is and why it works" not in html
    assert "## What it is and why it works" in _guide("safer-wards", "northgate.yaml")


def test_an_open_question_puts_no_article_before_a_plural_role(tmp_path: Path) -> None:
    """A context without `roles` leaves every role open: the question about PINCER's
    prescribers once read "Does the site have a GPs and other prescribers ...?"."""
    text = (ROOT / "examples/pincer/sites/northgate-pcn.yaml").read_text(encoding="utf-8")
    context = tmp_path / "northgate.yaml"
    context.write_text(text[:text.index("roles:")] + text[text.index("it_systems:"):], encoding="utf-8")
    done = spreadkit("adapt", ROOT / "examples/pincer/intervention.yaml", "--context", context)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "- Does the site have GPs and other prescribers in the practice (or one of its listed substitutes)? " \
           "List it under `roles` as `prescriber`." in lines
    assert "- Does the site have a pharmacy technician (or one of its listed substitutes)? List it under `roles` as " \
           "`pharmacy-technician`." in lines
    assert "a GPs" not in done.stdout


def _roleless(tmp_path: Path) -> Path:
    text = (ROOT / "examples/pincer/sites/northgate-pcn.yaml").read_text(encoding="utf-8")
    context = tmp_path / "sites" / "northgate.yaml"
    context.parent.mkdir()
    context.write_text(text[:text.index("roles:")] + text[text.index("it_systems:"):], encoding="utf-8")
    return context


def test_an_unknown_plural_role_is_not_known_whether_the_site_has_any(tmp_path: Path) -> None:
    context = _roleless(tmp_path)
    for output in ("md", "html"):
        done = spreadkit("adapt", ROOT / "examples/pincer/intervention.yaml", "--context", context,
                         "--format", output)
        assert done.returncode == 0, done.stderr
        assert "GPs and other prescribers in the practice: not known whether the site has any" in done.stdout
        assert "Lead GP for prescribing safety: not known whether the site has one" in done.stdout
        assert "prescribers in the practice: not known whether the site has one" not in done.stdout


def test_the_programme_summary_counts_a_question_without_its_full_stop_before_the_colon(tmp_path: Path) -> None:
    context = _roleless(tmp_path)
    shutil.copy(ROOT / "examples/pincer/sites/hillside-mp.yaml", context.parent)
    done = spreadkit("adapt", ROOT / "examples/pincer/intervention.yaml", "--context", context.parent,
                     "-o", tmp_path / "guides")
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "guides" / "index.md").read_text(encoding="utf-8")
    assert "List it under `roles` as `prescriber`: 1 of 2 sites ([Northgate" in index
    assert ".: " not in index
