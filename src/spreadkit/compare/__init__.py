"""Statistics behind `spreadkit compare`: pure functions, no I/O.

- `funnel`: one proportion across sites, with control limits for each site's
  denominator (Spiegelhalter 2005), so that sites are judged against chance and
  never ranked.
- `spc`: one site over time, as an XmR chart or p-chart with the NHS Making Data
  Count special-cause rules.
- `distributions`: the binomial and chi-square functions both need, in pure Python.

compare's own libraries are the optional extra `compare`, so that a lint-only install
stays small; `missing_extra()` says which of them is not installed.
"""

from __future__ import annotations

import importlib

# The modules of the `compare` extra in pyproject.toml, as imported.
EXTRA_MODULES = ("matplotlib",)
INSTALL_HINT = "pip install 'spreadkit[compare]'"


def missing_extra() -> str | None:
    """One line naming the modules of the `compare` extra that are not installed, or None."""
    missing = []
    for name in EXTRA_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if not missing:
        return None
    return f"compare needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not installed: " \
           f"{INSTALL_HINT}"
