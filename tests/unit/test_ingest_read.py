"""Reading messy files: encodings, delimiters, line ends, quoting, JSON (lib/ingest/read.py)."""

from __future__ import annotations

import codecs
import hashlib

import duckdb
import pytest

from lib.ingest.read import (
    MalformedFile,
    UnreadableFile,
    discard_copy,
    ident,
    read_source,
    sniff_delimiter,
    stage_columns,
)

TEXT = 'item_id,title,created_at\nA-1,"Café, crème",2025-09-01\nA-2,"two\nlines",2025-09-02\n'


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def staged_rows(path, name=None):
    source = read_source(path, name)
    con = duckdb.connect()
    picks = list(enumerate(("item_id", "title", "created_at")))
    rows = stage_columns(con, source, picks).order("_row").fetchall()
    discard_copy(source, path)
    return source, rows


EXPECTED = [(2, "A-1", "Café, crème", "2025-09-01"), (3, "A-2", "two\nlines", "2025-09-02")]


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8 with BOM", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("utf-16 (Excel Unicode text)", TEXT.encode("utf-16")),
        ("utf-16-be with BOM", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
        ("cp1252", TEXT.encode("cp1252")),
        ("CRLF", TEXT.replace("\n", "\r\n").encode("utf-8")),
        ("CR (CSV Macintosh)", TEXT.replace("\n", "\r").encode("cp1252")),
    ],
)
def test_encodings_and_line_ends_read_the_same(tmp_path, label, data):
    path = write(tmp_path, "items.csv", data)
    source, rows = staged_rows(path)
    assert source.headers == ("item_id", "title", "created_at"), label
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    normalised = [(r, i, t.replace("\r\n", "\n"), c) for r, i, t, c in rows]
    assert normalised == EXPECTED, label


def test_clean_utf8_is_read_in_place_and_others_through_a_copy_that_is_discarded(tmp_path):
    clean = write(tmp_path, "a.csv", TEXT.encode("utf-8"))
    assert read_source(clean).path == clean
    bom = write(tmp_path, "b.csv", codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    source = read_source(bom)
    assert source.path != bom
    assert not source.path.read_bytes().startswith(codecs.BOM_UTF8)
    discard_copy(source, bom)
    assert not source.path.exists() and bom.exists()


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiters_are_sniffed_despite_quoted_delimiters_and_newlines(tmp_path, delimiter):
    other = ";" if delimiter == "," else ","
    text = (
        f"item_id{delimiter}title{delimiter}created_at\n"
        f'A-1{delimiter}"a{delimiter}b{other}c"{delimiter}2025-09-01\n'
        f'A-2{delimiter}"x\ny{other}z"{delimiter}2025-09-02\n'
    )
    path = write(tmp_path, "items.csv", text.encode())
    source, rows = staged_rows(path)
    assert source.delimiter == delimiter
    assert rows == [
        (2, "A-1", f"a{delimiter}b{other}c", "2025-09-01"),
        (3, "A-2", f"x\ny{other}z", "2025-09-02"),
    ]


def test_sniffer_prefers_the_delimiter_on_which_rows_agree():
    sample = "a;b;c\n1,5;2;x\n3;4,5;y\n"
    assert sniff_delimiter(sample) == ";"
    assert sniff_delimiter("just one column\nvalue\n") == ","


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row(tmp_path):
    path = write(tmp_path, "items.csv", b"sep=;\r\nitem_id;title;created_at\r\nA-1;t;2025-09-01\r\n")
    source, rows = staged_rows(path)
    assert source.delimiter == ";"
    assert source.headers == ("item_id", "title", "created_at")
    assert rows == [(2, "A-1", "t", "2025-09-01")]


def test_duplicate_headers_are_kept(tmp_path):
    path = write(tmp_path, "jira.csv", b"Summary,Labels,Labels,Sprint\nx,a,b,s1\n")
    assert read_source(path).headers == ("Summary", "Labels", "Labels", "Sprint")


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path):
    # A blank line is a row in a spreadsheet; a quoted line break is not.
    text = 'item_id,title,created_at\nA-1,"x\ny",d1\n\nA-2,t,d2\nA-3,,\n'
    path = write(tmp_path, "items.csv", text.encode())
    _, rows = staged_rows(path)
    assert rows == [(2, "A-1", "x\ny", "d1"), (4, "A-2", "t", "d2"), (5, "A-3", None, None)]


def test_a_short_row_is_refused_not_padded(tmp_path):
    # It used to be padded with nulls: row 5 would have loaded with no title and no date.
    text = 'item_id,title,created_at\nA-1,"x\ny",d1\n\nA-2,t,d2\nA-3\n'
    source = read_source(write(tmp_path, "items.csv", text.encode()))
    with pytest.raises(MalformedFile) as refused:
        stage_columns(duckdb.connect(), source, [(0, "item_id")])
    assert str(refused.value) == (
        "row 5: 'A-3' has 1 value where the header has 3 columns: title, created_at are missing (a row cut short?)"
    )


def test_json_headers_are_the_union_of_keys(tmp_path):
    path = write(tmp_path, "prs.json", b'[{"number": 1, "title": "a"}, {"number": 2, "mergedAt": null}]')
    source = read_source(path)
    assert source.kind == "json" and source.delimiter == ""
    assert source.headers == ("number", "title", "mergedAt")
    con = duckdb.connect()
    rows = stage_columns(con, source, [(0, "pr_id"), (2, "merged_at")]).order("_row").fetchall()
    assert rows == [("1", None, 1), ("2", None, 2)]


def test_json_is_recognised_by_content_whatever_the_name(tmp_path):
    path = write(tmp_path, "export.txt", b'  \n{"a": 1}\n{"a": 2, "b": true}\n')
    source = read_source(path)
    assert source.kind == "json" and source.headers == ("a", "b")


@pytest.mark.parametrize(("data", "message"), [(b"", "empty"), (b"\n\n", "no header")])
def test_empty_files_are_refused(tmp_path, data, message):
    with pytest.raises(UnreadableFile, match=message):
        read_source(write(tmp_path, "x.csv", data))


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(UnreadableFile, match="not found"):
        read_source(tmp_path / "nope.csv")


def test_only_canonical_names_and_importer_temp_names_become_identifiers(tmp_path):
    assert ident("work_items") == '"work_items"'
    assert ident("created_at__raw") == '"created_at__raw"'
    for bad in ('x" ; drop table teams; --', "Item ID", "_pillars_stage_nothex"):
        with pytest.raises(ValueError):
            ident(bad)
    source = read_source(write(tmp_path, "a.csv", TEXT.encode()))
    with pytest.raises(ValueError):
        stage_columns(duckdb.connect(), source, [(0, 'item_id"; drop table teams; --')])
