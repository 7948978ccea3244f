"""A UWV list from upload to applied source: check (read, validate, match, stage), then apply all or nothing.

Set-based throughout: one query loads the campaign's BSNs, staged rows go in with COPY (PostgreSQL) or one
executemany (SQLite), and applying moves them with a single INSERT ... SELECT. No query per row.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.dates import dutch_date
from campaign.errors import IllegalTransition, InvalidInput, StaleData
from campaign.lifecycle import refresh_cases
from campaign.models import (
    Campaign,
    Case,
    UwvList,
    UwvRegistration,
    UwvStagedRegistration,
    UwvUpload,
    utcnow,
)
from campaign.uwv import latest_list
from imports.reader import Limits
from imports.uwv import Comparison, compare, header_score, parse_uwv_table
from imports.uwv_read import read_uwv_list

UWV_MAX_ROWS = 1_000_000  # a full UWV register of a large municipality
UPLOAD_STATUS_LABELS = {
    "controleren": "Wordt gecontroleerd",
    "gecontroleerd": "Gecontroleerd, klaar om toe te passen",
    "afgekeurd": "Afgekeurd: niet toegepast",
    "toepassen": "Wordt toegepast",
    "toegepast": "Toegepast",
    "ingetrokken": "Ingetrokken",
}
Progress = Callable[[int, int | None, str | None], None]


def uwv_limits(settings) -> Limits:
    """The import limits of the settings, but with room for a full UWV register."""
    return dataclasses.replace(Limits.from_settings(settings), max_rows=max(UWV_MAX_ROWS, settings.import_max_rows))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def start_upload(
    session: orm.Session,
    campaign: Campaign,
    actor: audit.Actor,
    *,
    filename: str,
    sha256: str,
    peildatum: dt.date | None,
    today: dt.date,
) -> UwvUpload:
    """Record an upload that is about to be checked. The peildatum is stated by the uploader."""
    if peildatum is None:
        raise InvalidInput("Vul de peildatum van de UWV-lijst in (de datum waarop UWV de lijst heeft opgemaakt).")
    if peildatum > today:
        raise InvalidInput(f"De peildatum ({dutch_date(peildatum)}) ligt in de toekomst.")
    if campaign.status != "open":
        raise IllegalTransition("Deze campagne is gesloten; er kunnen geen UWV-lijsten meer worden ingelezen.")
    upload = UwvUpload(
        campaign_id=campaign.id,
        peildatum=peildatum,
        filename=Path(filename).name[:255] or "uwv-lijst",
        sha256=sha256,
        status="controleren",
        uploaded_by=actor.user_id,
    )
    session.add(upload)
    session.flush()
    audit.record(session, actor, "upload", "uwv_upload", upload.id, purpose="UWV-lijst inlezen")
    return upload


def check_upload(
    session: orm.Session,
    upload: UwvUpload,
    path: Path,
    *,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> None:
    """Read, validate and match the file; stage the campaign's registrations when the list has no errors."""
    if upload.status != "controleren":
        raise IllegalTransition("Deze UWV-lijst is al gecontroleerd.")
    case_ids = campaign_bsns(session, upload.campaign_id)
    try:
        with _cyclic_gc_paused():
            table = read_uwv_list(Path(path), filename=upload.filename, limits=limits, header_score=header_score)
            total = table.row_count_hint
            parsed = parse_uwv_table(
                table,
                case_ids,
                upload.peildatum,
                progress=(lambda done: progress(done, total, "Regels controleren")) if progress else None,
            )
            del table
    except InvalidInput as exc:
        upload.status = "afgekeurd"
        upload.report = {"file_error": str(exc)}
        return
    del case_ids
    previous = latest_list(session, upload.campaign_id)
    comparison = compare(parsed.registrations, _registrations_of(session, previous), upload.peildatum, _day(previous))
    report = _report(session, upload, parsed, comparison, previous)
    if progress and not parsed.problem_count:  # before the first write (SQLite allows one writer)
        progress(parsed.rows, parsed.rows, "Gegevens klaarzetten")
    upload.report = report
    if parsed.problem_count:
        upload.status = "afgekeurd"
        return
    # In case order: every index insert lands after the previous one and the cases are visited in heap order
    # for the foreign-key checks, here and when the rows are applied (INSERT ... SELECT keeps this order).
    registrations = sorted(parsed.registrations.values(), key=attrgetter("case_id"))
    bulk_insert(
        session,
        UwvStagedRegistration.__table__,
        ("upload_id", "case_id", "registered_on", "ended_on", "status"),
        ((upload.id, r.case_id, r.registered_on, r.ended_on, r.status) for r in registrations),
    )
    upload.status = "gecontroleerd"


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """A register is hundreds of thousands of small lists alive at once, none in a reference cycle; the cyclic
    garbage collector would walk all of them again and again while they are made, so it waits until they are."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def campaign_bsns(session: orm.Session, campaign_id: int) -> dict[str, int]:
    """BSN -> case id of the whole campaign in one query, read with the driver's cursor (no row objects)."""
    connection = session.connection()
    marker = "%s" if connection.dialect.name == "postgresql" else "?"
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"SELECT bsn, id FROM cases WHERE campaign_id = {marker}", (campaign_id,))
        return dict(cursor.fetchall())
    finally:
        cursor.close()


