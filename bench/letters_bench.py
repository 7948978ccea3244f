"""Benchmark: render a wave of letters of the default templates (issue 4: >= 25 letters/s overall on 2 cores,
>= 2x the straightforward loop, peak memory per worker under 500 MB).

Run: ``.venv/bin/python -m bench.letters_bench [--letters 5000] [--baseline 300] [--no-write]``.

* baseline: the straightforward loop, one process: per letter ``HTML(string=...).write_pdf()`` with the
  stylesheet parsed per letter (measured on ``--baseline`` letters of the same wave);
* pipeline: the real background job (``letters.batches.render_batch_job``) on the whole wave: HTML from the
  database in chunks (a few queries and one UPDATE per chunk; the next chunk prepared while the workers render the
  current one), a pool of warm worker processes (stylesheet, cut-down browser defaults, fonts and image cache
  reused), per letter only the personal pages laid out and the shared enclosure (the werk.nl guide, laid out once
  per worker) merged in with pikepdf, per-letter PDFs written with their SHA-256 (one UPDATE per chunk), then the
  print bundle (sorted by postcode, written letter by letter: ``letters.pdfbundle``) and the manifest. The
  baseline renders the same complete letters (enclosure included) as one HTML document each.

The machine is shared, so wall time and CPU time (this process plus the pool workers, from /proc) are both
reported, with the load average. Results are appended to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)
CLK = os.sysconf("SC_CLK_TCK")


def _proc_stats(pid: int) -> tuple[float, int]:
    """CPU seconds (user + system) and peak resident memory (kB) of a live process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLK
    peak = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1])
    return cpu, peak


