"""The fast path for clean canonical CSV files (lib/ingest/fast.py) writes exactly what the
general path writes, or leaves the file to it.

Every case imports one file twice, into two fresh databases with the same salt: once as
`import_file` does (fast path first), once with `fast_path=False` (the general path:
stage as text, cast with the one date parser, check, upsert). The stored rows, the
warnings, the errors and what is kept in `uploads/` must be the same. Each case also says
which path took the file: the clean ones must take the fast path (else the benchmark
measures the general one), the others must fall back to the general path, so their
refusals name the row, column and value. Values are the shapes tools write
(/work/shared/REFERENCE.md): ISO 8601 with `Z`, offsets and fractions, naive times in the
file's zone, Jira's `14/Jul/25 3:42 PM`, BambooHR's `0000-00-00`.
"""

from __future__ import annotations

import codecs
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import db
from lib.ingest import fast_import, fast_keeper, fast_prepare, uploads
from lib.ingest.formats import ImportOptions
from lib.ingest.load import import_file
from lib.tables import TABLES

SALT = "fast-path-test-salt"


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("PILLARS_SALT", SALT)


@pytest.fixture
def paths(monkeypatch):
    """Which path took each file imported with the fast path allowed: 'fast' or 'general'."""
    taken: list[str] = []
    real_prepare, real_import = fast_prepare.prepare, fast_import.import_quick

    def prepare(*args, **kwargs):
        prepared = real_prepare(*args, **kwargs)
        if prepared is None:
            taken.append("general")  # not even tried
        return prepared

    def quick(*args, **kwargs):
        result = real_import(*args, **kwargs)
        taken.append("general" if result is None else "fast")
        return result

    monkeypatch.setattr(fast_prepare, "prepare", prepare)
    monkeypatch.setattr(fast_import, "import_quick", quick)
    return taken


def stored(con, table: str) -> list[tuple]:
    spec = TABLES[table]
    columns = ", ".join(f'"{c}"' for c in spec.column_names)
    keys = ", ".join(f'"{k}"' for k in spec.key)
    return con.execute(f'select {columns} from "{table}" order by {keys}').fetchall()


def outcome(con, result, tables) -> dict:
    return {
        "ok": result.ok,
        "rows": result.rows,
        "rows_by_table": result.rows_by_table,
        "tables": result.tables,
        "source_format": result.source_format,
        "sha256": result.sha256,
        "errors": result.errors,
        "problems": result.problems,
        "problem_count": result.problem_count,
        "warnings": [w.describe() for w in result.warnings],
        "stored": {t: stored(con, t) for t in tables},
        "kept": sorted(p.name for p in uploads.uploads_dir(con).glob("*") if not p.name.startswith(".")),
        "minimised": {
            p.name: p.read_text()
            for p in uploads.uploads_dir(con).glob(f"*{uploads.MINIMISED}*")
            if not p.name.startswith(".")
        },
        "log": con.execute(
            'select "table", source_format, file_name, sha256, rows, status from imports'
        ).fetchall(),
    }


def both(tmp_path, name: str, text: str | bytes, options: ImportOptions | None = None, before=()) -> tuple:
    """Import `text` as `name` by each path into its own database (after the files `before`);
    returns (fast-path outcome, general-path outcome)."""
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    out = []
    for label, allowed in (("fast", True), ("general", False)):
        con = db.connect(tmp_path / label / "pillars.duckdb")
        try:
            for earlier_name, earlier_text in before:
                earlier = tmp_path / "in" / earlier_name
                earlier.write_text(earlier_text)
                assert import_file(con, earlier, options, fast_path=allowed).ok
            result = import_file(con, path, options, fast_path=allowed)
            out.append(outcome(con, result, list(TABLES)))
        finally:
            con.close()
    return tuple(out)


def agree(tmp_path, paths, name, text, options=None, before=(), taken: str | None = "fast") -> dict:
    """Both paths give the same outcome, and the file took the path `taken` (None: either)."""
    quick, general = both(tmp_path, name, text, options, before)
    assert quick == general
    assert taken is None or paths[-1] == taken, f"expected the {taken} path to take {name}"
    return quick


WORK_ITEMS = (
    "item_id,team,type,title,initiative,created_at,started_at,completed_at,canceled_at,effort,notes\n"
)


