"""Creating campaigns with the default escalation ladder of domain.md."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.errors import InvalidInput, NotFound
from campaign.models import Campaign, LadderStep

#: (position, kind, title, delay in days after the previous letter's dispatch, deadline in days)
DEFAULT_LADDER = (
    (1, "uitnodiging", "Uitnodiging", 0, None),
    (2, "herinnering", "Herinnering", 14, None),
    (3, "ultimatum", "Laatste oproep", 14, 14),
    (4, "voornemen", "Voornemen maatregel", 0, 14),
    (5, "besluit", "Besluit", 0, None),
)
STEP_KINDS = tuple(kind for _, kind, _, _, _ in DEFAULT_LADDER)


def _prefix_for(name: str, campaign_id: int) -> str:
    letters = re.sub(r"[^A-Z]", "", name.upper())[:3] or "HS"
    return f"{letters}{campaign_id}"


def create_campaign(session: orm.Session, actor: audit.Actor, name: str) -> Campaign:
    """Create a campaign with the default ladder."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Geef de campagne een naam.")
    if len(name) > 120:
        raise InvalidInput("De naam van de campagne mag hoogstens 120 tekens lang zijn.")
    if session.scalar(sa.select(Campaign.id).where(Campaign.name == name)):
        raise InvalidInput(f"Er bestaat al een campagne met de naam {name!r}.")
    campaign = Campaign(name=name, reference_prefix="tmp")
    for position, kind, title, delay, deadline in DEFAULT_LADDER:
        campaign.steps.append(
            LadderStep(position=position, kind=kind, title=title, delay_days=delay, deadline_days=deadline)
        )
    session.add(campaign)
    session.flush()
    campaign.reference_prefix = _prefix_for(name, campaign.id)
    audit.record(session, actor, "create", "campaign", campaign.id, purpose="campagne aanmaken")
    return campaign


def get_campaign(session: orm.Session, ref: str | int) -> Campaign:
    """Find a campaign by id or exact name (for the command line)."""
    text = str(ref).strip()
    campaign = None
    if text.isdigit():
        campaign = session.get(Campaign, int(text))
    if campaign is None:
        campaign = session.scalar(sa.select(Campaign).where(Campaign.name == text))
    if campaign is None:
        raise NotFound(f"Campagne {text!r} bestaat niet.")
    return campaign


def next_reference(campaign: Campaign) -> str:
    """Allocate the next case reference (kenmerk) of a campaign: prefix, number and a check digit."""
    number = campaign.next_case_number
    campaign.next_case_number = number + 1
    return format_reference(campaign.reference_prefix, number)


def format_reference(prefix: str, number: int) -> str:
    digits = f"{number:06d}"
    check = sum((i + 2) * int(d) for i, d in enumerate(reversed(digits))) % 11 % 10
    return f"{prefix}-{digits}{check}"
