"""Login with password and a TOTP second factor, enrolment with QR code and recovery codes, logout."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno
from flask import Blueprint, redirect, render_template, request, session, url_for

from campaign import accounts
from campaign.audit import Actor
from campaign.errors import InvalidInput
from campaign.models import User, utcnow
from web.db_session import get_session, settings
from web.permissions import any_user, public

bp = Blueprint("auth", __name__, url_prefix="/inloggen")


def _origin() -> str:
    return f"web {request.remote_addr or ''}".strip()


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


def _pending_user() -> User | None:
    uid = session.get("pending_uid")
    return get_session().get(User, uid) if uid else None


@bp.route("/", methods=["GET", "POST"])
@public
def login():
    expired = session.pop("expired", False)
    if request.method == "GET":
        return render_template("auth/login.html", expired=expired, next=request.args.get("next", ""))
    db = get_session()
    email = request.form.get("email", "")
    try:
        user = accounts.check_login(db, email, request.form.get("password", ""), _origin(), settings=settings())
    except accounts.LoginRefused as exc:
        db.commit()
        return render_template("auth/login.html", error=str(exc), email=email), 422
    db.commit()
    session.clear()
    session["pending_uid"] = user.id
    session["next"] = _safe_next(request.form.get("next"))
    if not user.has_second_factor:
        return redirect(url_for("auth.enrol"))
    return redirect(url_for("auth.second_factor"))


@bp.route("/code", methods=["GET", "POST"])
@public
def second_factor():
    user = _pending_user()
    if user is None or not user.has_second_factor:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("auth/code.html")
    db = get_session()
    if user.locked_until is not None and user.locked_until > utcnow():
        session.clear()
        return render_template("auth/login.html", error="Te veel mislukte pogingen. Probeer het later opnieuw."), 422
    if not accounts.verify_second_factor(db, user, request.form.get("code", "")):
        accounts.second_factor_failed(db, user, _origin(), settings=settings())
        db.commit()
        return render_template("auth/code.html", error="De code klopt niet. Probeer het opnieuw."), 422
    return _finish_login(user)


def _finish_login(user: User):
    db = get_session()
    accounts.login_succeeded(db, user, _origin())
    db.commit()
    target = session.get("next") or url_for("main.home")
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["mfa_ok"] = True
    session["last_seen"] = utcnow().timestamp()
    return redirect(target)


def _qr_data_uri(uri: str) -> str:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True)
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@bp.route("/tweede-factor", methods=["GET", "POST"])
@public
def enrol():
    user = _pending_user()
    if user is None or user.has_second_factor:
        return redirect(url_for("auth.login"))
    secret = session.get("enrol_secret") or accounts.new_totp_secret()
    session["enrol_secret"] = secret
    uri = accounts.provisioning_uri(user, secret, issuer=f"Herinschrijving {settings().municipality_name}")
    context = {"secret": secret, "qr": _qr_data_uri(uri), "email": user.email}
    if request.method == "GET":
        return render_template("auth/enrol.html", **context)
    db = get_session()
    try:
        codes = accounts.confirm_totp(
            db, Actor(user.id, user.email, _origin()), user, secret, request.form.get("code", "")
        )
    except InvalidInput as exc:
        return render_template("auth/enrol.html", error=str(exc), **context), 422
    db.commit()
    session.pop("enrol_secret", None)
    response = _finish_login(user)
    return render_template("auth/recovery_codes.html", codes=codes, next=response.location)


@bp.route("/uitloggen", methods=["POST"])
@any_user
def logout():
    session.clear()
    return redirect(url_for("auth.login"))