def test_a_clean_work_items_file_takes_the_fast_path_and_stores_what_the_general_path_does(tmp_path, paths):
    rows = [
        # ISO with Z, offsets (colon or not), fractions, a naive time (read in the file's zone),
        # a plain date (midnight there), an IANA zone name, the night clocks change; types in
        # any case; efforts in every way a number is written; an extra column, ignored.
        'PAY-1,payments,Feature,"Card vaulting, v2",Checkout,2025-09-01T09:00:00Z,2025-09-02 10:00:00+02:00,'
        "2025-09-10T16:30:00.123456+0530,,5,x",
        'PAY-2,payments,DEFECT,"He said ""no""",,2025-09-01 09:00,2025-09-01,,2025-09-03T00:00:00Z,1e1,',
        "PAY-3,platform,risk,,,2025-09-01T09:00:00 Europe/Berlin,,,,0.5,",
        "PAY-4,,debt,plain,Q3,2025-03-30 02:30,,,,7, padded extra columns are ignored ",
        "PAY-5,payments,feature,Ünïcødé ✓,,2025-10-26T02:30:00,,,,,",
    ]
    text = WORK_ITEMS + "\n".join(rows) + "\n"
    out = agree(tmp_path, paths, "work_items.csv", text, ImportOptions(default_tz="Europe/Paris"))
    assert out["ok"] and out["rows"] == 5
    assert out["kept"] == [f"{out['sha256']}.csv"]  # the original, content-addressed


def test_crlf_a_bom_semicolons_and_quoted_line_breaks_read_alike(tmp_path, paths):
    text = (
        "\ufeffitem_id;type;title;created_at;completed_at\r\n"
        'A-1;feature;"two\r\nlines";2025-01-02T03:04:05Z;2025-01-03T00:00:00Z\r\n'
        "A-2;defect;plain;2025-01-02T03:04:05Z;\r\n"
    )
    agree(tmp_path, paths, "work_items.csv", text)


def test_deployments_aliases_booleans_and_a_backward_span_warning_agree(tmp_path, paths):
    text = (
        "deploy_id,service,team,environment,deployed_at,commit_at,status,is_rework\n"
        "d-1,api,payments,production,2025-09-10T17:00:00Z,2025-09-09T08:00:00Z,Succeeded,yes\n"
        "d-2,api,payments,production,2025-09-11T17:00:00Z,2025-09-12T08:00:00Z,rolled back,N\n"
        "d-3,api,payments,production,2025-09-12T17:00:00Z,,FAILED,TRUE\n"
        "d-4,api,payments,production,2025-09-13T17:00:00Z,2025-09-14T08:00:00Z,success,\n"
    )
    out = agree(tmp_path, paths, "deployments.csv", text)
    assert [w for w in out["warnings"] if "deployed before" in w] == [
        "Deployments deployed before their earliest commit (deployed_at before commit_at): kept, but left out "
        "of every duration, median and average (2 rows: 3, 5)"
    ]


def test_person_ids_are_pseudonymised_and_teams_respelled_alike(tmp_path, paths):
    teams = "team,org\nPayments,Commerce\n"
    text = (
        "pr_id,repo,team,author_id,opened_at,first_review_at,merged_at,additions,deletions,ai_assisted\n"
        "r#1,r,PAYMENTS,Ada.Lovelace@example.com,2025-09-08T09:00:00Z,,2025-09-09T08:12:00Z,12,3.0,t\n"
        "r#2,r,payments,dev-17,2025-09-08T09:00:00Z,2025-09-08T10:00:00Z,,1e2,0,false\n"
    )
    out = agree(tmp_path, paths, "pull_requests.csv", text, before=[("teams.csv", teams)])
    authors = [row[3] for row in out["stored"]["pull_requests"]]
    assert all(a.startswith("p_") for a in authors) and "dev-17" not in authors
    assert {row[2] for row in out["stored"]["pull_requests"]} == {"Payments"}


