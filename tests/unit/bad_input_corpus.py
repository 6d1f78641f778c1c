"""The bad-input corpus (issue 16): each kind of bad file, and what the importer must do with it.

Every case is either **refused** with its cause (the file; for a row problem the row, the
column and the value; in printable text), or **read right** (the stored values asserted).
`tests/unit/test_bad_input.py` runs every case through `import_file` on a database that
already holds data (and proves a refused file changes no table and keeps no copy), and
every refused case through the CLI (exit 1, the message on stderr, no traceback).

Where the layouts come from (what real tools and people produce):
- Excel "Unicode Text" is UTF-16 LE with a BOM and tabs; Excel for Mac's "CSV (Macintosh)"
  ends lines with a lone CR; Excel on Windows writes CRLF rows with LF line breaks inside
  quoted cells; "CSV UTF-8" starts with a BOM; older Excel writes cp1252 (`€` is 0x80).
- Two exports joined with `cat a.csv b.csv` repeat the header, after a BOM when each had
  one; a row pasted from a European Excel (`;`) into a `,` file; a cell edited by hand
  that lost a closing quote; a value with a line break written without quotes.
- Jira Server's and many web tools' "Export to Excel" write an HTML table named `.xls`;
  an `.xlsx` is a ZIP archive, so a ZIP of something else can carry the name.
- Formula cells (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`, `-2+3`) are OWASP's CSV-injection
  examples: they are data here, stored as written and neutralised only on export.
- Dates: 2099 and 9999-12-31 are typos and placeholders, 1899-12-31 and 0001-01-01 are
  Excel's and .NET's zero dates; BambooHR writes 0000-00-00 for "no date".
"""

from __future__ import annotations

import codecs
import gzip
import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TEAMS = "team,org,manager_id,location,sourcing,acquired_from\n"
DEPLOYS = "deploy_id,service,team,environment,deployed_at,commit_at,status,is_rework\n"
TEAM_ROWS = "select team, org, location, sourcing from teams where team like 'c-%' order by team"


@dataclass(frozen=True)
class Refused:
    """The refusal expected: every fragment appears in the message, in this order."""

    fragments: tuple[str, ...]
    row: int | None = None  # the first problem's row, when the cause is a row
    column: str | None = None


@dataclass(frozen=True)
class ReadRight:
    """The rows `query` must return after the import, and warning codes it must list."""

    query: str
    rows: list[tuple]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    kind: str
    name: str
    data: bytes | Callable[[], bytes]
    expect: Refused | ReadRight
    options: dict = field(default_factory=dict)  # ImportOptions fields, e.g. table_hint

    def bytes(self) -> bytes:
        return self.data() if callable(self.data) else self.data

    @property
    def refused(self) -> bool:
        return isinstance(self.expect, Refused)


def _teams(*rows: str) -> bytes:
    return (TEAMS + "".join(r + "\n" for r in rows)).encode()


