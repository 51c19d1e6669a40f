"""SK7xx: context profiles and measurements, read against the intervention at or above them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from spreadkit.lint.registry import Check, Checked, Rule
from spreadkit.problems import FILE_START, Problem, pointer_from

if TYPE_CHECKING:
    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.measurements import Table
    from spreadkit.yamlio import Document


def context_says_nothing(file: Checked[Context]) -> Iterator[Problem]:
    context = file.model
    answers = (context.settings, context.roles, context.it_systems, context.resources, context.country,
               context.population.size if context.population else None)
    facts_answered = any(value is not None for value in (context.facts or {}).values())
    if all(answer is None for answer in answers) and not facts_answered:
        yield Problem("SK705", "this context answers nothing the fit analysis can use: every need will be an "
                      "open question", "")


def context_unknown_role(file: Checked[Context]) -> Iterator[Problem]:
    from spreadkit.formats.errors import did_you_mean

    spec = file.beside
    if spec is None:
        return
    role_ids = sorted({role.id for role in spec.roles})
    known = ", ".join(f"`{r}`" for r in role_ids) or "none"
    for index, role in enumerate(file.model.roles or []):
        if role.id not in role_ids:
            yield Problem("SK703", f"role `{role.id}` is not a role of `{spec.id}`{did_you_mean(role.id, role_ids)}; "
                          f"its roles: {known}", pointer_from(("roles", index, "id")))


def context_unused_fact(file: Checked[Context]) -> Iterator[Problem]:
    from spreadkit.formats.conditions import facts_asked
    from spreadkit.formats.errors import did_you_mean

    spec = file.beside
    if spec is None:
        return
    asked: set[str] = set()
    for _, condition in spec.conditions():
        asked.update(facts_asked(condition))
    unanswered = sorted(asked - set(file.model.facts or {}))
    for fact in file.model.facts or {}:
        if fact not in asked:
            yield Problem("SK704", f"`{spec.id}` never asks about fact `{fact}`{did_you_mean(fact, unanswered)}",
                          pointer_from(("facts", fact)), on_key=True)


def answer_problems(context: Context, spec: Intervention, document: Document | None = None) -> Iterator[Problem]:
    """SK712 for each fact the context answers with a value no condition of `spec` can
    compare: wrong kind (text for true/false, say), or not one of an `in` list. With the
    context's `document`, an answer is shown, and its fix given, as it is written (quoted)."""
    from spreadkit.formats.conditions import answer_kind, fact_questions, yaml_scalar

    questions = fact_questions(condition for _, condition in spec.conditions())
    for fact, answer in (context.facts or {}).items():
        question = questions.get(fact)
        if answer is None or question is None:
            continue
        pointer = pointer_from(("facts", fact))
        quoted = document is not None and _written_quoted(document, pointer)
        fix = question.mismatch(answer, quoted)
        if fix is not None:
            shown = f'"{answer}"' if answer_kind(answer) == "text" and (
                quoted or answer_kind(_yaml_reading(answer)) != "text") else yaml_scalar(answer)
            yield Problem("SK712", f"`{fact}: {shown}` is {_KIND_NOUN[answer_kind(answer)]}, but {spec.name} "
                          f"compares it with {question.expected}: {fix}", pointer)


def _written_quoted(document: Document, pointer: str) -> bool:
    """Whether the value at `pointer` is written in quotes."""
    span = document.span_of(pointer)
    lines = document.text.splitlines()
    line = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    return line[span.column - 1:span.column] in ("\"", "'")


_KIND_NOUN = {"boolean": "true or false", "number": "a number", "text": "text"}


def _yaml_reading(text: object) -> bool | float | str:
    """What YAML would make of `text` written without quotes: `true`, a number, or the text."""
    stripped = str(text).strip()
    if stripped in ("true", "false"):
        return stripped == "true"
    try:
        return float(stripped)
    except ValueError:
        return stripped


def context_answer_type(file: Checked[Context]) -> Iterator[Problem]:
    if file.beside is not None:
        yield from answer_problems(file.model, file.beside, file.document)


def measurements_unknown_outcome(file: Checked[Table]) -> Iterator[Problem]:
    spec, table = file.beside, file.model
    if spec is None:
        return
    outcome_ids = {o.id for o in spec.outcomes}
    unknown = {code for code, name in enumerate(table.outcome.names) if name not in outcome_ids}
    if not unknown:
        return
    known = ", ".join(f"`{o}`" for o in sorted(outcome_ids)) or "none"
    for index, code in enumerate(table.outcome.codes):
        if code in unknown:
            yield Problem("SK706", f"outcome `{table.outcome.names[code]}` is not an outcome of `{spec.id}`; its "
                          f"outcomes: {known}", span=table.span(index, "outcome"))


