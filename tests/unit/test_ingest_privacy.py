"""Pseudonyms and safe CSV exports (lib/privacy.py)."""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.privacy import neutralise_csv_cell, pseudonym, pseudonym_sql, salt, to_safe_csv


def test_python_and_sql_pseudonyms_agree():
    con = duckdb.connect()
    values = ["Ada@Example.com", "  bob ", "p_0123456789abcdef"]
    sql = pseudonym_sql("v", "$salt")
    got = [
        con.execute(
            f"select {sql} from (select trim($value) as v)", {"salt": "s3cret", "value": v}
        ).fetchall()
        for v in values
    ]
    assert [g[0][0] for g in got] == [pseudonym(v, "s3cret") for v in values]
    assert pseudonym("ADA@example.com ", "s3cret") == pseudonym("ada@example.com", "s3cret")
    assert pseudonym("ada@example.com", "s3cret") != pseudonym("ada@example.com", "other")
    assert pseudonym("p_0123456789abcdef", "s3cret") == "p_0123456789abcdef"
    assert pseudonym("  ", "s") is None


def test_salt_file_is_created_once(tmp_path, monkeypatch):
    monkeypatch.delenv("PILLARS_SALT", raising=False)
    first = salt(tmp_path)
    assert len(first) == 64 and salt(tmp_path) == first
    monkeypatch.setenv("PILLARS_SALT", "from env")
    assert salt(tmp_path) == "from env"


def test_formula_cells_are_neutralised():
    assert neutralise_csv_cell("=SUM(A1)") == "'=SUM(A1)"
    assert neutralise_csv_cell("+1") == "'+1"
    assert neutralise_csv_cell("-2") == "'-2"
    assert neutralise_csv_cell("@cmd") == "'@cmd"
    assert neutralise_csv_cell("plain") == "plain"
    assert neutralise_csv_cell(-2) == -2


def test_safe_csv_neutralises_text_cells_and_headers_only():
    df = pd.DataFrame({"team": ['=HYPERLINK("x")', "ok", None], "delta": [-1.5, 2.0, 3.0], "@h": [1, 2, 3]})
    text = to_safe_csv(df).decode()
    assert text.splitlines() == [
        "team,delta,'@h",
        '"\'=HYPERLINK(""x"")",-1.5,1',
        "ok,2.0,2",
        ",3.0,3",
    ]


PAYLOADS = [
    '=HYPERLINK("http://example.invalid","x")',
    "@SUM(1+1)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]


def test_safe_frame_neutralises_every_payload_in_text_category_and_string_columns_and_labels():
    from lib.privacy import safe_frame

    df = pd.DataFrame(
        {
            "object": pd.array(PAYLOADS, dtype=object),
            "string": pd.array(PAYLOADS, dtype="string"),
            "category": pd.Categorical(PAYLOADS),
            "number": [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0],
            "=header": ["plain"] * 6,
        },
        index=pd.Index(PAYLOADS, name="team"),
    )
    safe = safe_frame(df)
    expected = ["'" + p for p in PAYLOADS]
    for column in ("object", "string", "category"):
        assert list(safe[column]) == expected, column
    assert list(safe["number"]) == [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    assert list(safe.columns) == ["object", "string", "category", "number", "'=header"]
    assert list(safe.index) == expected
    assert list(df["object"]) == PAYLOADS  # the input is left alone


def test_templates_download_byte_for_byte_through_the_safe_writer():
    from lib.tables import TABLES
    from lib.templates import template_csv, template_frame

    for table in TABLES:
        assert to_safe_csv(template_frame(table)) == template_csv(table), table
