"""Login with password and TOTP, enrolment, recovery codes, throttling, idle timeout and CSRF."""

import datetime as dt

import pyotp
import sqlalchemy as sa

from campaign import accounts
from campaign.audit import Actor
from campaign.models import AuditEvent, User, utcnow
from campaign.roles import Role
from tests.helpers import PASSWORD, totp_code


def make_user(app, email="anna@gemeente.invalid", role=Role.PROJECTLEIDER, secret=None):
    with app.extensions["herinschrijving.db"].transaction() as session:
        user = accounts.create_user(session, Actor.system("test"), email, role, PASSWORD)
        if secret:
            user.totp_secret = secret
            user.totp_confirmed_at = utcnow()
    return user


def test_login_with_password_and_code_opens_the_home_page(web, app):
    secret = pyotp.random_base32()
    make_user(app, secret=secret)
    web.login("anna@gemeente.invalid", secret)
    page = web.get("/")
    assert page.status == 200
    assert "Welkom" in page.select_one("h1").get_text()


def test_a_wrong_password_gets_a_clear_message_and_no_session(web, app):
    make_user(app, secret=pyotp.random_base32())
    page = web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": "fout-wachtwoord"})
    assert page.status == 422
    assert "klopt niet" in page.select_one("[role=alert]").get_text()
    assert web.get("/").status == 302


def test_a_password_alone_does_not_open_any_page(web, app):
    make_user(app, secret=pyotp.random_base32())
    assert web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD}).status == 302
    assert web.get("/").location.startswith("/inloggen/")


def test_a_wrong_code_is_refused(web, app):
    make_user(app, secret=pyotp.random_base32())
    web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD})
    page = web.post("/inloggen/code", {"code": "000000"})
    assert page.status == 422
    assert web.get("/").status == 302


def test_a_code_cannot_be_used_twice(web, app):
    secret = pyotp.random_base32()
    make_user(app, secret=secret)
    code = totp_code(secret)  # the same code both times, even when the 30-second window turns in between
    web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD})
    assert web.post("/inloggen/code", {"code": code}).status == 302
    web.post("/inloggen/uitloggen")
    web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD})
    page = web.post("/inloggen/code", {"code": code})
    assert page.status == 422


def test_after_five_failures_the_account_is_locked_with_a_clear_message(web, app):
    make_user(app, secret=pyotp.random_base32())
    for _ in range(5):
        web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": "fout-wachtwoord"})
    page = web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD})
    assert page.status == 422
    assert "tijdelijk geblokkeerd" in page.select_one("[role=alert]").get_text()


def test_first_login_enrols_a_second_factor_with_qr_code_and_recovery_codes(web, app):
    make_user(app)
    page = web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD})
    assert page.location == "/inloggen/tweede-factor"
    enrol = web.get("/inloggen/tweede-factor")
    assert enrol.select_one("img.qr")["src"].startswith("data:image/svg+xml")
    secret = enrol.select_one("code.secret").get_text()
    codes_page = web.post("/inloggen/tweede-factor", {"code": pyotp.TOTP(secret).now()})
    codes = [c.get_text() for c in codes_page.select(".recovery-codes code")]
    assert len(codes) == 10
    assert web.get("/").status == 200
    # a recovery code works once instead of the app's code
    web.post("/inloggen/uitloggen")
    web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD})
    assert web.post("/inloggen/code", {"code": codes[0]}).status == 302
    web.post("/inloggen/uitloggen")
    web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD})
    assert web.post("/inloggen/code", {"code": codes[0]}).status == 422


def test_after_fifteen_idle_minutes_the_session_ends(web, app):
    web.login_as(Role.PROJECTLEIDER)
    with web.client.session_transaction() as flask_session:
        flask_session["last_seen"] = (utcnow() - dt.timedelta(minutes=16)).timestamp()
    page = web.get("/")
    assert page.status == 302
    login = web.get(page.location)
    assert "niet actief" in login.text()


def test_a_form_without_csrf_token_is_refused(web, app):
    make_user(app, secret=pyotp.random_base32())
    page = web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD}, csrf=False)
    assert page.status == 400
    assert "verlopen" in page.text()


def test_logins_are_in_the_audit_trail(web, app):
    user = web.login_as(Role.UWV)
    with app.extensions["herinschrijving.db"].session() as session:
        actions = session.scalars(
            sa.select(AuditEvent.result).where(AuditEvent.action == "login", AuditEvent.actor_id == user.id)
        ).all()
    assert "ok" in actions


def test_session_cookie_is_http_only_and_same_site(web, app):
    secret = pyotp.random_base32()
    make_user(app, secret=secret)
    web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD})
    response = web.client.post("/inloggen/code", data={"code": totp_code(secret), "csrf_token": web.csrf_token()})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_the_next_page_after_login_is_never_another_site(web, app):
    secret = pyotp.random_base32()
    make_user(app, secret=secret)
    web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD, "next": "//evil.example/"})
    page = web.post("/inloggen/code", {"code": totp_code(secret)})
    assert page.location == "/"


def test_a_deactivated_account_cannot_log_in(web, app):
    secret = pyotp.random_base32()
    make_user(app, secret=secret)
    with app.extensions["herinschrijving.db"].transaction() as session:
        session.scalar(sa.select(User)).active = False
    page = web.post("/inloggen/", {"email": "anna@gemeente.invalid", "password": PASSWORD})
    assert page.status == 422