def measurements_duplicate_row(file: Checked[Table]) -> Iterator[Problem]:
    from spreadkit.formats.measurements import repeated_rows, row_keys

    table = file.model
    for row, first in repeated_rows(row_keys(table)):
        yield Problem("SK707", f"`{table.site[row]}`, {table.period[row]}, `{table.outcome[row]}` already given on "
                      f"line {table.lines[first]}", span=table.span(row, "site"))


def measurements_few_points(file: Checked[Table]) -> Iterator[Problem]:
    from spreadkit.formats.measurements import few_points

    table = file.model
    for row, site, outcome, count in few_points(table, FEW_POINTS):
        yield Problem("SK708", f"site `{site}` has {count} period(s) of `{outcome}`; control limits need "
                      f"{FEW_POINTS}", span=table.span(row, "site"))


def measurements_mixed_kinds(file: Checked[Table]) -> Iterator[Problem]:
    from spreadkit.formats.measurements import mixed_kinds

    yield from mixed_kinds(file.model)


def measurements_mixed_periods(file: Checked[Table]) -> Iterator[Problem]:
    from spreadkit.formats.measurements import mixed_periods

    yield from mixed_periods(file.model)


def intervention_ambiguous(file: Checked[Any]) -> Iterator[Problem]:
    from spreadkit.formats.log import Log

    if not file.ambiguous:
        return
    names = ", ".join(f"`{name}`" for name in file.ambiguous)
    if isinstance(file.model, Log):
        yield Problem("SK714", f"{len(file.ambiguous)} interventions beside this log have the id "
                      f"`{file.model.intervention}` ({names}), so it was checked against none: give each "
                      "intervention its own id, and its own programme folder (docs/programme.md)", "/intervention")
        return
    what = "measurements" if file.document is None else "context"
    yield Problem("SK714", f"this {what} file sits beside {len(file.ambiguous)} interventions ({names}) and "
                  "nothing says which it is read against, so it was checked against none: keep one intervention "
                  "per programme folder (docs/programme.md)", span=FILE_START)


def intervention_not_found(file: Checked[Any]) -> Iterator[Problem]:
    from spreadkit.formats.context import Context

    if file.beside is not None or file.ambiguous:  # several: SK714 says so
        return
    model = file.model
    # Said only when a check was skipped: a file with no roles, facts or rows lost nothing.
    checkable = (model.roles or model.facts) if isinstance(model, Context) else model.outcome.names
    if not checkable:
        return
    what = "measurements file" if file.document is None else "context"
    if file.path == STDIN_NAME:
        yield Problem("SK716", f"this {what} was read from standard input without --stdin-filename, so it was "
                      "checked against no intervention: give --stdin-filename PATH to say where it sits",
                      span=FILE_START)
        return
    yield Problem("SK716", f"no intervention in this {what}'s folder or any folder above it, so it was checked "
                  "against none: its answers were not checked against the intervention's roles, facts and outcomes",
                  span=FILE_START)


def intervention_mismatch(file: Checked[Any]) -> Iterator[Problem]:
    other = file.elsewhere
    if other is None:
        return
    yield Problem("SK717", f"this context is `{other.ident}`'s ({other.path} is the intervention nearest it) but was "
                  f"read against `{other.given_ident}` ({other.given_path}), whose questions it never answered: "
                  f"name the intervention it belongs to, or move it into a folder of `{other.given_ident}`'s",
                  span=FILE_START)


# What lint names a file read from standard input when nothing says where it sits.
STDIN_NAME = "-"

# NHSRplotthedots: limits from fewer points than this are provisional (ptd_spc.warning_threshold).
FEW_POINTS = 13

_ANSWERS = ("settings", "roles", "it_systems", "resources", "country", "population", "facts")

