"""JSON exports as records (for `lib.ingest.read`): an array, one object per line, or an
API response wrapping its records; anything that is not records is refused with the cause.

Split from `lib/ingest/read.py`, which re-exports `json_objects`.
"""

from __future__ import annotations

import json
from pathlib import Path

from lib.ingest.records import MalformedFile, UnreadableFile
from lib.ingest.report import Problem

HEADER_OBJECTS = 200  # the records whose keys make a JSON file's header


def json_objects(path: Path) -> list[dict]:
    """The records of a JSON file: an array, one object per line, or one object.

    An API response that wraps its records with paging fields (PagerDuty's
    `{"incidents": [...], "limit": 25, "more": false}`, Opsgenie's `{"data": [...]}`) is
    unwrapped: an object with exactly one value that is a list of objects gives that list.
    Every record must be an object: a document that is a number, text or an empty list,
    or a list with anything but objects in it, is refused (UnreadableFile, MalformedFile
    naming the record).
    """
    text = path.read_text(encoding="utf-8-sig")
    try:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            try:
                doc = [json.loads(line) for line in text.splitlines() if line.strip()]
            except json.JSONDecodeError as exc:
                raise UnreadableFile(f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError as exc:
        raise UnreadableFile("is JSON nested deeper than any export (a crafted or damaged file?)") from exc
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list) and v and all(isinstance(o, dict) for o in v)]
        doc = lists[0] if len(lists) == 1 else [doc]
    if not isinstance(doc, list):
        raise UnreadableFile(
            f"is JSON holding {_json_kind(doc)}, not records: a JSON export is a list of objects, "
            "or an object holding one"
        )
    if not doc:
        raise UnreadableFile("is an empty JSON list: it holds no records")
    for number, item in enumerate(doc, start=1):
        if not isinstance(item, dict):
            raise MalformedFile(
                Problem(
                    number,
                    None,
                    json.dumps(item)[:200],
                    f"is {_json_kind(item)}, not an object: every record of a JSON export is an object "
                    "of named fields (record numbers count from 1)",
                )
            )
    return doc


def _json_kind(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return f"the value {json.dumps(value)}"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def json_headers(path: Path) -> tuple[str, ...]:
    """The union of the keys of the first records, in first-seen order (a JSON file's header)."""
    keys: dict[str, None] = {}
    for obj in json_objects(path)[:HEADER_OBJECTS]:
        if isinstance(obj, dict):
            keys.update(dict.fromkeys(obj))
    return tuple(keys)
