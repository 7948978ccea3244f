"""Reading a UWV register fast: blocks of rows at once, so that matching can work column by column.

A UWV register has hundreds of thousands of rows of which only the campaign's own cases matter. The general reader
(:func:`imports.reader.read_table`) hands out one checked, shaped row at a time; here the sheet comes in blocks of
raw records and :func:`imports.uwv.parse_uwv_table` looks at a row as a whole only when its BSN is in the campaign
or is not a clean 9-digit text. Blocks keep the memory flat whatever the size of the register.

Only the plain case is read here, with the reader's own checks (file size, type by content, zip bomb, sheet, header
row, cell length) and messages. Anything out of the ordinary (a CSV with quotes or too many lines, a workbook with
too many rows or columns, a broken or small file, an .xls or .ods) goes to :func:`imports.reader.read_table`, which
reads it or refuses it as usual. Both paths give the same result; the tests hold them to that.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import compress, islice, repeat
from operator import itemgetter
from pathlib import Path

from imports import reader
from imports.reader import Limits, Table, read_table

BLOCK_ROWS = 100_000


@dataclass
class Records:
    """A sheet's data rows in blocks of raw records: ``(first row number, records)``, one record per row.

    CSV cells are unstripped text; workbook cells are calamine's values with ``""`` for an empty cell; a record may
    be shorter or longer than the header. :func:`column` and :func:`values` give what the reader would.
    """

    filename: str
    headers: list[str]
    text_cells: bool  # CSV: every cell is text that still has to be stripped
    limits: Limits
    row_count_hint: int | None
    _blocks: Callable[[], Iterator[tuple[int, list[list]]]] = field(repr=False)

    def blocks(self) -> Iterator[tuple[int, list[list]]]:
        """The blocks, each after the reader's cell checks (a too long cell, a NUL: its message, its row)."""
        width, limit = len(self.headers), self.limits.max_cell_chars
        for first_number, records in self._blocks():
            for index in range(width):
                cells = self.column(records, index)
                texts = cells if self.text_cells else list(compress(cells, map(isinstance, cells, repeat(str))))
                if texts and (max(map(len, texts)) > limit or "\x00" in "".join(texts)):
                    for offset in range(len(records)):
                        reader._check_cells(
                            self.values(records, offset),
                            first_number + offset,
                            self.headers,
                            self.filename,
                            self.limits,
                        )
            yield first_number, records

    def column(self, records: list[list], index: int) -> list:
        """One column's cells (stripped text for a CSV; ``""`` where a record is too short)."""
        try:
            cells = list(map(itemgetter(index), records))
        except IndexError:
            cells = [record[index] if len(record) > index else "" for record in records]
        return list(map(str.strip, cells)) if self.text_cells else cells

    def is_empty(self, records: list[list], offset: int) -> bool:
        """A row the reader skips: no text at all (CSV), or nothing within the header's width (workbook)."""
        if self.text_cells:
            return not any(cell.strip() for cell in records[offset])
        return all(cell == "" or cell is None for cell in records[offset][: len(self.headers)])

    def values(self, records: list[list], offset: int) -> list:
        """A row as :class:`imports.reader.Table` gives it: header width, empty cells as None."""
        width = len(self.headers)
        record = records[offset][:width]
        if self.text_cells:
            row = [cell.strip() or None for cell in record]
        else:
            row = [None if cell == "" else cell for cell in record]
        row.extend([None] * (width - len(row)))
        return row


def read_uwv_list(path: Path, *, filename: str, limits: Limits | None = None, header_score=None) -> Records | Table:
    """The sheet of a UWV list: :class:`Records` for a plain .csv/.xlsx, else the reader's :class:`Table`."""
    path, limits = Path(path), limits or Limits()
    if _is_zip_within_limit(path, limits):
        fast = _workbook_records(path, filename, limits, header_score)
        if fast is not None:
            return fast
    table = read_table(path, filename=filename, limits=limits, header_score=header_score)
    if table.kind == "csv":
        return _csv_records(path, table, limits) or table
    return table


def _blocks(records: Iterator[list], first_number: int) -> Iterator[tuple[int, list[list]]]:
    while block := list(islice(records, BLOCK_ROWS)):
        yield first_number, block
        first_number += len(block)


def _is_zip_within_limit(path: Path, limits: Limits) -> bool:
    """A zip file of allowed size (whether it is a safe spreadsheet is checked next, by the reader)."""
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
        return None  # the reader gives the message (or reads a small sheet just as fast)
    head = sheet.to_python(nrows=reader.HEADER_SCAN_ROWS, skip_empty_area=False)
    header_index, headers = reader._find_header(head, filename, header_score)
    data_rows = height - header_index - 1
    if data_rows > limits.max_rows:
        return None

    def blocks() -> Iterator[tuple[int, list[list]]]:
        rows = sheet.iter_rows()
        for _ in islice(rows, header_index + 1):
            pass
        return _blocks(rows, first_row + header_index + 2)

    return Records(filename, headers, False, limits, data_rows, blocks)


def _csv_records(path: Path, table: Table, limits: Limits) -> Records | None:
    """The CSV's records after the header, when the file has no quotes: then every line is one record, and the
    line number is the row number. (The reader's CSV checks have run in :func:`read_table`, the cells' in blocks.)"""
    text = reader._decode(path.read_bytes(), table.filename)
    if '"' in text:
        return None
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    if lines - table.header_row_number >= limits.max_rows:
        return None  # perhaps too many rows: the reader counts them and says so
    delimiter = reader._delimiter(text[:64_000].splitlines()[: reader.HEADER_SCAN_ROWS])

    header_row_number = table.header_row_number  # (not the table: it holds a copy of the text)

    def blocks() -> Iterator[tuple[int, list[list]]]:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for _ in islice(records, header_row_number):
            pass
        return _blocks(records, header_row_number + 1)

    return Records(table.filename, table.headers, True, limits, None, blocks)
