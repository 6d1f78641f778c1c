"""Numbers as a VP reads them: units, sensible precision, and a dash for no data."""

from __future__ import annotations

import math

NO_DATA = "—"
# Tile-sized units: "97.8/wk" fits where "97.8 items per week" is cut off.
SHORT_UNITS = {"per week": "/wk", "items per week": "/wk", "hours per year": "h/yr"}


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def sentence(text: str) -> str:
    """`text` with its first letter in capitals and the rest untouched: `str.capitalize` would
    also lower "Chromium", "Debian", "PILLARS_CHROMIUM" and "Jan" further on."""
    return text[:1].upper() + text[1:]


def format_value(value, unit: str = "") -> str:
    """Format a metric value for a tile or a takeaway by its unit."""
    if is_missing(value):
        return NO_DATA
    if isinstance(value, str):
        return value.capitalize()
    if unit in ("share", "%", "ratio"):
        return f"{value * 100:.1f}%" if abs(value) < 0.1 else f"{value * 100:.0f}%"
    if unit in ("USD", "$"):
        return money(value)
    if unit == "score":
        return f"{value:+.0f}"
    number = _number(value)
    short = SHORT_UNITS.get(unit, unit)
    if number == "1" and short in ("hours", "days", "years", "items", "deployments", "incidents", "runs"):
        short = short[:-1]  # "1 hour", not "1 hours"
    if short.startswith("/"):
        return f"{number}{short}"
    return f"{number} {short}".strip() if short else number


def _number(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.1f}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.0f}k"
    if magnitude >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if magnitude >= 1 else f"{value:.2f}"


def money(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"${value / 1e9:.2f}B"
    if magnitude >= 1e6:
        return f"${value / 1e6:.1f}M"
    if magnitude >= 1e3:
        return f"${value / 1e3:.0f}k"
    return f"${value:,.0f}"


def relative_change(current, previous) -> float | None:
    """(current − previous) ÷ |previous|; None when either is missing or previous is 0."""
    if is_missing(current) or is_missing(previous) or isinstance(current, str) or previous == 0:
        return None
    return (current - previous) / abs(previous)


def count_of(n, one: str, many: str | None = None) -> str:
    """'1 hire', '3 hires', '1,204 leavers', '2 people' (`many` for irregular plurals); a
    missing count reads 0."""
    n = 0 if is_missing(n) else int(n)
    return f"{n:,} {one if n == 1 else many or one + 's'}"
