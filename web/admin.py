"""Administration: accounts, roles and the campaigns each account works on."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for

from campaign import accounts
from campaign.errors import InvalidInput, NotFound
from campaign.models import Campaign, User
from campaign.roles import ROLE_LABELS, Role
from web.db_session import get_session
from web.permissions import actor, allow

bp = Blueprint("admin", __name__, url_prefix="/beheer")


def _context(**extra):
    db = get_session()
    return {
        "users": list(db.scalars(sa.select(User).order_by(User.email))),
        "campaigns": list(db.scalars(sa.select(Campaign).order_by(Campaign.name))),
        "roles": ROLE_LABELS,
        "errors": {},
        **extra,
    }


def _user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        raise NotFound("Dit account bestaat niet.")
    return user


@bp.route("/accounts")
@allow(Role.BEHEERDER)
def users():
    return render_template("admin/users.html", **_context())


@bp.route("/accounts", methods=["POST"])
@allow(Role.BEHEERDER)
def user_create():
    db = get_session()
    password = secrets.token_urlsafe(12)
    form = request.form
    try:
        user = accounts.create_user(
            db, actor(), form.get("email", ""), form.get("role", ""), password, form.get("name", "")
        )
    except InvalidInput as exc:
        return render_template("admin/users.html", **_context(errors={"email": str(exc)}, form=form)), 422
    db.commit()
    return render_template("admin/users.html", **_context(created=user, password=password))


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@allow(Role.BEHEERDER)
def user_edit(user_id: int):
    user = _user_or_404(user_id)
    if request.method == "GET":
        return render_template("admin/user_edit.html", user=user, **_context())
    db = get_session()
    form = request.form
    try:
        accounts.update_user(
            db,
            actor(),
            user,
            role=form.get("role", ""),
            active=form.get("active") == "1",
            campaign_ids=[int(c) for c in form.getlist("campaign_ids") if c.isdigit()],
            name=form.get("name", ""),
        )
    except InvalidInput as exc:
        db.rollback()
        return render_template("admin/user_edit.html", user=user, **_context(errors={"form": str(exc)})), 422
    db.commit()
    return redirect(url_for("admin.users"))


@bp.route("/accounts/<int:user_id>/tweede-factor", methods=["POST"])
@allow(Role.BEHEERDER)
def user_reset_second_factor(user_id: int):
    db = get_session()
    accounts.reset_second_factor(db, actor(), _user_or_404(user_id))
    db.commit()
    return redirect(url_for("admin.user_edit", user_id=user_id))


from web import admin_municipality  # noqa: E402,F401 - the municipality settings add routes to this blueprint
