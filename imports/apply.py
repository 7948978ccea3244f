"""Comparing a checked list with the campaign and writing the difference, set-based.

The existing cases of the campaign are loaded once into a dict by BSN (plain tuples from the driver's cursor);
the plan is computed in memory, comparing whole rows as tuples. The writes are a handful of bulk statements: new
cases by COPY (PostgreSQL) or one executemany of tuples (SQLite), their first history lines by one
INSERT ... SELECT, changed ones updated with their version checked, missing ones flagged. Nothing is flushed per
row. The caller owns the transaction: either all of it is committed or none of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.dates import dutch_date
from campaign.errors import StaleData
from campaign.models import Campaign, Case, CaseEvent, utcnow
from campaign.text import surname_key
from imports.columns import ColumnMapping, fields_for
from imports.normalise import ParseResult

CHUNK = 5_000
BULK_ROWS = 10_000  # from this many written rows on, SQLite gets a larger page cache for the writes
BULK_CACHE_KIB = 32 * 1024
_MISSING = object()
_CASES = Case.__table__
_EVENTS = CaseEvent.__table__
NO_ACTION_ENDED = "UITKERING_BEEINDIGD"

CHANGE_LABELS = {
    "initials": "voorletters", "first_names": "voornamen", "prefix": "tussenvoegsel", "surname": "achternaam",
    "birth_date": "geboortedatum", "street": "straat", "house_number": "huisnummer", "house_letter": "huisletter",
    "house_addition": "toevoeging", "postcode": "postcode", "city": "woonplaats", "team": "team",
    "phone": "telefoonnummer",
}  # fmt: skip


@dataclass
class Plan:
    list_type: str
    fields: tuple[str, ...]  # the fields this file fills (what an update may change)
    new: list[tuple[Any, ...]] = field(default_factory=list)  # values in parse order
    changed: list[tuple[int, int, dict[str, Any], dict[str, list[Any]]]] = field(default_factory=list)
    unchanged: int = 0
    returned: list[tuple[int, int]] = field(default_factory=list)  # (id, version): back on the list
    missing: list[tuple[int, int]] = field(default_factory=list)  # newly missing from the list
    still_missing: int = 0
    ended: list[tuple[int, int, dt.date]] = field(default_factory=list)  # uitstroom: (id, version, end date)
    not_in_campaign: int = 0  # uitstroom: BSNs that are not in the campaign (counted, never stored)
    error_rows: int = 0

    @property
    def counts(self) -> dict[str, int]:
        counts = {
            "nieuw": len(self.new),
            "gewijzigd": len(self.changed) + len(self.returned) + len(self.ended),
            "ongewijzigd": self.unchanged,
            "niet_meer_in_lijst": len(self.missing),
            "al_niet_in_lijst": self.still_missing,
            "fouten": self.error_rows,
        }
        if self.list_type == "uitstroom":
            counts["niet_in_campagne"] = self.not_in_campaign
        return counts


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def compared_fields(mapping: ColumnMapping, list_type: str) -> tuple[str, ...]:
    mapped = {f for f in mapping.fields if f}
    if "house_number" in mapped:
        mapped |= {"house_letter", "house_addition"}
    return tuple(f.name for f in fields_for(list_type) if f.name in mapped and f.name != "bsn")


@dataclass
class Existing:
    """The campaign's cases as an import compares them, loaded in one query.

    ``by_bsn`` holds per BSN a row ``(bsn, id, version, flag, *values of fields)``; the flag is
    ``missing_from_list_since`` for a client list and ``no_action_reason`` for an uitstroom list.
    """

    list_type: str
    fields: tuple[str, ...]
    by_bsn: dict[str, Sequence[Any]]


def load_existing(session: orm.Session, campaign_id: int, list_type: str, fields: tuple[str, ...]) -> Existing:
    """Every case of the campaign with the fields the file can change (``fields``; none for an uitstroom list).

    The rows come straight from the driver's cursor as plain tuples (100,000 of them: SQLAlchemy's result rows
    would cost a second); only columns whose type needs converting on this database (dates on SQLite) are
    converted, by SQLAlchemy's own result processor, once per distinct value.
    """
    session.flush()  # what the ORM would autoflush before a query: pending changes count
    connection = session.connection()
    dialect = connection.dialect
    columns = _CASES.c
    if list_type == "uitstroom":
        fields = ()
        flag = columns.no_action_reason
    else:
        flag = columns.missing_from_list_since
    selected = [columns.bsn, columns.id, columns.version, flag, *(columns[name] for name in fields)]
    query = sa.select(*selected).where(columns.campaign_id == int(campaign_id))
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    converters = [
        (index, processor, {})
        for index, column in enumerate(selected)
        if (processor := column.type._cached_result_processor(dialect, None)) is not None
    ]
    by_bsn: dict[str, Sequence[Any]] = {}
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(CHUNK):  # in chunks: never all rows twice in memory
            by_bsn.update((row[0], row) for row in (_converted(rows, converters) if converters else rows))
    finally:
        cursor.close()
    return Existing(list_type, fields, by_bsn)


def _converted(
    rows: Iterable[Sequence[Any]], converters: list[tuple[int, Callable[[Any], Any], dict]]
) -> Iterator[tuple[Any, ...]]:
    """Each row as a tuple with the values at the converters' indexes converted (once per distinct value)."""
    for row in rows:
        row = list(row)
        for index, processor, cache in converters:
            value = row[index]
            if value is not None:
                hit = cache.get(value, _MISSING)
                if hit is _MISSING:
                    hit = cache[value] = processor(value)
                row[index] = hit
        yield tuple(row)


