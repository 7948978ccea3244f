"""Reading a UWV registration list: columns recognised, rows validated and matched by BSN, pure (no database).

The result holds only what the campaign needs: registrations of the campaign's own cases. BSNs that are not in
the campaign are counted and then forgotten; they never reach the result, a message or a log line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from campaign.dates import dutch_date
from imports.normalise import FieldError, parse_date, shown
from imports.reader import Table

MAX_LISTED_PROBLEMS = 200

#: Field -> header spellings (folded: lower case, letters and digits only).
COLUMN_ALIASES = {
    "bsn": ("bsn", "burgerservicenummer", "bsnnummer", "sofinummer", "bsnsofinummer", "bsnklant"),
    "registered_on": (
        "datuminschrijving", "inschrijfdatum", "inschrijvingsdatum", "ingeschrevensinds", "datumregistratie",
        "registratiedatum", "begindatum", "begindatuminschrijving", "datumingang", "ingangsdatum",
    ),
    "ended_on": (
        "einddatum", "datumeinde", "einddatuminschrijving", "datumuitschrijving", "uitschrijfdatum",
        "uitgeschrevenper", "datumbeeindiging", "vervaldatum",
    ),
    "status": ("status", "statusinschrijving", "inschrijvingsstatus", "inschrijfstatus"),
}  # fmt: skip
COLUMN_TITLES = {"bsn": "BSN", "registered_on": "Datum inschrijving", "ended_on": "Einddatum", "status": "Status"}
ACTIVE_STATUSES = frozenset({"", "ingeschreven", "actief", "geregistreerd", "werkzoekend", "ja", "lopend"})
ENDED_STATUSES = frozenset(
    {"uitgeschreven", "beeindigd", "afgemeld", "vervallen", "verlopen", "beeindiging", "nee", "nietingeschreven"}
)


_STATUS_FOLDS: dict[str, str] = {}


def fold_header(text: str) -> str:
    text = text.lower().replace("ë", "e").replace("é", "e")
    return "".join(ch for ch in text if ch.isalnum())


def header_score(headers: list[str]) -> int:
    """For the reader: a row is the header when it names a BSN column (missing others are reported later)."""
    fields = {field_for(h) for h in headers}
    return len(fields - {None}) if "bsn" in fields else 0


def field_for(header: str) -> str | None:
    folded = fold_header(header)
    for name, aliases in COLUMN_ALIASES.items():
        if folded in aliases:
            return name
    return None


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Registration:
    row: int
    case_id: int
    registered_on: dt.date
    ended_on: dt.date | None
    status: str

    def active_on(self, day: dt.date) -> bool:
        return self.registered_on <= day and (self.ended_on is None or self.ended_on > day)


@dataclass
class ParsedList:
    """What a UWV list says about the campaign's cases, and what was wrong with it."""

    peildatum: dt.date
    rows: int = 0
    registrations: dict[int, Registration] = field(default_factory=dict)  # case_id -> the row that counts
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    duplicates: list[list[int]] = field(default_factory=list)  # row numbers per repeated campaign BSN
    not_in_campaign: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def add_problem(self, row: int, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(Problem(row, column, message))


def check_digits(text: str) -> str | None:
    """The 9-digit BSN for a cell's text when it passes the elfproef, else None (fast path for big lists)."""
    if len(text) == 8:
        text = "0" + text
    if len(text) != 9 or not text.isdigit() or not text.isascii():
        return None
    d = text.encode()
    total = 9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7] - d[8] - 43 * 48
    return text if total % 11 == 0 and total != 0 else None


def bsn_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return str(value).strip().replace(" ", "").replace(".", "")


class DateParser:
    """Dates normalised exactly as in the municipal import (:func:`imports.normalise.parse_date`), cached per
    text because a register repeats the same few hundred dates; also accepts a time after the date."""

    def __init__(self) -> None:
        self._cache: dict[object, dt.date | str] = {}

    def __call__(self, value: object) -> dt.date | str:
        """The date, or a Dutch message why the cell is not one."""
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        found = self._cache.get(value)
        if found is None:
            found = self._parse(value)
            if len(self._cache) < 100_000:
                self._cache[value] = found
        return found

    @staticmethod
    def _parse(value: object) -> dt.date | str:
        try:
            day = parse_date(value)
        except FieldError as exc:
            if isinstance(value, str) and " " in value.strip():
                return DateParser._parse(value.strip().split(" ")[0])
            return str(exc)
        if day is None:
            return "de datum ontbreekt."
        if not 1900 <= day.year <= 2100:
            return "dit is geen datum tussen 1900 en 2100."
        return day


def parse_uwv_table(
    table: Table,
    case_ids: Mapping[str, int],
    peildatum: dt.date,
    *,
    progress: Callable[[int], None] | None = None,
) -> ParsedList:
    """Validate every row and keep the registrations of the campaign's cases (``case_ids``: BSN -> case id)."""
    columns = _columns(table)
    result = ParsedList(peildatum=peildatum)
    result.ignored_columns = [h for h in table.headers if h and field_for(h) is None]
    parse_date = DateParser()
    unknown: set[str] = set()
    rows_by_case: dict[int, list[int]] = {}
    title = COLUMN_TITLES
    i_bsn, i_from, i_end, i_status = (columns.get(k) for k in ("bsn", "registered_on", "ended_on", "status"))
    count = 0
    lookup = case_ids.get
    for count, (number, values) in enumerate(table.rows, start=1):
        if progress is not None and count % 20_000 == 0:
            progress(count)
        raw = values[i_bsn]
        if raw.__class__ is str and len(raw) == 9:  # the common case: a clean 9-digit text cell
            case_id = lookup(raw)
            text = raw
        else:
            if raw is None:
                result.add_problem(number, title["bsn"], "BSN ontbreekt.")
                continue
            text = bsn_text(raw)
            if len(text) == 8:
                text = "0" + text
            case_id = lookup(text)
        if case_id is None:
            bsn = check_digits(text)
            if bsn is None:
                result.add_problem(number, title["bsn"], "geen geldig BSN (9 cijfers en de elfproef).")
            else:
                unknown.add(bsn)
            continue
        registration = _registration(result, number, case_id, values, (i_from, i_end, i_status), parse_date)
        if registration is None:
            continue
        rows_by_case.setdefault(case_id, []).append(number)
        current = result.registrations.get(case_id)
        if current is None or _preferred(registration, current, peildatum):
            result.registrations[case_id] = registration
    result.rows = count
    result.not_in_campaign = len(unknown)
    result.duplicates = sorted(rows for rows in rows_by_case.values() if len(rows) > 1)
    return result


