"""Bulk reads and writes over many rows that cost one statement on PostgreSQL instead of one per row.

On PostgreSQL the rows travel as one JSON document (serialised by the C encoder, unpacked by
``json_array_elements``): one round trip and one plan instead of one per row; a value that every row shares is
sent once. On SQLite, which runs in-process, the rows go to the driver's executemany as ready tuples (no
per-row statement handling in SQLAlchemy). Values pass the columns' own bind processing first
(``TypeDecorator.process_bind_param``, JSON and date serialisation), and the database still checks lengths and
constraints as for a row-by-row INSERT or UPDATE.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql


def is_postgresql(session: orm.Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def id_in(column: sa.ColumnElement, ids: Sequence[int], session: orm.Session) -> sa.ColumnElement[bool]:
    """``column IN ids`` with one parameter instead of one per id: ``= ANY(array)`` on PostgreSQL, the
    members of a JSON array on SQLite."""
    if is_postgresql(session):
        return column == sa.any_(sa.literal(list(ids), postgresql.ARRAY(sa.Integer)))
    members = sa.func.json_each(json.dumps(list(ids))).table_valued("value")
    return column.in_(sa.select(members.c.value))


def insert_rows(session: orm.Session, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (all with the same keys) into ``table``."""
    if not rows:
        return
    names = list(rows[0])
    target = f"{_quoted(session, table.name)} ({', '.join(_quoted(session, name) for name in names)})"
    if not is_postgresql(session):
        marks = ", ".join("?" for _ in names)
        session.connection().exec_driver_sql(
            f"INSERT INTO {target} VALUES ({marks})", _tuples(session, table, names, rows)
        )
        return
    params, selects = _columns(session, table, names, rows)
    session.execute(
        sa.text(
            f"INSERT INTO {target} SELECT {', '.join(selects)} "
            "FROM json_array_elements(CAST(:rows AS JSON)) WITH ORDINALITY AS u(r, n) "
            "ORDER BY u.n"  # ids in the rows' order, as with one INSERT per row
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
    quoted = _quoted(session, table.name)
    bump = [f"version = {quoted}.version + 1"] if bump_version else []
    if not is_postgresql(session):
        sets = [f"{_quoted(session, name)} = ?" for name in names] + bump
        session.connection().exec_driver_sql(
            f"UPDATE {quoted} SET {', '.join(sets)} WHERE id = ?",
            _tuples(session, table, [*names, key], rows, key_name=key),
        )
        return
    params, selects = _columns(session, table, [key, *names], rows, key_column="id")
    assignments = [f"{_quoted(session, name)} = {select}" for name, select in zip(names, selects[1:], strict=True)]
    session.execute(
        sa.text(
            f"UPDATE {quoted} SET {', '.join(assignments + bump)} "
            f"FROM json_array_elements(CAST(:rows AS JSON)) AS u(r) WHERE {quoted}.id = {selects[0]}"
        ),
        params,
    )


def _quoted(session: orm.Session, name: str) -> str:
    return session.get_bind().dialect.identifier_preparer.quote(name)


def _tuples(session, table: sa.Table, names: list[str], rows, key_name: str | None = None) -> list[tuple]:
    """The rows as tuples of DBAPI values (each column's own bind processing, once for a shared value)."""
    dialect = session.get_bind().dialect
    columns = []
    for name in names:
        process = table.c["id" if name == key_name else name].type.dialect_impl(dialect).bind_processor(dialect)
        values = [row[name] for row in rows]
        if process is not None:
            first = values[0]
            if all(v is first or v == first for v in values):
                values = [process(first)] * len(values)
            else:
                values = [process(v) for v in values]
        columns.append(values)
    return list(zip(*columns, strict=True))


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
    params["rows"] = json.dumps(table_rows, default=_iso, check_circular=False)
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
