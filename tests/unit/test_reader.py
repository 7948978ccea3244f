"""imports.reader: every spreadsheet format in, hostile and broken files out with one Dutch message."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from campaign.errors import InvalidInput
from imports.reader import Limits, read_table

SAMPLES = Path("/work/shared/data")


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _rows(table) -> list[tuple[int, list[object]]]:
    return list(table.rows)


def test_xlsx_header_under_title_rows_is_found_and_rows_keep_spreadsheet_numbers(tmp_path):
    path = _xlsx(
        tmp_path / "lijst.xlsx",
        [
            ["Rapportage bijstandsgerechtigden"],
            ["Peildatum 1-11-2026"],
            [],
            ["BSN", "Achternaam", "Geboortedatum"],
            [12345672, "Jansen", dt.date(1980, 1, 2)],
            [],
            ["111222333", "=1+1", None],
        ],
    )
    table = read_table(path)
    assert table.kind == "xlsx"
    assert table.header_row_number == 4
    assert table.headers == ["BSN", "Achternaam", "Geboortedatum"]
    rows = _rows(table)
    assert [number for number, _ in rows] == [5, 7]
    assert rows[0][1][1] == "Jansen"
    assert rows[1][1] == ["111222333", None, None]  # a formula is never evaluated (no cached value here)
    assert _rows(table) == rows  # rows can be read twice


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["BSN", "Achternaam"])
    sheet.append(["123456782", None])
    sheet["B2"].value = '=HYPERLINK("http://x")'
    sheet["B2"].data_type = "s"
    workbook.save(tmp_path / "tekst.xlsx")
    assert _rows(read_table(tmp_path / "tekst.xlsx")) == [(2, ["123456782", '=HYPERLINK("http://x")'])]


def test_csv_semicolon_windows_1252_is_read_with_diacritics(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("BSN;Achternaam;Woonplaats\r\n012345672;Öztürk;Den Haag\r\n".encode("cp1252"))
    table = read_table(path)
    assert table.kind == "csv"
    assert table.headers == ["BSN", "Achternaam", "Woonplaats"]
    assert _rows(table) == [(2, ["012345672", "Öztürk", "Den Haag"])]


def test_csv_comma_utf8_with_bom_is_read(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffBSN,Naam,Plaats\n123456782,Zoë,Ede\n".encode())
    table = read_table(path)
    assert table.headers == ["BSN", "Naam", "Plaats"]
    assert _rows(table) == [(2, ["123456782", "Zoë", "Ede"])]


def test_sample_files_are_read():
    table = read_table(SAMPLES / "gemeente-export-voorbeeld.xlsx")
    assert table.headers[0] == "BSN" and len(table.headers) == 17
    assert len(_rows(table)) == 200
    csv_table = read_table(SAMPLES / "gemeente-export-voorbeeld.csv")
    assert csv_table.headers == table.headers
    assert len(_rows(csv_table)) == 50


def test_xls_and_ods_are_read(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Blad1")
    for r, row in enumerate([["BSN", "Achternaam"], ["123456782", "de Vries"]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(tmp_path / "oud.xls"))
    table = read_table(tmp_path / "oud.xls")
    assert table.kind == "xls"
    assert _rows(table) == [(2, ["123456782", "de Vries"])]

    from tests.fixtures_spreadsheets import write_ods

    write_ods(tmp_path / "lijst.ods", [["BSN", "Achternaam"], ["123456782", "Bakker"]])
    table = read_table(tmp_path / "lijst.ods")
    assert table.kind == "ods"
    assert _rows(table) == [(2, ["123456782", "Bakker"])]


def _message(path: Path, **kwargs) -> str:
    with pytest.raises(InvalidInput) as info:
        table = read_table(path, **kwargs)
        list(table.rows)
    return str(info.value)


def test_empty_file_is_refused(tmp_path):
    (tmp_path / "leeg.xlsx").write_bytes(b"")
    assert _message(tmp_path / "leeg.xlsx") == "leeg.xlsx: het bestand is leeg."


def test_renamed_pdf_is_refused_naming_the_uploaded_name(tmp_path):
    path = tmp_path / "upload-123"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    message = _message(path, filename="klanten.xlsx")
    assert message.startswith("klanten.xlsx: dit is geen echt .xlsx-bestand")


def test_truncated_xlsx_is_refused(tmp_path):
    good = _xlsx(tmp_path / "goed.xlsx", [["BSN", "Naam"], ["123456782", "A"]])
    (tmp_path / "kapot.xlsx").write_bytes(good.read_bytes()[:600])
    assert "beschadigd" in _message(tmp_path / "kapot.xlsx")


def test_zip_that_is_no_spreadsheet_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "foto.xlsx", "w") as archive:
        archive.writestr("foto.jpg", b"\xff\xd8" * 100)
    assert "geen spreadsheet" in _message(tmp_path / "foto.xlsx")


def test_zip_bomb_is_refused_before_decompressing(tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(450):
                member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    assert "zip-bom" in _message(path)


def test_nul_bytes_in_csv_are_refused(tmp_path):
    path = tmp_path / "lijst.csv"
    path.write_bytes(b"BSN;Naam\n1234\x0056782;A\n")
    assert "NUL" in _message(path)


def test_sheet_with_only_a_header_is_refused(tmp_path):
    path = _xlsx(tmp_path / "kop.xlsx", [["BSN", "Achternaam", "Postcode"]])
    assert _message(path) == "kop.xlsx: het werkblad bevat alleen een kopregel en geen gegevens."
    csv_path = tmp_path / "kop.csv"
    csv_path.write_text("BSN;Achternaam\n\n")
    assert _message(csv_path) == "kop.csv: het bestand bevat alleen een kopregel en geen gegevens."


def test_workbook_without_any_cells_is_refused(tmp_path):
    path = _xlsx(tmp_path / "niets.xlsx", [])
    assert "geen gegevens" in _message(path)


def test_file_larger_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "groot.csv"
    path.write_text("BSN;Naam\n" + "123456782;A\n" * 200)
    assert "de grens is" in _message(path, limits=Limits(max_bytes=1000))


def test_too_many_rows_is_refused(tmp_path):
    path = _xlsx(tmp_path / "veel.xlsx", [["BSN", "Naam"]] + [["123456782", "A"]] * 20)
    assert "20 regels; de grens is 10" in _message(path, limits=Limits(max_rows=10))
    csv_path = tmp_path / "veel.csv"
    csv_path.write_text("BSN;Naam\n" + "123456782;A\n" * 20)
    assert "meer dan 10 regels" in _message(csv_path, limits=Limits(max_rows=10))


def test_too_many_columns_is_refused(tmp_path):
    path = _xlsx(tmp_path / "breed.xlsx", [[f"k{i}" for i in range(30)], ["x"] * 30])
    assert "30 kolommen" in _message(path, limits=Limits(max_columns=20))


def test_overlong_cell_is_refused_naming_row_and_column(tmp_path):
    path = _xlsx(tmp_path / "lang.xlsx", [["BSN", "Naam"], ["123456782", "x" * 50]])
    assert _message(path, limits=Limits(max_cell_chars=40)) == (
        "lang.xlsx, regel 2, kolom Naam: een cel is 50 tekens lang; de grens is 40."
    )


def test_header_score_picks_the_row_with_known_names(tmp_path):
    path = _xlsx(tmp_path / "lijst.xlsx", [["Overzicht", "november"], ["BSN", "Naam"], ["123456782", "A"]])
    table = read_table(path, header_score=lambda cells: sum(c.lower() in ("bsn", "naam") for c in cells))
    assert table.header_row_number == 2


def test_xlsm_is_read_like_xlsx(tmp_path):
    path = _xlsx(tmp_path / "macro.xlsm", [["BSN", "Achternaam"], ["123456782", "Jansen"]])
    table = read_table(path)
    assert table.kind == "xlsm"
    assert _rows(table) == [(2, ["123456782", "Jansen"])]