def _columns(table: Table) -> dict[str, int]:
    from campaign.errors import InvalidInput

    columns: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = field_for(header) if header else None
        if name is None:
            continue
        if name in columns:
            raise InvalidInput(
                f"de kolom {COLUMN_TITLES[name]!r} komt twee keer voor (kolom {columns[name] + 1} en {index + 1}).",
                location=table.filename,
            )
        columns[name] = index
    missing = [COLUMN_TITLES[name] for name in ("bsn", "registered_on") if name not in columns]
    if missing:
        raise InvalidInput(
            "de kolom(men) " + " en ".join(missing) + " ontbreken. Een UWV-lijst heeft per regel een BSN en een "
            "datum inschrijving, eventueel een einddatum en een status.",
            location=table.filename,
        )
    return columns


def _registration(
    result: ParsedList,
    number: int,
    case_id: int,
    values: list,
    indexes: tuple[int | None, int | None, int | None],
    parse_date: DateParser,
) -> Registration | None:
    i_from, i_end, i_status = indexes
    peildatum = result.peildatum
    problems = len(result.problems), result.problem_count
    registered_on = _date(result, number, "registered_on", values[i_from], parse_date, required=True)
    ended_on = _date(result, number, "ended_on", values[i_end], parse_date) if i_end is not None else None
    status_raw = values[i_status] if i_status is not None else None
    status = "" if status_raw is None else str(status_raw).strip()[:40]
    folded = _STATUS_FOLDS.get(status)
    if folded is None:
        folded = fold_header(status)
        if len(_STATUS_FOLDS) < 1000:
            _STATUS_FOLDS[status] = folded
    if folded not in ACTIVE_STATUSES and folded not in ENDED_STATUSES:
        result.add_problem(number, COLUMN_TITLES["status"], f"onbekende status {status!r}.")
    if registered_on is not None and registered_on > peildatum:
        result.add_problem(
            number,
            COLUMN_TITLES["registered_on"],
            f"de datum inschrijving ({dutch_date(registered_on)}) ligt na de peildatum ({dutch_date(peildatum)}).",
        )
    if registered_on is not None and ended_on is not None and ended_on < registered_on:
        result.add_problem(number, COLUMN_TITLES["ended_on"], "de einddatum ligt vóór de datum inschrijving.")
    if (len(result.problems), result.problem_count) != problems or registered_on is None:
        return None
    if folded in ENDED_STATUSES and ended_on is None:
        ended_on = peildatum  # ended according to the list, date unknown: not registered from the peildatum
    return Registration(number, case_id, registered_on, ended_on, status)


def _date(
    result: ParsedList, number: int, name: str, value: object, parse: DateParser, *, required: bool = False
) -> dt.date | None:
    if value is None:
        if required:
            result.add_problem(number, COLUMN_TITLES[name], f"{COLUMN_TITLES[name].lower()} ontbreekt.")
        return None
    day = parse(value)
    if isinstance(day, str):
        result.add_problem(number, COLUMN_TITLES[name], f"{shown(value)[:30]!r}: {day}")
        return None
    return day


def _preferred(new: Registration, current: Registration, peildatum: dt.date) -> bool:
    """Of two rows for one case, the one active on the peildatum wins, then the most recent registration."""
    return (new.active_on(peildatum), new.registered_on) > (current.active_on(peildatum), current.registered_on)


@dataclass(frozen=True)
class Comparison:
    """How the new list differs from the previous applied one (per case id)."""

    newly_registered: list[int]
    already_known: list[int]
    ended: list[int]
    no_longer_listed: list[int]
    changed: list[int]


def compare(
    new: Mapping[int, Registration],
    previous: Mapping[int, tuple[dt.date, dt.date | None]],
    peildatum: dt.date,
    previous_peildatum: dt.date | None,
) -> Comparison:
    """Sort the cases into newly registered, already known, ended and no longer on the list."""
    newly, known, ended, gone, changed = [], [], [], [], []

    def was_active(case_id: int) -> bool:
        dates = previous.get(case_id)
        return dates is not None and (dates[1] is None or previous_peildatum is None or dates[1] > previous_peildatum)

    for case_id, registration in new.items():
        if not registration.active_on(max(peildatum, registration.registered_on)):
            ended.append(case_id)
        elif was_active(case_id):
            known.append(case_id)
        else:
            newly.append(case_id)
        if previous.get(case_id) != (registration.registered_on, registration.ended_on):
            changed.append(case_id)
    for case_id in previous:
        if case_id not in new:
            changed.append(case_id)
            if was_active(case_id):
                gone.append(case_id)
    return Comparison(newly, known, ended, gone, changed)