def _deploy(date: str) -> bytes:
    return (
        DEPLOYS
        + "c-d1,api,c-pay,production,2025-09-01T10:00:00Z,,success,false\n"
        + f"c-d2,api,c-pay,production,{date},,success,false\n"
    ).encode()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["team", "org", "location"])
    sheet.append(["c-pay", "Org", "Berlin"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _duckdb_file() -> bytes:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "other.duckdb"
        con = duckdb.connect(str(path))
        con.execute("create table t as select 1 as a")
        con.close()
        return path.read_bytes()


def _deep_json() -> bytes:
    return b"[" * 100_000 + b"]" * 100_000


def _many_bad_dates() -> bytes:
    rows = "".join(f"c-d{i},api,c-pay,production,someday {i},,success,false\n" for i in range(1000))
    return (DEPLOYS + rows).encode()


def _wide() -> bytes:
    extra = [f"extra_{i}" for i in range(300)]
    header = "team,org,location," + ",".join(extra) + "\n"
    row = "c-wide,Org,Oslo," + ",".join("x" for _ in extra) + "\n"
    return (header + row).encode()


_DONE = (("c-a", "Org", "Berlin", "onshore"), ("c-b", "Org", "Paris", "nearshore"))
_DONE_ROWS = ("c-a,Org,m-1,Berlin,onshore,", "c-b,Org,m-2,Paris,nearshore,")
_BOM = codecs.BOM_UTF8

CORPUS: tuple[Case, ...] = (
    # ------------------------------------------------------------------ record shape
    Case(
        "unclosed quote in the last column",
        "unclosed.csv",
        _teams("c-a,Org,m-1,Berlin,onshore,", 'c-b,Org,m-2,Paris,onshore,"Acme', "c-c,Org,m-3,Oslo,onshore,"),
        Refused(("row 3, column acquired_from", "never closed"), row=3, column="acquired_from"),
    ),
    Case(
        "unclosed quote mid-row",
        "unclosed_mid.csv",
        _teams("c-a,Org,m-1,Berlin,onshore,", 'c-b,Org,m-2,"Berlin,onshore,', "c-c,Org,m-3,Paris,onshore,"),
        Refused(("row 3, column location", "never closed"), row=3, column="location"),
    ),
    Case(
        "text after a closing quote",
        "quote_then_text.csv",
        _teams('c-a,Org,m-1,"Ber"lin,onshore,'),
        Refused(
            ("row 2, column location", "'\"Ber\"lin'", "after its closing quote"), row=2, column="location"
        ),
    ),
    Case(
        "a ;-delimited row inside a , file",
        "pasted_row.csv",
        _teams("c-a,Org,m-1,Berlin,onshore,", "c-b;Org;m-2;Berlin;onshore;"),
        Refused(("row 3", "separated by ';'"), row=3),
    ),
    Case(
        "extra values",
        "extra.csv",
        _teams("c-a,Org,m-1,Berlin,onshore,,surplus"),
        Refused(("row 2", "7 values where the header has 6 columns", "'surplus'"), row=2),
    ),
    Case(
        "a short row",
        "short.csv",
        _teams("c-a,Org,m-1,Berlin,onshore,", "c-b,Org,m-2"),
        Refused(
            ("row 3", "3 values where the header has 6 columns", "location, sourcing, acquired_from"), row=3
        ),
    ),
    Case(
        "a line break outside quotes",
        "broken_line.csv",
        _teams("c-a,Org,m-1,Ber", "lin,onshore,"),
        Refused(("row 2, column location", "line break outside double quotes"), row=2, column="location"),
    ),
    Case(
        "a 10 MB cell",
        "huge_cell.csv",
        lambda: _teams("c-a,Org,m-1," + "x" * 10_000_000 + ",onshore,"),
        Refused(("row 2, column location", "10,000,000 characters", "at most 2,000,000 bytes"), row=2),
    ),
    Case(
        "a quote inside an unquoted value",
        "inner_quote.csv",
        _teams('c-a,Org,m-1,Ber"lin,onshore,'),
        ReadRight("select location from teams where team = 'c-a'", [('Ber"lin',)]),
    ),
    Case(
        "quoted delimiters, line breaks and doubled quotes",
        "quoted.csv",
        _teams('c-a,"Org, Inc.",m-1,"Berlin\nMitte",onshore,', 'c-b,"say ""hi""",m-2,Paris,nearshore,'),
        ReadRight(
            "select team, org, location from teams where team like 'c-%' order by team",
            [("c-a", "Org, Inc.", "Berlin\nMitte"), ("c-b", 'say "hi"', "Paris")],
        ),
    ),
    Case(
        "CRLF and LF line ends mixed",
        "mixed_line_ends.csv",
        (TEAMS.replace("\n", "\r\n") + _DONE_ROWS[0] + "\n" + _DONE_ROWS[1] + "\r\n").encode(),
        ReadRight(TEAM_ROWS, list(_DONE)),
    ),
    Case(
        "Excel for Mac's lone CR line ends",
        "mac.csv",
        (TEAMS + "\n".join(_DONE_ROWS) + "\n").replace("\n", "\r").encode(),
        ReadRight(TEAM_ROWS, list(_DONE)),
    ),
    Case(
        "Excel on Windows: CRLF rows, LF inside a quoted cell",
        "windows_multiline.csv",
        (TEAMS + 'c-a,Org,m-1,"Berlin\nMitte",onshore,\n').replace(",\n", ",\r\n").encode(),
        ReadRight("select location from teams where team = 'c-a'", [("Berlin\nMitte",)]),
    ),
    Case(
        "blank lines, lines of blanks and of delimiters",
        "blank_lines.csv",
        (TEAMS + "\n" + _DONE_ROWS[0] + "\n   \n,,,,,\n" + _DONE_ROWS[1] + "\n\n").encode(),
        ReadRight(TEAM_ROWS, list(_DONE)),
    ),
    Case(
        "no line end after the last row, and an Excel sep= line",
        "sep_line.csv",
        ("sep=;\n" + TEAMS.replace(",", ";") + _DONE_ROWS[0].replace(",", ";")).encode(),
        ReadRight(TEAM_ROWS, [_DONE[0]]),
    ),
    Case("an empty file", "empty.csv", b"", Refused(("the file is empty",))),
    Case("only blank lines", "blank.csv", b"\r\n\n  \n", Refused(("no header row",))),
    Case("a header and no rows", "header_only.csv", TEAMS.encode(), Refused(("no rows under it",))),
    Case(
        "a repeated column",
        "repeated_column.csv",
        b"team,org,Team\nc-a,Org,c-b\n",
        Refused(("column team", "given by 2 columns", "1 ('team') and 3 ('Team')"), column="team"),
    ),
    Case(
        "a repeated key",
        "repeated_key.csv",
        _teams("c-a,Org,m-1,Berlin,onshore,", "c-b,Org,m-2,Paris,nearshore,", "c-a,Org,m-1,Lisbon,offshore,"),
        ReadRight(
            TEAM_ROWS,
            [("c-a", "Org", "Lisbon", "offshore"), ("c-b", "Org", "Paris", "nearshore")],
            ("repeated_key",),
        ),
    ),
    Case(
        "two exports joined, each with a BOM",
        "joined.csv",
        _BOM + _teams(_DONE_ROWS[0]) + _BOM + _teams(_DONE_ROWS[1]),
        Refused(("row 3", "repeats the header after a byte-order mark"), row=3),
    ),
    Case(
        "a byte-order mark inside a cell",
        "bom_inside.csv",
        _teams("c-a,Org,m-1,Ber\ufefflin,onshore,"),
        Refused(("row 2, column location", "byte-order mark"), row=2, column="location"),
    ),
    Case(
        "a NUL byte in a cell",
        "nul.csv",
        _teams("c-a,Org,m-1,Berlin,onshore,", "c-b,Org,m-2,Ber\x00lin,onshore,"),
        Refused(("row 3, column location", "NUL character"), row=3, column="location"),
    ),
    # ------------------------------------------------------------------ encodings
    Case(
        "UTF-8 with a BOM (Excel's CSV UTF-8)",
        "bom.csv",
        _BOM + _teams("c-z,Org,m-1,Zürich,onshore,"),
        ReadRight("select location from teams where team = 'c-z'", [("Zürich",)]),
    ),
    Case(
        "UTF-16 LE with a BOM and tabs (Excel's Unicode Text)",
        "unicode.txt",
        (TEAMS + "c-z,Org,m-1,São Paulo,offshore,\n").replace(",", "\t").encode("utf-16"),
        ReadRight("select location, sourcing from teams where team = 'c-z'", [("São Paulo", "offshore")]),
    ),
    Case(
        "UTF-16 BE without a BOM",
        "utf16be.csv",
        (TEAMS + "c-z,Org,m-1,Zürich,onshore,\n").encode("utf-16-be"),
        ReadRight("select location from teams where team = 'c-z'", [("Zürich",)]),
    ),
    Case(
        "Latin-1 named as UTF-8",
        "teams_utf8.csv",
        (TEAMS + "c-z,Org,m-1,Zürich,onshore,\nc-y,Org,m-2,São Paulo,offshore,\n").encode("latin-1"),
        ReadRight(
            "select team, location from teams where team in ('c-y', 'c-z') order by team",
            [("c-y", "São Paulo"), ("c-z", "Zürich")],
        ),
    ),
    Case(
        "cp1252 from older Excel (the euro sign is 0x80)",
        "cp1252.csv",
        (TEAMS + "c-z,Org €,m-1,Zürich,onshore,\n").encode("cp1252"),
        ReadRight("select org from teams where team = 'c-z'", [("Org €",)]),
    ),
    Case(
        "UTF-8 mixed with Latin-1",
        "mixed_encoding.csv",
        (TEAMS + "c-a,Org,m-1,Zürich,onshore,\n").encode()
        + "c-b,Org,m-2,Zürich,onshore,\n".encode("latin-1"),
        Refused(("row 3, column location", "'Z?rich'", "not UTF-8 (0xFC", "mixes two encodings"), row=3),
    ),
    Case(
        "invalid UTF-8: a cut multi-byte character",
        "cut_utf8.csv",
        TEAMS.encode() + "c-a,Org,m-1,Zürich,onshore,\n".encode() + b"c-b,Org,m-2,Z\xc3,onshore,\n",
        Refused(("row 3, column location", "not UTF-8 (0xC3"), row=3, column="location"),
    ),
    # ------------------------------------------------------------------ not text
    Case("random binary data", "data.csv", bytes(range(256)) * 40, Refused(("not a text file", "NUL bytes"))),
    Case(
        "a PNG image",
        "chart.csv",
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        Refused(("not a text file", "a PNG image")),
    ),
    Case(
        "a PDF document",
        "report.csv",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        Refused(("a PDF document",)),
    ),
    Case("a workbook renamed .csv", "teams.csv", _xlsx, Refused(("a ZIP archive", ".xlsx name"))),
    Case(
        "a gzip-compressed CSV",
        "teams.csv.gz.csv",
        lambda: gzip.compress(_teams(*_DONE_ROWS)),
        Refused(("a gzip archive", "unpack it first")),
    ),
    Case("a DuckDB database", "pillars_backup.csv", _duckdb_file, Refused(("a DuckDB database",))),
    Case(
        "an .xlsx that is a ZIP of something else",
        "teams.xlsx",
        lambda: _zip({"notes.txt": b"hello", "photo.jpg": b"\xff\xd8\xff"}),
        Refused(("cannot open the workbook", "no workbook inside", "notes.txt")),
    ),
    Case(
        "an .xlsx that is a CSV",
        "teams_export.xlsx",
        _teams(*_DONE_ROWS),
        Refused(("cannot open the workbook", "a text file", ".csv name")),
    ),
    Case(
        "an .xls that is an HTML table (a web tool's Excel export)",
        "jira.xls",
        b"<html><body><table><tr><td>Key</td></tr></table></body></html>",
        Refused(("cannot open the workbook", "HTML")),
    ),
    Case(
        "a damaged .xlsx",
        "cut.xlsx",
        lambda: _xlsx()[:300],
        Refused(("cannot open the workbook", "damaged ZIP archive")),
    ),
    Case(
        "terminal escape sequences in the headers",
        "crafted.csv",
        b"\x1b]0;pwned\x07\x1b[2Jname,\xe2\x80\xaeevil\n1,2\n",
        Refused(("not recognised", "?]0;pwned??[2Jname")),
    ),
    Case(
        "a header line of 2,000 long columns",
        "wide_header.csv",
        lambda: (
            ",".join(f"column_{i}_" + "y" * 60 for i in range(2000)) + "\n" + ",".join("1" * 2000) + "\n"
        ).encode(),
        Refused(("not recognised", "…")),
    ),
    # ------------------------------------------------------------------ values
    Case(
        "formula cells",
        "formulas.csv",
        _teams(
            'c-f1,"=HYPERLINK(""http://x.example"",""y"")",m-1,Berlin,onshore,',
            "c-f2,@SUM(1+1),m-2,Berlin,onshore,",
            "c-f3,+cmd|' /C calc'!A0,m-3,Berlin,onshore,",
            "c-f4,-2+3,m-4,Berlin,onshore,",
        ),
        ReadRight(
            "select team, org from teams where team like 'c-f%' order by team",
            [
                ("c-f1", '=HYPERLINK("http://x.example","y")'),
                ("c-f2", "@SUM(1+1)"),
                ("c-f3", "+cmd|' /C calc'!A0"),
                ("c-f4", "-2+3"),
            ],
        ),
    ),
    Case(
        "control characters inside a value",
        "controls.csv",
        _teams("c-e,Org\x1b[2J\x07,m-1,Berlin,onshore,"),
        ReadRight("select org from teams where team = 'c-e'", [("Org\x1b[2J\x07",)]),
    ),
    Case(
        "a far-future date (2099)",
        "future.csv",
        _deploy("2099-01-01T10:00:00Z"),
        Refused(
            ("row 3, column deployed_at", "'2099-01-01T10:00:00Z'", "outside the plausible dates"), row=3
        ),
    ),
    Case(
        "a placeholder date 9999-12-31",
        "placeholder.csv",
        _deploy("9999-12-31"),
        Refused(("row 3, column deployed_at", "'9999-12-31'", "outside the plausible dates"), row=3),
    ),
    Case(
        "Excel's zero date 1899-12-31",
        "zero_date.csv",
        _deploy("1899-12-31 00:00"),
        Refused(("row 3, column deployed_at", "outside the plausible dates"), row=3, column="deployed_at"),
    ),
    Case(
        "year 1 (.NET's DateTime.MinValue)",
        "min_value.csv",
        _deploy("0001-01-01T00:00:00Z"),
        Refused(("row 3, column deployed_at", "outside the plausible dates"), row=3),
    ),
    Case(
        "BambooHR's 0000-00-00 for no date",
        "no_date.csv",
        (DEPLOYS + "c-d1,api,c-pay,production,2025-09-01T10:00:00Z,0000-00-00,success,false\n").encode(),
        ReadRight("select deploy_id, commit_at from deployments where deploy_id = 'c-d1'", [("c-d1", None)]),
    ),
    Case(
        "infinity in a number column",
        "infinite.csv",
        b"item_id,team,type,title,created_at,effort\nc-i1,c-pay,feature,x,2025-09-01,inf\n",
        Refused(("row 2, column effort", "'inf' is not a number"), row=2, column="effort"),
    ),
    Case(
        "a whole number too large",
        "huge_number.csv",
        b"date,team,tool,active_users\n2025-09-01,c-pay,copilot,99999999999999999999\n",
        Refused(("row 2, column active_users", "out of range"), row=2, column="active_users"),
        {"table_hint": "ai_usage"},
    ),
    Case(
        "a thousand bad dates",
        "many_problems.csv",
        _many_bad_dates,
        Refused(
            ("row 2, column deployed_at", "'someday 0' is not a timestamp", "(and 999 more problems)"), row=2
        ),
    ),
    Case(
        "300 columns no table has",
        "wide.csv",
        _wide,
        ReadRight("select team, org, location from teams where team = 'c-wide'", [("c-wide", "Org", "Oslo")]),
        {"table_hint": "teams"},
    ),
    # ------------------------------------------------------------------ JSON
    Case("JSON that is a number", "count.json", b"42\n", Refused(("JSON holding a number, not records",))),
    Case("JSON that is a text", "note.json", b'"all good"', Refused(("JSON holding a text, not records",))),
    Case("an empty JSON list", "none.json", b"[]", Refused(("empty JSON list",))),
    Case(
        "a JSON list of numbers",
        "numbers.json",
        b"[1, 2, 3]",
        Refused(("row 1", "'1' is a number, not an object"), row=1),
    ),
    Case(
        "a JSON list with a number among the records",
        "prs.json",
        b'[{"number": 1, "title": "a"}, 7]',
        Refused(("row 2", "'7' is a number, not an object"), row=2),
    ),
    Case("invalid JSON", "broken.json", b'{"number": 1,\n "title": ', Refused(("not valid JSON (line",))),
    Case("JSON nested 100,000 deep", "deep.json", _deep_json, Refused(("nested deeper than any export",))),
)
