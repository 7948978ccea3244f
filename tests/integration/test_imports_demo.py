"""The demo shows the imports: last month's list applied, this month's list checked with errors, idempotent."""

import sqlalchemy as sa

from campaign.models import Case, CaseEvent, ImportRun


def test_demo_has_an_applied_and_a_waiting_client_list(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "--clients", "120", "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    app.test_cli_runner().invoke(args=["demo", "--clients", "120", "--today", "2026-11-23"])
    with db.session() as session:
        applied, waiting = session.scalars(sa.select(ImportRun).order_by(ImportRun.id)).all()
        assert (applied.status, applied.filename) == ("toegepast", "clientenlijst-oktober.xlsx")
        assert applied.counts["gewijzigd"] == 5 and applied.counts["niet_meer_in_lijst"] == 3
        flagged = session.scalar(
            sa.select(sa.func.count()).select_from(Case).where(Case.missing_from_list_since.is_not(None))
        )
        assert flagged == 3
        kinds = set(session.scalars(sa.select(CaseEvent.kind)))
        assert {"import_wijziging", "import_ontbreekt"} <= kinds
        assert waiting.status == "gecontroleerd" and waiting.error_rows >= 4
        assert waiting.stored_path and waiting.counts["nieuw"] == 1
