"""Versions of an intervention description: what changed between two of them, the
version bump that change requires, and what it changes for each site of a programme.

    changes.py   the semantic diff, by id: two models in, a list of changes out
    rule.py      the version rule: each kind of change, its bump and why, as data
    semver.py    versions: how far one moves from another, and whether far enough
    git.py       a committed version of a file, read with git (never through a shell)
    peers.py     the fit of every site of a programme on both versions, and logs that
                 refer to what no longer exists
    report.py    the diff as text, Markdown and JSON
    run.py       `spreadkit diff` as a function: paths in, an `Outcome` (the report, the
                 findings, where the report goes, the exit code) out

Importing this package imports nothing heavy: `lint` reads committed versions through
`versions.git` on every run that configures `previous`.
"""
