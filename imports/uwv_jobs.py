"""Background jobs for UWV lists: check an uploaded file, apply a checked list. Plain functions over ids."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from campaign import runtime
from campaign.audit import Actor
from campaign.errors import DomainError
from campaign.jobs import JobContext
from campaign.models import UwvUpload
from imports.uwv_apply import apply_upload, check_upload, uwv_limits

UNEXPECTED = (
    "De verwerking is onverwacht mislukt; de fout is vastgelegd. Probeer het opnieuw of meld het aan de beheerder."
)


def check_job(ctx: JobContext, upload_id: int, path: str) -> None:
    """Check the uploaded file; the file is deleted afterwards whatever happens (it holds unknown BSNs)."""
    try:
        with ctx.db.transaction() as session:
            upload = session.get(UwvUpload, upload_id)
            check_upload(session, upload, Path(path), limits=uwv_limits(runtime.settings()), progress=ctx.progress)
            status, report = upload.status, upload.report
    except Exception:
        with ctx.db.transaction() as session:
            upload = session.get(UwvUpload, upload_id)
            if upload is not None and upload.status == "controleren":
                upload.status = "afgekeurd"  # the check failed unexpectedly: never leave it half-done
                upload.report = {"file_error": UNEXPECTED}
        raise
    finally:
        _remove(path)
    ctx.progress(report.get("rows", 0), report.get("rows", 0), _summary(status, report))
    ctx.set_result(upload_id=upload_id)


def apply_job(ctx: JobContext, upload_id: int, today: str, user_id: int | None, label: str, origin: str) -> None:
    actor = Actor(user_id, label, origin)
    try:
        with ctx.db.transaction() as session:
            upload = session.get(UwvUpload, upload_id)
            uwv_list = apply_upload(session, upload, actor, dt.date.fromisoformat(today), progress=ctx.progress)
            list_id = uwv_list.id
    except Exception as exc:
        with ctx.db.transaction() as session:
            upload = session.get(UwvUpload, upload_id)
            if upload is not None and upload.status == "toepassen":
                upload.status = "gecontroleerd"  # nothing was applied (rolled back); it may be tried again
                message = str(exc) if isinstance(exc, DomainError) else UNEXPECTED
                upload.report = {**upload.report, "apply_error": message}
        raise
    ctx.progress(1, 1, "De UWV-lijst is toegepast.")
    ctx.set_result(upload_id=upload_id, uwv_list_id=list_id)


def _summary(status: str, report: dict) -> str:
    if "file_error" in report:
        return report["file_error"]
    if status == "afgekeurd":
        return f"{report.get('error_count', 0)} regels met fouten; de lijst is niet klaargezet."
    return f"{report.get('matched', 0)} personen uit de campagne gevonden."


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
