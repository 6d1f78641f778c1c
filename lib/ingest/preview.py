"""Read a file as an import would, writing nothing: the preview, and what the Data page pre-fills.

`preview_file` shows the rows as they would be stored, the problems and the warnings;
`inspect_file` says, before the import, what was detected about the file's date order
(from its tool, from its values, or ambiguous), the choice remembered for its layout,
and for a Jira export every resolution and status with how it would count.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from lib.ingest.choices import LayoutChoice, layout_choice, options_for
from lib.ingest.detect import UnrecognisedFile
from lib.ingest.formats import ImportOptions
from lib.ingest.formats.mapped import header_signature
from lib.ingest.plan import date_order_hint, home_dir, plan_sources
from lib.ingest.read import MalformedFile, UnreadableFile, discard_copy, drop_staging, ident, read_sources
from lib.ingest.report import ImportWarning, merge
from lib.ingest.validate import MAX_PROBLEMS, Problem, ValidationError, error_message
from lib.privacy import printable, salt

MESSAGE_CHARS = 1000


def _text(message: str) -> str:
    """A message as the Data page shows it: printable text only, at most MESSAGE_CHARS."""
    return printable(message, MESSAGE_CHARS)


@dataclass(frozen=True)
class Preview:
    """What an import would do, without writing: for the Data page's preview step."""

    file_name: str
    headers: tuple[str, ...] = ()
    source_format: str | None = None
    rows_by_table: dict[str, int] = field(default_factory=dict)
    samples: dict[str, pd.DataFrame] = field(default_factory=dict)  # first rows as they would be stored
    problems: tuple[Problem, ...] = ()
    problem_count: int = 0
    error: str | None = None
    candidates: tuple[tuple[str, float, tuple[str, ...]], ...] = ()  # when unrecognised
    warnings: tuple[ImportWarning, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None and self.problem_count == 0


def preview_file(
    con: duckdb.DuckDBPyConnection,
    path: str | os.PathLike,
    options: ImportOptions | None = None,
    name: str | None = None,
    limit: int = 20,
) -> Preview:
    options = options or options_for(con)
    name = name or Path(path).name
    try:
        sources = read_sources(path, name)
    except MalformedFile as exc:
        return Preview(name, problems=exc.problems, problem_count=exc.count, error=_text(f"{name}: {exc}"))
    except (UnreadableFile, OSError) as exc:
        return Preview(name, error=_text(f"{name}: {exc}"))
    headers = sources[0].headers
    try:
        plan = plan_sources(con, sources, options, salt(home_dir(con)), strict=False)
        samples = {}
        for c in plan.checked:
            columns = ", ".join(["_row", *(ident(n) for n in c.table.column_names)])
            query = f"select {columns} from temp.{ident(c.name)} order by _row limit ?"
            samples[c.table.name] = con.execute(query, [limit]).df()
        error = None
        if plan.problem_count:
            message = error_message(plan.label, plan.problems, plan.problem_count)
            error = _text(date_order_hint(con, sources, message))
        return Preview(
            name,
            headers,
            ",".join(dict.fromkeys(plan.formats)),
            {c.table.name: c.rows for c in plan.checked},
            samples,
            tuple(plan.problems[:MAX_PROBLEMS]),
            plan.problem_count,
            error,
            warnings=merge(plan.warnings),
        )
    except UnrecognisedFile as exc:
        return Preview(name, headers, error=_text(str(exc)), candidates=exc.candidates)
    except ValidationError as exc:
        message = _text(date_order_hint(con, sources, str(exc)))
        return Preview(name, headers, problems=exc.problems, problem_count=exc.count, error=message)
    except duckdb.Error as exc:
        return Preview(name, headers, error=_text(f"{name}: {str(exc).strip().splitlines()[0]}"))
    finally:
        drop_staging(con)
        for source in sources:
            discard_copy(source, path)


@dataclass(frozen=True)
class Inspection:
    """What the Data page shows before a file is imported, with what was detected filled in.

    date_order_status: "none" (no numeric day/month dates), "tool" (the tool writes one
      order), "values" (only one order reads every value), "ambiguous" (the user must
      choose), "chosen" (the options carried one), or "unchecked" (a large file the Data
      page does not read twice: only its remembered choice is known);
    date_order: the order detected or chosen (None when ambiguous or not needed);
    date_order_note: why, in words (the warning or the refusal);
    remembered: the choice saved for this layout (shown pre-filled, never applied unseen);
    jira: for a Jira export, (kind, name, issues, mark) per resolution and status in the
      file, kind "resolution" or "status", mark done / dropped / open / unknown.
    """

    file_name: str
    source_format: str | None = None
    signature: str = ""
    date_order_status: str = "none"
    date_order: str | None = None
    date_order_note: str = ""
    remembered: LayoutChoice | None = None
    warnings: tuple[ImportWarning, ...] = ()
    error: str | None = None
    jira: tuple[tuple[str, str, int, str], ...] = ()

    @property
    def prefill_order(self) -> str | None:
        """The order to show pre-filled: the one remembered for this layout, else the detected one."""
        if self.remembered and self.remembered.date_order:
            return self.remembered.date_order
        return self.date_order if self.date_order_status in ("tool", "values", "chosen") else None

    def prefill_time_zone(self, default: str) -> str:
        """The time zone to show pre-filled: `default` (the saved default). A zone chosen for an
        earlier file with these headers is never pre-filled (lib/ingest/choices.py)."""
        return default

    @property
    def needs_order(self) -> bool:
        """The file cannot be imported until a date order is chosen."""
        return self.date_order_status == "ambiguous"


def inspect_file(
    con: duckdb.DuckDBPyConnection,
    path: str | os.PathLike,
    options: ImportOptions | None = None,
    name: str | None = None,
) -> Inspection:
    """Read a file as an import would (nothing written) to say what its options should be."""
    options = options or options_for(con)
    name = name or Path(path).name
    try:
        sources = read_sources(path, name)
    except (UnreadableFile, OSError) as exc:
        return Inspection(name, error=_text(f"{name}: {exc}"))
    first = sources[0]
    remembered = layout_choice(con, first)
    base = {"signature": header_signature(first), "remembered": remembered}
    try:
        plan = plan_sources(con, sources, options, None, strict=False)
        jira = ()
        if "jira" in plan.formats:
            from lib.ingest.formats.jira import vocabulary_in_file

            jira = tuple(vocabulary_in_file(first, options))
    except UnrecognisedFile as exc:
        return Inspection(name, error=_text(str(exc)), **base)
    except ValidationError as exc:
        found = getattr(exc, "source_format", None)  # raised while a format read the file
        refusal = next((p for p in exc.problems if "--date-order" in p.reason), None)
        if refusal:
            return Inspection(
                name, found, date_order_status="ambiguous", date_order_note=_text(refusal.describe()), **base
            )
        return Inspection(name, found, error=_text(str(exc)), **base)
    except duckdb.Error as exc:
        return Inspection(name, error=_text(f"{name}: {str(exc).strip().splitlines()[0]}"), **base)
    finally:
        drop_staging(con)
        for source in sources:
            discard_copy(source, path)
    warnings = merge(plan.warnings)
    order_warning = next((w for w in warnings if w.code == "date_order"), None)
    refusal = next((p for p in plan.problems if "--date-order" in p.reason), None)
    error = None
    if plan.problem_count and not refusal:
        error = _text(
            "Will be refused as it is: " + error_message(plan.label, plan.problems, plan.problem_count)
        )
    if options.date_order:
        status, order, note = "chosen", options.date_order, ""
    elif refusal:
        status, order = "ambiguous", None
        note = f"row {refusal.row}, column {refusal.column}: {refusal.value!r} {refusal.reason}"
    elif order_warning:
        status = "values" if "no date order was set" in order_warning.message else "tool"
        order, note = order_warning.detail or None, order_warning.message
    else:
        status, order, note = "none", None, ""
    return Inspection(
        name, ",".join(dict.fromkeys(plan.formats)), base["signature"], status, order, note, remembered, warnings,
        error, jira,
    )  # fmt: skip
