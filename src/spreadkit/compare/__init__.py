"""Statistics behind `spreadkit compare`: pure functions, no I/O.

- `funnel`: one measure across sites (a proportion, a standardised ratio or a rate),
  with limits for each site's size (Spiegelhalter 2005, 2012), so that sites are judged
  against chance and never ranked.
- `spc`: every site over time at once, as XmR, p-, u- or Laney p′ (u′) charts with the
  NHS Making Data Count special-cause rules, as NHSRplotthedots implements them.
- `report`: both, per outcome, beside each site's adaptations; `view` and `charts`
  turn the result into JSON, the report templates' data and SVG.
- `lessons`: what the sites teach, component by component: the changes the sites' logs
  record and how the sites that made each did against those that did not, compared by
  `contrast` (a random-effects comparison, sites as the unit); `revisions`: the
  revisions of the description that suggests, and the patch that writes them.
  `report.compare` computes both (`Comparison.components`, `Comparison.revisions`).

compare's own libraries are the optional extra `compare`, so that a lint-only install
stays small; `missing_extra()` says which of them is not installed.
"""

from __future__ import annotations

import importlib

# The modules of the `compare` extra in pyproject.toml, as imported.
EXTRA_MODULES = ("numpy", "scipy", "pyarrow")
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
