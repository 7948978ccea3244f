import datetime as dt
import io

from openpyxl import load_workbook

from imports.xlsx_out import Column, write_csv, write_xlsx

COLUMNS = [Column("BSN"), Column("Naam", 30), Column("Datum", kind="date")]
ROWS = [
    ("012345672", '=HYPERLINK("http://x")', dt.date(2026, 11, 23)),
    ("123456782", "+31 6 1234", None),
    ("111222333", "@SUM(A1)", dt.date(2026, 12, 7)),
    ("111222333", "-1+1", None),
    ("111222333", "\tverborgen", None),
]


def test_xlsx_keeps_bsn_as_text_dates_as_dates_and_neutralises_formulas():
    sheet = load_workbook(io.BytesIO(write_xlsx(COLUMNS, ROWS))).active
    assert [c.value for c in sheet[1]] == ["BSN", "Naam", "Datum"]
    assert sheet["A2"].value == "012345672"
    assert sheet["C2"].value.date() == dt.date(2026, 11, 23)
    assert [sheet[f"B{i}"].value[0] for i in range(2, 7)] == ["'"] * 5
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C6"


def test_csv_is_semicolon_separated_utf8_with_bom_and_neutralised():
    text = write_csv(COLUMNS, ROWS).decode("utf-8")
    assert text.startswith("\ufeffBSN;Naam;Datum")
    assert '012345672;"\'=HYPERLINK(""http://x"")";23-11-2026' in text