def _day(uwv_list: UwvList | None) -> dt.date | None:
    return uwv_list.peildatum if uwv_list is not None else None


def _registrations_of(session: orm.Session, uwv_list: UwvList | None) -> dict[int, tuple[dt.date, dt.date | None]]:
    if uwv_list is None:
        return {}
    rows = session.execute(
        sa.select(UwvRegistration.case_id, UwvRegistration.registered_on, UwvRegistration.ended_on).where(
            UwvRegistration.uwv_list_id == uwv_list.id
        )
    )
    return {case_id: (registered_on, ended_on) for case_id, registered_on, ended_on in rows}


def _report(session, upload: UwvUpload, parsed, comparison: Comparison, previous: UwvList | None) -> dict:
    warnings = []
    if previous is not None and upload.peildatum < previous.peildatum:
        warnings.append(
            f"De peildatum ligt vóór die van de nieuwste toegepaste lijst ({dutch_date(previous.peildatum)}); "
            "na toepassen blijft die nieuwere lijst de stand bepalen."
        )
    earlier = session.scalar(
        sa.select(UwvList.peildatum)
        .where(UwvList.campaign_id == upload.campaign_id, UwvList.sha256 == upload.sha256, UwvList.sha256 != "")
        .limit(1)
    )
    if earlier is not None:
        warnings.append(f"Precies dit bestand is al eerder toegepast (lijst met peildatum {dutch_date(earlier)}).")
    if not parsed.registrations and parsed.rows:
        warnings.append("Geen enkel BSN uit de lijst komt voor in deze campagne. Is dit de goede lijst?")
    return {
        "rows": parsed.rows,
        "matched": len(parsed.registrations),
        "newly_registered": len(comparison.newly_registered),
        "already_known": len(comparison.already_known),
        "ended": len(comparison.ended),
        "no_longer_listed": len(comparison.no_longer_listed),
        "not_in_campaign": parsed.not_in_campaign,
        "duplicate_count": len(parsed.duplicates),
        "duplicates": parsed.duplicates[:100],
        "error_count": parsed.problem_count,
        "errors": [p.as_dict() for p in parsed.problems],
        "ignored_columns": parsed.ignored_columns,
        "warnings": warnings,
        "previous_list_id": previous.id if previous is not None else None,
    }


