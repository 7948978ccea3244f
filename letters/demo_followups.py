"""The demo's letters after dispatch: one correction letter and one withdrawal, both waiting to be printed.

Called once from ``letters.demo.add_letters_demo`` (which runs only while the campaign has no wave yet).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.audit import Actor
from campaign.errors import DomainError
from campaign.models import Campaign, Case, Letter, live_letter
from letters import followups

ACTOR = Actor.system("demo")


def add_followups_demo(session: orm.Session, campaign: Campaign, today: dt.date) -> None:
    """Correct the newest dispatched reminder and withdraw the newest dispatched ultimatum (if the demo has them)."""
    plans = (
        ("herinnering", lambda letter: followups.create_replacement(
            session, ACTOR, letter, "In de vorige brief stond een verkeerd telefoonnummer. Het goede nummer staat "
            "hieronder.", today)),
        ("ultimatum", lambda letter: followups.withdraw(
            session, ACTOR, letter, "U had al een ontheffing. Die brief had u niet mogen krijgen.", today)),
    )  # fmt: skip
    for kind, action in plans:
        candidates = session.scalars(
            sa.select(Letter)
            .join(Case, Case.id == Letter.case_id)
            .where(Case.campaign_id == campaign.id, Letter.kind == kind, Letter.status == "verzonden", live_letter())
            .order_by(Letter.id.desc())
            .limit(5)
        ).all()
        for letter in candidates:
            try:
                with session.begin_nested():
                    action(letter)
            except DomainError:  # e.g. a later letter exists already: try the next one
                continue
            break
