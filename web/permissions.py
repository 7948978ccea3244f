"""Every route declares who may use it; a before-request hook enforces it.

``@allow(Role.X, ...)`` names roles, ``@any_user`` admits every signed-in account and ``@public``
marks the few pages reachable without a session. A route without a declaration answers 500 and
fails the url_map test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from flask import Flask, abort, current_app, g, redirect, request, session, url_for

from campaign.audit import Actor
from campaign.models import User, utcnow
from campaign.roles import Role
from web.db_session import get_session, settings

ATTR = "_herinschrijving_roles"
PUBLIC = "public"
ANY_USER = "any"


def allow(*roles: Role) -> Callable:
    def decorate(view):
        setattr(view, ATTR, frozenset(roles))
        return view

    return decorate


def any_user(view):
    setattr(view, ATTR, ANY_USER)
    return view


def public(view):
    setattr(view, ATTR, PUBLIC)
    return view


def declared_roles(view) -> frozenset[Role] | str | None:
    return getattr(view, ATTR, None)


def current_user() -> User | None:
    return g.get("user")


def actor() -> Actor:
    user = current_user()
    origin = f"web {request.remote_addr or ''}".strip()
    if user is None:
        return Actor(None, "anoniem", origin)
    return Actor(user.id, user.email, origin, user.role)


def has_role(*roles: Role) -> bool:
    user = current_user()
    return user is not None and user.role in {r.value for r in roles}


def roles_for(endpoint: str) -> frozenset[Role] | str | None:
    view = current_app.view_functions.get(endpoint)
    return declared_roles(view) if view else None


def can_visit(endpoint: str) -> bool:
    """For navigation: may the current user open this endpoint?"""
    declared = roles_for(endpoint)
    user = current_user()
    if declared == PUBLIC:
        return True
    if user is None or declared is None:
        return False
    return declared == ANY_USER or user.role in {r.value for r in declared}


def _load_user() -> User | None:
    uid = session.get("uid")
    if uid is None or not session.get("mfa_ok"):
        return None
    last_seen = session.get("last_seen")
    now = utcnow()
    idle = dt.timedelta(minutes=settings().session_idle_minutes)
    if last_seen is None or now - dt.datetime.fromtimestamp(last_seen, dt.UTC) > idle:
        session.clear()
        session["expired"] = True
        return None
    user = get_session().get(User, uid)
    if user is None or not user.active:
        session.clear()
        return None
    session["last_seen"] = now.timestamp()
    return user


def _enforce():
    if request.endpoint is None:
        return None  # 404 follows
    view = current_app.view_functions.get(request.endpoint)
    declared = declared_roles(view) if view else None
    if request.endpoint == "static" or declared == PUBLIC:
        g.user = _load_user() if "uid" in session else None
        return None
    if declared is None:
        current_app.logger.error("route %s has no permission declaration", request.endpoint)
        abort(500)
    g.user = _load_user()
    if g.user is None:
        if request.headers.get("HX-Request"):
            return "", 401, {"HX-Redirect": url_for("auth.login")}
        target = request.full_path.rstrip("?") if request.method == "GET" and request.path != "/" else None
        return redirect(url_for("auth.login", next=target))
    if declared != ANY_USER and g.user.role not in {r.value for r in _as_set(declared)}:
        abort(403)
    return None


def _as_set(declared) -> Iterable[Role]:
    return declared if isinstance(declared, frozenset) else ()


def init_app(app: Flask) -> None:
    app.before_request(_enforce)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        )
        if "uid" in session:
            response.headers.setdefault("Cache-Control", "no-store")
        response.vary.update(("HX-Request", "HX-Target"))
        return response

    @app.context_processor
    def _inject():
        return {"current_user": current_user(), "can_visit": can_visit, "Role": Role}
