"""Benchmark: a 400,000-row UWV register against a campaign of 100,000 cases (issue: at most 4 s, under 500 MB).

Run: ``.venv/bin/python -m bench.uwv_bench [--rows 400000] [--cases 100000] [--formats csv,xlsx]
[--backends sqlite,postgresql] [--no-write]``. Each measured run is a fresh child process (so its peak memory is
its own) that reconciles one file: read, validate, match, stage (check) and apply (one INSERT ... SELECT),
then re-derives the status of the affected cases (``refresh_cases``, the escalation area's code, timed apart).
Wall time and CPU time (time.process_time) are both reported because the machine is shared. Results are appended
to docs/benchmarks.md.
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
PEILDATUM = dt.date(2026, 11, 27)
TODAY = dt.date(2026, 11, 30)
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def bsn_stream(seed: int):
    """Distinct valid BSNs in a shuffled-looking but deterministic order."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    number = 100_000_000 + seed
    while True:
        text = f"{number:09d}"
        total = sum(w * int(c) for w, c in zip(weights, text, strict=True))
        if total % 11 == 0 and total:
            yield text
        number += 7


def build_database(url: str, cases: int) -> list[str]:
    """A fresh schema with one campaign of ``cases`` cases; returns their BSNs."""
    import sqlalchemy as sa

    from campaign import audit, migrate
    from campaign.campaigns import create_campaign, format_reference
    from campaign.db import Database
    from campaign.models import Case

    migrate.upgrade(url)
    db = Database(url)
    bsns = bsn_stream(0)
    people = [next(bsns) for _ in range(cases)]
    with db.transaction() as session:
        campaign = create_campaign(session, audit.Actor.system("bench"), "Benchmark UWV")
        rows = [
            {"campaign_id": campaign.id, "reference": format_reference(campaign.reference_prefix, i + 1), "bsn": bsn,
             "surname": "Bench", "surname_key": "bench|bench", "status": "aangeschreven" if i % 3 else "pool"}
            for i, bsn in enumerate(people)
        ]  # fmt: skip
        session.execute(sa.insert(Case.__table__), rows)
        campaign.next_case_number = cases + 1
    db.dispose()
    return people


def register_rows(people: list[str], total: int) -> list[list[object]]:
    """40 % of the campaign registered (a few ended), the rest of the register is other people."""
    rng = random.Random(3)
    rows = []
    for bsn in people:
        if rng.random() < 0.4:
            start = PEILDATUM - dt.timedelta(days=rng.randrange(1, 400))
            end = start + dt.timedelta(days=30) if rng.random() < 0.05 else None
            rows.append([bsn, start, end if end and end < PEILDATUM else None, "Ingeschreven"])
    others = bsn_stream(3)
    while len(rows) < total:
        rows.append([next(others), PEILDATUM - dt.timedelta(days=rng.randrange(1, 900)), None, "Ingeschreven"])
    rng.shuffle(rows)
    return rows


def write_files(rows: list[list[object]], folder: Path, formats: list[str]) -> dict[str, Path]:
    header = ["BSN", "Datum inschrijving", "Einddatum", "Status"]
    paths = {}
    if "csv" in formats:
        path = folder / "uwv-register.csv"
        with path.open("w", encoding="cp1252", newline="") as handle:
            handle.write("Overzicht inschrijvingen werkzoekenden\r\n" + ";".join(header) + "\r\n")
            for bsn, start, end, status in rows:
                ended = end.strftime("%d-%m-%Y") if end else ""
                handle.write(f"{int(bsn)};{start:%d-%m-%Y};{ended};{status}\r\n")  # leading zeros lost, as Excel does
        paths["csv"] = path
    if "xlsx" in formats:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Export")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        path = folder / "uwv-register.xlsx"
        workbook.save(path)
        paths["xlsx"] = path
    return paths