RULES = (
    Rule("SK705", "context-says-nothing", "info", "A context answers nothing: no settings, roles, IT systems, resources, country, population or facts.",
         "With nothing known about the site every need is an open question, and the guide can only list "
         "questions. `spreadkit adapt SPEC --new-context` writes a questionnaire of what to fill in.",
         bad="spreadkit-context: 1\nsite: Northshire", good="spreadkit-context: 1\nsite: Northshire\nroles:\n  - id: pharmacist",
         checks=(Check("context", context_says_nothing, reads=_ANSWERS),)),
    Rule("SK703", "context-unknown-role", "warning", "A context lists a role the intervention beside it does not define.",
         "The fit analysis matches a site's roles to the intervention's by id; a role under another id is "
         "invisible to it, so the guide would report it missing.",
         bad="roles:\n  - id: pharmacy-tech", good="roles:\n  - id: pharmacy-technician",
         checks=(Check("context", context_unknown_role, reads=("roles",), beside=("id", "roles"),
                       reads_partial=("roles",)),)),
    Rule("SK704", "context-unused-fact", "info", "A context answers a fact the intervention beside it never asks.",
         "Facts answer the intervention's `fact:` conditions; an answer to a question nobody asks is usually a "
         "misspelt fact id, and the real question stays unknown.",
         bad="facts:\n  weekly-meeting: true", good="facts:\n  weekly-practice-meeting: true",
         checks=(Check("context", context_unused_fact, reads=("facts",), beside=("id", "components", "context"),
                       reads_partial=("facts",)),)),
    Rule("SK712", "context-answer-type", "error", "A context answers a fact with a kind of value the intervention's conditions cannot compare.",
         "Conditions compare a fact with true or false, a number, or one of a list. In YAML 1.2 `yes` and "
         "`\"true\"` are text and `\"48000\"` is text, so `{fact: x, equals: true}` would quietly be false and "
         "the site told it is not ready. The answer must be of the kind asked (and, for a fact asked only "
         "with `in:` lists, one of their values); `spreadkit adapt` refuses to write a guide until it is, "
         "even where lint is told to ignore SK712 (in `.spreadkit.yaml` or by a `# spreadkit: ignore` comment).",
         bad="facts:\n  care-homes-trained: yes", good="facts:\n  care-homes-trained: true",
         # The valid components' conditions are checked when one component is invalid: an answer
         # wrong for them is wrong whatever the other one asks.
         checks=(Check("context", context_answer_type, reads=("facts",), beside=("name", "components", "context"),
                       reads_partial=("facts",), beside_partial=("components",)),),
         always_stops=True),
    Rule("SK706", "measurements-unknown-outcome", "error", "A measurements row names an outcome the intervention beside it does not define.",
         "Rows are compared by outcome id; a row under an id the intervention does not define is compared with "
         "nothing, and the direction that is better is unknown.",
         bad="northshire,2027-03,hazardous-prescribing,41,1210", good="northshire,2027-03,hazardous-rx,41,1210",
         checks=(Check("measurements", measurements_unknown_outcome, beside=("id", "outcomes")),)),
    Rule("SK707", "measurements-duplicate-row", "error", "Two rows give the same site, period and outcome.",
         "Each site has one value per outcome and period; a second row would be double-counted in the funnel "
         "plot and break the control chart's time order.",
         bad="northshire,2027-03,hazardous-rx,41,1210\nnorthshire,2027-03,hazardous-rx,40,1210",
         good="northshire,2027-03,hazardous-rx,41,1210\nnorthshire,2027-04,hazardous-rx,40,1215",
         checks=(Check("measurements", measurements_duplicate_row),)),
    Rule("SK708", "measurements-few-points", "info", "A site has fewer than 13 periods of an outcome.",
         "Control limits from fewer than 13 points are provisional: they change with each new point "
         "(NHSRplotthedots warns below 13; Making Data Count asks for at least 12). The chart is drawn but "
         "marked as provisional.", bad="# 6 months of data for one site", good="# 13 or more months",
         checks=(Check("measurements", measurements_few_points),)),
    Rule("SK709", "measurements-zero-denominator", "warning", "A row's denominator (expected count, population) is 0.",
         "A rate out of nothing has no value: the row is left out of the comparison and the rest of the file is "
         "compared. A numerator above 0 with a denominator of 0 is an error (SK702).",
         bad="northshire,2027-03,hazardous-rx,0,0", good="# leave the month out, or give its denominator"),
    Rule("SK715", "measurements-padded-key", "warning", "A site, period, outcome or phase has spaces around it.",
         "A spreadsheet pads a cell without showing it. The cell is read without the spaces, so that its row "
         "joins the rows written without them (and a site its log and context): ` north` and `north` are one "
         "site, never two. The warning names what the cell became, so that two values are never joined unseen. "
         "Every command that reads measurements says it.",
         bad="\" northshire \",2027-03,\"hazardous-rx \",41,1210", good="northshire,2027-03,hazardous-rx,41,1210"),
    Rule("SK710", "measurements-mixed-kinds", "error", "An outcome mixes kinds of measure (proportions and values, say).",
         "One outcome is compared one way: a proportion in a funnel and a p-chart, a value in an XmR chart. Rows "
         "of another kind under the same outcome cannot be put on the same chart.",
         bad="north,2027-03,wait,12,40,\nsouth,2027-03,wait,,,3.5", good="north,2027-03,wait,,,3.1\nsouth,2027-03,wait,,,3.5",
         checks=(Check("measurements", measurements_mixed_kinds),)),
    Rule("SK711", "measurements-mixed-periods", "error", "One site's series mixes yearly, quarterly, monthly, weekly or daily periods.",
         "A control chart needs its points in one time order at one frequency; 2027-Q1 and 2027-02 overlap, and "
         "a chart of both would count the same months twice.",
         bad="north,2027-Q1,harm,41,1210\nnorth,2027-04,harm,12,400", good="north,2027-Q1,harm,41,1210\nnorth,2027-Q2,harm,39,1230",
         checks=(Check("measurements", measurements_mixed_periods),)),
    # Reported when a programme folder is read (adapt --peers, site, diff --peers): it is
    # a problem between files, which no one file shows.
    Rule("SK713", "programme-duplicate-site", "error", "Two contexts in one programme give the same site id.",
         "A programme joins each site's context, FRAME log and measurement rows by the site's id (its `id:`, else "
         "the context's file name). Two contexts with one id would give one site two profiles, and its guide, "
         "its peers and its results would mix them.",
         bad="sites/hillside.yaml and sites/old/hillside.yaml", good="sites/hillside.yaml and sites/hillside-annexe.yaml"),
    Rule("SK714", "intervention-ambiguous", "error", "A context, log or measurements file sits beside several interventions and nothing says which it is read against.",
         "Contexts, logs and measurements are checked against the intervention in the nearest folder at or "
         "above them that holds one. With several there, none can be picked, and every check against it (an answer of the wrong "
         "kind, SK712; an unknown role, component or outcome) would silently not run. Keep one intervention per "
         "programme folder (docs/programme.md); a log is read against the one whose id its `intervention:` gives.",
         bad="falls/intervention.yaml\nfalls/other.yaml\nfalls/site.yaml",
         good="falls/intervention.yaml\nfalls/site.yaml\nother/intervention.yaml",
         checks=tuple(Check(kind, intervention_ambiguous, reads=reads, beside=("id",)) for kind, reads in
                      (("context", ()), ("log", ("intervention",)), ("measurements", ())))),
    Rule("SK716", "intervention-not-found", "info", "A context with roles or facts, or a measurements file with rows, has no intervention to be read against.",
         "Contexts and measurements are checked against the intervention in the nearest folder at or above them "
         "(a log, against the one its `intervention:` names: SK606), looking no higher than the git repository "
         "they are in; outside one, no higher than the highest of the current folder and the path named on the "
         "command line (a folder, or a named file's folder) that the file is under, and always as far as the "
         "folder above its own. With none there, every check against it "
         "(an answer of the wrong kind, SK712; an unknown role, fact or outcome) is skipped, so a clean run says "
         "nothing of them. Keep the files under the programme folder that holds the intervention "
         "(docs/programme.md); a file piped on standard input needs `--stdin-filename` to say where it sits.",
         bad="sites/hillside.yaml   # no intervention in sites/ or above",
         good="programme/intervention.yaml\nprogramme/sites/hillside.yaml",
         checks=tuple(Check(kind, intervention_not_found, beside=("id",)) for kind in ("context", "measurements"))),
    # Reported by the commands that read contexts against an intervention they are given
    # (adapt's SPEC, compare's and site's --spec, diff's OLD): lint reads each file against
    # the intervention nearest it, so it never meets this.
    Rule("SK717", "intervention-mismatch", "error", "A context is read against an intervention whose id is not that of the intervention nearest it.",
         "A context names no intervention: it answers the questions of the one in the nearest folder at or above "
         "it, as lint reads it. A command given another description to read it against (adapt's SPEC, "
         "`--spec`) uses that one instead, which is what a new draft of the same intervention needs (the same "
         "`id`). With another `id` the site would be judged on needs it was never asked about, and every guide "
         "would say \"not ready\" without a word of why. Name the intervention the context belongs to, or move the "
         "context into the folder of the one it adopts. Where reading it so is meant, ignore SK717 in the "
         "configuration.",
         bad="# spreadkit adapt pincer/intervention.yaml --context escape-pain/sites/\n"
             "escape-pain/intervention.yaml     # id: escape-pain\nescape-pain/sites/hillside.yaml",
         good="# spreadkit adapt escape-pain/intervention.yaml --context escape-pain/sites/\n"
              "escape-pain/intervention.yaml     # id: escape-pain\nescape-pain/sites/hillside.yaml",
         checks=(Check("context", intervention_mismatch, beside=("id",), elsewhere=True),)),
)