def test_an_hris_file_is_kept_minimised_not_as_uploaded(tmp_path, paths):
    text = (
        "employee_id,team,level,hire_date,termination_date,termination_type,regretted,email_id\n"
        "e-1,payments,L3,2023-04-03,,,,ada@example.com\n"
        "e-2,payments,L4,2023-04-03T23:30:00-05:00,2025-01-31,Voluntary,yes,\n"
        "e-3,platform,L2,2024-02-29 10:00,,,,\n"
    )
    out = agree(tmp_path, paths, "employees.csv", text, ImportOptions(default_tz="America/New_York"))
    assert out["kept"] == [f"{out['sha256']}.minimised.employees.csv"]
    assert "ada@example.com" not in "".join(out["minimised"].values())


def test_a_second_import_replaces_the_rows_with_the_same_keys_alike(tmp_path, paths):
    first = (
        WORK_ITEMS
        + "A-1,t,feature,one,,2025-01-01T00:00:00Z,,,,,\nA-2,t,feature,two,,2025-01-01T00:00:00Z,,,,,\n"
    )
    second = (
        WORK_ITEMS
        + "A-2,t,defect,two again,,2025-01-02T00:00:00Z,,,,,\nA-3,t,debt,three,,2025-01-02T00:00:00Z,,,,,\n"
    )
    out = agree(tmp_path, paths, "work_items_2.csv", second, before=[("work_items_1.csv", first)])
    assert [row[0] for row in out["stored"]["work_items"]] == ["A-1", "A-2", "A-3"]
    assert out["stored"]["work_items"][1][2] == "defect"


def test_survey_responses_with_a_composite_key(tmp_path, paths):
    text = (
        "survey_id,survey_date,respondent_id,team,question_id,dimension,score\n"
        "2025-Q3,2025-09-15,r-1,payments,q1,engagement,4\n"
        "2025-Q3,2025-09-15,r-1,payments,q2,engagement,5\n"
        "2025-Q3,2025-09-15,r-2,payments,q1,engagement,3.5\n"
    )
    agree(tmp_path, paths, "survey_responses.csv", text)


# ---------------------------------------------------------------------------- the general path takes over

ITEM = "PAY-{n},payments,feature,t,,{created},,{completed},,{effort},\n"


def one_bad(field: str, value: str) -> str:
    cells = {"created": "2025-09-01T09:00:00Z", "completed": "", "effort": "1"}
    cells[field] = value
    good = ITEM.format(n=1, created="2025-09-01T09:00:00Z", completed="", effort="2")
    return WORK_ITEMS + good + ITEM.format(n=2, **cells) + good.replace("PAY-1", "PAY-3")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("created", "1989-12-31T23:00:00Z"),  # implausible: refused naming row 3
        ("created", "2099-01-01T00:00:00Z"),
        ("created", "infinity"),
        ("created", "epoch"),  # DuckDB's cast reads it as 1970: refused by the parser's rule too
        ("created", "24-01-01"),  # the cast reads the year 24; the grammar does not
        ("created", "14/Jul/25 3:42 PM"),  # Jira: only the grammar reads it
        ("created", "2025-09-01 10:00:00 +0200"),  # git's %ci
        ("created", "05/11/2025"),  # a numeric day/month date, order unset: refused with the hint
        ("created", "   "),  # blank: no date, and created_at is required
        ("created", ""),
        ("completed", "yesterday"),
        ("completed", "0000-00-00"),
        ("effort", "inf"),
        ("effort", "nan"),
        ("effort", "-1"),
        ("effort", '"1,5"'),
        ("effort", "1e400"),
    ],
)
def test_a_value_the_fast_path_cannot_vouch_for_goes_to_the_general_path(tmp_path, paths, field, value):
    agree(tmp_path, paths, "work_items.csv", one_bad(field, value), taken="general")