def measure(url: str, path: Path) -> dict:
    """One reconciliation in this process (called in a child process)."""
    import campaign.lifecycle as lifecycle
    import imports.uwv_apply as uwv_apply
    from campaign.audit import Actor
    from campaign.db import Database
    from campaign.models import Campaign
    from imports.reader import Limits

    refresh_time = {"wall": 0.0, "cpu": 0.0}
    original = lifecycle.refresh_cases

    def timed_refresh(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        original(*args, **kwargs)
        refresh_time["wall"] += time.perf_counter() - wall
        refresh_time["cpu"] += time.process_time() - cpu

    uwv_apply.refresh_cases = timed_refresh
    db = Database(url)
    actor = Actor.system("bench")
    limits = Limits(max_bytes=200 * 1024 * 1024, max_rows=uwv_apply.UWV_MAX_ROWS)
    wall, cpu = time.perf_counter(), time.process_time()
    with db.transaction() as session:
        campaign = session.query(Campaign).one()
        upload = uwv_apply.start_upload(
            session, campaign, actor, filename=path.name, sha256="", peildatum=PEILDATUM, today=TODAY
        )
        uwv_apply.check_upload(session, upload, path, limits=limits)
        checked_wall, checked_cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert upload.status == "gecontroleerd", upload.report
        uwv_apply.apply_upload(session, upload, actor, TODAY)
        report = upload.report
    total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
    db.dispose()
    return {
        "check_wall": checked_wall, "check_cpu": checked_cpu,
        "total_wall": total_wall, "total_cpu": total_cpu,
        "refresh_wall": refresh_time["wall"], "refresh_cpu": refresh_time["cpu"],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows": report["rows"], "matched": report["matched"], "not_in_campaign": report["not_in_campaign"],
    }  # fmt: skip


def postgres_database() -> tuple[str, object] | None:
    import uuid

    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"herinschrijving_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL niet bereikbaar, overgeslagen: {str(exc).splitlines()[0]}")
        return None

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="Do not append to docs/benchmarks.md.")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], Path(args.child[1]))))
        return
    formats = args.formats.split(",")
    results = []
    with tempfile.TemporaryDirectory(prefix="uwv-bench-") as tmp:
        folder = Path(tmp)
        for backend in args.backends.split(","):
            for file_format in formats:
                if backend == "sqlite":
                    url, drop = f"sqlite:///{folder / f'bench-{file_format}.sqlite'}", None
                else:
                    found = postgres_database()
                    if found is None:
                        continue
                    url, drop = found
                try:
                    people = build_database(url, args.cases)
                    path = write_files(register_rows(people, args.rows), folder, [file_format])[file_format]
                    child = subprocess.run(
                        [sys.executable, "-m", "bench.uwv_bench", "--child", url, str(path)],
                        cwd=ROOT, capture_output=True, text=True, check=True,
                    )  # fmt: skip
                    result = json.loads(child.stdout.strip().splitlines()[-1])
                finally:
                    if drop:
                        drop()
                result.update(backend=backend, format=file_format)
                results.append(result)
                print(_line(result))
    if not args.no_write and results:
        _append(results, args)


def _line(r: dict) -> str:
    reconcile_wall = r["total_wall"] - r["refresh_wall"]
    reconcile_cpu = r["total_cpu"] - r["refresh_cpu"]
    return (
        f"| {r['backend']} | {r['format']} | {r['rows']:,} | {r['matched']:,} | {r['check_wall']:.2f} s "
        f"| {reconcile_wall:.2f} s ({reconcile_cpu:.2f} s CPU) "
        f"| {r['refresh_wall']:.2f} s ({r['refresh_cpu']:.2f} s CPU) "
        f"| {r['total_wall']:.2f} s ({r['total_cpu']:.2f} s CPU) | {r['peak_mb']:.0f} MB |"
    )


def _append(results: list[dict], args) -> None:
    load = os.getloadavg()
    lines = [
        "",
        f"## UWV reconciliation, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`python -m bench.uwv_bench` on {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, "
        f"load average {load[0]:.1f} / {load[1]:.1f} (machine shared with other work: compare CPU time too).",
        f"{args.rows:,}-row UWV register against a campaign of {args.cases:,} cases; goal: reconciliation "
        "(read, validate, match, apply) at most 4 s, peak memory under 500 MB. Check = read, validate, match and "
        "stage; reconciliation = check plus apply (INSERT ... SELECT of the staged rows); refresh = re-deriving the "
        "status of the affected cases (campaign.lifecycle.refresh_cases); peak = the child process's max RSS.",
        "",
        "| backend | file | rows | matched | check | reconciliation | refresh | total | peak |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *[_line(r) for r in results],
    ]
    path = ROOT / "docs" / "benchmarks.md"
    existing = path.read_text() if path.exists() else "# Benchmarks\n"
    path.write_text(existing.rstrip("\n") + "\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
