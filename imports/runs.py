"""An import run from upload to apply: the one code path behind the web pages, the jobs and the command line.

1. :func:`start_run` records the uploaded file (by SHA-256; the identical file uploaded before is recognised).
2. :func:`check_run` reads and checks it and stores the summary the check page shows (counts, mapping, first
   problems, a sample); nothing is written to cases.
3. :func:`apply_run` reads it again, recomputes the plan against the cases as they are now and writes it in the
   caller's transaction: all or nothing. Rows with problems are only left out when the user explicitly chose so,
   and that choice is recorded on the run and in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.errors import IllegalTransition, InvalidInput, NotFound
from campaign.models import Campaign, ImportRun, utcnow
from imports import apply as applying
from imports.columns import (
    LIST_TYPES,
    ColumnMapping,
    fields_for,
    guess_mapping,
    header_score,
    mapping_from_choices,
    missing_required,
    remembered_for,
)
from imports.normalise import ParseResult, parse_table, shown
from imports.reader import SPREADSHEET_SUFFIXES, Limits, Table, read_table
from imports.xlsx_out import Column, write_xlsx

FIRST_PROBLEMS = 50
SAMPLE_ROWS = 5
Progress = Callable[[int, int, str], None]


class MissingColumns(InvalidInput):
    """A required field has no column; the user can still pick one on the check page."""

    def __init__(self, message: str, *, location: str, table: Table, mapping: ColumnMapping) -> None:
        super().__init__(message, location=location)
        self.table = table
        self.mapping = mapping


@dataclass
class Prepared:
    table: Table
    mapping: ColumnMapping
    parsed: ParseResult
    plan: applying.Plan


def file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def store_upload(storage_dir: Path, source: Path, filename: str) -> Path:
    """Copy an uploaded file into the import storage under a random name (the user's name is only shown)."""
    suffix = Path(filename).suffix.lower()
    suffix = suffix if suffix in SPREADSHEET_SUFFIXES else ".bin"
    storage_dir.mkdir(parents=True, exist_ok=True)
    target = storage_dir / f"{uuid.uuid4().hex}{suffix}"
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return target


def start_run(
    session: orm.Session,
    campaign: Campaign,
    actor: audit.Actor,
    *,
    path: Path,
    filename: str,
    list_type: str,
    today: dt.date,
    keep_path: bool = True,
) -> ImportRun:
    """Record an upload. ``keep_path`` stores the path for a later job (web); the CLI passes its own file."""
    if list_type not in LIST_TYPES:
        raise InvalidInput(f"Onbekend soort lijst {list_type!r}; kies uit: {', '.join(LIST_TYPES)}.")
    if campaign.status != "open":
        raise IllegalTransition("Deze campagne is gesloten; er kunnen geen lijsten meer worden ingelezen.")
    sha256, size = file_digest(path)
    earlier = session.scalar(
        sa.select(ImportRun)
        .where(ImportRun.campaign_id == campaign.id, ImportRun.sha256 == sha256, ImportRun.status == "toegepast")
        .order_by(ImportRun.id.desc())
        .limit(1)
    )
    run = ImportRun(
        campaign_id=campaign.id,
        list_type=list_type,
        filename=Path(filename).name[:255] or "bestand",
        sha256=sha256,
        size_bytes=size,
        stored_path=str(path) if keep_path else None,
        status="controleren",
        reference_date=today,
        created_by=actor.user_id,
        duplicate_of_id=earlier.id if earlier else None,
    )
    session.add(run)
    session.flush()
    audit.record(session, actor, "upload", "import_run", run.id, purpose=f"lijst uploaden: {run.filename}")
    return run


def get_run(session: orm.Session, campaign_id: int, run_id: int) -> ImportRun:
    run = session.get(ImportRun, run_id)
    if run is None or run.campaign_id != campaign_id:
        raise NotFound("Deze import bestaat niet.")
    return run


def _path_of(run: ImportRun, path: Path | None) -> Path:
    if path is not None:
        return Path(path)
    if not run.stored_path or not Path(run.stored_path).exists():
        raise InvalidInput("Het bestand van deze import is niet meer beschikbaar; upload het opnieuw.")
    return Path(run.stored_path)


def prepare(
    session: orm.Session,
    run: ImportRun,
    *,
    limits: Limits,
    path: Path | None = None,
    choices: Sequence[str | None] | None = None,
    progress: Progress | None = None,
) -> Prepared:
    """Read, map, check and plan. ``choices`` (one field or None per column) overrides the remembered mapping."""
    table, mapping, parsed = read_and_parse(session, run, limits=limits, path=path, choices=choices, progress=progress)
    plan = applying.make_plan(session, session.get(Campaign, run.campaign_id), parsed, mapping)
    return Prepared(table, mapping, parsed, plan)


def read_and_parse(
    session: orm.Session,
    run: ImportRun,
    *,
    limits: Limits,
    path: Path | None = None,
    choices: Sequence[str | None] | None = None,
    progress: Progress | None = None,
) -> tuple[Table, ColumnMapping, ParseResult]:
    campaign = session.get(Campaign, run.campaign_id)
    table = read_table(
        _path_of(run, path), filename=run.filename, limits=limits, header_score=header_score(run.list_type)
    )
    if choices is not None:
        mapping = mapping_from_choices(run.list_type, table.headers, choices)
    elif run.mapping and len(run.mapping) == len(table.headers) and run.headers == table.headers:
        mapping = ColumnMapping(tuple(table.headers), tuple(run.mapping))
    else:
        mapping = guess_mapping(run.list_type, table.headers, remembered_for(campaign.column_mapping, run.list_type))
    missing = missing_required(run.list_type, mapping)
    if missing:
        raise MissingColumns(
            f"In het bestand is geen kolom gevonden voor: {', '.join(missing)}. "
            f"Gevonden kolommen: {', '.join(h for h in table.headers if h) or 'geen'}. "
            "Kies hieronder welke kolom het is.",
            location=run.filename,
            table=table,
            mapping=mapping,
        )
    hint = table.row_count_hint or 0

    def parsed_rows(count: int) -> None:
        if progress:
            progress(count, max(hint, count), "Regels controleren")

    parsed = parse_table(table, mapping, run.list_type, today=run.reference_date, progress=parsed_rows)
    return table, mapping, parsed


def _summary(prepared: Prepared) -> dict[str, Any]:
    parsed, mapping = prepared.parsed, prepared.mapping
    names = parsed.field_names
    labels = {f.name: f.label for f in fields_for(parsed.list_type)}
    sample = []
    for row_number, values in parsed.rows[:SAMPLE_ROWS]:
        shown_values = {labels[n]: shown(v) for n, v in zip(names, values, strict=True) if n != "bsn"}
        sample.append({"regel": row_number, "bsn": "*****" + values[0][-4:], "waarden": shown_values})
    return {
        "counts": prepared.plan.counts,
        "not_stored": mapping.not_stored,
        "problems": [
            {"regel": p.row, "kolom": p.column, "waarde": p.value[:80], "fout": p.message}
            for p in parsed.problems[:FIRST_PROBLEMS]
        ],
        "problem_count": len(parsed.problems),
        "sample": sample,
        "sheet": prepared.table.sheet_name,
    }


def check_run(
    session: orm.Session,
    run: ImportRun,
    *,
    limits: Limits,
    path: Path | None = None,
    choices: Sequence[str | None] | None = None,
    progress: Progress | None = None,
) -> Prepared | None:
    """Check the file and store the summary on the run. A file that cannot be read marks the run "mislukt"."""
    if run.status not in ("controleren", "gecontroleerd"):
        raise IllegalTransition("Deze import is al toegepast of vervallen; upload het bestand opnieuw.")
    try:
        prepared = prepare(session, run, limits=limits, path=path, choices=choices, progress=progress)
    except MissingColumns as exc:
        run.header_row = exc.table.header_row_number
        run.headers = list(exc.table.headers)
        run.mapping = list(exc.mapping.fields)
        run.summary = {"not_stored": exc.mapping.not_stored, "missing_columns": True}
        run.status = "gecontroleerd"
        run.message = str(exc)[:500]
        return None
    except InvalidInput as exc:
        run.status = "mislukt" if choices is None else run.status
        run.message = str(exc)[:500]
        if choices is not None:
            raise
        return None
    run.header_row = prepared.table.header_row_number
    run.headers = list(prepared.table.headers)
    run.mapping = list(prepared.mapping.fields)
    run.total_rows = prepared.parsed.total_rows
    run.error_rows = len(prepared.parsed.error_rows)
    run.summary = _summary(prepared)
    run.status = "gecontroleerd"
    run.message = ""
    return prepared


def remember_mapping(campaign: Campaign, list_type: str, mapping: ColumnMapping) -> None:
    remembered = dict(campaign.column_mapping or {})
    merged = {**remembered_for(remembered, list_type), **mapping.as_dict()}
    remembered[list_type] = merged
    campaign.column_mapping = remembered


def apply_run(
    session: orm.Session,
    run: ImportRun,
    actor: audit.Actor,
    *,
    skip_invalid: bool,
    limits: Limits,
    path: Path | None = None,
    prepared: Prepared | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the valid rows in the caller's transaction. Rows with problems need ``skip_invalid`` (recorded)."""
    if run.status == "toegepast":
        raise IllegalTransition("Deze import is al toegepast.")
    if run.status not in ("gecontroleerd", "toepassen"):
        raise IllegalTransition("Deze import is nog niet (goed) gecontroleerd en kan niet worden toegepast.")
    if run.summary.get("missing_columns"):
        raise InvalidInput("Kies eerst voor elke verplichte kolom welke kolom in het bestand het is.")
    if prepared is None:
        prepared = prepare(session, run, limits=limits, path=path, progress=progress)
    error_rows = len(prepared.parsed.error_rows)
    if error_rows and not skip_invalid:
        raise InvalidInput(
            f"{error_rows} regels hebben fouten. Verbeter het bestand, of kies er uitdrukkelijk voor de geldige "
            f"regels toe te passen en deze {error_rows} regels weg te laten."
        )
    if not prepared.parsed.rows:
        raise InvalidInput("Er is geen enkele geldige regel om toe te passen.")
    campaign = session.get(Campaign, run.campaign_id)
    counts = applying.apply_plan(
        session,
        campaign,
        prepared.parsed,
        prepared.plan,
        actor=actor,
        today=run.reference_date,
        run_id=run.id,
        filename=run.filename,
        progress=progress,
    )
    if error_rows:
        audit.record(
            session, actor, "import_skip", "import_run", run.id,
            purpose=f"gekozen: geldige regels toepassen, {error_rows} regels met fouten weggelaten",
        )  # fmt: skip
    remember_mapping(campaign, run.list_type, prepared.mapping)
    run.skip_invalid = bool(error_rows) and skip_invalid
    run.skipped_rows = error_rows
    run.result = {"counts": counts}
    run.status = "toegepast"
    run.message = ""
    run.applied_by = actor.user_id
    run.applied_at = utcnow()
    _supersede_other_runs(session, run)
    return counts


def _supersede_other_runs(session: orm.Session, run: ImportRun) -> None:
    """Checked but never applied uploads of the same list type are stale now: mark them and drop their files."""
    others = session.scalars(
        sa.select(ImportRun).where(
            ImportRun.campaign_id == run.campaign_id,
            ImportRun.list_type == run.list_type,
            ImportRun.id != run.id,
            ImportRun.status.in_(("controleren", "gecontroleerd", "mislukt")),
        )
    ).all()
    for other in others:
        other.status = "vervallen"


def discard_files(session: orm.Session, campaign_id: int) -> None:
    """Remove stored uploads of applied and superseded runs (call after the commit; data minimisation)."""
    runs = session.scalars(
        sa.select(ImportRun).where(
            ImportRun.campaign_id == campaign_id,
            ImportRun.status.in_(("toegepast", "vervallen")),
            ImportRun.stored_path.is_not(None),
        )
    ).all()
    for run in runs:
        Path(run.stored_path).unlink(missing_ok=True)
        run.stored_path = None


def error_workbook(session: orm.Session, run: ImportRun, *, limits: Limits, path: Path | None = None) -> bytes:
    """Every row with a problem, with its original cells and an extra column "fout", as .xlsx (formula-safe)."""
    table, mapping, parsed = read_and_parse(session, run, limits=limits, path=path)
    by_row = parsed.problems_by_row()
    bsn_column = mapping.column_of("bsn")
    columns = [
        Column(header or f"kolom {i + 1}", 18, "text" if i == bsn_column else "auto")
        for i, header in enumerate(table.headers)
    ]
    columns.append(Column("fout", 80))

    def rows():
        for row_number, cells in table.rows:
            problems = by_row.get(row_number)
            if not problems:
                continue
            values = [shown(v) if i == bsn_column else v for i, v in enumerate(cells)]
            message = f"regel {row_number}: " + " ".join(f"{p.column}: {p.message}" for p in problems)
            yield [*values, message]

    return write_xlsx(columns, rows(), sheet_title="Fouten")


def summary_line(counts: dict[str, int]) -> str:
    return (
        f"nieuw: {counts.get('nieuw', 0)}, gewijzigd: {counts.get('gewijzigd', 0)}, "
        f"ongewijzigd: {counts.get('ongewijzigd', 0)}, fouten: {counts.get('fouten', 0)}"
    )


COUNT_LABELS = {
    "nieuw": "Nieuw",
    "gewijzigd": "Gewijzigd",
    "ongewijzigd": "Ongewijzigd",
    "niet_meer_in_lijst": "Niet meer in de lijst (gemarkeerd, niet verwijderd)",
    "al_niet_in_lijst": "Stonden al niet meer in de lijst",
    "niet_in_campagne": "Niet in deze campagne (niet opgeslagen)",
    "fouten": "Regels met fouten",
}
