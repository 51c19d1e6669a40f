"""How the comparison's numbers read: a proportion as a percentage, a rate per population
per 100, 1,000, ... (so that its target is at least 1), a standardised ratio as itself,
and a difference between two of them in the same units."""

from __future__ import annotations

import math


def per_unit(kind: str, target: float) -> tuple[float, str]:
    """The multiplier and its words for a rate per population ("per 1,000"); 1 and "" otherwise."""
    if kind != "rate":
        return 1.0, ""
    scale = 100.0
    while target * scale < 1.0 and scale < 1e9:
        scale *= 10.0
    return scale, f"per {scale:,.0f}"


def rate_text(kind: str, value: float, unit: tuple[float, str] = (1.0, "")) -> str:
    """A rate as a reader reads it: 4.95% for a proportion, 12.3 per 1,000 for a rate per
    population, 1.042 for a standardised ratio, 3 significant figures for a value."""
    if not math.isfinite(value):
        return ""
    if kind == "proportion":
        return f"{value * 100:.{decimals(value * 100)}f}%"
    if kind == "rate":
        return f"{value * unit[0]:.{decimals(value * unit[0])}f} {unit[1]}"
    if kind == "ratio":
        return f"{value:.3f}"
    return f"{value:.3g}"


def difference_text(kind: str, value: float, unit: tuple[float, str] = (1.0, ""), bare: bool = False) -> str:
    """A difference of two rates, signed: +0.33 percentage points, -1.2 per 1,000, +0.041;
    `bare`, the number alone (for the ends of an interval, after the difference's units)."""
    if not math.isfinite(value):
        return ""
    if kind == "proportion":
        points = value * 100
        return f"{points:+.{decimals(points)}f}" + ("" if bare else " percentage points")
    if kind == "rate":
        shown = value * unit[0]
        return f"{shown:+.{decimals(shown)}f}" + ("" if bare else f" {unit[1]}")
    if kind == "ratio":
        return f"{value:+.3f}"
    return f"{value:+.3g}"


def decimals(value: float) -> int:
    """Decimals for about 3 significant figures: at least 1, at most 3."""
    size = abs(value)
    if size >= 10:
        return 1
    if size >= 1:
        return 2
    return 3
