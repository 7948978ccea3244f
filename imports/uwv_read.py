"""Reading a UWV register fast: the whole sheet at once, so that matching can work column by column.

A UWV register has hundreds of thousands of rows of which only the campaign's own cases matter. The general reader
(:func:`imports.reader.read_table`) hands out one checked, shaped row at a time; here the sheet's records are
taken as one list and :func:`imports.uwv.parse_uwv_table` looks at a row as a whole only when its BSN is in the
campaign or is not a clean 9-digit text.

Only the plain case is read here, and with the reader's own checks (file size, type by content, zip bomb, sheet,
header row). Anything out of the ordinary — a CSV with quotes, a long line, too many rows or columns, a broken or
unusual file, an .xls or .ods — goes to :func:`imports.reader.read_table`, which reads it or refuses it with its
usual Dutch message. Both paths give the same result; the tests hold them to that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from imports import reader
from imports.reader import Limits, Table, read_table


@dataclass
class Records:
    """A sheet's data rows as they were read: ``records[i]`` is spreadsheet row ``first_number + i``.

    Records are raw: CSV cells are unstripped text, workbook cells are calamine's values with ``""`` for an empty
    cell; a record may be shorter or longer than the header. :meth:`values` gives a row shaped as the reader would.
    """

    filename: str
    headers: list[str]
    records: list[list] = field(repr=False)
    first_number: int
    text_cells: bool  # CSV: every cell is text that still has to be stripped

    @property
    def row_count_hint(self) -> int:
        return len(self.records)

    def column(self, index: int) -> list:
        """One column's cells (stripped text for a CSV; ``""`` where a record is too short)."""
        try:
            cells = list(map(itemgetter(index), self.records))
        except IndexError:
            cells = [record[index] if len(record) > index else "" for record in self.records]
        return list(map(str.strip, cells)) if self.text_cells else cells

    def is_empty(self, index: int) -> bool:
        """A row the reader skips: no text at all (CSV), or nothing within the header's width (workbook)."""
        if self.text_cells:
            return not any(cell.strip() for cell in self.records[index])
        return all(cell == "" or cell is None for cell in self.records[index][: len(self.headers)])

    def values(self, index: int) -> list:
        """Row ``index`` as :class:`imports.reader.Table` gives it: header width, empty cells as None."""
        width = len(self.headers)
        record = self.records[index][:width]
        if self.text_cells:
            row = [cell.strip() or None for cell in record]
        else:
            row = [None if cell == "" else cell for cell in record]
        row.extend([None] * (width - len(row)))
        return row


def read_uwv_list(path: Path, *, filename: str, limits: Limits | None = None, header_score=None) -> Records | Table:
    """The sheet of a UWV list: :class:`Records` for a plain .csv/.xlsx, else the reader's :class:`Table`."""
    path, limits = Path(path), limits or Limits()
    fast = None
    if _is_plain_zip(path, limits):
        fast = _workbook_records(path, filename, limits, header_score)
    if fast is not None:
        return fast
    table = read_table(path, filename=filename, limits=limits, header_score=header_score)
    if table.kind == "csv":
        return _csv_records(path, table, limits) or table
    return table


def _is_plain_zip(path: Path, limits: Limits) -> bool:
    """A zip file within the size limit (whether it is a safe spreadsheet is checked next, by the reader)."""
    size = path.stat().st_size if path.is_file() else 0
    if not 0 < size <= limits.max_bytes:
        return False
    with path.open("rb") as handle:
        return handle.read(4) == reader._ZIP_MAGIC


def _workbook_records(path: Path, filename: str, limits: Limits, header_score) -> Records | None:
    from python_calamine import CalamineWorkbook

    # The reader's zip check first (type by content, zip bomb); it raises the reader's own message.
    if reader._zip_kind(path, filename, Path(filename).suffix.lower(), limits) not in ("xlsx", "xlsm"):
        return None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_names = workbook.sheet_names
    except Exception:  # noqa: BLE001 - the reader reads it again and says what is wrong
        return None
    if not sheet_names:
        return None
    _, sheet = reader._first_filled_sheet(workbook, sheet_names, filename)
    height, width = sheet.height, sheet.width
    first_row = (sheet.start or (0, 0))[0]
    if width > limits.max_columns or height <= reader.HEADER_SCAN_ROWS:
        return None  # the reader gives the message (or handles a small sheet just as fast)
    head = sheet.to_python(nrows=reader.HEADER_SCAN_ROWS, skip_empty_area=False)
    header_index, headers = reader._find_header(head, filename, header_score)
    if height - header_index - 1 > limits.max_rows:
        return None
    records = list(sheet.iter_rows())
    del records[: header_index + 1]
    result = Records(filename, headers, records, first_row + header_index + 2, text_cells=False)
    for index in range(len(headers)):
        texts = [cell for cell in result.column(index) if cell.__class__ is str]
        if texts and (max(map(len, texts)) > limits.max_cell_chars or "\x00" in "".join(texts)):
            return None  # the reader names the cell
    return result


def _csv_records(path: Path, table: Table, limits: Limits) -> Records | None:
    """The CSV's records after the header, when the file has no quotes (one line per record) and no long lines."""
    import csv
    import io

    text = reader._decode(path.read_bytes(), table.filename)
    if '"' in text:
        return None
    lines = text.replace("\r", "\n").split("\n")  # the csv module's line ends; no quotes, so a record per line
    if max(map(len, lines), default=0) > limits.max_cell_chars:
        return None  # a cell may be too long: the reader says which
    delimiter = reader._delimiter(text[:64_000].splitlines()[: reader.HEADER_SCAN_ROWS])
    del lines
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    del records[: table.header_row_number]
    if len(records) > limits.max_rows:
        return None
    return Records(table.filename, table.headers, records, table.header_row_number + 1, text_cells=True)
