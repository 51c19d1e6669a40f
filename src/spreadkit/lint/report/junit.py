"""JUnit XML, in the shape Jenkins' JUnit schema accepts: one test case per file checked.

A finding at or above the fail level (`--fail-on`, else the file's configured level) is
a `<failure>`, so the test report fails exactly when the exit code does; findings below
it are listed in the test case's `<system-out>`, shown but not failing. Text from files
is escaped so that the report always parses.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from spreadkit.lint.engine import Finding, LintRun, at_or_above
from spreadkit.lint.report import ReportOptions
from spreadkit.lint.report.escape import xml_safe


def _line(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code} [{finding.severity}] {finding.message}"


def _attribute(text: str) -> str:
    return quoteattr(xml_safe(text))


def report(run: LintRun, options: ReportOptions = ReportOptions()) -> str:
    cases = []
    failing_cases = 0
    for result in sorted(run.checked, key=lambda r: r.path):
        threshold = options.fail_on or result.fail_on or run.fail_on
        findings = sorted(result.findings, key=Finding.sort_key)
        failures = [f for f in findings if at_or_above(f.severity, threshold)]
        others = [f for f in findings if not at_or_above(f.severity, threshold)]
        failing_cases += bool(failures)
        body = "".join(
            f"\n      <failure type={_attribute(f.code)} message={_attribute(f'{f.code} {f.message}')}>"
            f"{escape(xml_safe(_line(f)))}</failure>"
            for f in failures
        )
        if others:
            body += "\n      <system-out>" + escape(xml_safe("".join(_line(f) + "\n" for f in others))) + "</system-out>"
        close = "\n    </testcase>" if body else "</testcase>"
        cases.append(f"    <testcase classname=\"spreadkit.lint\" name={_attribute(result.path)} "
                     f"time=\"0\">{body}{close}")
    tests = len(cases)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="spreadkit lint" tests="{tests}" failures="{failing_cases}" errors="0">\n'
        f'  <testsuite name="spreadkit lint" tests="{tests}" failures="{failing_cases}" errors="0" skipped="0">\n'
        + "".join(case + "\n" for case in cases)
        + "  </testsuite>\n</testsuites>\n"
    )
