"""``herinschrijving import uwv``: check and apply from the command line, exit 2 on a rejected list."""

import sqlalchemy as sa

from campaign.models import UwvList, UwvRegistration, UwvUpload
from tests.uwv_support import HEADER, D, make_campaign, write_xlsx


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def setup_campaign(db, tmp_path, rows):
    with db.transaction() as session:
        campaign, cases, spare = make_campaign(session, 3, name="Rotterdam 2026")
        bsns = [c.bsn for c in cases]
    return write_xlsx(tmp_path / "uwv.xlsx", [HEADER, *rows(bsns, spare)])


def test_import_uwv_applies_a_clean_list_and_prints_the_report(app, db, tmp_path):
    path = setup_campaign(
        db, tmp_path, lambda b, spare: [[b[0], D(2026, 11, 2), None, None], [next(spare), D(2026, 11, 2), None, None]]
    )
    result = run(
        app, "import", "uwv", "Rotterdam 2026", str(path), "--peildatum", "2026-11-28", "--today", "2026-11-30"
    )
    assert result.exit_code == 0, result.output
    assert "Nieuw ingeschreven: 1" in result.output
    assert "niet in de campagne voorkomen (geteld, niet bewaard): 1" in result.output
    with db.session() as session:
        assert session.scalar(sa.select(UwvList.peildatum)) == D(2026, 11, 28)
        assert session.scalar(sa.select(sa.func.count()).select_from(UwvRegistration)) == 1


def test_a_dry_run_checks_but_keeps_nothing(app, db, tmp_path):
    path = setup_campaign(db, tmp_path, lambda b, spare: [[b[0], D(2026, 11, 2), None, None]])
    result = run(app, "import", "uwv", "Rotterdam 2026", str(path), "--peildatum", "2026-11-28", "--today",
                 "2026-11-30", "--dry-run")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "niets toegepast" in result.output
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(UwvList)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(UwvUpload)) == 0


def test_a_list_with_row_errors_exits_2_and_names_row_and_column(app, db, tmp_path):
    path = setup_campaign(db, tmp_path, lambda b, spare: [[b[0], "gisteren", None, None]])
    result = run(
        app, "import", "uwv", "Rotterdam 2026", str(path), "--peildatum", "2026-11-28", "--today", "2026-11-30"
    )
    assert result.exit_code == 2
    assert "regel 2, kolom Datum inschrijving" in result.output
    assert "Traceback" not in result.output
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(UwvList)) == 0


def test_export_writes_the_lists_for_uwv(app, db, tmp_path):
    path = setup_campaign(db, tmp_path, lambda b, spare: [[b[0], D(2026, 11, 2), None, None]])
    assert run(app, "import", "uwv", "Rotterdam 2026", str(path), "--peildatum", "2026-11-28", "--today",
               "2026-11-30").exit_code == 0  # fmt: skip
    output = tmp_path / "te-controleren.csv"
    result = run(app, "export", "Rotterdam 2026", "te-controleren", "-o", str(output))
    assert result.exit_code == 0, result.output
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "BSN" and len(lines) == 3  # the two cases not registered, BSN only
    result = run(app, "export", "Rotterdam 2026", "uit-te-schrijven", "-o", str(tmp_path / "uit.xlsx"))
    assert result.exit_code == 0, result.output
