"""Benchmark: the daily tick over 100,000 cases on SQLite and PostgreSQL (goal: at most 5 s).

    .venv/bin/python -m bench.tick_bench [--cases 100000] [--backend sqlite|postgresql|both] [--no-write]

A heavy day: of 100,000 written cases, 10 % are due for the reminder, 10 % for the ultimatum and 10 % are past
the ultimatum's deadline (sanction proposals); 30 % are registered on the fresh UWV list, some paused or exempt.
Reports wall and CPU time (time.process_time) of the first tick and of the second (idempotent) run and appends a
dated section to docs/benchmarks.md (not with --no-write). The machine is shared, so wall time varies; CPU time
is steadier; the load average is printed beside each result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.db import Base, Database
from campaign.models import Case, Exemption, ExemptionType, Letter, Pause, UwvList, UwvRegistration, utcnow
from campaign.tick import run_tick

TODAY = dt.date(2026, 11, 30)
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def days(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def case_row(campaign_id: int, prefix: str, i: int, now) -> dict:
    """A case as the life cycle leaves it (status and cached step/deadline as refresh_cases writes them)."""
    group = i % 10
    row = {
        "campaign_id": campaign_id, "reference": f"{prefix}-{i:07d}", "bsn": f"{i:09d}", "surname": f"Persoon {i}",
        "street": "Coolsingel", "house_number": i % 200 + 1, "postcode": "3011AD", "city": "Rotterdam",
        "status": "aangeschreven", "current_step": min(group + 1, 3) if group < 3 else 1, "version": 1,
        "created_at": now, "surname_key": "persoon",
    }  # fmt: skip
    if group == 2:
        row.update(status="termijn_verstreken", deadline=days(16))
    if group in (3, 4, 5) or i % 30 == 0:
        row["status"] = "ingeschreven"
    elif i % 50 == 1:
        row["status"] = "gepauzeerd"
    elif i % 70 == 2:
        row["status"] = "ontheffing"
    return row


def build(db: Database, n: int) -> int:
    Base.metadata.create_all(db.engine)
    with db.transaction() as session:
        campaign = create_campaign(session, Actor.system("bench"), f"Bench {uuid.uuid4().hex[:6]}")
        campaign_id, prefix = campaign.id, campaign.reference_prefix
        kind = ExemptionType(code=f"b{campaign_id}", label="Medische reden")
        session.add(kind)
        session.flush()
        kind_id = kind.id
    now = utcnow()
    with db.engine.begin() as conn:
        conn.execute(sa.insert(Case.__table__), [case_row(campaign_id, prefix, i, now) for i in range(n)])
        ids = list(conn.scalars(sa.select(Case.id).where(Case.campaign_id == campaign_id).order_by(Case.id)))
        lst = conn.execute(
            sa.insert(UwvList.__table__).values(campaign_id=campaign_id, peildatum=days(2), created_at=now, report={})
        ).inserted_primary_key[0]
        letters, registrations, pauses, exemptions = [], [], [], []

        def letter(case_id, step, kind, on, deadline=None):
            letters.append({"case_id": case_id, "step": step, "kind": kind, "status": "verzonden", "address": [],
                            "data": {}, "dispatched_on": on, "letter_date": on, "deadline": deadline,
                            "created_at": now})  # fmt: skip

        for k, case_id in enumerate(ids):
            group = k % 10
            if group == 0:  # due for the reminder today
                letter(case_id, 1, "uitnodiging", days(14))
            elif group == 1:  # due for the ultimatum today
                letter(case_id, 1, "uitnodiging", days(30))
                letter(case_id, 2, "herinnering", days(14))
            elif group == 2:  # ultimatum deadline passed: sanction proposal
                letter(case_id, 1, "uitnodiging", days(60))
                letter(case_id, 2, "herinnering", days(45))
                letter(case_id, 3, "ultimatum", days(30), days(16))
            else:  # written recently: nothing due
                letter(case_id, 1, "uitnodiging", days(group))
            if k % 10 in (3, 4, 5) or k % 30 == 0:
                registrations.append({"uwv_list_id": lst, "case_id": case_id, "registered_on": days(20), "status": ""})
            if k % 50 == 1:
                pauses.append({"case_id": case_id, "reason": "retour", "starts_on": days(5), "note": "",
                               "release_reason": "", "created_at": now})  # fmt: skip
            if k % 70 == 2:
                exemptions.append({"case_id": case_id, "type_id": kind_id, "status": "verleend", "motivation": "",
                                   "requested_on": days(40), "starts_on": days(40), "ends_on": days(-30),
                                   "decision_motivation": ""})  # fmt: skip
        for table, rows in (
            (Letter, letters),
            (UwvRegistration, registrations),
            (Pause, pauses),
            (Exemption, exemptions),
        ):
            for start in range(0, len(rows), 20000):
                conn.execute(sa.insert(table.__table__), rows[start : start + 20000])
    with db.engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))  # planner statistics, as a live database has them
    return campaign_id


def timed(db: Database, campaign_id: int) -> tuple[float, float, dict]:
    from campaign.models import Campaign

    wall, cpu = time.perf_counter(), time.process_time()
    with db.transaction() as session:
        run = run_tick(session, session.get(Campaign, campaign_id), TODAY, Actor.system("bench"))
        summary = run.summary
    return time.perf_counter() - wall, time.process_time() - cpu, summary


def bench(label: str, url: str, n: int) -> list[str]:
    db = Database(url)
    try:
        t = time.perf_counter()
        campaign_id = build(db, n)
        setup = time.perf_counter() - t
        first = timed(db, campaign_id)
        second = timed(db, campaign_id)
    finally:
        db.dispose()
    s = first[2]
    print(
        f"{label}: first {first[0]:.2f} s wall / {first[1]:.2f} s CPU; second {second[0]:.2f} s / {second[1]:.2f} s "
        f"(load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    created = ", ".join(f"stap {x['step']}: {x['created']:,} van {x['due']:,}" for x in s["steps"])
    return [
        f"| {label} | {n:,} | {first[0]:.2f} s | {first[1]:.2f} s | {second[0]:.2f} s | {second[1]:.2f} s | "
        f"{created}; voorstellen: {s['proposals']['created']:,} van {s['proposals']['due']:,} | {setup:.0f} s |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--no-write", action="store_true", help="Do not append to docs/benchmarks.md.")
    args = parser.parse_args()
    rows = []
    if args.backend in ("sqlite", "both"):
        path = Path(f"/tmp/tick-bench-{uuid.uuid4().hex[:8]}.sqlite")
        try:
            rows += bench("SQLite", f"sqlite:///{path}", args.cases)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    if args.backend in ("postgresql", "both"):
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"tick_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            rows += bench("PostgreSQL", PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", args.cases)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    header = [
        "",
        f"## Daily tick ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"`python -m bench.tick_bench --cases {args.cases}` on {platform.node()} ({platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}); the machine was shared with other work, "
        "so wall time is noisy; CPU time is this process only (the database server's time is not in it). "
        f"Goal: at most 5 s per tick. Load average at the end: {os.getloadavg()[0]:.1f}.",
        "",
        "| backend | cases | wall, 1st tick | CPU, 1st tick | wall, 2nd (idempotent) | CPU, 2nd | made | setup |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    text = "\n".join(header + rows) + "\n"
    print(text)
    if args.no_write:
        return
    with open(Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md", "a", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
