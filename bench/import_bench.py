"""Import benchmark: a 100,000-row, 17-column municipal export, read + validated + upserted.

Run: ``.venv/bin/python -m bench.import_bench [--rows 100000] [--backend sqlite|postgresql|both] [--no-write]``.
Measures wall time and CPU time (time.process_time; the machine is shared, so wall time varies), the CPU time of
the PostgreSQL server process doing the work (read from /proc when the server runs on this machine), peak memory
(ru_maxrss of a fresh child process per measurement), and openpyxl reading the same file for comparison.
Appends a dated section to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["BSN", "Voorletters", "Tussenvoegsel", "Achternaam", "Geslacht", "Geboortedatum", "Straatnaam",
          "Huisnummer", "Huisletter", "Toevoeging", "Postcode", "Woonplaats", "Telefoonnummer", "E-mailadres",
          "Klantmanager", "Team", "Ingangsdatum uitkering"]  # fmt: skip
TODAY = dt.date(2026, 11, 30)


def make_file(path: Path, rows: int) -> Path:
    """A municipal export like the sample: BSN as text, dates as real dates, a few unused columns."""
    from openpyxl import Workbook

    from campaign.demo_data import generate_people

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append(["Rapportage bijstandsgerechtigden zonder inschrijving UWV"])
    sheet.append(HEADER)
    rng = random.Random(7)
    for person in generate_people(rows, seed=11):
        postcode = person.postcode if person.postcode[-2:] not in ("SA", "SD", "SS") else person.postcode[:5] + "AB"
        sheet.append([
            person.bsn, person.initials, person.prefix, person.surname, rng.choice("MVX"), person.birth_date,
            person.street, person.house_number, person.house_letter, person.house_addition, postcode,
            person.city, f"06{rng.randrange(10**8):08d}", "", "Klantmanager " + rng.choice("ABCDE"), person.team,
            dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)),
        ])  # fmt: skip
    workbook.save(path)
    return path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _server_cpu(session) -> float | None:
    """CPU seconds used so far by the PostgreSQL backend serving this session (same machine only), else None."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_import(url: str, path: Path, write: bool) -> dict:
    """In this (fresh) process: full import into an empty campaign, then the same file again (all unchanged)."""
    from campaign import migrate
    from campaign.audit import Actor
    from campaign.campaigns import create_campaign
    from campaign.db import Database
    from imports import runs
    from imports.reader import Limits

    migrate.upgrade(url)
    db = Database(url)
    actor = Actor.system("bench")
    results = {}
    with db.transaction() as session:
        campaign = create_campaign(session, actor, f"Bench {time.time_ns()}")
        campaign_id = campaign.id
    for label in ("eerste import (alles nieuw)", "zelfde bestand nogmaals (alles ongewijzigd)"):
        wall, cpu = time.perf_counter(), time.process_time()
        with db.transaction() as session:
            from campaign.models import Campaign

            server = _server_cpu(session)
            campaign = session.get(Campaign, campaign_id)
            run = runs.start_run(session, campaign, actor, path=path, filename=path.name, list_type="clients",
                                 today=TODAY, keep_path=False)  # fmt: skip
            prepared = runs.check_run(session, run, limits=Limits(), path=path)
            assert prepared is not None, run.message
            counts = (
                runs.apply_run(session, run, actor, skip_invalid=False, limits=Limits(), path=path, prepared=prepared)
                if write
                else prepared.plan.counts
            )
            server = None if server is None else _server_cpu(session) - server  # the commit is not counted
        results[label] = {
            "wall_s": round(time.perf_counter() - wall, 2),
            "cpu_s": round(time.process_time() - cpu, 2),
            "db_cpu_s": "-" if server is None else round(server, 2),
            "counts": runs.summary_line(counts),
        }
        del prepared  # as in the application, where check and apply run as jobs: nothing keeps the last import
    results["peak_mb"] = round(_peak_mb())
    db.dispose()
    return results


