"""The adopter's side: how an intervention fits a site, and the guide that says so."""

from __future__ import annotations

from spreadkit.adapt.evidence import evidence_fits
from spreadkit.adapt.fit import Fit, analyse

__all__ = ["Fit", "analyse", "evidence_fits"]
