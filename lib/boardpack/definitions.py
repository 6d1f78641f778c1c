"""Metric definitions for the deck: plain words on the closing slide, METRICS.md's exact
definition in the speaker notes.

The closing slide is read by a board: it gives each metric in the words the pages' tile help
uses (`lib.glossary.explain`), with no column or table name. The speaker notes are read by
the VP who presents and must defend a number: they add the exact definition from METRICS.md.

METRICS.md is the documented contract (a unit test keeps every catalog key in it), so a
board member reading the notes reads what the repository documents. Each row is
`| \\`key\\` | unit | definition |`, or `| \\`key\\` | unit | definition (SPEC §5) | Pillars'
reading |` (the two read as one text, in that order); markdown formatting (code ticks,
bold, links) is dropped, and a catalog key named in the text (`delivery.deployments`) reads
as its label ("Production deployments"). A row that only refers to the one above ("The same
for `defect`.", "the same") reads badly on its own, so it takes the catalog's
self-contained sentence (`lib.definitions.definition_for`) instead, as does a key METRICS.md
lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lib.definitions import definition_for
from lib.glossary import explain

METRICS_MD = Path(__file__).resolve().parents[2] / "METRICS.md"
_ROW = re.compile(
    r"^\|\s*`(?P<key>[a-zA-Z_.]+)`\s*\|\s*(?P<unit>[^|]*?)\s*\|\s*(?P<text>[^|]+?)\s*\|"
    r"(?:\s*(?P<reading>[^|]*?)\s*\|)?\s*$"
)
_KEY = re.compile(r"\b(?:delivery|flow|engagement|retention|skills|business)\.[a-z_]+(?:\.[a-z_]+)*\b")


@dataclass(frozen=True)
class MetricDefinition:
    key: str
    label: str  # "Deployment frequency"
    unit: str  # "per week", "%", "hours", …
    text: str  # METRICS.md's exact definition, markdown dropped (it names columns: `deployed_at`)
    words: str = ""  # the same for a board, in plain words (`lib.glossary.explain`): no column names

    def line(self) -> str:
        """'Deployment frequency (per week): Production deployments … ÷ (days ÷ 7).'"""
        unit = {"%": "share", "—": ""}.get(self.unit, self.unit)
        return f"{self.label} ({unit}): {self.text}" if unit else f"{self.label}: {self.text}"


def _plain(markdown: str) -> str:
    """Markdown inline formatting as plain words: code ticks, emphasis and links dropped,
    catalog keys as their labels."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    return _KEY.sub(_label, re.sub(r"(\*\*|__|`)", "", text))


def _label(match: re.Match) -> str:
    try:
        label = definition_for(match[0]).label
    except KeyError:
        return match[0]
    return label[0].lower() + label[1:] if label[1:2].islower() else label  # "revenue", "R&D spend"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


@cache
def _documented() -> dict[str, tuple[str, str, str]]:
    rows = {}
    if METRICS_MD.exists():
        for line in METRICS_MD.read_text(encoding="utf-8").splitlines():
            match = _ROW.match(line)
            if match and "." in match["key"]:
                rows[match["key"]] = (match["unit"], _plain(match["text"]), _plain(match["reading"] or ""))
    return rows


def definition(key: str) -> MetricDefinition:
    """The definition of catalog key `key`; raises KeyError for a key the catalog lacks."""
    spec = definition_for(key)
    unit, text, reading = _documented().get(key, (spec.unit, spec.definition, ""))
    if text.lower().startswith("the same"):
        text = spec.definition
    text = " ".join(part for part in (_sentence(text), _sentence(reading)) if part)
    label = spec.label.replace("DIMENSION", "each dimension")
    return MetricDefinition(key, label, unit, text, _sentence(explain(key)))


def definitions(keys) -> list[MetricDefinition]:
    """Definitions of `keys` in first-seen order, each once."""
    return [definition(k) for k in dict.fromkeys(keys)]
