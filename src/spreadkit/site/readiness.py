"""A site's readiness as the site's pages show it beside its name: the verdict its own
guide gives (spreadkit.adapt.fit), with a symbol so that colour is never the only
signal. Pure. The programme's readiness view itself is adapt's (issue 12 §1), not
made here."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spreadkit.adapt.fit import Fit

# As the guide shows them.
SYMBOL = {"ready": "✓", "ready-with-adaptations": "↻", "not-ready": "✗", "incomplete": "?", "none": "–"}
READINESS_LABEL = {"ready": "Ready", "ready-with-adaptations": "Ready with adaptations",
                   "incomplete": "Incomplete", "not-ready": "Not ready"}
NO_CONTEXT = "no context profile"


def readiness_label(fit: Fit | None) -> dict[str, str]:
    """A site's readiness: the class for its colour, a symbol and a word."""
    if fit is None:
        return {"key": "none", "symbol": SYMBOL["none"], "text": NO_CONTEXT}
    return {"key": fit.readiness, "symbol": SYMBOL[fit.readiness], "text": READINESS_LABEL[fit.readiness]}
