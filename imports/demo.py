"""The demo's imports: last month's client list applied through the real code path, and this month's list checked
and waiting, with a few row errors so the check page, the explicit choice and the error download can be tried.

Idempotent: does nothing when the campaign already has an import run.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook
from sqlalchemy import orm

from campaign import runtime
from campaign.audit import Actor
from campaign.models import Campaign, Case, ImportRun
from imports import runs
from imports.reader import Limits

HEADER = ["BSN", "Voorletters", "Tussenvoegsel", "Achternaam", "Geboortedatum", "Straatnaam", "Huisnummer",
          "Huisletter", "Toevoeging", "Postcode", "Woonplaats", "Team", "Klantmanager"]  # fmt: skip


def _row(case: Case) -> list[object]:
    return [case.bsn, case.initials, case.prefix, case.surname, case.birth_date, case.street, case.house_number,
            case.house_letter, case.house_addition, case.postcode, case.city, case.team, "M. Klant"]  # fmt: skip


def _write(path: Path, title: str, rows: list[list[object]]) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append([title])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def add_imports_demo(session: orm.Session, campaign: Campaign, today: dt.date) -> None:
    if session.scalar(sa.select(ImportRun.id).where(ImportRun.campaign_id == campaign.id).limit(1)) is not None:
        return
    session.flush()
    actor = Actor.system("demo")
    limits = Limits.from_settings(runtime.settings())
    cases = list(session.scalars(sa.select(Case).where(Case.campaign_id == campaign.id).order_by(Case.id)))
    if len(cases) < 20:
        return
    last_month = today - dt.timedelta(days=30)
    with tempfile.TemporaryDirectory() as folder:
        rows = [_row(case) for case in cases[3:]]  # three people are no longer on the list: flagged, not deleted
        for index in range(0, min(50, len(rows)), 10):  # five people moved
            rows[index][5], rows[index][6], rows[index][9] = "Nieuwe Binnenweg", 100 + index, "3015 BA"
        path = _write(Path(folder) / "clientenlijst-oktober.xlsx", "Cliënten zonder inschrijving UWV, oktober", rows)
        run = runs.start_run(session, campaign, actor, path=path, filename=path.name, list_type="clients",
                             today=last_month, keep_path=False)  # fmt: skip
        prepared = runs.check_run(session, run, limits=limits, path=path)
        if prepared is None:
            return
        runs.apply_run(session, run, actor, skip_invalid=True, limits=limits, path=path, prepared=prepared)

    waiting = [_row(case) for case in cases[3:20]]
    waiting[2][0] = "111222334"  # fails the elfproef
    waiting[4][9] = ""  # no postcode
    waiting.append(list(waiting[6]))  # the same person twice
    waiting.append(["123456782", "A.", "", "Nieuw", dt.date(1990, 5, 17), "Coolsingel", 40, "", "", "3011 AD",
                    "Rotterdam", "Centrum", ""])  # fmt: skip
    storage = runtime.settings().instance_path / "imports"
    with tempfile.TemporaryDirectory() as folder:
        source = _write(Path(folder) / "upload.xlsx", "Cliënten zonder inschrijving UWV, november", waiting)
        stored = runs.store_upload(storage, source, "clientenlijst-november.xlsx")
    run = runs.start_run(session, campaign, actor, path=stored, filename="clientenlijst-november.xlsx",
                         list_type="clients", today=today)  # fmt: skip
    runs.check_run(session, run, limits=limits)
