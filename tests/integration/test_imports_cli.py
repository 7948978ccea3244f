"""``herinschrijving import clients`` and ``export``: summary line, exit 2 for bad files, nothing half-written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from campaign.models import Case, ImportRun
from tests.fixtures_spreadsheets import write_ods, write_xls

SAMPLES = Path("/work/shared/data")
HEADER = ["BSN", "Achternaam", "Straat", "Huisnummer", "Postcode", "Woonplaats"]


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def campaign(app):
    result = run(app, "campaigns", "add", "Herinschrijving 2026")
    assert result.exit_code == 0, result.output
    return "Herinschrijving 2026"


def count(db, model=Case) -> int:
    with db.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_sample_files_import_from_the_command_line(app, db, campaign):
    result = run(app, "import", "clients", campaign, str(SAMPLES / "gemeente-export-voorbeeld.csv"),
                 "--today", "2026-11-23")  # fmt: skip
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "nieuw: 50, gewijzigd: 0, ongewijzigd: 0, fouten: 0"
    assert "Niet opgeslagen kolommen: Geslacht, E-mailadres, Klantmanager, Ingangsdatum uitkering." in result.stdout
    result = run(app, "import", "clients", campaign, str(SAMPLES / "gemeente-export-voorbeeld.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "nieuw: 150, gewijzigd: 0, ongewijzigd: 50, fouten: 0"
    assert count(db) == 200


def test_dry_run_prints_the_summary_and_writes_nothing(app, db, campaign):
    result = run(app, "import", "clients", campaign, str(SAMPLES / "gemeente-export-voorbeeld.xlsx"), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Proefdraai: er is niets opgeslagen." in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "nieuw: 200, gewijzigd: 0, ongewijzigd: 0, fouten: 0"
    assert count(db) == 0 and count(db, ImportRun) == 0


def _xlsx(path: Path, rows) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_rows_with_errors_stop_the_import_unless_skip_invalid(app, db, campaign, tmp_path):
    path = _xlsx(tmp_path / "lijst.xlsx", [HEADER, ["123456782", "Jansen", "Weg", 1, "3011 AA", "Ede"],
                                           ["111222334", "Fout", "Weg", 2, "3011 AA", "Ede"]])  # fmt: skip
    result = run(app, "import", "clients", campaign, str(path))
    assert result.exit_code == 2
    assert "regel 3, kolom BSN: dit is geen geldig BSN" in result.stderr
    assert "1 regels hebben fouten; er is niets opgeslagen" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "nieuw: 1, gewijzigd: 0, ongewijzigd: 0, fouten: 1"
    assert count(db) == 0
    result = run(app, "import", "clients", campaign, str(path), "--skip-invalid")
    assert result.exit_code == 0
    assert count(db) == 1
    with db.session() as session:
        assert session.scalar(sa.select(ImportRun.skip_invalid)) is True


def test_old_excel_and_libreoffice_files_import(app, db, campaign, tmp_path):
    rows = [HEADER, ["123456782", "Jansen", "Weg", 1, "3011 AA", "Ede"]]
    assert run(app, "import", "clients", campaign, str(write_xls(tmp_path / "oud.xls", rows))).exit_code == 0
    rows[1][0] = "012345672"
    result = run(app, "import", "clients", campaign, str(write_ods(tmp_path / "lijst.ods", rows)))
    assert result.exit_code == 0, result.stderr
    assert count(db) == 2


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(450):
                member.write(b"\0" * (1024 * 1024))
    return path


def _write(content: bytes):
    def make(path: Path) -> Path:
        path.write_bytes(content)
        return path

    return make


def _truncated(path: Path) -> Path:
    path.write_bytes(_xlsx(path.with_suffix(".tmp"), [HEADER, ["123456782"] * 6]).read_bytes()[:900])
    return path


HOSTILE = {
    "leeg.xlsx": (_write(b""), "het bestand is leeg"),
    "pdf.xlsx": (_write(b"%PDF-1.4\n..."), "geen echt .xlsx-bestand"),
    "afgekapt.xlsx": (_truncated, "beschadigd"),
    "bom.xlsx": (_zip_bomb, "zip-bom"),
    "nul.csv": (_write(b"BSN;Naam\n12\x0034;x\n"), "NUL-tekens"),
    "kop.xlsx": (lambda p: _xlsx(p, [HEADER]), "alleen een kopregel"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_broken_and_hostile_files_exit_2_with_one_dutch_message(app, db, campaign, tmp_path, name):
    make, message = HOSTILE[name]
    path = make(tmp_path / name)
    result = run(app, "import", "clients", campaign, str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert result.stderr.startswith(f"Fout: {name}: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert count(db) == 0 and count(db, ImportRun) == 0


def test_export_writes_a_formula_safe_list(app, db, campaign, tmp_path):
    path = _xlsx(tmp_path / "lijst.xlsx", [HEADER, ["012345672", '=HYPERLINK("x")', "Weg", 1, "3011 AA", "Ede"]])
    # the surname is text that looks like a formula (written as a string cell)
    workbook = load_workbook(path)
    workbook.active["B2"].data_type = "s"
    workbook.save(path)
    assert run(app, "import", "clients", campaign, str(path)).exit_code == 0
    out = tmp_path / "dossiers.xlsx"
    result = run(app, "export", campaign, "dossiers", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet["B2"].value == "012345672"
    assert sheet["E2"].value == '\'=HYPERLINK("x")'
    assert sheet.freeze_panes == "A2"
    unknown = run(app, "export", campaign, "bestaat-niet", "-o", str(out))
    assert unknown.exit_code == 2 and "Onbekende lijst 'bestaat-niet'" in unknown.stderr
