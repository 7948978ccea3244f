"""From raw cells to clean values: BSN, postcode, house number parts, dates and names, with Dutch row problems.

Everything here is pure (no database). :func:`parse_table` walks a :class:`imports.reader.Table` once and
returns the valid rows as tuples in the order of the list type's fields, plus every problem found, each with the
row number as the user sees it in the spreadsheet, the column, the value and a Dutch message.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter, mul
from typing import Any

from campaign.address import format_postcode
from campaign.bsn import normalise_bsn
from imports.columns import ADDRESS_FIELDS, ColumnMapping, Field, fields_for
from imports.reader import Table

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_HOUSE = re.compile(r"^(\d{1,5})\s*([A-Za-z](?![A-Za-z0-9]))?\s*[-/ ]?\s*([A-Za-z0-9]{1,10})?$")
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
_BSN_CODE_OFFSET = ord("0") * (sum(_BSN_WEIGHTS) - 1)  # the '0' in every character code, weighted
_PHONE = re.compile(r"[0-9+()\-. ]+")


#: Repeated raw values (street, city, team, prefix, dates) are converted once per column; BSNs and phone
#: numbers are (nearly) unique, so they are not cached.
_UNIQUE_KINDS = ("bsn", "phone")
CACHE_SIZE = 50_000
_MISSING = object()


class FieldError(ValueError):
    """A value that cannot be used; the message is Dutch and completes "<column>: ..."."""


@dataclass(frozen=True)
class Problem:
    row: int  # as in the spreadsheet (1-based, counting title and header rows)
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"regel {self.row}, kolom {self.column}: {self.message}"


@dataclass
class ParseResult:
    list_type: str
    field_names: tuple[str, ...]
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)  # (row number, values) of valid rows
    problems: list[Problem] = field(default_factory=list)
    total_rows: int = 0
    seen_bsns: set[str] = field(default_factory=set)  # every valid BSN in the file, also of rows with problems

    @property
    def error_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    def problems_by_row(self) -> dict[int, list[Problem]]:
        grouped: dict[int, list[Problem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.row, []).append(problem)
        return grouped


# -- single values ---------------------------------------------------------------------------------------------------


def shown(value: Any) -> str:
    """A raw cell as the user would recognise it in a message."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M") if value.time() != dt.time() else value.strftime("%d-%m-%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def clean_text(value: Any, max_length: int | None = None) -> str:
    """Trimmed, inner whitespace collapsed, Unicode NFC (diacritics intact); numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.date):
        value = shown(value)
    text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    if max_length is not None and len(text) > max_length:
        raise FieldError(f"de waarde is {len(text)} tekens lang; hier passen er hoogstens {max_length}.")
    return text


def parse_bsn(value: Any) -> str:
    if value.__class__ is str and len(value) == 9 and value.isdigit() and value.isascii() and value != "000000000":
        # the common case, checked in C speed on the character codes; the same elfproef as stdnum.nl.bsn (see
        # tests/unit): sum of (code - 48) * weight over the first eight, minus the ninth digit
        codes = value.encode()
        if (sum(map(mul, codes, _BSN_WEIGHTS)) - codes[8] - _BSN_CODE_OFFSET) % 11 == 0:
            return value
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FieldError("het BSN ontbreekt.")
    bsn = normalise_bsn(value)
    if bsn is None:
        digits = re.sub(r"\D", "", shown(value))
        if len(digits) not in (8, 9) or digits != shown(value).strip().replace(" ", "").replace(".", ""):
            raise FieldError("een BSN bestaat uit 9 cijfers.")
        raise FieldError("dit is geen geldig BSN (de elfproef klopt niet).")
    return bsn


def parse_date(value: Any) -> dt.date | None:
    """Real date cells, Excel serial numbers, dd-mm-jjjj (also / and .), jjjj-mm-dd and jjjjmmdd."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise FieldError("dit is geen datum.")
    if isinstance(value, int | float):
        return _date_from_number(int(value))
    text = str(value).strip()
    if not text:
        return None
    if match := _DMY.match(text):
        return _ymd(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _YMD.match(text):
        return _ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _COMPACT.match(text):
        return _ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if text.isdigit():
        return _date_from_number(int(text))
    raise FieldError("dit is geen datum; gebruik dd-mm-jjjj.")


def _date_from_number(number: int) -> dt.date:
    if 19000101 <= number <= 21001231:
        return _ymd(number // 10000, number // 100 % 100, number % 100)
    if 1 <= number <= 73050:  # Excel serial numbers up to the year 2100
        return EXCEL_EPOCH + dt.timedelta(days=number)
    raise FieldError("dit getal is geen datum.")


def _ymd(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise FieldError("deze datum bestaat niet.") from None


def parse_postcode(value: Any) -> str:
    text = clean_text(value)
    if not text:
        return ""
    postcode = format_postcode(text)
    if postcode is None:
        raise FieldError("dit is geen geldige postcode; verwacht 4 cijfers en 2 letters, zoals 3011 AB.")
    return postcode


def parse_house(value: Any) -> tuple[int | None, str, str]:
    """'12', 12.0, '12a', '12 A', '12-2', '12a-bis' -> (number, letter, addition)."""
    if value is None:
        return None, "", ""
    if isinstance(value, bool):
        raise FieldError("dit is geen huisnummer.")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise FieldError("een huisnummer is een geheel getal.")
        number = int(value)
        if not 1 <= number <= 99999:
            raise FieldError("een huisnummer ligt tussen 1 en 99999.")
        return number, "", ""
    text = clean_text(value)
    if not text:
        return None, "", ""
    match = _HOUSE.match(text)
    if not match:
        raise FieldError("dit is geen huisnummer (verwacht bijvoorbeeld 12, 12a of 12-2).")
    number = int(match.group(1))
    if not 1 <= number <= 99999:
        raise FieldError("een huisnummer ligt tussen 1 en 99999.")
    return number, match.group(2) or "", match.group(3) or ""


def parse_house_letter(value: Any) -> str:
    text = clean_text(value)
    if text and (len(text) != 1 or not text.isalpha()):
        raise FieldError("een huisletter is één letter.")
    return text


def parse_house_addition(value: Any) -> str:
    text = clean_text(value).lstrip("-").strip()
    if len(text) > 10:
        raise FieldError("een toevoeging is hoogstens 10 tekens.")
    if text and not all(ch.isalnum() or ch == " " for ch in text):
        raise FieldError("een toevoeging bevat alleen letters en cijfers.")
    return text


def parse_phone(value: Any) -> str:
    if value.__class__ is str and value.isdigit() and value.isascii() and len(value) <= 20:
        return value  # the common case: digits only, nothing to clean
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        return "0" + digits if len(digits) == 9 else digits  # the leading 0 a spreadsheet dropped
    text = clean_text(value, 20)
    if text and not _PHONE.fullmatch(text):
        raise FieldError("een telefoonnummer bevat alleen cijfers, spaties en + ( ) -.")
    return text


def _converter(spec: Field, today: dt.date) -> Callable[[Any], Any]:
    if spec.kind == "bsn":
        return parse_bsn
    if spec.kind == "date":
        return _date_checker(spec, today)
    if spec.kind == "postcode":
        return parse_postcode
    if spec.kind == "house_number":
        return parse_house
    if spec.kind == "house_letter":
        return parse_house_letter
    if spec.kind == "house_addition":
        return parse_house_addition
    if spec.kind == "phone":
        return parse_phone
    max_length = spec.max_length
    return lambda value: clean_text(value, max_length)


def _date_checker(spec: Field, today: dt.date) -> Callable[[Any], dt.date | None]:
    earliest = dt.date(1900, 1, 1)
    latest = today if spec.name == "birth_date" else dt.date(today.year + 5, 12, 31)

    def check(value: Any) -> dt.date | None:
        date = parse_date(value)
        if date is not None and not earliest <= date <= latest:
            raise FieldError(f"de datum {date:%d-%m-%Y} kan niet kloppen.")
        return date

    return check


# -- whole rows ------------------------------------------------------------------------------------------------------


def parse_table(  # noqa: C901 - the per-row loop is inlined on purpose: it runs 100,000 times per file
    table: Table,
    mapping: ColumnMapping,
    list_type: str,
    *,
    today: dt.date,
    progress: Callable[[int], None] | None = None,
) -> ParseResult:
    """Check every row once. Rows with any problem are left out of ``rows`` and listed in ``problems``.

    Columns with repeating values (names, streets, dates ...) are converted once per distinct value: per row the
    known values of all those columns are looked up in one ``map`` over their caches, and only a row with a value
    not seen before (or a yes/no cell, which a cache would confuse with 1 and 0) takes the slow path.
    """
    specs = fields_for(list_type)
    names = tuple(spec.name for spec in specs)
    result = ParseResult(list_type, names)
    plan = [
        (
            names.index(spec.name),
            column,
            mapping.headers[column] or f"kolom {column + 1}",
            _converter(spec, today),
            spec.kind not in _UNIQUE_KINDS,
        )
        for spec in specs
        if (column := mapping.column_of(spec.name)) is not None
    ]
    cached = [(position, column, header, convert) for position, column, header, convert, cache in plan if cache]
    unique = [(position, column, header, convert) for position, column, header, convert, cache in plan if not cache]
    known: list[dict[Any, Any]] = [{} for _ in cached]  # raw value -> converted value, per cached column
    refused: list[dict[Any, str]] = [{} for _ in cached]  # raw value -> problem message, per cached column
    misses = [_MISSING] * len(cached)
    take = _getter([column for _position, column, _header, _convert in cached])
    # values are gathered as [*cached columns, *unique columns, *fields without a column], then put in field order
    defaults = dict.fromkeys(_TEXT_DEFAULTS, "") if list_type == "clients" else {}
    unmapped = [position for position, name in enumerate(names) if mapping.column_of(name) is None]
    gathered = [position for position, *_ in cached] + [position for position, *_ in unique] + unmapped
    in_field_order = _getter([gathered.index(position) for position in range(len(names))])
    constants = [defaults.get(names[position]) for position in unmapped]
    checks = _row_checks(list_type, names, mapping)
    first_row_of: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    by_bsn: dict[str, tuple[int, tuple[Any, ...]]] = {}
    problems = result.problems
    bsn_at = names.index("bsn")
    count = 0
    for count, (row_number, cells) in enumerate(table.rows, start=1):
        if progress is not None and count % 5000 == 0:
            progress(count)
        raws = take(cells)
        hits = list(map(dict.get, known, raws, misses))
        found: list[tuple[int, Problem]] = []
        if _MISSING in hits or bool in map(type, raws):
            _convert_new(cached, known, refused, raws, hits, row_number, found)
        for position, column, header, convert in unique:
            raw = cells[column]
            try:
                hits.append(convert(raw))
            except FieldError as exc:
                hits.append(None)
                found.append((position, Problem(row_number, header, shown(raw), str(exc))))
        values = list(in_field_order(hits + constants))
        row_problems = [problem for _position, problem in sorted(found)] if found else []
        for check in checks:
            check(row_number, values, row_problems)
        bsn = values[bsn_at]
        if bsn:
            if bsn in first_row_of:
                duplicates.setdefault(bsn, [first_row_of[bsn]]).append(row_number)
            else:
                first_row_of[bsn] = row_number
        if row_problems:
            problems.extend(row_problems)
        elif bsn:
            by_bsn[bsn] = (row_number, tuple(values))
    result.total_rows = count
    _report_duplicates(result, duplicates, mapping, by_bsn)
    result.seen_bsns = set(first_row_of)
    result.rows = sorted(by_bsn.values(), key=lambda item: item[0])
    result.problems.sort(key=lambda p: p.row)
    return result


def _getter(indexes: list[int]) -> Callable[[Any], tuple[Any, ...]]:
    """``itemgetter(*indexes)`` that always returns a tuple (also for one index or none)."""
    if not indexes:
        return lambda row: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda row: (row[index],)
    return itemgetter(*indexes)


def _convert_new(
    cached: list[tuple[int, int, str, Callable[[Any], Any]]],
    known: list[dict[Any, Any]],
    refused: list[dict[Any, str]],
    raws: tuple[Any, ...],
    hits: list[Any],
    row_number: int,
    found: list[tuple[int, Problem]],
) -> None:
    """The slow path of :func:`parse_table` for one row: convert (and remember) values not seen before."""
    for index, (position, _column, header, convert) in enumerate(cached):
        raw = raws[index]
        if raw.__class__ is bool:  # True == 1 as a dict key: never cached, converted every time
            try:
                hits[index] = convert(raw)
            except FieldError as exc:
                hits[index] = None
                found.append((position, Problem(row_number, header, shown(raw), str(exc))))
            continue
        if hits[index] is not _MISSING:
            continue
        message = refused[index].get(raw)
        if message is None:
            try:
                value = convert(raw)
            except FieldError as exc:
                message = str(exc)
                _remember(refused[index], raw, message)
            else:
                _remember(known[index], raw, value)
                hits[index] = value
                continue
        hits[index] = None
        found.append((position, Problem(row_number, header, shown(raw), message)))


def _remember(cache: dict[Any, Any], raw: Any, value: Any) -> None:
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[raw] = value


def _report_duplicates(
    result: ParseResult,
    duplicates: dict[str, list[int]],
    mapping: ColumnMapping,
    by_bsn: dict[str, tuple[int, tuple[Any, ...]]],
) -> None:
    column = mapping.column_of("bsn")
    header = mapping.headers[column] if column is not None else "BSN"
    for bsn, rows in duplicates.items():
        by_bsn.pop(bsn, None)
        for row in rows:
            others = ", ".join(str(r) for r in rows if r != row)
            result.problems.append(
                Problem(row, header, bsn, f"dit BSN staat meer dan eens in het bestand (ook op regel {others}).")
            )


RowCheck = Callable[[int, list[Any], list[Problem]], None]


_TEXT_DEFAULTS = ("initials", "first_names", "prefix", "street", "house_letter", "house_addition", "postcode", "city",
                  "team", "phone")  # fmt: skip


def _row_checks(list_type: str, names: tuple[str, ...], mapping: ColumnMapping) -> Iterable[RowCheck]:
    if list_type != "clients":
        return []
    at = {name: names.index(name) for name in names}
    labels = {f.name: f.label for f in fields_for(list_type)}

    def header(name: str) -> str:
        column = mapping.column_of(name)
        return labels[name] if column is None else (mapping.headers[column] or f"kolom {column + 1}")

    return [_house_parts(at), _required(at, header)]


def _house_parts(at: dict[str, int]) -> RowCheck:
    """Letter and addition written in the house number cell fill the empty letter and addition columns.

    (Text fields without a column already arrive as "" from :func:`parse_table`.)
    """
    number_at, letter_at, addition_at = at["house_number"], at["house_letter"], at["house_addition"]

    def check(row: int, values: list[Any], problems: list[Problem]) -> None:
        house = values[number_at]
        if isinstance(house, tuple):
            number, letter, addition = house
            values[number_at] = number
            if letter and not values[letter_at]:
                values[letter_at] = letter
            if addition and not values[addition_at]:
                values[addition_at] = addition

    return check


def _required(at: dict[str, int], header: Callable[[str], str]) -> RowCheck:
    surname_header = header("surname")
    address_headers = {header(n) for n in ADDRESS_FIELDS}
    surname_at = at["surname"]
    address = itemgetter(*(at[name] for name in ADDRESS_FIELDS))

    def check(row: int, values: list[Any], problems: list[Problem]) -> None:
        present = address(values)
        if values[surname_at] and None not in present and "" not in present:
            return  # the common case
        if not values[surname_at] and not any(p.column == surname_header for p in problems):
            problems.append(Problem(row, surname_header, "", "de achternaam ontbreekt."))
        missing = [name for name in ADDRESS_FIELDS if values[at[name]] in (None, "")]
        if missing and not any(p.column in address_headers for p in problems):
            labels = ", ".join(header(n).lower() for n in missing)
            problems.append(Problem(row, header(missing[0]), "", f"het adres is onvolledig: {labels} ontbreekt."))

    return check
