"""Reading any spreadsheet a municipality sends: .xlsx, .xlsm, .xls, .ods (python-calamine) and .csv.

The file type is decided by the bytes, not by the name: a renamed PDF or a zip bomb called ``lijst.xlsx`` gets one
clear Dutch message (``campaign.errors.InvalidInput`` naming the file) before any parsing starts. Cell values come
back as calamine gives them (str, int, float, date, datetime, bool) with empty cells as ``None``; formulas are never
evaluated: calamine returns the value the spreadsheet program stored, and text such as ``=1+1`` stays text.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campaign.errors import InvalidInput

# Defaults of the limits; the web app and the CLI pass the values of the settings (HERINSCHRIJVING_IMPORT_*).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 1_000
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # all parts of a zipped spreadsheet together
MAX_COMPRESSION_RATIO = 200  # real sheets compress 5-30x; bombs 1000x and more
HEADER_SCAN_ROWS = 30

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_FILE_BYTES
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_cell_chars: int = MAX_CELL_CHARS
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        return cls(
            max_bytes=settings.import_max_bytes,
            max_rows=settings.import_max_rows,
            max_columns=settings.import_max_columns,
            max_cell_chars=settings.import_max_cell_chars,
        )


Value = Any  # str | int | float | bool | date | datetime | time | timedelta | None
HeaderScore = Callable[[list[str]], int]


@dataclass
class Table:
    """One sheet: the header row (1-based as the user sees it), its titles, and the data rows after it.

    ``rows`` yields ``(spreadsheet_row_number, values)`` with ``len(values) == len(headers)``; rows that are
    completely empty are skipped. It can be iterated more than once.
    """

    filename: str
    kind: str  # xlsx | xlsm | xls | ods | csv
    header_row_number: int
    headers: list[str]
    sheet_name: str = ""
    _source: Callable[[], Iterator[tuple[int, list[Value]]]] = field(repr=False, default=lambda: iter(()))
    row_count_hint: int | None = None

    @property
    def rows(self) -> Iterator[tuple[int, list[Value]]]:
        return self._source()


def read_table(
    path: Path,
    *,
    filename: str | None = None,
    limits: Limits | None = None,
    header_score: HeaderScore | None = None,
) -> Table:
    """Open ``path`` and find its header row. ``filename`` is the name the user uploaded (for messages).

    ``header_score`` may rate a candidate header row (higher is better, 0 = not a header); by default a row is a
    header when it has at least two text cells and no numbers or dates, and it is the widest such row near the top.
    """
    path = Path(path)
    name = filename or path.name
    limits = limits or Limits()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput("het bestand is niet te openen.", location=name) from exc
    if size == 0:
        raise InvalidInput("het bestand is leeg.", location=name)
    if size > limits.max_bytes:
        raise InvalidInput(
            f"het bestand is {_mb(size)} groot; de grens is {_mb(limits.max_bytes)}. "
            "Splits het bestand of laat alleen de nodige kolommen staan.",
            location=name,
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = Path(name).suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        kind = _zip_kind(path, name, suffix, limits)
    elif head.startswith(_OLE_MAGIC):
        kind = "xls"
    else:
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            raise InvalidInput(
                f"dit is geen echt {suffix}-bestand (de inhoud past niet bij de naam). "
                "Sla het opnieuw op als Excel-, LibreOffice- of CSV-bestand.",
                location=name,
            )
        kind = "csv"
    if kind == "csv":
        return _read_csv(path, name, limits, header_score)
    return _read_workbook(path, name, kind, limits, header_score)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _zip_kind(path: Path, name: str, suffix: str, limits: Limits) -> str:
    """Tell .xlsx/.xlsm from .ods and refuse zip bombs using the central directory only (no decompression)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            total = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos)
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    # NotImplementedError: zipfile's answer to a compression method it does not support (a broken or exotic file).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise InvalidInput(
            "het bestand is beschadigd of onvolledig (geen geldig Excel- of LibreOffice-bestand).", location=name
        ) from exc
    if total > limits.max_uncompressed_bytes or (total > 10 * 1024 * 1024 and total > MAX_COMPRESSION_RATIO * packed):
        raise InvalidInput(
            f"het bestand pakt uit tot {_mb(total)}; dat is te groot of verdacht (mogelijk een zip-bom). "
            "Het is niet ingelezen.",
            location=name,
        )
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsm" if suffix == ".xlsm" else "xlsx"
    raise InvalidInput(
        "dit zip-bestand is geen spreadsheet. Lever een .xlsx, .xlsm, .xls, .ods of .csv aan.", location=name
    )


