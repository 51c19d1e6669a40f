"""SK7xx: context profiles and measurements, read against the intervention beside them."""

from __future__ import annotations

from collections.abc import Iterator

from spreadkit.lint.registry import CheckedFile, Registry, Rule
from spreadkit.problems import Problem, pointer_from

RULES = (
    Rule("SK703", "context-unknown-role", "warning", "A context lists a role the intervention beside it does not define.",
         "The fit analysis matches a site's roles to the intervention's by id; a role under another id is "
         "invisible to it, so the guide would report it missing.",
         bad="roles:\n  - id: pharmacy-tech", good="roles:\n  - id: pharmacy-technician"),
    Rule("SK704", "context-unused-fact", "info", "A context answers a fact the intervention beside it never asks.",
         "Facts answer the intervention's `fact:` conditions; an answer to a question nobody asks is usually a "
         "misspelt fact id, and the real question stays unknown.",
         bad="facts:\n  weekly-meeting: true", good="facts:\n  weekly-practice-meeting: true"),
    Rule("SK705", "context-says-nothing", "info", "A context answers nothing: no settings, roles, IT systems, resources, country, population or facts.",
         "With nothing known about the site every need is an open question, and the guide can only list "
         "questions. `spreadkit adapt SPEC --new-context` writes a questionnaire of what to fill in.",
         bad="spreadkit-context: 1\nsite: Northshire", good="spreadkit-context: 1\nsite: Northshire\nroles:\n  - id: pharmacist"),
    Rule("SK706", "measurements-unknown-outcome", "error", "A measurements row names an outcome the intervention beside it does not define.",
         "Rows are compared by outcome id; a row under an id the intervention does not define is compared with "
         "nothing, and the direction that is better is unknown.",
         bad="northshire,2027-03,hazardous-prescribing,41,1210", good="northshire,2027-03,hazardous-rx,41,1210"),
    Rule("SK707", "measurements-duplicate-row", "error", "Two rows give the same site, period and outcome.",
         "Each site has one value per outcome and period; a second row would be double-counted in the funnel "
         "plot and break the control chart's time order.",
         bad="northshire,2027-03,hazardous-rx,41,1210\nnorthshire,2027-03,hazardous-rx,40,1210",
         good="northshire,2027-03,hazardous-rx,41,1210\nnorthshire,2027-04,hazardous-rx,40,1215"),
    Rule("SK708", "measurements-few-points", "info", "A site has fewer than 13 periods of an outcome.",
         "Control limits from fewer than 13 points are provisional: they change with each new point "
         "(NHSRplotthedots warns below 13; Making Data Count asks for at least 12). The chart is drawn but "
         "marked as provisional.", bad="# 6 months of data for one site", good="# 13 or more months"),
    Rule("SK709", "measurements-zero-denominator", "warning", "A row's denominator (expected count, population) is 0.",
         "A rate out of nothing has no value: the row is left out of the comparison and the rest of the file is "
         "compared. A numerator above 0 with a denominator of 0 is an error (SK702).",
         bad="northshire,2027-03,hazardous-rx,0,0", good="# leave the month out, or give its denominator"),
    Rule("SK710", "measurements-mixed-kinds", "error", "An outcome mixes kinds of measure (proportions and values, say).",
         "One outcome is compared one way: a proportion in a funnel and a p-chart, a value in an XmR chart. Rows "
         "of another kind under the same outcome cannot be put on the same chart.",
         bad="north,2027-03,wait,12,40,\nsouth,2027-03,wait,,,3.5", good="north,2027-03,wait,,,3.1\nsouth,2027-03,wait,,,3.5"),
    Rule("SK711", "measurements-mixed-periods", "error", "One site's series mixes yearly, quarterly, monthly, weekly or daily periods.",
         "A control chart needs its points in one time order at one frequency; 2027-Q1 and 2027-02 overlap, and "
         "a chart of both would count the same months twice.",
         bad="north,2027-Q1,harm,41,1210\nnorth,2027-04,harm,12,400", good="north,2027-Q1,harm,41,1210\nnorth,2027-Q2,harm,39,1230"),
)

# NHSRplotthedots: limits from fewer points than this are provisional (ptd_spc.warning_threshold).
FEW_POINTS = 13


def check_context(checked: CheckedFile) -> Iterator[Problem]:
    from spreadkit.formats.conditions import facts_asked

    context = checked.model
    answers = (context.settings, context.roles, context.it_systems, context.resources, context.country,
               context.population.size if context.population else None)
    facts_answered = any(value is not None for value in (context.facts or {}).values())
    if all(answer is None for answer in answers) and not facts_answered:
        yield Problem("SK705", "this context answers nothing the fit analysis can use: every need will be an "
                      "open question", "")
    spec = checked.intervention_beside()
    if spec is None:
        return
    role_ids = {role.id for role in spec.roles}
    for index, role in enumerate(context.roles or []):
        if role.id not in role_ids:
            known = ", ".join(f"`{r}`" for r in sorted(role_ids)) or "none"
            yield Problem("SK703", f"role `{role.id}` is not a role of `{spec.id}`; its roles: {known}",
                          pointer_from(("roles", index, "id")))
    asked: set[str] = set()
    for _, condition in spec.conditions():
        asked.update(facts_asked(condition))
    for fact in context.facts or {}:
        if fact not in asked:
            yield Problem("SK704", f"`{spec.id}` never asks about fact `{fact}`", pointer_from(("facts", fact)),
                          on_key=True)


def unknown_outcomes(table, spec) -> Iterator[Problem]:  # type: ignore[no-untyped-def]
    """SK706 for each row whose outcome the intervention does not define."""
    outcome_ids = {o.id for o in spec.outcomes}
    unknown = {code for code, name in enumerate(table.outcome.names) if name not in outcome_ids}
    if not unknown:
        return
    known = ", ".join(f"`{o}`" for o in sorted(outcome_ids)) or "none"
    for index, code in enumerate(table.outcome.codes):
        if code in unknown:
            yield Problem("SK706", f"outcome `{table.outcome.names[code]}` is not an outcome of `{spec.id}`; its "
                          f"outcomes: {known}", span=table.span(index, "outcome"))


def check_measurements(checked: CheckedFile) -> Iterator[Problem]:
    from spreadkit.formats.measurements import few_points, mixed_kinds, mixed_periods, repeated_rows, row_keys

    table = checked.model
    spec = checked.intervention_beside()
    if spec is not None:
        yield from unknown_outcomes(table, spec)
    for row, first in repeated_rows(row_keys(table)):
        yield Problem("SK707", f"`{table.site[row]}`, {table.period[row]}, `{table.outcome[row]}` already given on "
                      f"line {table.lines[first]}", span=table.span(row, "site"))
    yield from mixed_kinds(table)
    yield from mixed_periods(table)
    for row, site, outcome, count in few_points(table, FEW_POINTS):
        yield Problem("SK708", f"site `{site}` has {count} period(s) of `{outcome}`; control limits need "
                      f"{FEW_POINTS}", span=table.span(row, "site"))


def register(registry: Registry) -> None:
    registry.add_rules(*RULES)
    registry.add_check({"context"}, ("SK703", "SK704", "SK705"), check_context)
    registry.add_check({"measurements"}, ("SK706", "SK707", "SK708", "SK710", "SK711"), check_measurements)
