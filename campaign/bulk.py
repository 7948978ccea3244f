"""Bulk reads and writes over many rows that cost one statement on PostgreSQL instead of one per row.

On PostgreSQL the rows travel as one JSON document (serialised by the C encoder, unpacked by
``json_array_elements``): one round trip and one plan instead of one per row. A value that every row shares is
sent once. On SQLite, which runs in-process, the plain executemany is already cheap and is used unchanged.
Values pass the columns' own bind processing (``TypeDecorator.process_bind_param``, JSON serialisation) first,
and the database still checks lengths and constraints as for a row-by-row INSERT or UPDATE.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql

#: Ids per statement on PostgreSQL, where ids travel as one array parameter.
PG_CHUNK = 20000


def is_postgresql(session: orm.Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def id_in(column: sa.ColumnElement, ids: Sequence[int], session: orm.Session) -> sa.ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL as ``column = ANY(array)``, one parameter instead of one per id."""
    if is_postgresql(session):
        return column == sa.any_(sa.literal(list(ids), postgresql.ARRAY(sa.Integer)))
    return column.in_(ids)


def insert_rows(session: orm.Session, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (all with the same keys) into ``table``."""
    if not rows:
        return
    if not is_postgresql(session):
        session.execute(sa.insert(table), rows)
        return
    names = list(rows[0])
    params, selects = _columns(session, table, names, rows)
    session.execute(
        sa.text(
            f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(selects)} "
            "FROM json_array_elements(CAST(:rows AS JSON)) WITH ORDINALITY AS u(r, position) "
            "ORDER BY u.position"  # ids in the rows' order, as with one INSERT per row
        ),
        params,
    )


def update_rows(
    session: orm.Session, table: sa.Table, key: str, rows: list[dict[str, Any]], bump_version: bool = False
) -> None:
    """UPDATE ``table`` SET the rows' other keys WHERE ``table.c.id`` = the row's ``key`` value
    (and ``version = version + 1`` when ``bump_version``)."""
    if not rows:
        return
    names = [name for name in rows[0] if name != key]
    if not is_postgresql(session):
        values: dict[str, Any] = {name: sa.bindparam(name) for name in names}
        if bump_version:
            values["version"] = table.c.version + 1
        session.execute(sa.update(table).where(table.c.id == sa.bindparam(key)).values(**values), rows)
        return
    params, selects = _columns(session, table, [key, *names], rows, key_column="id")
    assignments = [f"{name} = {select}" for name, select in zip(names, selects[1:], strict=True)]
    if bump_version:
        assignments.append(f"version = {table.name}.version + 1")
    session.execute(
        sa.text(
            f"UPDATE {table.name} SET {', '.join(assignments)} "
            f"FROM json_array_elements(CAST(:rows AS JSON)) AS u(r) WHERE {table.name}.id = {selects[0]}"
        ),
        params,
    )


def _columns(session, table: sa.Table, names: list[str], rows, key_column: str | None = None):
    """The parameters and, per column, the expression that reads its value.

    A value that every row shares is one parameter; the others travel as one JSON document, a list of
    rows of those values (serialised in C, parsed by the server), read by position from ``u.r``."""
    dialect = session.get_bind().dialect
    params: dict[str, Any] = {}
    selects: list[str] = []
    varying: list[list[Any]] = []
    for n, name in enumerate(names):
        column = table.c[key_column if (key_column and n == 0) else name]
        kind = column.type
        process = kind.process_bind_param if isinstance(kind, sa.types.TypeDecorator) else None
        base = kind.impl_instance if isinstance(kind, sa.types.TypeDecorator) else kind
        values = [row[name] for row in rows]
        first = values[0]
        constant = n > 0 and all(v is first or v == first for v in values)  # the first always varies
        if constant:
            values = values[:1]
        if process is not None:
            values = [process(v, dialect) for v in values]
        is_json = isinstance(base, sa.JSON)
        if is_json and base.none_as_null and None in values:
            raise TypeError("insert_rows/update_rows: SQL NULL in a JSON column is not supported")
        element = base.compile(dialect=dialect) if is_json else _element_type(base)
        if constant:  # one value for every row: sent once, not once per row
            params[f"p{n}"] = json.dumps(values[0]) if is_json else values[0]
            selects.append(f"CAST(CAST(:p{n} AS TEXT) AS {element})" if is_json else f"CAST(:p{n} AS {element})")
        else:
            i = len(varying)
            varying.append(values)
            selects.append(f"CAST(u.r -> {i} AS {element})" if is_json else f"CAST(u.r ->> {i} AS {element})")
    table_rows = list(zip(*varying, strict=True))
    params["rows"] = json.dumps(table_rows, default=_iso, ensure_ascii=False, check_circular=False)
    return params, selects


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):  # dates and datetimes (timezone included)
        return value.isoformat()
    raise TypeError(f"insert_rows/update_rows: cannot send {value!r}")


def _element_type(kind: sa.types.TypeEngine) -> str:
    # Unbounded element types: an over-long value fails on assignment to the column, as a plain INSERT does.
    if isinstance(kind, sa.Boolean):
        return "BOOLEAN"
    if isinstance(kind, sa.Integer):
        return "BIGINT"
    if isinstance(kind, sa.String):
        return "TEXT"
    if isinstance(kind, sa.DateTime):
        return "TIMESTAMP WITH TIME ZONE" if kind.timezone else "TIMESTAMP"
    if isinstance(kind, sa.Date):
        return "DATE"
    raise TypeError(f"insert_rows/update_rows: no array type for {kind!r}")