def apply_upload(
    session: orm.Session, upload: UwvUpload, actor: audit.Actor, today: dt.date, *, progress: Progress | None = None
) -> UwvList:
    """Make a checked upload the campaign's newest source, all or nothing, and re-derive the cases' status."""
    if upload.status not in ("gecontroleerd", "toepassen"):
        label = UPLOAD_STATUS_LABELS.get(upload.status, upload.status)
        raise IllegalTransition(f"Deze UWV-lijst kan niet worden toegepast (status: {label}).")
    previous = latest_list(session, upload.campaign_id)
    if (previous.id if previous else None) != upload.report.get("previous_list_id"):
        raise StaleData("Intussen is een andere UWV-lijst toegepast. Lees deze lijst opnieuw in om hem te controleren.")
    if progress:  # before the first write: on SQLite the progress row cannot be written while we hold the lock
        progress(0, int(upload.report.get("matched", 0)), "Lijst toepassen en dossiers bijwerken")
    uwv_list = UwvList(
        campaign_id=upload.campaign_id,
        peildatum=upload.peildatum,
        filename=upload.filename,
        sha256=upload.sha256,
        uploaded_by=upload.uploaded_by,
        report={k: v for k, v in upload.report.items() if k not in ("errors", "duplicates")},
    )
    session.add(uwv_list)
    session.flush()
    staged = UwvStagedRegistration
    session.execute(
        sa.insert(UwvRegistration).from_select(
            ["uwv_list_id", "case_id", "registered_on", "ended_on", "status"],
            sa.select(sa.literal(uwv_list.id), staged.case_id, staged.registered_on, staged.ended_on, staged.status)
            .where(staged.upload_id == upload.id),
        )
    )  # fmt: skip
    session.execute(sa.delete(staged).where(staged.upload_id == upload.id))
    # The cases whose facts may have changed: on the new or the previous list, or held "until the next list".
    list_ids = [uwv_list.id] + ([previous.id] if previous is not None else [])
    affected = set(session.scalars(sa.select(UwvRegistration.case_id).where(UwvRegistration.uwv_list_id.in_(list_ids))))
    affected.update(
        session.scalars(sa.select(Case.id).where(Case.campaign_id == upload.campaign_id, Case.status == "gepauzeerd"))
    )
    refresh_cases(session, affected, today, actor.user_id)
    upload.status = "toegepast"
    upload.report = {k: v for k, v in upload.report.items() if k != "apply_error"}
    upload.applied_at = utcnow()
    upload.applied_by = actor.user_id
    upload.uwv_list_id = uwv_list.id
    audit.record(session, actor, "apply", "uwv_list", uwv_list.id, purpose="UWV-lijst toepassen")
    return uwv_list


def withdraw_upload(session: orm.Session, upload: UwvUpload, actor: audit.Actor) -> None:
    """Drop an upload that was not applied (its staged rows go with it)."""
    if upload.status in ("toegepast", "toepassen"):
        raise IllegalTransition("Een toegepaste UWV-lijst kan niet meer worden ingetrokken.")
    session.execute(sa.delete(UwvStagedRegistration).where(UwvStagedRegistration.upload_id == upload.id))
    upload.status = "ingetrokken"
    audit.record(session, actor, "withdraw", "uwv_upload", upload.id, purpose="UWV-lijst intrekken")


def bulk_insert(session: orm.Session, table: sa.Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert many rows in the session's transaction: COPY on PostgreSQL, one executemany on SQLite."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # SQLite: one driver-level executemany with plain tuples (dates as ISO text, as SQLAlchemy stores them).
    batch = [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row) for row in rows]
    if batch:
        marks = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", batch)


REPORT_LINES = (
    ("rows", "Regels in de lijst"),
    ("matched", "Personen uit de campagne gevonden"),
    ("newly_registered", "Nieuw ingeschreven"),
    ("already_known", "Al bekend als ingeschreven"),
    ("ended", "Inschrijving beëindigd"),
    ("no_longer_listed", "Niet meer als ingeschreven op de lijst"),
    ("duplicate_count", "Dubbele BSN's in de lijst"),
    ("error_count", "Regels met fouten"),
    ("not_in_campaign", "BSN's die niet in de campagne voorkomen (geteld, niet bewaard)"),
)


def report_lines(report: dict) -> list[tuple[str, int]]:
    """The report's counts with their Dutch labels, in the order the check page shows them."""
    return [(label, int(report.get(key, 0))) for key, label in REPORT_LINES]
