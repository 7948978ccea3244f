"""Phone team benchmark: search and case page p95 on 100,000 cases, over HTTP against the app on PostgreSQL.

Run: ``.venv/bin/python -m bench.phone_bench [--cases 100000] [--requests 300]``. Creates a scratch PostgreSQL
database (``BENCH_POSTGRES_ADMIN_URL``, default the local test server), fills it with synthetic cases (one
dispatched letter, a case event, and for every tenth case a contact), starts the app on 127.0.0.1 in a thread,
logs in as a phone-team member through the real forms and times:

- search: the htmx fragment the header box asks for while typing (surname prefixes, BSNs, postcode + house
  number, references, last four BSN digits + birth date);
- case page: the full page of a random case (every view is audited, as in production).

Wall time is per request from the client; CPU time is ``time.process_time`` of this process (client and server
thread together) per request. The machine is shared, so wall time includes waiting for the CPU. Results are
appended to ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import http.cookiejar
import os
import platform
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pyotp
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-wachtwoord-lang-genoeg"


def create_database() -> tuple[str, callable]:
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"herinschrijving_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", drop


def fill(url: str, count: int) -> dict:
    """Insert ``count`` cases in bulk; returns what the requests will look for."""
    from campaign import accounts, migrate
    from campaign.audit import Actor
    from campaign.campaigns import create_campaign, format_reference
    from campaign.db import Database
    from campaign.demo_data import generate_people
    from campaign.models import Case, CaseEvent, Contact, Letter, utcnow
    from campaign.roles import Role
    from campaign.text import surname_key

    migrate.upgrade(url)
    db = Database(url)
    people = generate_people(count)
    today = dt.date(2026, 11, 23)
    with db.transaction() as session:
        campaign = create_campaign(session, Actor.system("bench"), "Benchmark")
        user = accounts.create_user(session, Actor.system("bench"), "bench@test.invalid", Role.TELEFOONTEAM, PASSWORD)
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = utcnow()
        user.campaigns.append(campaign)
        campaign.next_case_number = count + 1
        prefix, campaign_id, secret = campaign.reference_prefix, campaign.id, user.totp_secret
    rows = []
    for number, p in enumerate(people, start=1):
        rows.append(
            {
                "campaign_id": campaign_id, "reference": format_reference(prefix, number), "bsn": p.bsn,
                "initials": p.initials, "first_names": p.first_names, "prefix": p.prefix, "surname": p.surname,
                "surname_key": surname_key(p.prefix, p.surname), "birth_date": p.birth_date, "street": p.street,
                "house_number": p.house_number, "house_letter": p.house_letter, "house_addition": p.house_addition,
                "postcode": p.postcode, "city": p.city, "team": p.team, "phone": "", "status": "aangeschreven",
                "status_reason": "", "current_step": 1, "version": 1, "created_at": utcnow(),
            }
        )  # fmt: skip
    with db.engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(Case.__table__), rows[start : start + 5000])
        ids = [r[0] for r in conn.execute(sa.select(Case.id).order_by(Case.id))]
        letters, events, contacts = [], [], []
        for case_id in ids:
            letters.append(
                {"case_id": case_id, "step": 1, "kind": "uitnodiging", "status": "verzonden", "address": [],
                 "data": {}, "dispatched_on": today, "letter_date": today, "cancel_reason": "", "created_at": utcnow()}
            )  # fmt: skip
            events.append(
                {"case_id": case_id, "kind": "status", "summary": "Status: Aangeschreven", "data": {}, "at": utcnow()}
            )
            if case_id % 10 == 0:
                contacts.append(
                    {"case_id": case_id, "channel": "telefoon_in", "reasons": ["vraag_over_brief"],
                     "outcome": "bereikt", "note": "Vraag over de brief", "data": {}, "at": utcnow()}
                )  # fmt: skip
        for table, batch in ((Letter, letters), (CaseEvent, events), (Contact, contacts)):
            for start in range(0, len(batch), 5000):
                conn.execute(sa.insert(table.__table__), batch[start : start + 5000])
        conn.execute(sa.text("ANALYZE"))
    db.dispose()
    return {"people": people, "ids": ids, "prefix": prefix, "secret": secret}


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def get(self, path: str, headers: dict | None = None) -> str:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        return self._open(request)

    def post(self, path: str, data: dict, headers: dict | None = None) -> str:
        payload = urllib.parse.urlencode({"csrf_token": self.token, **data}).encode()
        return self._open(urllib.request.Request(self.base + path, data=payload, headers=headers or {}))

    def _open(self, request: urllib.request.Request) -> str:
        with self.opener.open(request) as response:
            body = response.read().decode()
        match = re.search(r'name="csrf_token" value="([^"]+)"', body)
        if match:
            self.token = match.group(1)
        return body


def serve(url: str):
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from campaign.settings import Settings
    from web import create_app

    settings = dataclasses.replace(
        Settings(), database_url=url, secret_key="bench", instance_path=Path("/tmp") / f"bench-{uuid.uuid4().hex[:6]}"
    )
    app = create_app({"TESTING": False}, settings=settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def timed(client: Client, paths: list[str], headers: dict | None = None) -> tuple[list[float], list[float], int]:
    """Wall and CPU milliseconds per request, and how many answers found at least one case."""
    walls, cpus, hits = [], [], 0
    for path in paths:
        cpu, wall = time.process_time(), time.perf_counter()
        if path.startswith("/zoeken?q="):  # the search posts its query (no BSN in URLs or logs)
            query = urllib.parse.unquote(path.removeprefix("/zoeken?q="))
            body = client.post("/zoeken", {"q": query}, headers)
        else:
            body = client.get(path, headers)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        hits += 'class="search-result"' in body or 'id="samenvatting"' in body
    return walls, cpus, hits


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def search_queries(data: dict, count: int, rng: random.Random) -> list[str]:
    people, prefix = data["people"], data["prefix"]
    queries = []
    for i in range(count):
        p = rng.choice(people)
        number = people.index(p) + 1 if i % 5 == 4 else 0
        queries.append(
            [
                p.surname.lower()[: rng.randint(3, 6)],
                p.bsn,
                f"{p.postcode.replace(' ', '')} {p.house_number}{p.house_letter}",
                f"{p.bsn[-4:]} {p.birth_date:%d-%m-%Y}",
                f"{prefix}-{number:06d}" if number else f"{p.prefix} {p.surname}".strip(),
            ][i % 5]
        )
    from campaign.campaigns import format_reference

    return [format_reference(prefix, int(q[-6:])) if q.startswith(prefix + "-") else q for q in queries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--no-write", action="store_true", help="Do not append to docs/benchmarks.md.")
    args = parser.parse_args()
    url, drop = create_database()
    try:
        started = time.perf_counter()
        data = fill(url, args.cases)
        print(f"filled {args.cases} cases in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        server, base = serve(url)
        client = Client(base)
        client.get("/inloggen/")
        client.post("/inloggen/", {"email": "bench@test.invalid", "password": PASSWORD})
        client.post("/inloggen/code", {"code": pyotp.TOTP(data["secret"]).now()})
        rng = random.Random(5)
        queries = search_queries(data, args.requests, rng)
        fragment = {"HX-Request": "true", "HX-Target": "zoekresultaten"}
        timed(client, ["/zoeken?q=" + urllib.parse.quote(q) for q in queries[:20]], fragment)  # warm up
        search_wall, search_cpu, search_hits = timed(
            client, ["/zoeken?q=" + urllib.parse.quote(q) for q in queries], fragment
        )
        pages = [f"/dossiers/{rng.choice(data['ids'])}" for _ in range(args.requests)]
        timed(client, pages[:20])
        page_wall, page_cpu, page_hits = timed(client, pages)
        server.shutdown()
    finally:
        drop()
    report = (
        f"\n## Phone team: search and case page ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)\n\n"
        f"`.venv/bin/python -m bench.phone_bench --cases {args.cases} --requests {args.requests}` on PostgreSQL, "
        f"HTTP client against the app (werkzeug, one client). Machine: {platform.platform()}, "
        f"{os.cpu_count()} cores, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end "
        "(shared with other work: wall time includes waiting for the CPU; CPU time is client + server thread).\n\n"
        "| request | n | found | p50 wall | p95 wall | p95 CPU | goal |\n| --- | --- | --- | --- | --- | --- | --- |\n"
        f"| search (htmx fragment) | {len(search_wall)} | {search_hits} | {statistics.median(search_wall):.0f} ms | "
        f"{p95(search_wall):.0f} ms | {p95(search_cpu):.0f} ms | < 100 ms |\n"
        f"| case page | {len(page_wall)} | {page_hits} | {statistics.median(page_wall):.0f} ms | "
        f"{p95(page_wall):.0f} ms | {p95(page_cpu):.0f} ms | < 150 ms |\n"
    )
    print(report)
    if not args.no_write:
        path = ROOT / "docs" / "benchmarks.md"
        if not path.exists():
            path.write_text("# Benchmarks\n\nEach section is appended by the benchmark that produced it.\n")
        with path.open("a") as handle:
            handle.write(report)


if __name__ == "__main__":
    main()