def test_a_numeric_date_in_the_users_order_is_read_by_the_general_path(tmp_path, paths):
    out = agree(
        tmp_path, paths, "work_items.csv", one_bad("created", "05/11/2025"), ImportOptions(date_order="dmy"),
        taken="general",
    )  # fmt: skip
    assert out["ok"]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("an unknown choice", WORK_ITEMS + "A,t,epic,,,2025-01-01T00:00:00Z,,,,,\n"),
        ("a repeated key", WORK_ITEMS + "A,t,feature,1,,2025-01-01T00:00:00Z,,,,,\nA,t,defect,2,,2025-01-01T00:00:00Z,,,,,\n"),
        ("a short record", WORK_ITEMS + "A,t,feature,1,,2025-01-01T00:00:00Z,,,,\n"),
        ("a stray quote", WORK_ITEMS + 'A,t,feature,"Ber"lin,,2025-01-01T00:00:00Z,,,,,\n'),
        ("a NUL byte in an extra column", WORK_ITEMS + "A,t,feature,1,,2025-01-01T00:00:00Z,,,,,a\x00b\n"),
        ("latin-1 in an extra column", (WORK_ITEMS + "A,t,feature,1,,2025-01-01T00:00:00Z,,,,,caf").encode() + b"\xe9\n"),
        ("a BOM inside", WORK_ITEMS + "A,t,feature,\ufeffx,,2025-01-01T00:00:00Z,,,,,\n"),
        ("values with blanks around them", WORK_ITEMS + "A, payments ,  DEFECT , x ,,2025-01-01T00:00:00Z,,,, 7 ,\n"),
        ("a key with a blank before it", WORK_ITEMS + "A,t,feature,1,,2025-01-01T00:00:00Z,,,,,\n B,t,feature,1,,2025-01-01T00:00:00Z,,,,,\n"),
        ("one title with a blank after it", WORK_ITEMS + "A,t,feature,1,,2025-01-01T00:00:00Z,,,,,\nB,t,feature,x ,,2025-01-01T00:00:00Z,,,,,\n"),
        ("a record with no value", WORK_ITEMS + ",,,,,,,,,,\nA,t,feature,1,,2025-01-03T00:00:00Z,,2025-01-02T00:00:00Z,,,\n"),
        ("a blank line before a backward span", WORK_ITEMS + "B,t,feature,1,,2025-01-01T00:00:00Z,,,,,\n\nA,t,feature,1,,2025-01-03T00:00:00Z,,2025-01-02T00:00:00Z,,,\n"),
        ("a column given twice", WORK_ITEMS.replace("notes", "team") + "A,t,feature,1,,2025-01-01T00:00:00Z,,,,,u\n"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_clean_goes_to_the_general_path(tmp_path, paths, kind, text):
    agree(tmp_path, paths, "work_items.csv", text, taken="general")


def test_quoted_line_breaks_do_not_move_the_rows_a_warning_lists(tmp_path, paths):
    text = WORK_ITEMS + (
        'B,t,feature,"a\nb",,2025-01-01T00:00:00Z,,,,,"one\n\ntwo"\n'
        "A,t,feature,1,,2025-01-03T00:00:00Z,,2025-01-02T00:00:00Z,,,\n"
    )
    out = agree(
        tmp_path, paths, "work_items.csv", text, taken="general"
    )  # a paragraph break: may be a blank line
    assert out["warnings"][0].endswith("(1 row: 3)")
    text = text.replace("one\n\ntwo", "one\ntwo")
    out = agree(tmp_path, paths, "work_items.csv", text, taken="fast")
    assert out["warnings"][0].endswith("(1 row: 3)")


def test_a_mix_of_crlf_and_lf_reads_alike_whichever_path_takes_it(tmp_path, paths):
    text = (
        WORK_ITEMS + "A,t,feature,1,,2025-01-01T00:00:00Z,,,,,\r\nB,t,feature,1,,2025-01-01T00:00:00Z,,,,,\n"
    )
    agree(tmp_path, paths, "work_items.csv", text, taken=None)


def test_a_refusal_still_names_the_row_column_and_value(tmp_path, paths):
    out = agree(
        tmp_path, paths, "work_items.csv", one_bad("created", "1989-12-31T23:00:00Z"), taken="general"
    )
    assert out["errors"][0].startswith(
        "work_items.csv: row 3, column created_at: '1989-12-31T23:00:00Z' is outside"
    )
    assert out["stored"]["work_items"] == [] and out["kept"] == []


def test_the_fast_path_needs_a_canonical_template(tmp_path, paths):
    jira = "Issue key,Issue Type,Summary,Created,Resolved,Status\nPAY-1,Story,x,14/Jul/25 3:42 PM,,Open\n"
    quick, general = both(tmp_path, "jira.csv", jira)
    assert quick == general and paths == ["general"]  # not even tried


# ---------------------------------------------------------------------------- timestamps, value by value

_digits = st.integers(min_value=0, max_value=99).map(lambda n: f"{n:02d}")
_stamp = st.builds(
    lambda year, month, day, sep, hh, mm, ss, frac, zone: (
        f"{year}-{month}-{day}{sep}{hh}:{mm}{ss}{frac}{zone}"
    ),
    st.sampled_from(["1989", "1990", "2025", "2026", "2027", "0025", "12025"]),
    st.sampled_from(["01", "02", "12", "13", "1"]),
    st.sampled_from(["01", "28", "29", "30", "31", "00"]),
    st.sampled_from(["T", " ", "  ", "t"]),
    st.sampled_from(["00", "09", "23", "24"]),
    _digits,
    st.sampled_from(["", ":00", ":59", ":60"]),
    st.sampled_from(["", ".5", ".123456", ".1234567"]),
    st.sampled_from(["", "Z", "z", "+02:00", "+0200", "+02", " +0200", "-05:30", " UTC", " GMT", "+14:00"]),
)
_text = st.text(
    alphabet=string.printable.replace(",", "").replace('"', "").replace("\r", "").replace("\n", ""),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(created=st.one_of(_stamp, _text))
def test_any_timestamp_text_is_stored_as_the_one_parser_reads_it(tmp_path_factory, created):
    """Property: the fast path stores the parser's instant for every text it accepts, and
    whatever it does not accept gets the general path's answer (a refusal or a reading)."""
    tmp_path = tmp_path_factory.mktemp("stamp")
    text = WORK_ITEMS + f"A,t,feature,x,,{created},,,,,\n"
    quick, general = both(tmp_path, "work_items.csv", text, ImportOptions(default_tz="Asia/Kolkata"))
    assert quick == general


def test_fast_and_general_outcomes_differ_when_the_data_does(tmp_path, paths):
    """The comparison above can fail: two different files give two different outcomes."""
    a, _ = both(tmp_path / "a", "work_items.csv", one_bad("effort", "3"))
    b, _ = both(tmp_path / "b", "work_items.csv", one_bad("effort", "4"))
    assert a["stored"] != b["stored"] and a["sha256"] != b["sha256"]


def test_the_keeper_hashes_what_it_copies(tmp_path):
    import hashlib

    data = b"a,b\n" + b"x,\xc3\xa9\n" * 300_000  # several chunks, non-ASCII
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    keeper = fast_keeper.Keeper(path, tmp_path / "uploads")
    scan = keeper.result()
    assert scan.sha256 == hashlib.sha256(data).hexdigest() and scan.clean
    keeper.keep(tmp_path / "uploads" / "kept.csv")
    assert (tmp_path / "uploads" / "kept.csv").read_bytes() == data
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == ["kept.csv"]


@pytest.mark.parametrize(
    ("data", "clean"),
    [
        (b"a" + "é".encode() * (3 << 20), True),  # a character split between two chunks
        (codecs.BOM_UTF8 + b"abc" + "é".encode() * 10, True),  # the mark at the start is fine
        (b"abc" + codecs.BOM_UTF8, False),  # not inside
        (b"a" * ((4 << 20) - 1) + codecs.BOM_UTF8, False),  # nor across two chunks
        (b"a\xe9b", False),  # latin-1
        (b"a\x00", False),
        ("é".encode()[:1], False),  # ends inside a character
        (b"\xed\xa0\x80", False),  # a surrogate
        (b"\xc0\xaf", False),  # an overlong form
    ],
    ids=[
        "split",
        "bom-start",
        "bom-inside",
        "bom-across",
        "latin-1",
        "nul",
        "truncated",
        "surrogate",
        "overlong",
    ],
)
def test_the_scan_finds_text_that_is_not_clean_utf8(tmp_path, data, clean):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert fast_keeper.scan_bytes(path, fast_keeper.Scan()).clean is clean
    try:
        data.decode("utf-8")
        python_says = (
            b"\x00" not in data
            and codecs.BOM_UTF8 not in data[3 if data.startswith(codecs.BOM_UTF8) else 0 :]
        )
    except UnicodeDecodeError:
        python_says = False
    assert python_says is clean  # the same verdict as Python's own decoder
