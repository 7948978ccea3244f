"""Spreadsheets out: every list in the tool as .xlsx (or .csv), safe against formula injection.

Header row frozen with an auto-filter, sensible column widths, BSN as text, dates as real dates, and every
text cell that begins with =, +, -, @, tab or carriage return neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 16
    kind: str = "text"  # text | date | number | auto (dates and numbers as such, the rest as text)


def neutralise(value: str) -> str:
    """Make a text cell inert for spreadsheet programs (OWASP CSV/formula injection)."""
    return "'" + value if value.startswith(DANGEROUS_PREFIXES) else value


def _cell_value(value: object, column: Column) -> object:
    if value is None:
        return None
    if column.kind == "date" and isinstance(value, dt.date):
        return value
    if column.kind == "auto" and isinstance(value, dt.date | int | float) and not isinstance(value, bool):
        return value
    if column.kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return neutralise(str(value))


def write_xlsx(columns: Sequence[Column], rows: Iterable[Sequence[object]], *, sheet_title: str = "Lijst") -> bytes:
    """Write rows with openpyxl's write-only mode (large lists stay small in memory)."""
    return write_workbook([(sheet_title, columns, rows)])


def write_workbook(sheets: Iterable[tuple[str, Sequence[Column], Iterable[Sequence[object]]]]) -> bytes:
    """Several sheets in one workbook, each written like :func:`write_xlsx`."""
    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        _write_sheet(workbook, title, columns, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(column.title))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        cells = []
        for value, column in zip(row, columns, strict=True):
            cell = WriteOnlyCell(sheet, value=_cell_value(value, column))
            if isinstance(value, dt.datetime) and column.kind in ("date", "auto"):
                cell.number_format = "DD-MM-YYYY HH:MM"
            elif column.kind in ("date", "auto") and isinstance(value, dt.date):
                cell.number_format = "DD-MM-YYYY"
            elif column.kind == "text":
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{count + 1}"


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> bytes:
    """Semicolon CSV in UTF-8 with BOM, as Dutch Excel opens it; text cells neutralised the same way."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(c.title) for c in columns])
    for row in rows:
        out = []
        for value, column in zip(row, columns, strict=True):
            if value is None:
                out.append("")
            elif isinstance(value, dt.date):
                out.append(value.strftime("%d-%m-%Y"))
            else:
                out.append(_cell_value(value, column))
        writer.writerow(out)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