def make_plan(session: orm.Session, campaign: Campaign, parsed: ParseResult, mapping: ColumnMapping) -> Plan:
    """What applying would do, computed without writing (the check page and the dry run show it)."""
    plan = Plan(parsed.list_type, compared_fields(mapping, parsed.list_type), error_rows=len(parsed.error_rows))
    existing = load_existing(session, campaign.id, parsed.list_type, plan.fields)
    if parsed.list_type == "uitstroom":
        _plan_uitstroom(existing, parsed, plan)
    else:
        _plan_clients(existing, parsed, plan)
    return plan


def _getter(indexes: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """Like ``itemgetter(*indexes)``, but always a tuple (also for a single index)."""
    if len(indexes) == 1:
        index = indexes[0]
        return lambda row: (row[index],)
    return itemgetter(*indexes)


def _plan_clients(existing: Existing, parsed: ParseResult, plan: Plan) -> None:
    names = parsed.field_names
    fields = plan.fields
    new_values = _getter([names.index(name) for name in fields])
    by_bsn = existing.by_bsn
    bsn_at = names.index("bsn")
    unchanged = 0
    for _row_number, values in parsed.rows:
        current = by_bsn.get(values[bsn_at])
        if current is None:
            plan.new.append(values)
            continue
        new = new_values(values)
        old = current[4:]
        if old != new:  # the exact comparison below only for rows that differ at all
            changes = {
                name: [before, after]
                for name, before, after in zip(fields, old, new, strict=True)
                if before != after and not (before is None and after == "")
            }
            if changes:
                plan.changed.append((current[1], current[2], dict(zip(fields, new, strict=True)), changes))
                continue
        if current[3] is not None:
            plan.returned.append((current[1], current[2]))
        else:
            unchanged += 1
    plan.unchanged += unchanged
    present = parsed.seen_bsns
    for bsn, row in by_bsn.items():
        if bsn in present:
            continue
        if row[3] is None:
            plan.missing.append((row[1], row[2]))
        else:
            plan.still_missing += 1


def _plan_uitstroom(existing: Existing, parsed: ParseResult, plan: Plan) -> None:
    names = parsed.field_names
    bsn_at, end_at = names.index("bsn"), names.index("end_date")
    by_bsn = existing.by_bsn
    for _row_number, values in parsed.rows:
        current = by_bsn.get(values[bsn_at])
        if current is None:
            plan.not_in_campaign += 1
        elif current[3] is None:
            plan.ended.append((current[1], current[2], values[end_at]))
        else:
            plan.unchanged += 1


# -- writing ---------------------------------------------------------------------------------------------------------


def _event(case_id: int, actor_id: int | None, kind: str, summary: str, now: dt.datetime, **data: Any) -> dict:
    return {"case_id": case_id, "actor_id": actor_id, "kind": kind, "summary": summary[:500], "data": data, "at": now}


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def apply_plan(
    session: orm.Session,
    campaign: Campaign,
    parsed: ParseResult,
    plan: Plan,
    *,
    actor: audit.Actor,
    today: dt.date,
    run_id: int,
    filename: str,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, int]:
    """Write the plan; raises StaleData (and the caller rolls back) when a case changed meanwhile."""
    report = progress or (lambda done, total, message: None)
    now = utcnow()
    source = f"{filename} (import {run_id})"
    with _bulk_write_cache(session, len(plan.new) + len(plan.changed)):
        if plan.list_type == "uitstroom":
            _write_uitstroom(session, plan, actor, today, now, source, run_id)
        else:
            _insert_new(session, campaign, parsed, plan, actor, now, source, run_id, report)
            _update_changed(session, plan, actor, now, source, run_id, report)
            _flag_missing(session, plan, actor, today, now, source, run_id)
    audit.record(
        session,
        actor,
        "import",
        "import_run",
        run_id,
        purpose=f"lijst inlezen ({plan.list_type}): " + ", ".join(f"{k} {v}" for k, v in plan.counts.items()),
    )
    return plan.counts


@contextmanager
def _bulk_write_cache(session: orm.Session, rows: int) -> Iterator[None]:
    """On SQLite, a larger page cache while many rows are written: the indexes of the cases table (BSN, surname,
    postcode) are filled in random order, and with the default 2 MB cache their pages are evicted and read back
    over and over. The connection's own setting is restored afterwards."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or rows < BULK_ROWS:
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def _insert_new(session, campaign, parsed, plan, actor, now, source, run_id, report) -> None:
    """The new cases in one bulk write (COPY on PostgreSQL), then their first history line by INSERT ... SELECT."""
    if not plan.new:
        return
    names = parsed.field_names
    stored = ("bsn", *plan.fields)
    pick = itemgetter(*(names.index(name) for name in stored))
    prefix_at = names.index("prefix") if "prefix" in plan.fields else None
    surname_at = names.index("surname")
    total = len(plan.new)
    number = campaign.next_case_number
    references = reference_range(campaign.reference_prefix, number, total)
    before = session.scalar(sa.select(sa.func.max(Case.id))) or 0

    def rows() -> Iterator[tuple[Any, ...]]:
        keys: dict[tuple[str, str], str] = {}  # surname keys repeat: fold each name once
        for count, (values, reference) in enumerate(zip(plan.new, references, strict=True), start=1):
            name_parts = (values[prefix_at] or "" if prefix_at is not None else "", values[surname_at])
            key = keys.get(name_parts)
            if key is None:
                key = keys[name_parts] = surname_key(*name_parts)
            yield (*pick(values), reference, key)
            if count % CHUNK == 0 or count == total:
                report(count, total, "Nieuwe dossiers aanmaken")

    _write_cases(
        session, [*stored, "reference", "surname_key"], {"campaign_id": campaign.id, "created_at": now}, rows()
    )
    campaign.next_case_number = number + total
    summary = f"Opgenomen in de campagne uit {source}."
    columns = _EVENTS.c
    select = sa.select(
        _CASES.c.id,
        sa.literal(actor.user_id, sa.Integer),
        sa.literal("import_nieuw", sa.String),
        sa.literal(summary, sa.String),
        sa.bindparam("event_data", {"import_run": run_id}, type_=columns.data.type),
        sa.bindparam("event_at", now, type_=columns.at.type),
    ).where(_CASES.c.campaign_id == campaign.id, _CASES.c.id > before, _CASES.c.created_at == now)
    session.execute(sa.insert(_EVENTS).from_select(["case_id", "actor_id", "kind", "summary", "data", "at"], select))


#: Weighted digit sums of the last three digits of a case number (weights 2, 3, 4), for :func:`reference_range`.
_LOW_SUMS = tuple(sum((i + 2) * int(d) for i, d in enumerate(reversed(f"{n:03d}"))) for n in range(1000))


def reference_range(prefix: str, first: int, count: int) -> list[str]:
    """``format_reference(prefix, n)`` for ``n`` from ``first`` on, ``count`` of them, without a per-digit loop.

    The check digit is a weighted digit sum: the last three digits' part comes from a table, the rest is summed
    once per thousand numbers.
    """
    references = []
    high_of, high_sum = -1, 0
    for number in range(first, first + count):
        high = number // 1000
        if high != high_of:
            high_of = high
            high_sum = sum((i + 5) * int(d) for i, d in enumerate(reversed(str(high))))
        references.append(f"{prefix}-{number:06d}{(_LOW_SUMS[number % 1000] + high_sum) % 11 % 10}")
    return references


def _write_cases(
    session: orm.Session, names: list[str], constants: dict[str, Any], rows: Iterable[tuple[Any, ...]]
) -> None:
    """New rows for the cases table, handed to the database driver in bulk (values of ``names`` per row).

    The ORM/Core executemany spends most of its time building a parameter dict per row; for 100,000 new cases that
    is seconds. Here each row is a plain tuple; the constants and every other column's scalar default are appended,
    converted once, and values are converted by SQLAlchemy's own bind processor where the dialect has one (dates on
    SQLite), exactly as Core would. PostgreSQL with psycopg gets the rows by COPY (far less work for the server than
    an INSERT per row); other drivers get one executemany per chunk.
    """
    connection = session.connection()
    dialect = connection.dialect
    given = set(names) | set(constants)
    fixed = dict(constants)
    fixed.update(
        (c.name, c.default.arg)
        for c in _CASES.columns
        if c.name not in given and c.default is not None and c.default.is_scalar
    )
    all_names = [*names, *fixed]
    processors = {name: _CASES.c[name].type._cached_bind_processor(dialect) for name in all_names}
    tail = tuple(v if v is None or processors[n] is None else processors[n](v) for n, v in fixed.items())
    converters = [(i, processors[n], {}) for i, n in enumerate(names) if processors[n] is not None]

    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        preparer = dialect.identifier_preparer
        columns = ", ".join(preparer.quote(name) for name in all_names)
        types = _binary_copy_types(dialect, all_names)
        statement = f"COPY {preparer.format_table(_CASES)} ({columns}) FROM STDIN"
        with connection.connection.driver_connection.cursor() as cursor:
            with cursor.copy(statement + (" (FORMAT BINARY)" if types else "")) as copy:
                if types:
                    copy.set_types(types)
                write_row = copy.write_row
                for row in _completed(rows, converters, tail):
                    write_row(row)
        return
    compiled = sa.insert(_CASES).compile(dialect=dialect, column_keys=all_names)
    if compiled.positional:
        shape = itemgetter(*(all_names.index(key) for key in compiled.positiontup))
    else:
        shape = lambda row: dict(zip(all_names, row, strict=True))  # noqa: E731
    batch: list[Any] = []
    for row in _completed(rows, converters, tail):
        batch.append(shape(row))
        if len(batch) == CHUNK:
            connection.exec_driver_sql(compiled.string, batch)
            batch = []
    if batch:
        connection.exec_driver_sql(compiled.string, batch)


#: PostgreSQL types of the cases table's columns for a binary COPY (no text to format and parse per value).
_BINARY_TYPES = {"INTEGER": "int4", "VARCHAR": "varchar", "DATE": "date", "TIMESTAMP WITH TIME ZONE": "timestamptz"}


def _binary_copy_types(dialect: sa.Dialect, names: list[str]) -> list[str] | None:
    """The type of each column for COPY ... (FORMAT BINARY), or None (text COPY) if one is not a known type."""
    types = [_BINARY_TYPES.get(_CASES.c[name].type.compile(dialect=dialect).split("(")[0]) for name in names]
    return None if None in types else types


def _completed(
    rows: Iterable[tuple[Any, ...]], converters: list[tuple[int, Callable[[Any], Any], dict]], tail: tuple[Any, ...]
) -> Iterator[tuple[Any, ...]]:
    """Each row converted where needed (once per distinct value) and followed by ``tail``."""
    for row in _converted(rows, converters) if converters else rows:
        yield (*row, *tail)


def _update_changed(session, plan, actor, now, source, run_id, report) -> None:
    items = [(case_id, version, values, changes) for case_id, version, values, changes in plan.changed]
    items += [(case_id, version, None, None) for case_id, version in plan.returned]
    if not items:
        return
    with_values = [i for i in items if i[2] is not None]
    if with_values:
        fields = plan.fields
        values_stmt = {name: sa.bindparam(f"v_{name}") for name in fields}
        stmt = (
            _CASES.update()
            .where(_CASES.c.id == sa.bindparam("b_id"), _CASES.c.version == sa.bindparam("b_version"))
            .values({**values_stmt, "missing_from_list_since": None, "version": sa.bindparam("b_next")})
        )
        params = [
            {"b_id": i, "b_version": v, "b_next": v + 1, **{f"v_{n}": values[n] for n in fields}}
            for i, v, values, _ in with_values
        ]
        _execute_checked(session, stmt, params)
        if "surname" in fields or "prefix" in fields:
            _refresh_surname_keys(session, [i for i, *_ in with_values])
    returned = [(i, v) for i, v, values, _ in items if values is None]
    if returned:
        stmt = (
            _CASES.update()
            .where(_CASES.c.id == sa.bindparam("b_id"), _CASES.c.version == sa.bindparam("b_version"))
            .values(missing_from_list_since=None, version=sa.bindparam("b_next"))
        )
        _execute_checked(session, stmt, [{"b_id": i, "b_version": v, "b_next": v + 1} for i, v in returned])
    events = []
    for case_id, _version, _values, changes in items:
        if changes is None:
            events.append(_event(case_id, actor.user_id, "import_terug", f"Weer op de lijst in {source}.", now))
            continue
        labels = ", ".join(CHANGE_LABELS.get(name, name) for name in changes)
        data = {name: [_json_value(old), _json_value(new)] for name, (old, new) in changes.items()}
        events.append(
            _event(case_id, actor.user_id, "import_wijziging", f"Gewijzigd door {source}: {labels}.", now,
                   import_run=run_id, changes=data)
        )  # fmt: skip
    for chunk in _chunks(events):
        session.execute(sa.insert(_EVENTS), list(chunk))
    report(len(items), len(items), "Wijzigingen vastleggen")


def _refresh_surname_keys(session: orm.Session, ids: list[int]) -> None:
    for chunk in _chunks(ids):
        rows = session.execute(sa.select(Case.id, Case.prefix, Case.surname).where(Case.id.in_(chunk))).all()
        session.execute(
            _CASES.update().where(_CASES.c.id == sa.bindparam("b_id")).values(surname_key=sa.bindparam("v_key")),
            [{"b_id": r.id, "v_key": surname_key(r.prefix or "", r.surname or "")} for r in rows],
        )


def _flag_missing(session, plan, actor, today, now, source, run_id) -> None:
    if not plan.missing:
        return
    stmt = (
        _CASES.update()
        .where(_CASES.c.id == sa.bindparam("b_id"), _CASES.c.version == sa.bindparam("b_version"))
        .values(missing_from_list_since=today, version=sa.bindparam("b_next"))
    )
    _execute_checked(session, stmt, [{"b_id": i, "b_version": v, "b_next": v + 1} for i, v in plan.missing])
    summary = f"Niet meer op de lijst in {source}; het dossier blijft bestaan."
    events = [_event(i, actor.user_id, "import_ontbreekt", summary, now, import_run=run_id) for i, _ in plan.missing]
    for chunk in _chunks(events):
        session.execute(sa.insert(_EVENTS), list(chunk))


def _write_uitstroom(session, plan, actor, today, now, source, run_id) -> None:
    if not plan.ended:
        return
    from campaign.lifecycle import refresh_cases

    stmt = (
        _CASES.update()
        .where(_CASES.c.id == sa.bindparam("b_id"), _CASES.c.version == sa.bindparam("b_version"))
        .values(
            no_action_reason=NO_ACTION_ENDED, no_action_since=sa.bindparam("v_since"), version=sa.bindparam("b_next")
        )
    )
    params = [{"b_id": i, "b_version": v, "b_next": v + 1, "v_since": end or today} for i, v, end in plan.ended]
    _execute_checked(session, stmt, params)
    events = [
        _event(i, actor.user_id, "uitkering_beeindigd",
               f"Uitkering beëindigd{f' per {dutch_date(end)}' if end else ''} volgens {source}.", now,
               import_run=run_id)
        for i, _v, end in plan.ended
    ]  # fmt: skip
    for chunk in _chunks(events):
        session.execute(sa.insert(_EVENTS), list(chunk))
    refresh_cases(session, [i for i, _v, _e in plan.ended], today, actor.user_id)


def _execute_checked(session: orm.Session, stmt: Any, params: list[dict[str, Any]]) -> None:
    """executemany in chunks; every row must match its expected version (optimistic locking)."""
    for chunk in _chunks(params):
        result = session.execute(stmt, list(chunk))
        dialect = session.get_bind().dialect
        if dialect.supports_sane_multi_rowcount and result.rowcount != len(chunk):
            raise StaleData(
                "Tijdens het inlezen heeft iemand anders dossiers gewijzigd. Er is niets opgeslagen; "
                "controleer het bestand opnieuw en pas het dan toe."
            )
