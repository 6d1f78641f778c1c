"""Finance imports: business metrics by month (wide, long, months across), initiatives, rate cards.

Fixtures in tests/fixtures/finance/ (layouts described in its README); every expected
value below is read off the fixture by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lib import db
from lib.ingest.formats import ImportOptions
from lib.ingest.formats import finance_values as fv
from lib.ingest.load import import_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "finance"
TODAY = dt.date(2026, 12, 5)


@pytest.fixture
def con(tmp_path):
    con = db.connect(tmp_path / "finance.duckdb")
    yield con
    con.close()


def metrics(con) -> dict[tuple[str, str], tuple[float, str | None]]:
    rows = con.execute("select period_start, metric, value, unit from business_metrics").fetchall()
    return {(d.isoformat()[:7], m): (v, u) for d, m, v, u in rows}


def written(con) -> int:
    return sum(
        con.execute(f'select count(*) from "{t}"').fetchone()[0]  # fixed names
        for t in ("business_metrics", "initiatives", "engineer_costs")
    )


# --- months -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2025-01", "2025/1", "Jan 2025", "January 2025", "JAN-25", "Jan-2025", "2025 Jan", "01/2025",
     "2025-01-01", "2025-01-31", "2025-01-15T00:00:00", "January 14, 2025"],
)  # fmt: skip
def test_every_way_finance_writes_january_2025(text):
    assert fv.parse_month(text, today=TODAY) == dt.date(2025, 1, 1)


def test_excel_serial_days_only_inside_workbooks_and_september_abbreviations():
    # 45658 = 1 Jan 2025; 45901 = 1 Sep 2025 (45658 + 243 days)
    assert fv.parse_month("45658", today=TODAY, serial=True) == dt.date(2025, 1, 1)
    assert fv.parse_month("45901", today=TODAY, serial=True) == dt.date(2025, 9, 1)
    with pytest.raises(fv.ValueProblem, match="is not a month"):
        fv.parse_month("45658", today=TODAY)  # a number in a CSV is not a date
    assert fv.parse_month("Sept. 2025", today=TODAY) == dt.date(2025, 9, 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Q1 2025", "quarter"),
        ("FY25", "quarter or fiscal year"),
        ("2025-13", "no month 13"),
        ("1989-12", "plausible range"),
        ("2028-01", "plausible range"),
        ("yesterday", "is not a month"),
        ("03/04/2025", "does not say which order its dates are written in"),
    ],
)
def test_what_is_not_a_month_says_why(text, reason):
    with pytest.raises(fv.ValueProblem, match=reason):
        fv.parse_month(text, today=TODAY)


def test_numeric_dates_follow_the_one_date_parsers_order_rules():
    assert fv.parse_month("03/04/2025", "dmy", today=TODAY) == dt.date(2025, 4, 1)
    assert fv.parse_month("03/04/2025", "mdy", today=TODAY) == dt.date(2025, 3, 1)
    # lib.ingest.dates: with no order set, a value only one order reads is read that way,
    # and the import's warnings say so; an ambiguous file is refused
    read = fv.read_months([(2, "Month", "31/01/2025"), (3, "Month", "28/02/2025")], today=TODAY)
    assert read.months == {"31/01/2025": dt.date(2025, 1, 1), "28/02/2025": dt.date(2025, 2, 1)}
    assert read.warning.code == "date_order" and read.warning.detail == "dmy"
    mixed = fv.read_months([(2, "Month", "01/02/2025"), (3, "Month", "01/03/2025")], today=TODAY)
    assert mixed.refusal[:3] == (2, "Month", "01/02/2025")
    assert "--date-order" in mixed.refusal[3]


# --- amounts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("$1,234,567", 1234567.0, "USD"),
        ("(1,234)", -1234.0, None),
        ("-1,234.50", -1234.5, None),
        ("−1,234", -1234.0, None),
        ("£(2,000)", -2000.0, "GBP"),
        ("$350k", 350000.0, "USD"),
        ("1.2M", 1200000.0, None),
        ("€4.2m", 4200000.0, "EUR"),
        ("1.5 bn", 1.5e9, None),
        ("USD 1,200", 1200.0, "USD"),
        ("1'234.50", 1234.5, None),
        ("1 234 567", 1234567.0, None),
        ("1.23E+06", 1230000.0, None),
        (" $ - ", 0.0, "USD"),
    ],
)
def test_amounts(text, value, currency):
    amount = fv.parse_amount(text)
    assert amount.value == pytest.approx(value)
    assert amount.currency == currency


def test_percentages_are_stored_as_fractions():
    assert fv.parse_amount("2.1%").value == pytest.approx(0.021)
    assert fv.parse_amount("2,1 %", ",").value == pytest.approx(0.021)


def test_decimal_comma_from_the_file_not_from_one_cell():
    assert fv.decimal_mark(["1.234,5", "7"], ",") == ","
    assert fv.decimal_mark(["1,234"], ";") == ","  # continental Excel: ; delimiter, decimal comma
    assert fv.decimal_mark(["1,234"], ",") == "."
    assert fv.parse_amount("1.234.567,50 €", ",").value == pytest.approx(1234567.5)
    with pytest.raises(fv.ValueProblem, match="mixes decimal commas"):
        fv.decimal_mark(["1.234,5", "1,234.5"], ",")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("#DIV/0!", "spreadsheet error"),
        ("abc", "not a number"),
        ("$1,23", "thousands"),
        ("€5 $5", "two currencies"),
    ],
)
def test_unreadable_amounts_say_why(text, reason):
    with pytest.raises(fv.ValueProblem, match=reason):
        fv.parse_amount(text)


def test_empty_words_are_no_value_not_zero():
    assert fv.parse_amount("n/a") is None
    assert fv.parse_amount("  ") is None


@pytest.mark.parametrize(
    ("header", "metric", "percent", "currency", "scale"),
    [
        ("R&D Spend", "rnd_spend", False, None, 1),
        ("Research & Development", "rnd_spend", False, None, 1),
        ("ARR ($M)", "arr", False, "USD", 1e6),
        ("Revenue (EUR)", "revenue", False, "EUR", 1),
        ("Revenue in thousands", "revenue", False, None, 1e3),
        ("Churn Rate (%)", "churn_rate", True, None, 1),
        ("Logo churn %", "churn_rate", True, None, 1),
        ("# Customers", "customers", False, None, 1),
        ("Net Promoter Score", "nps", False, None, 1),
        ("Headcount", "company_headcount", False, None, 1),
        ("Cash balance", "cash_balance", False, None, 1),
    ],
)
def test_metric_headers(header, metric, percent, currency, scale):
    assert fv.metric_header(header) == fv.MetricHeader(metric, percent, currency, scale)


# --- whole files ------------------------------------------------------------------------


def test_wide_kpi_sheet(con):
    result = import_file(con, FIXTURES / "kpis_wide.csv")
    assert result.ok, result.summary()
    assert result.source_format == "finance"
    got = metrics(con)
    assert got[("2025-01", "revenue")] == (1_200_000.0, "USD")
    assert got[("2025-02", "arr")] == (15_000_000.0, "USD")
    assert got[("2025-04", "rnd_spend")] == (-12_000.0, "USD")  # (12,000): an R&D credit
    assert got[("2025-03", "customers")] == (440.0, "count")
    assert got[("2025-01", "nps")] == (41.0, "score")
    assert got[("2025-02", "churn_rate")][0] == pytest.approx(0.019)
    assert got[("2025-02", "churn_rate")][1] == "%"
    assert ("2025-04", "nps") not in got  # an empty cell is no value, not 0
    assert not any(m == "notes" for _, m in got)  # Notes is not a metric
    assert len(got) == 4 * 6 - 1


def test_continental_semicolon_file(con):
    result = import_file(con, FIXTURES / "kpis_semicolon.csv")
    assert result.ok, result.summary()
    got = metrics(con)
    assert got[("2025-01", "revenue")] == (1_234_567.5, "EUR")
    assert got[("2025-02", "rnd_spend")] == (305_000.0, "EUR")
    assert got[("2025-01", "churn_rate")][0] == pytest.approx(0.021)


def test_long_file_with_units_and_suffixes(con):
    result = import_file(con, FIXTURES / "kpis_long.csv")
    assert result.ok, result.summary()
    got = metrics(con)
    assert got[("2025-02", "revenue")] == (1_250_000.0, "USD")
    assert got[("2025-02", "rnd_spend")] == (305_000.0, "USD")
    assert got[("2025-01", "churn_rate")][0] == pytest.approx(0.021)  # 2.1 with unit %
    assert got[("2025-02", "nps")] == (39.0, "score")


def test_months_across_with_subtotals_skipped(con):
    result = import_file(con, FIXTURES / "pnl_months_across.csv")
    assert result.ok, result.summary()
    got = metrics(con)
    assert set(got) == {
        (m, k) for m in ("2025-01", "2025-02", "2025-03") for k in ("revenue", "rnd_spend", "customers")
    }
    assert got[("2025-03", "rnd_spend")][0] == 322_500.0


def test_canonical_template_reads_the_same(con, tmp_path):
    path = tmp_path / "business_metrics.csv"
    path.write_text(
        "period_start,metric,value,unit\n2025-01-01,revenue,4200000,USD\n2025-01-01,R&D Spend,900000,\n"
    )
    assert import_file(con, path).ok
    assert metrics(con) == {
        ("2025-01", "revenue"): (4_200_000.0, "USD"),
        ("2025-01", "rnd_spend"): (900_000.0, "USD"),
    }


def test_a_bad_file_is_refused_whole_naming_rows_and_the_files_own_columns(con):
    result = import_file(con, FIXTURES / "kpis_bad.csv")
    assert not result.ok
    described = [p.describe() for p in result.problems]
    assert described == [
        "row 3, column Revenue: '#DIV/0!' is a spreadsheet error, not a value: fix the formula in the source",
        "row 4, column R&D Spend: 'three hundred' is not a number",
        "row 4, column Churn Rate: '1.8' is a rate without a % sign: write 1.8% or 0.018, "
        "or head the column 'Churn Rate (%)'",
        "row 5, column Month: 'Q2 2025' is a quarter or fiscal year, not a month (business metrics are monthly)",
        "row 6, column Revenue: '1,200,000' repeats revenue for Jan 2025 (already in row 2)",
        "row 6, column R&D Spend: '310,000' repeats rnd_spend for Jan 2025 (already in row 2)",
        "row 6, column Churn Rate: '2.1%' repeats churn_rate for Jan 2025 (already in row 2)",
    ]
    assert result.error.startswith("kpis_bad.csv: row 3, column Revenue:")
    assert "(and 6 more problems)" in result.error
    assert written(con) == 0


def test_a_percentage_that_lost_its_sign_is_not_read_as_80_percent_churn(con, tmp_path):
    path = tmp_path / "chartmogul.csv"
    path.write_text("date,customers,churn rate\n2025-01-01,420,0.8\n")
    result = import_file(con, path)
    assert not result.ok
    assert "'0.8' is not a plausible monthly churn rate" in result.error


def test_numeric_month_dates_need_the_date_order(con, tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text("Month,Revenue\n01/02/2025,100\n01/03/2025,110\n")
    refused = import_file(con, path)
    assert not refused.ok and "--date-order" in refused.error
    assert import_file(con, path, ImportOptions(date_order="dmy")).ok
    assert set(metrics(con)) == {("2025-02", "revenue"), ("2025-03", "revenue")}


def test_two_currencies_in_one_file_are_refused(con, tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text('Month,Revenue,R&D Spend\n2025-01,"$1,000","€300"\n')
    result = import_file(con, path)
    assert not result.ok
    assert "row 2, column R&D Spend: '€300' is in EUR while row 2, column Revenue is in USD" in result.error


def test_reimporting_a_month_replaces_it(con, tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text("Month,Revenue\n2025-01,100\n")
    assert import_file(con, path).ok
    path.write_text("Month,Revenue\nJan 2025,120\n")
    assert import_file(con, path).ok
    assert metrics(con) == {("2025-01", "revenue"): (120.0, None)}


def test_other_tables_files_are_not_taken_for_finance(tmp_path):
    from lib.ingest.detect import detect
    from lib.ingest.read import read_source
    from lib.templates import template_csv

    for table in ("ai_usage", "learning", "employees", "teams"):
        path = tmp_path / "export.csv"
        path.write_bytes(template_csv(table))
        assert detect(read_source(path), ImportOptions()).name == f"canonical:{table}"


# --- initiatives and rate cards ------------------------------------------------------------


def test_initiatives_file(con):
    result = import_file(con, FIXTURES / "initiatives.csv")
    assert result.ok, result.summary()
    assert result.source_format == "initiatives"
    rows = con.execute(
        "select initiative, owner, business_metric, epics from initiatives order by 1"
    ).fetchall()
    assert rows == [
        ("Checkout v2", "VP Product, Commerce", "revenue", "PAY-101; Checkout redesign"),
        ("Enterprise SSO", "Director of Product", "arr", "SSO"),
        ("Platform reliability", "VP Engineering", "churn_rate", "PLT-7; Incident follow-ups"),
    ]


def test_initiatives_file_refuses_emails_and_ambiguity(con):
    result = import_file(con, FIXTURES / "initiatives_bad.csv")
    assert not result.ok
    assert [p.describe() for p in result.problems] == [
        "row 2, column Owner: 'ada@example.com' is an e-mail address: write the owner's role or team",
        "row 4, column Initiative: 'Checkout v2' is already in row 2",
    ]
    assert written(con) == 0


def test_an_epic_under_two_initiatives_is_refused(con, tmp_path):
    path = tmp_path / "initiatives.csv"
    path.write_text("Initiative,Owner,Epics\nA,CPO,PAY-1\nB,CTO,pay-1\n")
    result = import_file(con, path)
    assert (
        result.error == "initiatives.csv: row 3, column Epics: 'pay-1' is already listed under 'A' in row 2"
    )


def test_rate_card(con):
    result = import_file(con, FIXTURES / "rate_card.csv")
    assert result.ok, result.summary()
    rows = con.execute("select location, sourcing, annual_cost from engineer_costs order by 1, 2").fetchall()
    assert rows == [
        ("*", "nearshore", 80_000.0),
        ("Bangalore", "offshore", 46_800.0),
        ("Berlin", "onshore", 126_000.0),
    ]


def test_monthly_rate_card_is_annualised(con):
    assert import_file(con, FIXTURES / "rate_card_monthly.csv").ok
    rows = con.execute("select location, annual_cost from engineer_costs order by 1").fetchall()
    assert rows == [("Berlin", 126_000.0), ("Pune", 43_200.0)]


def test_rate_card_in_another_currency_than_the_business_metrics_is_refused(con, tmp_path):
    assert import_file(con, FIXTURES / "kpis_wide.csv").ok  # USD
    path = tmp_path / "costs.csv"
    path.write_text("Location,Sourcing,Annual cost\nBerlin,onshore,€110000\n")
    result = import_file(con, path)
    assert not result.ok
    assert "is in EUR while the business metrics are in USD" in result.error


def test_what_the_reader_interpreted_is_listed_in_the_warnings(con, tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text(
        'Month,ARR ($M),R&D Spend,Customers\n2025-01-31,14.4,"$ -",n/a\n2025-02-28,15.0,"$305,000",431\n'
    )
    result = import_file(con, path)
    assert result.ok, result.summary()
    got = metrics(con)
    assert got[("2025-02", "arr")] == (15_000_000.0, "USD")
    assert got[("2025-01", "rnd_spend")] == (0.0, "USD")
    assert ("2025-01", "customers") not in got
    described = {w.code: w.describe() for w in result.warnings}
    assert (
        described["finance_month_from_day"]
        == "Dates with a day were read as their month (31 Jan → Jan) (2 rows: 2, 3)"
    )
    assert (
        described["finance_header_scale"]
        == "Column 'ARR ($M)' was read in millions, as its header says (2 rows: 2, 3)"
    )
    assert described["finance_dash_zero"].endswith("(1 row: 2)")
    assert described["finance_no_value"] == "Cells written as 'n/a' were read as no value, not 0 (1 row: 2)"


def test_excel_workbook_with_a_title_row_and_date_cells(con, tmp_path):
    """A finance workbook as Excel saves it: a title above the header, months as real date
    cells formatted 'mmm yyyy', money as numbers, churn as a %-formatted fraction, and a
    notes sheet without a header row (skipped)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "KPIs"
    sheet.append(["Acme Inc. monthly KPIs (USD)"])
    sheet.append(["Month", "Revenue", "R&D Spend", "Churn Rate", "Headcount"])
    for i, (revenue, spend, churn, people) in enumerate(
        [(1_200_000, 310_000, 0.021, 88), (1_250_000, 305_000, 0.019, 90)]
    ):
        sheet.append([dt.datetime(2025, i + 1, 1), revenue, spend, churn, people])
        sheet.cell(row=i + 3, column=1).number_format = "mmm yyyy"
        sheet.cell(row=i + 3, column=4).number_format = "0.0%"
    book.create_sheet("Notes").append(["Figures are unaudited."])
    path = tmp_path / "kpis.xlsx"
    book.save(path)
    result = import_file(con, path)
    assert result.ok, result.summary()
    got = metrics(con)
    assert got[("2025-02", "revenue")] == (1_250_000.0, None)
    assert got[("2025-01", "churn_rate")][0] == pytest.approx(0.021)
    assert got[("2025-02", "company_headcount")] == (90.0, "count")
    assert any(w.code == "finance_no_currency" for w in result.warnings)


def test_workbook_problems_name_the_sheet_and_the_row_excel_shows(con, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "KPIs"
    sheet.append(["Board pack figures"])
    sheet.append([])
    sheet.append(["Month", "Revenue"])
    sheet.append(["Jan 2025", 100])
    sheet.append(["Feb 2025", "see note"])
    path = tmp_path / "board.xlsx"
    book.save(path)
    result = import_file(con, path)
    assert not result.ok
    assert "board.xlsx, sheet KPIs: row 5, column Revenue: 'see note' is not a number" in result.error
    assert written(con) == 0
