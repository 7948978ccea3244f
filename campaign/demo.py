"""The demo campaign: synthetic people and one account per role, idempotent.

Later features extend :func:`build_demo` so the demo always shows every feature.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import accounts
from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.cases import new_case
from campaign.demo_escalation import add_escalation_demo
from campaign.models import Campaign, Case, User
from campaign.roles import Role

DEMO_CAMPAIGN = "Demo herinschrijving"
DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - printed on purpose; demo accounts only
DEMO_DOMAIN = "demo.invalid"
#: Fixed TOTP secrets so the printed demo login works; never used outside demo accounts.
DEMO_SECRETS = {role: base64.b32encode(f"demo-{role.value}".ljust(20, "-").encode()).decode() for role in Role}
DEMO_NAMES = {
    Role.PROJECTLEIDER: "Petra Projectleider",
    Role.BESLISSER: "Bas Beslisser",
    Role.TELEFOONTEAM: "Tamara Telefoonteam",
    Role.UWV: "Umar UWV",
    Role.BEHEERDER: "Bert Beheerder",
}
NO_ACTION_SHARE = (("UITKERING_BEEINDIGD", 0.03), ("VERHUISD", 0.01), ("BUITEN_LEEFTIJD", 0.005))


def demo_email(role: Role) -> str:
    return f"{role.value}@{DEMO_DOMAIN}"


def is_demo_account(email: str) -> bool:
    return email.endswith("@" + DEMO_DOMAIN)


@dataclass
class DemoResult:
    campaign: Campaign
    created_cases: int
    total_cases: int
    users: list[User]


def build_demo(session: orm.Session, *, clients: int = 2000, today: dt.date) -> DemoResult:
    """Build or refresh the demo campaign with ``clients`` synthetic people."""
    from campaign.demo_data import generate_people

    actor = Actor.system("demo")
    campaign = session.scalar(sa.select(Campaign).where(Campaign.name == DEMO_CAMPAIGN))
    if campaign is None:
        campaign = create_campaign(session, actor, DEMO_CAMPAIGN)
    users = [_demo_user(session, actor, role, campaign) for role in Role]
    existing = set(session.scalars(sa.select(Case.bsn).where(Case.campaign_id == campaign.id)))
    rng = random.Random(7)
    created = 0
    for person in generate_people(clients):
        if person.bsn in existing:
            continue
        case = new_case(campaign, person.__dict__)
        draw = rng.random()
        for reason, share in NO_ACTION_SHARE:
            if draw < share:
                case.no_action_reason = reason
                case.no_action_since = today
                case.status = "geen_actie"
                break
            draw -= share
        session.add(case)
        created += 1
    session.flush()
    total = session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.campaign_id == campaign.id))
    add_escalation_demo(session, campaign, today)
    __import__("campaign.demo_phone").demo_phone.add_phone_demo(session, campaign, today)
    return DemoResult(campaign=campaign, created_cases=created, total_cases=total or 0, users=users)


def _demo_user(session: orm.Session, actor: Actor, role: Role, campaign: Campaign) -> User:
    email = demo_email(role)
    user = accounts.find_user(session, email)
    if user is None:
        user = accounts.create_user(session, actor, email, role, DEMO_PASSWORD + "-2026", DEMO_NAMES[role])
    user.totp_secret = DEMO_SECRETS[role]
    if user.totp_confirmed_at is None:
        from campaign.models import utcnow

        user.totp_confirmed_at = utcnow()
    user.active = True
    user.locked_until = None
    if campaign not in user.campaigns:
        user.campaigns.append(campaign)
    return user


def demo_password() -> str:
    return DEMO_PASSWORD + "-2026"
