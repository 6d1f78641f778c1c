"""A VP's board-pack choices, kept so next quarter starts where this one ended: the working
selection (chart ids in slide order) and named packs saved from it, per person, and the
organisation name on the title slide.

Where: `<db>.boardpack.json` beside the database (`data/pillars.duckdb.boardpack.json`), not
in it. The app reads published snapshots of the database (lib/store.py) and every write to
it publishes a new one, which changes the data version that keys every cached view and
thumbnail: a click on a chart's switch would redraw them all. A choice of charts is not
data. Writes take an exclusive lock on `<file>.lock` and replace the file whole (written
to a temporary file, then renamed), so two sessions never lose each other's changes and
a killed process never leaves half a file.

Per person: keyed by who is signed in (`lib.access.Grant.who`; "this computer (no
sign-in)" without sign-in). Ids no longer registered are dropped on reading, so a renamed
or removed chart never breaks a saved pack. No streamlit here.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

from lib import db
from lib.charts import registry

MAX_NAME = 60


def choices_file(path: str | os.PathLike | None = None) -> Path:
    """The choices file of the database at `path` (default: the app's database)."""
    file = db.db_path(path)
    return file.with_name(file.name + ".boardpack.json")


def _read(file: Path) -> dict:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as bad:
        raise ValueError(
            f"{file} is not a board-pack choices file ({bad}); move it away to start afresh"
        ) from bad
    return data if isinstance(data, dict) else {}


@contextlib.contextmanager
def _changing(path: str | os.PathLike | None) -> Iterator[dict]:
    """The choices, to change in place; written back whole, under an exclusive lock."""
    file = choices_file(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    with open(file.with_name(file.name + ".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = _read(file)
        yield data
        partial = file.with_name(file.name + ".part")
        partial.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        partial.replace(file)


def _person(data: dict, who: str) -> dict:
    return data.setdefault("people", {}).setdefault(who, {})


def _known(ids) -> list[str]:
    registered = {c.id for c in registry.charts()}
    return [i for i in dict.fromkeys(ids) if i in registered]


def selection(path: str | os.PathLike | None, who: str) -> list[str]:
    """`who`'s working selection in slide order; the Overview's headline set until one is saved."""
    saved = _read(choices_file(path)).get("people", {}).get(who, {}).get("selection")
    return list(registry.default_ids()) if saved is None else _known(saved)


def set_selection(path: str | os.PathLike | None, who: str, ids: list[str]) -> list[str]:
    """Save `who`'s working selection (unknown ids dropped); returns what was saved."""
    kept = _known(ids)
    with _changing(path) as data:
        _person(data, who)["selection"] = kept
    return kept


def packs(path: str | os.PathLike | None, who: str) -> dict[str, list[str]]:
    """`who`'s saved packs by name, each a list of chart ids in slide order."""
    saved = _read(choices_file(path)).get("people", {}).get(who, {}).get("packs", {})
    return {name: _known(ids) for name, ids in sorted(saved.items())}


def save_pack(path: str | os.PathLike | None, who: str, name: str, ids: list[str]) -> str:
    """Save `ids` as `who`'s pack `name` (replacing one of that name). Raises ValueError for an
    empty name, a name over 60 characters, or no charts."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("give the pack a name, e.g. 'Q3 board'")
    if len(name) > MAX_NAME:
        raise ValueError(f"a pack name has at most {MAX_NAME} characters")
    kept = _known(ids)
    if not kept:
        raise ValueError("choose at least one chart before saving a pack")
    with _changing(path) as data:
        _person(data, who).setdefault("packs", {})[name] = kept
    return name


def delete_pack(path: str | os.PathLike | None, who: str, name: str) -> None:
    with _changing(path) as data:
        _person(data, who).get("packs", {}).pop(name, None)


def organisation(path: str | os.PathLike | None) -> str | None:
    """The organisation name for the title slide, when one was saved."""
    return _read(choices_file(path)).get("organisation") or None


def set_organisation(path: str | os.PathLike | None, name: str) -> None:
    """Save the organisation name for the title slide; blank returns to the default."""
    with _changing(path) as data:
        data["organisation"] = " ".join(name.split())[:MAX_NAME] or None


def moved(ids: list[str], chart_id: str, step: int) -> list[str]:
    """`ids` with `chart_id` moved `step` places (−1 earlier, +1 later), within bounds."""
    out = list(ids)
    i = out.index(chart_id)
    j = min(max(i + step, 0), len(out) - 1)
    out.insert(j, out.pop(i))
    return out
