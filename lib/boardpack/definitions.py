"""Metric definitions for speaker notes and the closing slide, in METRICS.md's words.

METRICS.md is the documented contract (a unit test keeps every catalog key in it), so a
board member reading the notes reads what the repository documents. Each row is
`| \\`key\\` | unit | definition |`; markdown formatting (code ticks, bold, links) is
dropped. A row that only refers to the one above ("The same for `defect`.") reads badly on
its own, so it takes the catalog's self-contained sentence (`lib.metrics.definition_for`)
instead, as does a key METRICS.md lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lib.metrics import definition_for

METRICS_MD = Path(__file__).resolve().parents[2] / "METRICS.md"


@dataclass(frozen=True)
class MetricDefinition:
    key: str
    label: str  # "Deployment frequency"
    unit: str  # "per week", "%", "hours", …
    text: str  # the definition, plain text

    def line(self) -> str:
        """'Deployment frequency (per week): Production deployments … ÷ (days ÷ 7).'"""
        unit = {"%": "share", "—": ""}.get(self.unit, self.unit)
        return f"{self.label} ({unit}): {self.text}" if unit else f"{self.label}: {self.text}"


def _plain(markdown: str) -> str:
    """Markdown inline formatting as plain words: code ticks, emphasis and links dropped."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"(\*\*|__|`)", "", text)


_KEY = re.compile(r"\b(?:delivery|flow|engagement|retention|skills|business)\.[a-z_]+(?:\.[a-z_]+)?\b")


def _named(text: str) -> str:
    """Catalog keys a definition mentions ("delivery.deployments with status success") read
    as their labels ("Production deployments with status success")."""

    def label(match: re.Match) -> str:
        try:
            return definition_for(match[0]).label
        except KeyError:
            return match[0]

    return _KEY.sub(label, text)


@cache
def _documented() -> dict[str, tuple[str, str]]:
    """Catalog key → (unit, definition and notes as plain text), from METRICS.md's tables
    (`| key | unit | definition | notes |`; the notes column is optional)."""
    rows = {}
    if METRICS_MD.exists():
        for line in METRICS_MD.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if len(cells) < 3 or not re.fullmatch(r"`[a-zA-Z_.]+`", cells[0]) or "." not in cells[0]:
                continue
            text = " ".join(c if c.endswith((".", ":", "!", "?")) else c + "." for c in cells[2:] if c)
            rows[cells[0].strip("`")] = (cells[1], _plain(text))
    return rows


def definition(key: str) -> MetricDefinition:
    """The definition of catalog key `key`; raises KeyError for a key the catalog lacks."""
    spec = definition_for(key)
    unit, text = _documented().get(key, (spec.unit, spec.definition))
    if text.lower().startswith("the same"):
        text = spec.definition
    return MetricDefinition(key, spec.label.replace("DIMENSION", "each dimension"), unit, _named(text))


def definitions(keys) -> list[MetricDefinition]:
    """Definitions of `keys` in first-seen order, each once."""
    return [definition(k) for k in dict.fromkeys(keys)]
