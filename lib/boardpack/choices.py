"""A VP's board-pack choices, kept in the settings table so next quarter starts where this one
ended: the working selection (chart ids in slide order), named packs saved from it, and the
organisation name on the title slide.

Stored as JSON under `boardpack.selection`, `boardpack.packs` and `boardpack.organisation`
(no migration: settings is a key/value table). Ids that are no longer registered are
dropped on reading, so a renamed or removed chart never breaks a saved pack.
"""

from __future__ import annotations

import json

import duckdb

from lib import db
from lib.boardpack.content import ORGANISATION_SETTING
from lib.charts import registry

SELECTION = "boardpack.selection"
PACKS = "boardpack.packs"
MAX_NAME = 60


def _known(ids) -> list[str]:
    registered = {c.id for c in registry.charts()}
    return [i for i in dict.fromkeys(ids) if i in registered]


def selection(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The working selection, in slide order; the Overview's headline set until one is saved."""
    saved = db.get_setting(con, SELECTION)
    if saved is None:
        return list(registry.default_ids())
    return _known(json.loads(saved))


def set_selection(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[str]:
    """Save the working selection (unknown ids dropped); returns what was saved."""
    kept = _known(ids)
    db.set_setting(con, SELECTION, json.dumps(kept))
    return kept


def packs(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Saved packs by name, each a list of chart ids in slide order."""
    saved = json.loads(db.get_setting(con, PACKS) or "{}")
    return {name: _known(ids) for name, ids in sorted(saved.items())}


def save_pack(con: duckdb.DuckDBPyConnection, name: str, ids: list[str]) -> str:
    """Save `ids` under `name` (replacing a pack of that name). Raises ValueError for an empty
    name, a name over 60 characters, or no charts."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("give the pack a name, e.g. 'Q3 board'")
    if len(name) > MAX_NAME:
        raise ValueError(f"a pack name has at most {MAX_NAME} characters")
    kept = _known(ids)
    if not kept:
        raise ValueError("choose at least one chart before saving a pack")
    saved = json.loads(db.get_setting(con, PACKS) or "{}")
    saved[name] = kept
    db.set_setting(con, PACKS, json.dumps(saved))
    return name


def delete_pack(con: duckdb.DuckDBPyConnection, name: str) -> None:
    saved = json.loads(db.get_setting(con, PACKS) or "{}")
    saved.pop(name, None)
    db.set_setting(con, PACKS, json.dumps(saved))


def set_organisation(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """The organisation name for the title slide; blank returns to the default."""
    db.set_setting(con, ORGANISATION_SETTING, " ".join(name.split())[:MAX_NAME] or None)


def moved(ids: list[str], chart_id: str, step: int) -> list[str]:
    """`ids` with `chart_id` moved `step` places (−1 earlier, +1 later), within bounds."""
    out = list(ids)
    i = out.index(chart_id)
    j = min(max(i + step, 0), len(out) - 1)
    out.insert(j, out.pop(i))
    return out
