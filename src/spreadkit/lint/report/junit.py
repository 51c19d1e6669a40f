"""JUnit XML: one test case per file checked, a failure per finding."""

from __future__ import annotations

from itertools import groupby
from xml.sax.saxutils import escape, quoteattr

from spreadkit.lint.engine import LintRun


def report(run: LintRun) -> str:
    by_path = {path: list(group) for path, group in groupby(run.findings, key=lambda f: f.path)}
    cases = []
    failures = 0
    for result in sorted(run.checked, key=lambda r: r.path):
        findings = by_path.get(result.path, [])
        failures += bool(findings)
        body = "".join(
            f"\n      <failure type={quoteattr(f.code)} message={quoteattr(f'{f.code} {f.message}')}>"
            f"{escape(f'{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}')}</failure>"
            for f in findings
        )
        close = "\n    </testcase>" if body else "</testcase>"
        cases.append(f"    <testcase classname=\"spreadkit.lint\" name={quoteattr(result.path)} time=\"0\">{body}{close}")
    tests = len(cases)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="spreadkit lint" tests="{tests}" failures="{failures}" errors="0">\n'
        f'  <testsuite name="spreadkit lint" tests="{tests}" failures="{failures}" errors="0" skipped="0">\n'
        + "".join(case + "\n" for case in cases)
        + "  </testsuite>\n</testsuites>\n"
    )