def _reset_peak_memory() -> None:
    """Start this process's peak resident memory (VmHWM) afresh (Linux: writing 5 to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # not Linux, or not allowed: the peak then includes the set-up
        pass


def build(tmp: Path, letters: int):
    import sqlalchemy as sa

    from campaign import migrate, runtime
    from campaign.audit import Actor
    from campaign.campaigns import create_campaign
    from campaign.cases import new_case
    from campaign.db import Database
    from campaign.demo_data import generate_people
    from campaign.models import Campaign
    from campaign.settings import Settings
    from letters import waves

    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    migrate.upgrade(url)
    db = Database(url)
    settings = dataclasses.replace(Settings(), instance_path=tmp / "instance", database_url=url, secret_key="bench")
    runtime.configure(settings, db)
    actor = Actor.system("bench")
    with db.transaction() as session:
        campaign = create_campaign(session, actor, "Benchmark brieven")
        for person in generate_people(letters):
            session.add(new_case(campaign, person.__dict__))
        session.flush()
        campaign_id = campaign.id
    with db.transaction() as session:
        campaign = session.get(Campaign, campaign_id)
        result = waves.launch(session, actor, campaign, waves.WavePlan(size=letters), TODAY, token="bench",
                              letter_date=TODAY)  # fmt: skip
        batch_id = result.batch.id
        assert result.letters == letters, f"only {result.letters} of {letters} letters allowed by the guards"
    del sa
    return db, batch_id


def baseline(db, batch_id: int, count: int) -> dict:
    """The straightforward loop: one process, everything built per letter."""
    import sqlalchemy as sa
    from weasyprint import CSS, HTML

    from campaign.models import Letter
    from letters import render

    with db.transaction() as session:
        letters = session.scalars(sa.select(Letter).where(Letter.batch_id == batch_id).order_by(Letter.id).limit(count))
        htmls = [render.letter_document(session, letter, letter_date=TODAY).html for letter in letters]
    css_path = str(render.LAYOUT_DIR / "letter.css")
    pages = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for html in htmls:
        document = HTML(string=html, base_url=str(render.LAYOUT_DIR)).render(stylesheets=[CSS(filename=css_path)])
        pages += len(document.pages)
        document.write_pdf()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"letters": len(htmls), "pages": pages, "wall": wall, "cpu": cpu}


def pipeline(db, batch_id: int) -> dict:
    from campaign.jobs import JobContext
    from campaign.models import Job, PrintBatch
    from letters import batches

    workers: dict[int, tuple[float, int]] = {}
    original_close = batches._Renderer.close

    def close_and_measure(self):
        if self.pool is not None:
            for pid in list(self.pool._processes):
                workers[pid] = _proc_stats(pid)
        original_close(self)

    batches._Renderer.close = close_and_measure
    job_id = uuid.uuid4().hex
    with db.transaction() as session:
        session.add(Job(id=job_id, kind="bench", title="bench"))
    _reset_peak_memory()  # the set-up (5,000 cases built in this process) does not count
    wall, cpu = time.perf_counter(), time.process_time()
    batches.render_batch_job(JobContext(job_id, db), batch_id)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    batches._Renderer.close = original_close
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        assert batch.status == "klaar", batch.status
        letters, pages = batch.letter_count, batch.page_count
    worker_cpu = sum(c for c, _ in workers.values())
    return {
        "letters": letters,
        "pages": pages,
        "wall": wall,
        "cpu_main": cpu,
        "cpu_workers": worker_cpu,
        "workers": len(workers),
        "worker_peak_mb": max((p for _, p in workers.values()), default=0) / 1024,
        "main_peak_mb": _proc_stats(os.getpid())[1] / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=300, help="letters for the straightforward loop")
    parser.add_argument("--no-write", action="store_true", help="do not append to docs/benchmarks.md")
    args = parser.parse_args()
    from campaign.checks import harfbuzz_subset_available

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="letters-bench-") as tmp:
        started = time.perf_counter()
        db, batch_id = build(Path(tmp), args.letters)
        setup = time.perf_counter() - started
        result = pipeline(db, batch_id)  # first, so the main process's peak memory is the pipeline's own
        base = baseline(db, batch_id, args.baseline)
    load_after = os.getloadavg()
    base_rate = base["letters"] / base["wall"]
    base_cpu_rate = base["letters"] / base["cpu"]
    rate = result["letters"] / result["wall"]
    cpu_total = result["cpu_main"] + result["cpu_workers"]
    lines = [
        f"## Letters: render a wave ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"WeasyPrint {__import__('weasyprint').__version__}, HarfBuzz subsetting "
        f"{'present' if harfbuzz_subset_available() else 'MISSING'}; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (a load above 1 means other work shared the 2 cores: wall times are then "
        "pessimistic). "
        f"Set-up (database, {args.letters} cases, wave launch) {setup:.1f} s.",
        "",
        "| run | letters | pages | wall s | letters/s (wall) | pages/s (wall) | CPU s | letters per CPU-s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| straightforward loop, 1 process | {base['letters']} | {base['pages']} | {base['wall']:.1f} | "
        f"{base_rate:.1f} | {base['pages'] / base['wall']:.1f} | {base['cpu']:.1f} | {base_cpu_rate:.1f} |",
        f"| pipeline (job, {result['workers']} warm workers, bundle + manifest) | {result['letters']} | "
        f"{result['pages']} | {result['wall']:.1f} | {rate:.1f} | {result['pages'] / result['wall']:.1f} | "
        f"{cpu_total:.1f} | {result['letters'] / cpu_total:.1f} |",
        "",
        f"Speed-up over the straightforward loop (wall): {rate / base_rate:.2f}x. CPU: main process "
        f"{result['cpu_main']:.1f} s (HTML from the database, bundle, manifest), "
        f"workers {result['cpu_workers']:.1f} s. "
        f"Peak memory: worker {result['worker_peak_mb']:.0f} MB, main process {result['main_peak_mb']:.0f} MB "
        "(job, bundle and manifest; the set-up before it not counted).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        path = ROOT / "docs" / "benchmarks.md"
        if not path.exists():
            path.write_text("# Benchmarks\n\n")
        with path.open("a") as out:
            out.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
