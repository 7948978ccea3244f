"""Accounts: passwords (argon2), the TOTP second factor, recovery codes and login throttling."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import orm

from campaign import audit
from campaign.errors import DomainError, InvalidInput
from campaign.models import User, utcnow
from campaign.roles import Role, parse_role

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
RECOVERY_CODE_COUNT = 10
ISSUER = "Herinschrijving"


class LoginRefused(DomainError):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn.")


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 254:
        raise InvalidInput(f"{email!r} is geen geldig e-mailadres.")
    return email


def find_user(session: orm.Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def create_user(
    session: orm.Session, actor: audit.Actor, email: str, role: str | Role, password: str, name: str = ""
) -> User:
    """Create an account; the second factor is enrolled at first login."""
    email = normalise_email(email)
    role = parse_role(str(role))
    check_password_strength(password)
    if find_user(session, email):
        raise InvalidInput(f"Er bestaat al een account voor {email}.")
    user = User(email=email, role=role.value, name=name.strip() or email, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, purpose="account aanmaken")
    return user


def set_password(session: orm.Session, actor: audit.Actor, user: User, password: str) -> None:
    check_password_strength(password)
    user.password_hash = hash_password(password)
    audit.record(session, actor, "update", "user", user.id, purpose="wachtwoord wijzigen")


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_login(session: orm.Session, email: str, password: str, origin: str, *, settings) -> User:
    """Check email and password with throttling. Raises LoginRefused with a Dutch message."""
    now = utcnow()
    user = find_user(session, email)
    actor = audit.Actor(user_id=user.id if user else None, label=email.strip().lower()[:254], origin=origin)
    if user is not None and user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        audit.record(session, actor, "login", "user", user.id, result="geblokkeerd")
        raise LoginRefused(
            f"Te veel mislukte pogingen. Dit account is tijdelijk geblokkeerd; probeer het over {minutes} "
            "minuten opnieuw of neem contact op met de beheerder."
        )
    if user is None or not user.active or not verify_password(user, password):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= settings.login_max_failures:
                user.locked_until = now + dt.timedelta(minutes=settings.login_lockout_minutes)
                user.failed_logins = 0
        audit.record(session, actor, "login", "user", user.id if user else "", result="geweigerd")
        raise LoginRefused("Het e-mailadres of wachtwoord klopt niet.")
    return user


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code if ch.isalnum()).lower()


def verify_totp(user: User, secret: str, code: str, *, now: dt.datetime | None = None) -> bool:
    """Accept the current code (±1 step); a code already used is refused (no replay)."""
    code = _normalise_code(code)
    if not code.isdigit() or len(code) != 6:
        return False
    now = now or utcnow()
    totp = pyotp.TOTP(secret)
    counter = int(now.timestamp()) // totp.interval
    for candidate in (counter, counter - 1, counter + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            if user.totp_last_counter is not None and candidate <= user.totp_last_counter:
                return False
            user.totp_last_counter = candidate
            return True
    return False


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(_normalise_code(code).encode()).hexdigest()


def confirm_totp(session: orm.Session, actor: audit.Actor, user: User, secret: str, code: str) -> list[str]:
    """Finish enrolment when the code matches; returns the recovery codes to show once."""
    if not verify_totp(user, secret, code):
        raise InvalidInput("De code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw.")
    user.totp_secret = secret
    user.totp_confirmed_at = utcnow()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes = [_hash_recovery(c) for c in codes]
    audit.record(session, actor, "update", "user", user.id, purpose="tweede factor instellen")
    return codes


def verify_second_factor(session: orm.Session, user: User, code: str) -> bool:
    """A TOTP code, or a recovery code (used once)."""
    if user.totp_secret and verify_totp(user, user.totp_secret, code):
        return True
    hashed = _hash_recovery(code)
    if hashed in (user.recovery_codes or []):
        user.recovery_codes = [c for c in user.recovery_codes if c != hashed]
        return True
    return False


def login_succeeded(session: orm.Session, user: User, origin: str) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    audit.record(session, audit.Actor(user.id, user.email, origin), "login", "user", user.id)


def second_factor_failed(session: orm.Session, user: User, origin: str, *, settings) -> None:
    user.failed_logins += 1
    if user.failed_logins >= settings.login_max_failures:
        user.locked_until = utcnow() + dt.timedelta(minutes=settings.login_lockout_minutes)
        user.failed_logins = 0
    audit.record(session, audit.Actor(user.id, user.email, origin), "login", "user", user.id, result="code fout")


def update_user(
    session: orm.Session,
    actor: audit.Actor,
    user: User,
    *,
    role: str,
    active: bool,
    campaign_ids: list[int],
    name: str,
) -> None:
    """Change role, active flag, name and the campaigns a user works on."""
    from campaign.models import Campaign

    user.role = parse_role(role).value
    if actor.user_id == user.id and not active:
        raise InvalidInput("U kunt uw eigen account niet uitschakelen.")
    user.active = active
    user.name = name.strip()[:120] or user.email
    user.campaigns = list(session.scalars(sa.select(Campaign).where(Campaign.id.in_(campaign_ids))))
    audit.record(session, actor, "update", "user", user.id, purpose="account beheren")


def reset_second_factor(session: orm.Session, actor: audit.Actor, user: User) -> None:
    """The user enrols a new second factor at the next login (lost phone)."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_counter = None
    user.recovery_codes = []
    audit.record(session, actor, "update", "user", user.id, purpose="tweede factor opnieuw instellen")
