"""Maintaining the phone team's lists from the command line."""

import sqlalchemy as sa

from campaign.models import Campaign, ContactReason, ExemptionType
from tests.phone_helpers import make_campaign


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_contact_reasons_are_listed_added_and_switched_off(app, db):
    listed = run(app, "contact-reasons", "list")
    assert listed.exit_code == 0 and "DigiD-problemen" in listed.output
    assert run(app, "contact-reasons", "add", "taalproblemen", "Taalproblemen").exit_code == 0
    assert run(app, "contact-reasons", "deactivate", "klacht").exit_code == 0
    with db.session() as session:
        rows = {r.code: r for r in session.scalars(sa.select(ContactReason))}
    assert rows["taalproblemen"].label == "Taalproblemen" and rows["taalproblemen"].active
    assert not rows["klacht"].active


def test_a_reason_that_changes_the_case_cannot_be_switched_off(app):
    result = run(app, "contact-reasons", "deactivate", "zegt_ingeschreven")
    assert result.exit_code == 2 and "verandert het dossier" in result.output


def test_exemption_types_are_data(app, db):
    assert (
        run(app, "exemption-types", "add", "mantelzorg", "Mantelzorg", "--legal-basis", "Pw art. 9 lid 2").exit_code
        == 0
    )
    duplicate = run(app, "exemption-types", "add", "mantelzorg", "Nogmaals")
    assert duplicate.exit_code == 2 and "bestaat al" in duplicate.output
    assert "Mantelzorg" in run(app, "exemption-types", "list").output
    with db.session() as session:
        assert session.scalar(sa.select(ExemptionType.legal_basis).where(ExemptionType.code == "mantelzorg")) == (
            "Pw art. 9 lid 2"
        )


def test_the_call_back_claim_time_is_set_per_campaign(app, db):
    with db.transaction() as session:
        campaign, _ = make_campaign(session, people=[])
    assert run(app, "callbacks", "claim-minutes", str(campaign.id), "30").exit_code == 0
    with db.session() as session:
        assert session.get(Campaign, campaign.id).callback_claim_minutes == 30


def test_an_exemption_type_is_switched_off_and_on_again_and_an_unknown_code_is_named(app, db):
    off = run(app, "exemption-types", "deactivate", "zorgtaken")
    assert off.exit_code == 0 and "'zorgtaken' uitgeschakeld" in off.output
    assert "(uitgeschakeld)" in next(line for line in run(app, "exemption-types", "list").output.splitlines()
                                     if line.startswith("zorgtaken"))  # fmt: skip
    on = run(app, "exemption-types", "activate", "zorgtaken")
    assert on.exit_code == 0 and "'zorgtaken' ingeschakeld" in on.output
    with db.session() as session:
        assert session.scalar(sa.select(ExemptionType.active).where(ExemptionType.code == "zorgtaken")) is True
    unknown = run(app, "contact-reasons", "activate", "bestaat_niet")
    assert unknown.exit_code == 2 and "Contactreden 'bestaat_niet' bestaat niet" in unknown.output
