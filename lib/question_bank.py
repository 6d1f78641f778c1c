"""The built-in survey question bank: which dimension a question measures, and its direction.

Psychological safety uses the seven items of Amy C. Edmondson, "Psychological Safety and
Learning Behavior in Work Teams", Administrative Science Quarterly 44(2), 1999. Items 1, 3
and 5 are worded negatively: agreeing with them means *less* safety, so their scores are
reversed (6 − score on the 1–5 scale) before anything is counted.

The autonomy, trust, growth, workload and recognition items are this project's own neutral
wording, free to use. Gallup's Q12 items are copyrighted and deliberately absent.

The eNPS question (0–10) is recognised by its wording, "How likely are you to recommend
<company> as a place to work", whatever the company name, rather than by exact text: a
likelihood ("how likely", or a stated 0–10) to recommend a place to work. A statement such
as "I would recommend Acme as a great place to work" is not the eNPS question: it is an
agreement item. Wording is half the test; the importer also checks the answers run on
0–10 (`lib.survey_scale.enps_range`).

Question text is matched after `normalize_question`: case, punctuation, quotes, dashes and
spacing do not matter, a Google Forms grid header "Intro text [Item]" is matched on its
bracketed item, and a Qualtrics matrix header "Intro text - Item" (and its " - Selected
Choice" suffix) on the text after the dash. Matching is exact after that: no fuzzy matching, because "It is safe
to take a risk" and "It is not safe to take a risk" differ by one word.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

ENPS = "enps"

# Display names of the dimensions, in the order pages show them.
DIMENSIONS: dict[str, str] = {
    "psychological_safety": "Psychological safety",
    "autonomy": "Autonomy",
    "trust": "Trust",
    "growth": "Growth",
    "workload": "Workload",
    "recognition": "Recognition",
    ENPS: "eNPS",
}


@dataclass(frozen=True)
class Item:
    question_id: str
    dimension: str
    text: str
    reverse: bool = False
    source: str = "Pillars"


ITEMS: tuple[Item, ...] = (
    # Edmondson (1999), team psychological safety, items 1-7 in the published order.
    Item(
        "ps1",
        "psychological_safety",
        "If you make a mistake on this team, it is often held against you.",
        reverse=True,
        source="Edmondson 1999",
    ),
    Item(
        "ps2",
        "psychological_safety",
        "Members of this team are able to bring up problems and tough issues.",
        source="Edmondson 1999",
    ),
    Item(
        "ps3",
        "psychological_safety",
        "People on this team sometimes reject others for being different.",
        reverse=True,
        source="Edmondson 1999",
    ),
    Item("ps4", "psychological_safety", "It is safe to take a risk on this team.", source="Edmondson 1999"),
    Item(
        "ps5",
        "psychological_safety",
        "It is difficult to ask other members of this team for help.",
        reverse=True,
        source="Edmondson 1999",
    ),
    Item(
        "ps6",
        "psychological_safety",
        "No one on this team would deliberately act in a way that undermines my efforts.",
        source="Edmondson 1999",
    ),
    Item(
        "ps7",
        "psychological_safety",
        "Working with members of this team, my unique skills and talents are valued and utilized.",
        source="Edmondson 1999",
    ),
    # Pillars' own wording.
    Item("au1", "autonomy", "I can decide how to approach my work."),
    Item("au2", "autonomy", "My team chooses its own technical approach to the problems it is given."),
    Item("au3", "autonomy", "I need approval for too many small decisions.", reverse=True),
    Item("tr1", "trust", "I trust the people I work with to do what they say they will do."),
    Item("tr2", "trust", "Leadership is open with us about the reasons behind decisions."),
    Item("tr3", "trust", "I can raise a concern with my manager without worrying about the consequences."),
    Item("gr1", "growth", "I am learning skills here that matter for my career."),
    Item("gr2", "growth", "I can see a path to grow in this organisation."),
    Item("gr3", "growth", "My manager helps me work on my development."),
    Item("wl1", "workload", "My workload is manageable over a normal working week."),
    Item("wl2", "workload", "I can take time off without work piling up behind me."),
    Item("wl3", "workload", "I often work long hours to keep up.", reverse=True),
    Item("rc1", "recognition", "Good work is noticed on my team."),
    Item("rc2", "recognition", "I feel my contribution is valued by the organisation."),
    Item("rc3", "recognition", "Credit for work goes to the people who did it."),
    Item(
        ENPS,
        ENPS,
        "How likely are you to recommend this company as a place to work? (0-10)",
        source="eNPS",
    ),
)

BY_ID: dict[str, Item] = {item.question_id: item for item in ITEMS}

# British spellings and common variants folded onto one form before matching.
_VARIANTS = {
    "utilised": "utilized",
    "organization": "organisation",
    "judgement": "judgment",
}
_ENPS_WORDING = re.compile(
    r"\b(recommend\w*)\b.*\b(place to work|employer|place of work|work(ing)? (here|at))\b"
)
_ENPS_HEADER = re.compile(r"^(e ?nps|employee net promoter( score)?)( score)?$")
_LIKELIHOOD = re.compile(r"\b(how likely|likelihood|likely (is it|are you|would you)|0 (to )?10)\b")
_SELECTED_CHOICE = re.compile(r"\s+-\s+Selected Choice\s*$", re.IGNORECASE)
_CONTRACTIONS = {
    "it's": "it is",
    "isn't": "is not",
    "don't": "do not",
    "doesn't": "does not",
    "can't": "cannot",
    "won't": "will not",
    "i'm": "i am",
    "i've": "i have",
}
_GRID_ITEM = re.compile(r"\[([^\[\]]+)\]\s*$")


def normalize_question(text: str) -> str:
    """Lower case, ASCII letters and digits separated by single spaces; grid item only."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    grid = _GRID_ITEM.search(text)
    if grid:
        text = grid.group(1)
    text = re.sub("[\u2018\u2019\u02bc`]", "'", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[a-z]+'[a-z]+", lambda m: _CONTRACTIONS.get(m.group(0), m.group(0)), text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return " ".join(_VARIANTS.get(word, word) for word in text.split())


_BY_TEXT: dict[str, Item] = {normalize_question(item.text): item for item in ITEMS if item.dimension != ENPS}


def is_enps_question(text: str) -> bool:
    """True for "How likely are you to recommend X as a place to work" and "eNPS" headers.

    The likelihood matters: "I would recommend X as a great place to work" is an agreement
    statement, not the 0–10 question.
    """
    norm = normalize_question(text)
    if _ENPS_HEADER.match(norm):
        return True
    return bool(_ENPS_WORDING.search(norm)) and bool(_LIKELIHOOD.search(norm))


def candidates(text: str) -> list[str]:
    """The texts a header may ask, most specific last: itself, and a matrix item after " - "."""
    text = _SELECTED_CHOICE.sub("", str(text)).strip()
    out = [text]
    if " - " in text:
        first, last = text.split(" - ", 1)[1], text.rsplit(" - ", 1)[1]
        out += [first, last] if first != last else [first]
    return out


def _matching(text: str) -> tuple[Item, str] | None:
    for candidate in candidates(text):
        if is_enps_question(candidate):
            return BY_ID[ENPS], candidate
        item = _BY_TEXT.get(normalize_question(candidate))
        if item is not None:
            return item, candidate
    return None


def match(text: str) -> Item | None:
    """The bank item a question header asks, or None when the bank does not know it."""
    found = _matching(text)
    return found[0] if found else None


def statement(text: str) -> str:
    """The words of a header that ask the question: a grid's [Item], a matrix's statement
    after " - " when that is what the bank matched, else the header itself."""
    found = _matching(text)
    shown = found[1] if found else str(text)
    grid = _GRID_ITEM.search(shown)
    return grid.group(1).strip() if grid else shown.strip()


def dimension_label(dimension: str) -> str:
    return DIMENSIONS.get(dimension, dimension.replace("_", " ").capitalize())


def question_key(text: str) -> str:
    """A stable question_id for a question outside the bank: its normalised text, capped."""
    norm = normalize_question(text)
    slug = norm.replace(" ", "_")
    if len(slug) <= 60:
        return f"q_{slug}"
    return f"q_{slug[:48]}_{hashlib.sha1(norm.encode()).hexdigest()[:8]}"