# -- header detection ------------------------------------------------------------------------------------------------


def _header_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _default_score(cells: list[Value]) -> int:
    texts = [c for c in cells if c not in (None, "")]
    if len(texts) < 2 or not all(isinstance(c, str) for c in texts):
        return 0
    if len({c.strip().lower() for c in texts}) < len(texts) // 2:
        return 0
    return len(texts)


def _find_header(candidates: list[list[Value]], name: str, header_score: HeaderScore | None) -> tuple[int, list[str]]:
    """Index (0-based within ``candidates``) and titles of the header row."""
    best_index, best_score = -1, 0
    widest = max((sum(1 for c in row if c not in (None, "")) for row in candidates), default=0)
    for index, row in enumerate(candidates):
        score = header_score([_header_text(c) for c in row]) if header_score else _default_score(row)
        if not header_score and score and score < max(2, (widest + 1) // 2):
            continue  # a title row with a couple of words, not the header
        if score > best_score:
            best_index, best_score = index, score
            if not header_score:
                break  # the first plausible row wins; data rows below it look alike
    if best_index < 0:
        if not any(any(c not in (None, "") for c in row) for row in candidates):
            raise InvalidInput("het bestand bevat geen gegevens.", location=name)
        raise InvalidInput(
            f"geen kopregel met kolomnamen gevonden in de eerste {HEADER_SCAN_ROWS} regels. "
            "Zet de kolomnamen (zoals BSN, Achternaam, Postcode) in één regel boven de gegevens.",
            location=name,
        )
    headers = [_header_text(c) for c in candidates[best_index]]
    while headers and not headers[-1]:
        headers.pop()
    return best_index, headers


def _check_cells(values: list[Value], row_number: int, headers: list[str], name: str, limits: Limits) -> None:
    for index, value in enumerate(values):
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            column = headers[index] if index < len(headers) and headers[index] else f"kolom {index + 1}"
            raise InvalidInput(
                f"een cel is {len(value)} tekens lang; de grens is {limits.max_cell_chars}.",
                location=f"{name}, regel {row_number}, kolom {column}",
            )
        if isinstance(value, str) and "\x00" in value:
            raise InvalidInput(
                "een cel bevat een NUL-teken; het bestand is beschadigd.", location=f"{name}, regel {row_number}"
            )


def _shape(values: list[Value], width: int) -> list[Value]:
    row = [None if v == "" else v for v in values[:width]]
    if len(row) < width:
        row.extend([None] * (width - len(row)))
    return row


# -- spreadsheets via calamine --------------------------------------------------------------------------------------


def _read_workbook(path: Path, name: str, kind: str, limits: Limits, header_score: HeaderScore | None) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_names = workbook.sheet_names
    except Exception as exc:  # calamine raises its own error types for every kind of broken file
        raise InvalidInput(
            "het bestand is beschadigd of geen geldige spreadsheet en kon niet worden gelezen.", location=name
        ) from exc
    if not sheet_names:
        raise InvalidInput("het bestand bevat geen werkbladen.", location=name)
    sheet_name, sheet = _first_filled_sheet(workbook, sheet_names, name)
    height, width = sheet.height, sheet.width
    start = sheet.start or (0, 0)
    first_row = start[0]  # 0-based offset of the first stored row (empty rows above are not stored)
    if width > limits.max_columns:
        raise InvalidInput(f"het werkblad heeft {width} kolommen; de grens is {limits.max_columns}.", location=name)
    head = sheet.to_python(nrows=HEADER_SCAN_ROWS, skip_empty_area=False)
    header_index, headers = _find_header(head, name, header_score)
    header_row_number = first_row + header_index + 1
    data_rows = height - header_index - 1
    if data_rows > limits.max_rows:
        raise InvalidInput(
            f"het werkblad heeft {data_rows} regels; de grens is {limits.max_rows}. Splits het bestand.",
            location=name,
        )
    column_count = len(headers)
    if (
        not any(any(c not in (None, "") for c in row) for row in head[header_index + 1 :])
        and height <= HEADER_SCAN_ROWS
    ):
        raise InvalidInput("het werkblad bevat alleen een kopregel en geen gegevens.", location=name)

    limit = limits.max_cell_chars

    def rows() -> Iterator[tuple[int, list[Value]]]:
        for offset, values in enumerate(sheet.iter_rows()):
            if offset <= header_index:
                continue
            row = _shape(values, column_count)
            if row.count(None) == column_count:
                continue
            joined = "".join([v for v in row if v.__class__ is str])
            if len(joined) > limit or "\x00" in joined:  # cheap test first; the exact one names the cell
                _check_cells(row, first_row + offset + 1, headers, name, limits)
            yield first_row + offset + 1, row

    return Table(name, kind, header_row_number, headers, sheet_name, rows, data_rows)


def _first_filled_sheet(workbook: Any, sheet_names: list[str], name: str) -> tuple[str, Any]:
    for sheet_name in sheet_names:
        sheet = _load_sheet(workbook, sheet_name, name)
        if sheet.height and sheet.width:
            return sheet_name, sheet
    raise InvalidInput("het bestand bevat geen gegevens (alle werkbladen zijn leeg).", location=name)


def _load_sheet(workbook: Any, sheet_name: str, name: str) -> Any:
    try:
        return workbook.get_sheet_by_name(sheet_name)
    except Exception as exc:
        raise InvalidInput(f"werkblad '{sheet_name}' is beschadigd en kon niet worden gelezen.", location=name) from exc


# -- CSV -------------------------------------------------------------------------------------------------------------


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                return raw.decode("utf-16")
            except UnicodeDecodeError:
                pass
        raise InvalidInput(
            "het bestand bevat NUL-tekens: het is geen tekst- of CSV-bestand, of het is beschadigd.", location=name
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if "\ufffd" in text:
        raise InvalidInput(
            "de tekens in het bestand zijn niet te lezen (geen UTF-8 of Windows-1252). "
            "Sla het op als 'CSV UTF-8' of als Excel-bestand.",
            location=name,
        )
    return text


def _delimiter(lines: list[str]) -> str:
    best, best_score = ";", -1
    for candidate in (";", ",", "\t"):
        counts = [line.count(candidate) for line in lines if line.strip()]
        if not counts:
            continue
        score = max(counts) * 2 + sum(1 for c in counts if c and c == counts[-1])
        if max(counts) and score > best_score:
            best, best_score = candidate, score
    return best


def _csv_records(text: str, delimiter: str, name: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            yield reader.line_num, record
    except csv.Error as exc:
        raise InvalidInput(
            f"het CSV-bestand is onleesbaar rond regel {reader.line_num}: {exc}.", location=name
        ) from exc


def _read_csv(path: Path, name: str, limits: Limits, header_score: HeaderScore | None) -> Table:
    text = _decode(path.read_bytes(), name)
    sample = text[:64_000].splitlines()[:HEADER_SCAN_ROWS]
    if not any(line.strip() for line in sample):
        raise InvalidInput("het bestand bevat geen gegevens.", location=name)
    delimiter = _delimiter(sample)
    head: list[list[Value]] = []
    head_lines: list[int] = []
    for line_number, record in _csv_records(text, delimiter, name):
        head.append([c.strip() or None for c in record])
        head_lines.append(line_number)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    width = max((len(r) for r in head), default=0)
    if width > limits.max_columns:
        raise InvalidInput(f"het bestand heeft {width} kolommen; de grens is {limits.max_columns}.", location=name)
    header_index, headers = _find_header(head, name, header_score)
    header_row_number = head_lines[header_index]

    def rows() -> Iterator[tuple[int, list[Value]]]:
        count = 0
        for line_number, record in _csv_records(text, delimiter, name):
            if line_number <= header_row_number or not any(c.strip() for c in record):
                continue
            count += 1
            if count > limits.max_rows:
                raise InvalidInput(
                    f"het bestand heeft meer dan {limits.max_rows} regels; dat is de grens. Splits het bestand.",
                    location=name,
                )
            row = _shape([c.strip() for c in record], len(headers))
            joined = "".join([v for v in row if v is not None])
            if len(joined) > limits.max_cell_chars:
                _check_cells(row, line_number, headers, name, limits)
            yield line_number, row

    table = Table(name, "csv", header_row_number, headers, "", rows, None)
    if next(iter(table.rows), None) is None:
        raise InvalidInput("het bestand bevat alleen een kopregel en geen gegevens.", location=name)
    return table
