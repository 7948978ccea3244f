"""Municipality letter settings (/beheer/gemeente): routes on the admin blueprint (endpoint admin.municipality)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for

from campaign.errors import InvalidInput, NotFound
from campaign.roles import Role
from letters import municipality as settings_service
from letters.render import municipality as load_municipality
from web.admin import bp
from web.db_session import get_session
from web.permissions import actor, allow

EDITORS = (Role.BEHEERDER, Role.PROJECTLEIDER)


@bp.route("/gemeente", methods=["GET", "POST"])
@allow(*EDITORS)
def municipality():
    db = get_session()
    row = load_municipality(db)
    errors: dict[str, str] = {}
    if request.method == "POST":
        upload = request.files.get("logo")
        logo = None
        if upload is not None and upload.filename:
            logo = (upload.read(settings_service.MAX_LOGO_BYTES + 1), upload.filename)
        try:
            settings_service.update_settings(
                db, actor(), request.form, logo=logo, remove_logo=request.form.get("remove_logo") == "1"
            )
        except InvalidInput as exc:
            db.rollback()
            field = exc.location if exc.location in settings_service.FIELDS else "logo"
            errors[field] = exc.args[0]
            row = load_municipality(db)
            return render_template("admin/municipality.html", m=row, form=request.form, errors=errors,
                                   fields=settings_service.FIELDS), 422  # fmt: skip
        db.commit()
        flash("De gegevens voor de brieven zijn opgeslagen.", "success")
        return redirect(url_for("admin.municipality"))
    db.commit()
    return render_template("admin/municipality.html", m=row, form={}, errors=errors, fields=settings_service.FIELDS)


@bp.route("/gemeente/logo")
@allow(*EDITORS)
def municipality_logo():
    row = load_municipality(get_session())
    if not row.logo:
        raise NotFound("Er is geen logo ingesteld.")
    return Response(row.logo, mimetype=row.logo_mime or "application/octet-stream")