def measure_openpyxl(path: Path) -> dict:
    from openpyxl import load_workbook

    wall, cpu = time.perf_counter(), time.process_time()
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    workbook.close()
    return {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2),
            "rows": count, "peak_mb": round(_peak_mb())}  # fmt: skip


def measure_calamine(path: Path) -> dict:
    from imports.reader import read_table

    wall, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in read_table(path).rows)
    return {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2),
            "rows": count, "peak_mb": round(_peak_mb())}  # fmt: skip


def _child(kind: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_bench", "--child", kind, *args],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(f"meting {kind} mislukt:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _postgres_url() -> tuple[str, object]:
    sys.path.insert(0, str(ROOT))
    from tests import services

    return services.create_postgres_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--no-write", action="store_true", help="alleen lezen en controleren (dry run)")
    parser.add_argument("--no-openpyxl", action="store_true", help="openpyxl-vergelijking overslaan (traag)")
    parser.add_argument("--no-append", action="store_true", help="niet toevoegen aan docs/benchmarks.md")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "import":
            print(json.dumps(measure_import(rest[0], Path(rest[1]), rest[2] == "1")))
        elif kind == "openpyxl":
            print(json.dumps(measure_openpyxl(Path(rest[0]))))
        else:
            print(json.dumps(measure_calamine(Path(rest[0]))))
        return

    cache = Path(tempfile.gettempdir()) / f"herinschrijving-bench-{args.rows}.xlsx"
    if not cache.exists():
        print(f"bestand maken: {args.rows} regels ...", flush=True)
        make_file(cache, args.rows)
    print(f"bestand: {cache} ({cache.stat().st_size / 1e6:.1f} MB)")
    report = {"calamine": _child("calamine", str(cache))}
    report["openpyxl"] = (
        {"wall_s": "-", "cpu_s": "-", "rows": "-", "peak_mb": "-"}
        if args.no_openpyxl
        else (_child("openpyxl", str(cache)))
    )
    print("lezen calamine:", report["calamine"], "\nlezen openpyxl:", report["openpyxl"], flush=True)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        drop = None
        if backend == "sqlite":
            handle = tempfile.NamedTemporaryFile(suffix=".sqlite", delete=False)
            handle.close()
            url = f"sqlite:///{handle.name}"
        else:
            url, drop = _postgres_url()
        try:
            report[backend] = _child("import", url, str(cache), "0" if args.no_write else "1")
        finally:
            if drop:
                drop()
            if backend == "sqlite":
                os.unlink(handle.name)
        print(f"{backend}:", report[backend], flush=True)
    if not args.no_append:
        _append(report, args.rows, cache)


def _append(report: dict, rows: int, path: Path) -> None:
    lines = [
        f"\n## Import {rows:,} rows × 17 columns ({dt.datetime.now():%Y-%m-%d %H:%M})".replace(",", "."),
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; shared with other work while measured, so wall time is noisy: "
        "CPU time (time.process_time) is given beside it. Peak memory is the process's ru_maxrss.",
        f"File: {path.stat().st_size / 1e6:.1f} MB .xlsx, generated by `bench/import_bench.py`.",
        "",
        "| measurement | wall s | CPU s | database server CPU s | peak MB | result |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for reader in ("calamine", "openpyxl"):
        r = report[reader]
        lines.append(f"| read only, {reader} | {r['wall_s']} | {r['cpu_s']} | - | {r['peak_mb']} | {r['rows']} rows |")
    for backend in ("sqlite", "postgresql"):
        if backend not in report:
            continue
        r = report[backend]
        for label, m in r.items():
            if label == "peak_mb":
                continue
            cells = [f"{backend}: {label}", m["wall_s"], m["cpu_s"], m["db_cpu_s"], r["peak_mb"], m["counts"]]
            lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    lines.append("")
    with (ROOT / "docs" / "benchmarks.md").open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
