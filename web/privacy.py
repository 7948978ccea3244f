"""AVG art. 15 inzageverzoek: one click produces everything held on a person, including who viewed it."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from campaign.dates import today_amsterdam
from campaign.errors import InvalidInput
from campaign.privacy import subject_access
from campaign.roles import Role
from imports.xlsx_out import Column, write_workbook
from web.db_session import get_session
from web.permissions import actor, allow

bp = Blueprint("privacy", __name__, url_prefix="/inzage")
ROLES = (Role.PROJECTLEIDER, Role.BESLISSER)


@bp.route("/")
@allow(*ROLES)
def index():
    return render_template("privacy/index.html", errors={}, report=None)


@bp.route("/", methods=["POST"])
@allow(*ROLES)
def collect():
    db = get_session()
    try:
        report = subject_access(db, actor(), request.form.get("bsn", ""), today_amsterdam())
    except InvalidInput as exc:
        return render_template("privacy/index.html", errors={"bsn": str(exc)}, report=None), 422
    db.commit()
    if request.form.get("download") != "1":
        return render_template("privacy/index.html", errors={}, report=report)
    sheets = [
        (section.title, [Column(name, 18, "auto") for name in section.columns], section.rows)
        for section in report.sections
    ]
    filename = f"inzage-{report.made_on.isoformat()}-{report.bsn[-4:]}.xlsx"
    return Response(
        write_workbook(sheets),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
