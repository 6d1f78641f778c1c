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
_ROW = re.compile(r"^\|\s*`(?P<key>[a-zA-Z_.]+)`\s*\|\s*(?P<unit>[^|]*?)\s*\|\s*(?P<text>.+?)\s*\|\s*$")


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


@cache
def _documented() -> dict[str, tuple[str, str]]:
    rows = {}
    if METRICS_MD.exists():
        for line in METRICS_MD.read_text(encoding="utf-8").splitlines():
            match = _ROW.match(line)
            if match and "." in match["key"]:
                rows[match["key"]] = (match["unit"], _plain(match["text"]))
    return rows


def definition(key: str) -> MetricDefinition:
    """The definition of catalog key `key`; raises KeyError for a key the catalog lacks."""
    spec = definition_for(key)
    unit, text = _documented().get(key, (spec.unit, spec.definition))
    if text.startswith("The same"):
        text = spec.definition
    return MetricDefinition(key, spec.label.replace("DIMENSION", "each dimension"), unit, text)


def definitions(keys) -> list[MetricDefinition]:
    """Definitions of `keys` in first-seen order, each once."""
    return [definition(k) for k in dict.fromkeys(keys)]
