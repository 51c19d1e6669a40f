"""SK1xx: the file itself, its YAML, and its schema; SK701-702: the measurements CSV.

These have no check of their own: the loader (`spreadkit.load`) and the models report
them, for what stops a file, or a part of it, from being read."""

from __future__ import annotations

import dataclasses

from spreadkit.lint.registry import Rule

# Said of the rules for a file that cannot be read as a spreadkit file (`Rule.always_reported`).
ALWAYS_REPORTED = (" It is always reported, as an error, whatever `--select`, `--ignore`, `per-file-ignores`, "
                   "`severity` or a suppression comment say: no other rule could read the file, so it must never "
                   "pass as clean.")

_RULES = (
    Rule("SK101", "unreadable-file", "error", "The file is not UTF-8 text.",
         "spreadkit files are UTF-8 YAML (a BOM is tolerated) so that every tool and editor reads "
         "the same characters; UTF-16, other encodings and binary files are refused, not guessed.",
         bad="A file saved as UTF-16 from a word processor.", good="The same file saved as UTF-8.",
         always_reported=True),
    Rule("SK102", "yaml-syntax", "error", "The file is not valid YAML.",
         "Nothing else can be checked until the YAML parses. Tabs in indentation, unclosed brackets, "
         "tags such as `!!python/object` and several documents in one file are refused.",
         bad="roles:\n\t- id: pharmacist", good="roles:\n  - id: pharmacist",
         always_reported=True),
    Rule("SK103", "duplicate-key", "error", "A key appears twice in the same mapping.",
         "YAML parsers silently keep the later value, so half of what the author wrote would vanish. "
         "Both positions are reported.",
         bad="name: PINCER\nname: PINCER 2", good="name: PINCER"),
    Rule("SK104", "file-too-large", "error", "The file is over the size limit (5 MiB by default).",
         "An intervention description is prose and structure, not data; a huge file is a mistake or an "
         "attack, and loading it would stall CI.", bad="A 30 MB export pasted into a spec.",
         good="Data in measurements.csv; the description under a few hundred KB.",
         always_reported=True),
    Rule("SK105", "alias-expansion", "error", "Aliases expand the document past the limit, or refer to themselves.",
         "Anchors and aliases are allowed for reuse, but an 'alias bomb' of a few KB can expand to billions of "
         "nodes; spreadkit counts the expanded size before anything walks the document and refuses it.",
         bad="a: &a [x, x]\nb: &b [*a, *a]\n# ... nine levels deep", good="shared: &team [pharmacist]\nwho: *team",
         always_reported=True),
    Rule("SK106", "too-deep", "error", "The document nests deeper than the limit (100 levels).",
         "No spreadkit format needs more than a dozen levels; deep nesting is refused before it can exhaust "
         "the parser.", bad="[[[[[[ ... 5,000 levels ... ]]]]]]", good="conditions: {all: [{has_role: a}]}",
         always_reported=True),
    Rule("SK107", "not-a-mapping", "error", "The file is empty, or its top level is a list or a single value.",
         "Every spreadkit file is a mapping whose first key says what it is.",
         bad="- id: pincer", good="spreadkit: 1\nid: pincer",
         always_reported=True),
    Rule("SK108", "format-version", "error", "The first key is missing, unknown, not first, or names an unknown format version.",
         "The first key (`spreadkit: 1`, `spreadkit-context: 1`, `spreadkit-log: 1`) says which format a file "
         "uses, so that old files keep working when the format evolves. A first key that is a slip of one "
         "(`spredkit`, `spreadkit_context`), or one of ours further down the file (after `id:`, say), is "
         "reported in folders too, rather than the file skipped as someone else's YAML.",
         bad="spreadkit: 2", good="spreadkit: 1",
         always_reported=True),
    Rule("SK109", "unknown-key", "error", "A key the format does not define (keys starting `x-` are allowed).",
         "Typos must not pass silently: `fidelty:` would otherwise drop the fidelity criteria without a word. "
         "Extensions go under `x-` keys, as in OpenAPI.",
         bad="fidelty:\n  - id: monthly-search", good="fidelity:\n  - id: monthly-search"),
    Rule("SK110", "missing-key", "error", "A required key is missing.",
         "Some keys carry the meaning of the format: a core component without `function` cannot say what must "
         "be kept (Hawe, Shiell & Riley 2004: standardise function, not form).",
         bad="- id: search\n  kind: core\n  form: Monthly search", good="- id: search\n  kind: core\n  "
         "function: Find every patient at risk\n  form: Monthly search"),
    Rule("SK111", "invalid-value", "error", "A value has the wrong type, or is not one of the allowed values.",
         "Vocabularies (status, CFIR domain, FRAME codes) are closed so that files can be compared across "
         "sites; a near miss is reported with a suggestion.",
         bad="status: spreding", good="status: spreading"),
    Rule("SK112", "invalid-condition", "error", "A `check` or `when` is not a valid condition.",
         "Conditions are a small declarative language evaluated against a context profile, never code: one "
         "operator per mapping, combined with all/any/not.",
         bad="check: {has_role: pharmacist, setting: general-practice}",
         good="check: {all: [{has_role: pharmacist}, {setting: general-practice}]}"),
    Rule("SK113", "no-spreadkit-files", "error", "A folder named on the command line holds no spreadkit file.",
         "A mistyped path, or a programme moved elsewhere, would otherwise pass CI with nothing checked. "
         "`--allow-empty` accepts a folder with none (a template repository, say).",
         bad="spreadkit lint programm/   # a typo: nothing there", good="spreadkit lint programme/"),
    Rule("SK701", "measurements-header", "error", "The measurements CSV has a bad or incomplete header.",
         "Cross-site comparison needs site, period and outcome on every row, and numerator with denominator "
         "(a proportion) or value (a continuous measure).",
         bad="practice,month,count", good="site,period,outcome,numerator,denominator"),
    Rule("SK702", "measurements-row", "error", "A measurements row has a bad value.",
         "A numerator above its denominator, a negative count or an unreadable period would distort every "
         "funnel plot and control chart drawn from the file.",
         bad="northshire,March,hazardous-rx,41,12", good="northshire,2027-03,hazardous-rx,41,1210"),
)

RULES = tuple(dataclasses.replace(rule, rationale=rule.rationale + ALWAYS_REPORTED) if rule.always_reported else rule
              for rule in _RULES)
