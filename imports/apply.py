"""Comparing a checked list with the campaign and writing the difference, set-based.

The existing cases of the campaign are loaded once into a dict by BSN; the plan is computed in memory; the
writes are a handful of executemany statements (insert new cases and their history lines, update changed ones
with their version checked, flag missing ones). Nothing is flushed per row. The caller owns the transaction:
either all of it is committed or none of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.campaigns import format_reference
from campaign.dates import dutch_date
from campaign.errors import StaleData
from campaign.models import Campaign, Case, CaseEvent, utcnow
from campaign.text import surname_key
from imports.columns import ColumnMapping, fields_for
from imports.normalise import ParseResult

CHUNK = 5_000
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


def make_plan(session: orm.Session, campaign: Campaign, parsed: ParseResult, mapping: ColumnMapping) -> Plan:
    """What applying would do, computed without writing (the check page and the dry run show it)."""
    plan = Plan(parsed.list_type, compared_fields(mapping, parsed.list_type), error_rows=len(parsed.error_rows))
    if parsed.list_type == "uitstroom":
        _plan_uitstroom(session, campaign, parsed, plan)
    else:
        _plan_clients(session, campaign, parsed, plan)
    return plan


def _plan_clients(session: orm.Session, campaign: Campaign, parsed: ParseResult, plan: Plan) -> None:
    names = parsed.field_names
    positions = [(name, names.index(name)) for name in plan.fields]
    columns = [getattr(Case, name) for name in plan.fields]
    existing = {
        row[0]: row
        for row in session.execute(
            sa.select(Case.bsn, Case.id, Case.version, Case.missing_from_list_since, *columns).where(
                Case.campaign_id == campaign.id
            )
        )
    }
    bsn_at = names.index("bsn")
    for _row_number, values in parsed.rows:
        current = existing.get(values[bsn_at])
        if current is None:
            plan.new.append(values)
            continue
        changes = {
            name: [old, values[at]]
            for (name, at), old in zip(positions, current[4:], strict=True)
            if old != values[at] and not (old is None and values[at] == "")
        }
        if changes:
            plan.changed.append((current[1], current[2], {n: values[at] for n, at in positions}, changes))
        elif current[3] is not None:
            plan.returned.append((current[1], current[2]))
        else:
            plan.unchanged += 1
    present = parsed.seen_bsns
    for bsn, row in existing.items():
        if bsn in present:
            continue
        if row[3] is None:
            plan.missing.append((row[1], row[2]))
        else:
            plan.still_missing += 1


def _plan_uitstroom(session: orm.Session, campaign: Campaign, parsed: ParseResult, plan: Plan) -> None:
    existing = {
        row[0]: row
        for row in session.execute(
            sa.select(Case.bsn, Case.id, Case.version, Case.no_action_reason).where(Case.campaign_id == campaign.id)
        )
    }
    names = parsed.field_names
    bsn_at, end_at = names.index("bsn"), names.index("end_date")
    for _row_number, values in parsed.rows:
        current = existing.get(values[bsn_at])
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


def _insert_new(session, campaign, parsed, plan, actor, now, source, run_id, report) -> None:
    """executemany of the new cases, then their first history line with one INSERT ... SELECT."""
    if not plan.new:
        return
    names = parsed.field_names
    stored = ("bsn", *plan.fields)
    at = [(name, names.index(name)) for name in stored]
    prefix_at = names.index("prefix") if "prefix" in plan.fields else None
    surname_at = names.index("surname")
    keys: dict[tuple[str, str], str] = {}  # surname keys repeat: fold each name once
    number = campaign.next_case_number
    prefix = campaign.reference_prefix
    before = session.scalar(sa.select(sa.func.max(Case.id))) or 0
    insert = _DriverInsert(session, [*stored, "campaign_id", "reference", "surname_key", "created_at"])
    indexes = [index for _name, index in at]
    total = len(plan.new)
    done = 0
    for chunk in _chunks(plan.new):
        rows = []
        for values in chunk:
            name_parts = (values[prefix_at] or "" if prefix_at is not None else "", values[surname_at])
            key = keys.get(name_parts)
            if key is None:
                key = keys[name_parts] = surname_key(*name_parts)
            rows.append([*[values[i] for i in indexes], campaign.id, format_reference(prefix, number), key, now])
            number += 1
        insert.execute(rows)
        done += len(chunk)
        report(done, total, "Nieuwe dossiers aanmaken")
    campaign.next_case_number = number
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


class _DriverInsert:
    """INSERT INTO cases by the database driver's executemany, with SQLAlchemy's own bind processing per column.

    The ORM/Core executemany spends most of its time building a parameter dict per row; for 100,000 new cases that
    is seconds. Here the statement is compiled once for the session's dialect and the values are converted by the
    same type processors SQLAlchemy would use (e.g. dates on SQLite), then handed to the driver in one call per chunk.
    Every column of the cases table that is not given gets its default here, exactly like Core would.
    """

    def __init__(self, session: orm.Session, names: list[str]) -> None:
        self.connection = session.connection()
        dialect = self.connection.dialect
        given = set(names)
        defaults = {
            c.name: c.default.arg
            for c in _CASES.columns
            if c.name not in given and c.default is not None and c.default.is_scalar
        }
        self.names = [*names, *defaults]
        self.defaults = list(defaults.values())
        self.compiled = sa.insert(_CASES).compile(dialect=dialect, column_keys=self.names)
        self.processors = [
            _CASES.c[name].type._cached_bind_processor(dialect)
            for name in self.names  # noqa: SLF001
        ]
        self.order = [self.names.index(key) for key in self.compiled.positiontup] if self.compiled.positional else None

    def execute(self, rows: list[list[Any]]) -> None:
        converters = [(i, p) for i, p in enumerate(self.processors) if p is not None]
        prepared = []
        for row in rows:
            row.extend(self.defaults)
            for index, processor in converters:
                if row[index] is not None:
                    row[index] = processor(row[index])
            if self.order is not None:
                prepared.append(tuple(row[i] for i in self.order))
            else:
                prepared.append(dict(zip(self.names, row, strict=True)))
        self.connection.exec_driver_sql(self.compiled.string, prepared)


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
