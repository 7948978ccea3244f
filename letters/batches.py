"""Print batches: grouping letters, rendering them in the background, the print bundle, dispatch, cancel.

A batch moves ``aangemaakt -> renderen -> klaar -> verzonden`` (or ``geannuleerd`` before dispatch). Every
state change is a conditional UPDATE, so a double click or two people at once change it only once; a
rendering job that dies resumes with the letters not yet rendered.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit, runtime
from campaign.case_facts import chunks
from campaign.dates import dutch_date, today_amsterdam
from campaign.errors import IllegalTransition, InvalidInput, NotFound
from campaign.lifecycle import refresh_cases
from campaign.models import Campaign, Case, CaseEvent, Letter, PrintBatch, utcnow
from letters import followups, render, templates

BATCH_STATUS_LABELS = {
    "aangemaakt": "Aangemaakt",
    "renderen": "Wordt gemaakt",
    "klaar": "Klaar om te printen",
    "verzonden": "Verzonden",
    "geannuleerd": "Geannuleerd",
}
LETTER_STATUS_LABELS = {
    "aangemaakt": "Aangemaakt",
    "gerenderd": "Klaar om te printen",
    "verzonden": "Verzonden",
    "geannuleerd": "Geannuleerd",
    "vervangen": "Vervangen",
    "ingetrokken": "Ingetrokken",
}
RENDER_CHUNK = 100
POOL_THRESHOLD = 24  # fewer letters render in the job's own process (a process pool costs ~1 s to start)


def storage_root() -> Path:
    return runtime.settings().instance_path / "brieven"


def batch_dir(batch: PrintBatch) -> Path:
    return storage_root() / f"campagne-{batch.campaign_id}" / f"batch-{batch.id}"


def get_batch(session: orm.Session, batch_id: int, *, campaign_id: int | None = None) -> PrintBatch:
    batch = session.get(PrintBatch, batch_id)
    if batch is None or (campaign_id is not None and batch.campaign_id != campaign_id):
        raise NotFound(f"Printbatch {batch_id} bestaat niet.")
    return batch


# -- creating --------------------------------------------------------------------------------------------


def create_batch(
    session: orm.Session,
    campaign_id: int,
    letter_ids: Iterable[int],
    actor_id: int | None,
    *,
    letter_date: dt.date | None = None,
    wave_id: int | None = None,
) -> PrintBatch:
    """Group unbatched letters (status "aangemaakt") of one step into a new print batch."""
    ids = sorted(set(letter_ids))
    if not ids:
        raise InvalidInput("Kies minstens één brief voor de printbatch.")
    steps = set()
    for chunk in chunks(ids):
        rows = session.execute(
            sa.select(Letter.id, Letter.step, Letter.kind, Letter.batch_id, Letter.status, Case.campaign_id)
            .join(Case, Case.id == Letter.case_id)
            .where(Letter.id.in_(chunk))
        ).all()
        if len(rows) != len(chunk):
            raise NotFound("Een of meer brieven bestaan niet.")
        for row in rows:
            if row.campaign_id != campaign_id:
                raise InvalidInput("Alle brieven van een printbatch horen bij dezelfde campagne.")
            if row.batch_id is not None or row.status != "aangemaakt":
                raise IllegalTransition(f"Brief {row.id} zit al in een printbatch of is niet meer open.")
            steps.add((row.step, row.kind))
    if len(steps) != 1:
        raise InvalidInput("Een printbatch bevat brieven van één stap; maak per stap een batch.")
    (step, kind) = steps.pop()
    batch = PrintBatch(
        campaign_id=campaign_id,
        wave_id=wave_id,
        step=step,
        kind=kind,
        status="aangemaakt",
        letter_count=len(ids),
        created_by=actor_id,
        letter_date=letter_date,
    )
    session.add(batch)
    session.flush()
    claimed = 0
    for chunk in chunks(ids):
        claimed += session.execute(
            sa.update(Letter)
            .where(Letter.id.in_(chunk), Letter.batch_id.is_(None), Letter.status == "aangemaakt")
            .values(batch_id=batch.id)
            .execution_options(synchronize_session=False)
        ).rowcount
    if claimed != len(ids):  # somebody else batched some of them meanwhile
        raise IllegalTransition("Een deel van deze brieven is intussen al in een andere printbatch gezet.")
    return batch


def unbatched_summary(session: orm.Session, campaign_id: int) -> list[tuple[int, str, int]]:
    """(step, kind, count) of letters made but not yet in a print batch ("Nog te printen")."""
    rows = session.execute(
        sa.select(Letter.step, Letter.kind, sa.func.count())
        .join(Case, Case.id == Letter.case_id)
        .where(Case.campaign_id == campaign_id, Letter.batch_id.is_(None), Letter.status == "aangemaakt")
        .group_by(Letter.step, Letter.kind)
        .order_by(Letter.step)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def unbatched_letter_ids(session: orm.Session, campaign_id: int, step: int, kind: str | None = None) -> list[int]:
    """Letters of one step not yet in a batch; ``kind`` separates withdrawal notices from the step's letters."""
    query = (
        sa.select(Letter.id)
        .join(Case, Case.id == Letter.case_id)
        .where(
            Case.campaign_id == campaign_id,
            Letter.step == step,
            Letter.batch_id.is_(None),
            Letter.status == "aangemaakt",
        )
        .order_by(Letter.id)
    )
    if kind is not None:
        query = query.where(Letter.kind == kind)
    return list(session.scalars(query))


def auto_launch(campaign_ids: Iterable[int], today: dt.date) -> list[int]:
    """After the daily tick: for campaigns set to launch by themselves, put the new letters of each step in a
    print batch dated ``today`` and start rendering it. Returns the new batch ids (nothing for other campaigns)."""
    db = runtime.database()
    created: list[int] = []
    with db.transaction() as session:
        for campaign in session.scalars(sa.select(Campaign).where(Campaign.id.in_(list(campaign_ids)))):
            if not campaign.auto_launch_steps or campaign.status != "open":
                continue
            for step, kind, _count in unbatched_summary(session, campaign.id):
                ids = unbatched_letter_ids(session, campaign.id, step, kind)
                if ids:
                    created.append(create_batch(session, campaign.id, ids, None, letter_date=today).id)
    for batch_id in created:
        start_rendering(batch_id, None)
    return created


def start_rendering(batch_id: int, actor_id: int | None) -> str:
    """Enqueue the rendering job of a committed batch; returns the job id (stored on the batch)."""
    from campaign import jobs

    db = runtime.database()
    with db.transaction() as session:
        batch = get_batch(session, batch_id)
        if batch.status in ("verzonden", "geannuleerd"):
            raise IllegalTransition(f"Printbatch {batch.id} is {BATCH_STATUS_LABELS[batch.status].lower()}.")
        campaign_id, count = batch.campaign_id, batch.letter_count
    job_id = jobs.enqueue(
        "letters.batches:render_batch_job",
        batch_id,
        kind="brieven",
        title=f"Printbatch {batch_id}: {count} brieven maken",
        campaign_id=campaign_id,
        created_by=actor_id,
    )
    with db.transaction() as session:
        session.execute(sa.update(PrintBatch).where(PrintBatch.id == batch_id).values(job_id=job_id))
    return job_id


# -- rendering ------------------------------------------------------------------------------------------


def render_chunk() -> int:
    """Letters per chunk: rendered together and committed together (a stopped job loses at most one chunk)."""
    raw = os.environ.get("HERINSCHRIJVING_RENDER_CHUNK", "")
    return max(1, int(raw)) if raw.isdigit() else RENDER_CHUNK


def render_processes() -> int:
    raw = os.environ.get("HERINSCHRIJVING_RENDER_PROCESSES", "")
    return max(1, int(raw)) if raw.isdigit() else max(1, os.cpu_count() or 1)


class _Renderer:
    """Renders (path, personal html, enclosure html) jobs in this process or in a pool of warm worker processes."""

    def __init__(self, total: int) -> None:
        self.pool = None
        processes = render_processes()
        if total >= POOL_THRESHOLD and processes > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["letters.render"])
            self.pool = ProcessPoolExecutor(processes, mp_context=context, initializer=render.warm_up)
            self.chunksize = 4

    def map(self, jobs: list[tuple[str, str, str | None]]) -> list[tuple[str, str, int]]:
        return self.submit(jobs)()

    def submit(self, jobs: list[tuple[str, str, str | None]]) -> Callable[[], list[tuple[str, str, int]]]:
        """Start rendering (in the pool: at once, so the next chunk can be prepared meanwhile); call for results."""
        if self.pool is None:
            return lambda: [render.render_to_file(job) for job in jobs]
        results = self.pool.map(render.render_to_file, jobs, chunksize=self.chunksize)
        return lambda: list(results)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def render_batch_job(ctx, batch_id: int) -> None:
    """Background job: render every letter of the batch not yet rendered, then the bundle and manifest."""
    db = ctx.db
    with db.transaction() as session:
        batch = get_batch(session, batch_id)
        if batch.status in ("verzonden", "geannuleerd"):
            ctx.progress(0, 0, f"Printbatch is {BATCH_STATUS_LABELS[batch.status].lower()}; niets te doen.")
            return
        batch.status = "renderen"
        if batch.letter_date is None:
            batch.letter_date = today_amsterdam()
        letter_date = batch.letter_date
        pending = _unrendered_letter_ids(session, batch_id)
        total = session.scalar(
            sa.select(sa.func.count()).where(Letter.batch_id == batch_id, Letter.status != "geannuleerd")
        )
        directory = batch_dir(batch)
    done = total - len(pending)
    ctx.progress(done, total, "Brieven maken")
    renderer = _Renderer(len(pending))
    try:
        # The workers render one chunk while this process prepares the next one from the database.
        rendering = None
        for chunk in chunks(pending, render_chunk()):
            with db.transaction() as session:
                if session.scalar(sa.select(PrintBatch.status).where(PrintBatch.id == batch_id)) == "geannuleerd":
                    return  # cancelled meanwhile
                jobs, by_path = _prepare(session, chunk, letter_date, directory)
            following = (renderer.submit(jobs), by_path)
            if rendering is not None:
                done += _collect(db, *rendering)
                ctx.progress(done, total, "Brieven maken")
            rendering = following
        if rendering is not None:
            done += _collect(db, *rendering)
            ctx.progress(done, total, "Brieven maken")
    finally:
        renderer.close()
    with db.transaction() as session:
        batch = get_batch(session, batch_id)
        if batch.status == "geannuleerd":
            return
        build_bundle(session, batch)
        batch.status = "klaar"
    ctx.progress(total, total, "Klaar: bundel en verzendlijst gemaakt")


def _collect(db, results: Callable[[], list[tuple[str, str, int]]], by_path: dict[str, int]) -> int:
    """Wait for one chunk's PDFs and store their paths, hashes and page counts in one transaction."""
    rendered = results()
    with db.transaction() as session:
        _store(session, rendered, by_path)
    return len(rendered)


def _prepare(
    session: orm.Session, ids: list[int], letter_date: dt.date, directory: Path
) -> tuple[list[tuple[str, str, str | None]], dict[str, int]]:
    """The HTML of each letter still to render; freezes the template version, address and letter date.

    A chunk costs a handful of queries (letters with their cases, earlier letters, UWV list dates) and one UPDATE,
    not a few per letter: this process prepares the next chunk while the workers render the current one."""
    jobs: list[tuple[str, str, str | None]] = []
    by_path: dict[str, int] = {}
    run = uuid.uuid4().hex[:8]  # two runs never write the same file: the stored hash is always of the stored file
    rows = session.execute(
        sa.select(Letter, Case)
        .join(Case, Case.id == Letter.case_id)
        .where(Letter.id.in_(ids), Letter.status == "aangemaakt")
        .order_by(Letter.id)
    ).all()
    if not rows:
        return jobs, by_path
    facts = render.LetterFacts.load(session, [(letter, case) for letter, case in rows], letter_date)
    m = render.municipality(session)
    logo = render.logo_data_uri(m)
    current: dict[tuple[int, str], object] = {}
    frozen = []
    for letter, case in rows:
        if letter.template_version_id is None:
            key = (case.campaign_id, letter.kind)
            if key not in current:
                current[key] = templates.current_version(session, case.campaign_id, letter.kind)
            template = current[key]
        else:
            template = letter.template_version
        document = render.letter_document(
            session, letter, letter_date=letter_date, template=template, case=case, facts=facts, m=m, logo=logo
        )
        frozen.append({"b_id": letter.id, "b_address": document.address, "b_template": template.id})
        path = str(directory / f"brief-{letter.id}-stap-{letter.step}-{run}.pdf")
        jobs.append((path, document.personal_html, document.enclosure_html))
        by_path[path] = letter.id
    table = Letter.__table__
    session.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id"))
        .values(
            address=sa.bindparam("b_address"), template_version_id=sa.bindparam("b_template"), letter_date=letter_date
        ),
        frozen,
    )
    return jobs, by_path


def _store(session: orm.Session, results: list[tuple[str, str, int]], by_path: dict[str, int]) -> None:
    """One UPDATE for a chunk's rendered letters (only those still open: a cancelled letter stays cancelled)."""
    if not results:
        return
    table = Letter.__table__
    session.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id"), table.c.status == "aangemaakt")
        .values(
            status="gerenderd",
            pdf_path=sa.bindparam("b_path"),
            sha256=sa.bindparam("b_sha"),
            page_count=sa.bindparam("b_pages"),
            rendered_at=utcnow(),
        ),
        [{"b_id": by_path[path], "b_path": path, "b_sha": sha, "b_pages": pages} for path, sha, pages in results],
    )


def _unrendered_letter_ids(session: orm.Session, batch_id: int) -> list[int]:
    """The batch's letters still to render (a resumed job skips those already rendered)."""
    return list(
        session.scalars(
            sa.select(Letter.id).where(Letter.batch_id == batch_id, Letter.status == "aangemaakt").order_by(Letter.id)
        )
    )


def render_batch_now(session: orm.Session, batch: PrintBatch) -> None:
    """Render a batch inside the caller's transaction (the demo and small command-line runs)."""
    if batch.letter_date is None:
        raise InvalidInput("Geef de printbatch eerst een datum.")
    session.flush()
    pending = _unrendered_letter_ids(session, batch.id)
    renderer = _Renderer(len(pending))
    try:
        for chunk in chunks(pending, render_chunk()):
            jobs, by_path = _prepare(session, chunk, batch.letter_date, batch_dir(batch))
            _store(session, renderer.map(jobs), by_path)
    finally:
        renderer.close()
    session.expire_all()
    build_bundle(session, batch)
    batch.status = "klaar"


def build_bundle(session: orm.Session, batch: PrintBatch) -> None:
    """One PDF for the print room (sorted by postcode) and a manifest (.xlsx) listing every letter.

    The bundle is written letter by letter (:mod:`letters.pdfbundle`): memory stays flat however big the batch.
    """
    from imports.xlsx_out import Column, write_workbook
    from letters.pdfbundle import BundleWriter

    rows = session.execute(
        sa.select(Letter.pdf_path, Letter.address, Letter.sha256, Case.reference)
        .join(Case, Case.id == Letter.case_id)
        .where(Letter.batch_id == batch.id, Letter.status.in_(("gerenderd", "verzonden")))
        .order_by(Case.postcode, Case.reference)
    ).all()
    directory = batch_dir(batch)
    directory.mkdir(parents=True, exist_ok=True)
    manifest = []
    page = 1
    bundle_path = directory / f"printbundel-batch-{batch.id}.pdf"
    tmp = bundle_path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        writer = BundleWriter(handle, title=f"Printbundel batch {batch.id}")
        for number, row in enumerate(rows, start=1):
            pages = writer.add(row.pdf_path)
            address = list(row.address or [])
            manifest.append(
                [number, row.reference, address[0] if address else "", ", ".join(address[1:-1]),
                 address[-1] if address else "", pages, page, row.sha256]
            )  # fmt: skip
            page += pages
        digest = writer.close()
    tmp.replace(bundle_path)
    columns = [
        Column("Volgnummer", 11, "number"), Column("Kenmerk", 16), Column("Naam", 30),
        Column("Straat en huisnummer", 32), Column("Postcode en plaats", 28), Column("Pagina's", 9, "number"),
        Column("Eerste pagina in bundel", 12, "number"), Column("SHA-256 van de brief", 66),
    ]  # fmt: skip
    about = [
        ["Printbatch", str(batch.id)],
        ["Stap", f"{batch.step} ({templates.KIND_LABELS.get(batch.kind, batch.kind)})"],
        ["Datum op de brieven", dutch_date(batch.letter_date)],
        ["Aantal brieven", str(len(rows))],
        ["Aantal pagina's", str(page - 1)],
        ["Bundel", bundle_path.name],
        ["SHA-256 van de bundel", digest],
    ]
    manifest_path = directory / f"verzendlijst-batch-{batch.id}.xlsx"
    manifest_path.write_bytes(
        write_workbook(
            [("Verzendlijst", columns, manifest), ("Printbatch", [Column("Gegeven", 24), Column("Waarde", 70)], about)]
        )
    )
    batch.bundle_path = str(bundle_path)
    batch.manifest_path = str(manifest_path)
    batch.bundle_sha256 = digest
    batch.page_count = page - 1
    batch.letter_count = len(rows)


# -- dispatch, cancel ---------------------------------------------------------------------------------


def mark_dispatched(
    session: orm.Session, actor: audit.Actor, batch: PrintBatch, dispatched_on: dt.date, today: dt.date
) -> bool:
    """Record that the batch went to the post room. Returns False when it was already recorded (idempotent)."""
    if batch.status == "verzonden":
        return False
    if batch.status != "klaar":
        raise IllegalTransition(
            f"Printbatch {batch.id} is {BATCH_STATUS_LABELS.get(batch.status, batch.status).lower()}; "
            "alleen een batch die klaar is om te printen kan verzonden worden."
        )
    if dispatched_on > today:
        raise InvalidInput("De verzenddatum ligt in de toekomst. Registreer de verzending op de dag zelf.")
    if batch.letter_date is not None and dispatched_on > batch.letter_date:
        raise InvalidInput(
            f"De brieven zijn gedateerd {dutch_date(batch.letter_date)}; met verzending op {dutch_date(dispatched_on)} "
            "zouden de termijnen in de brief te kort zijn. Maak de brieven opnieuw met een nieuwe datum."
        )
    now = utcnow()
    changed = session.execute(
        sa.update(PrintBatch)
        .where(PrintBatch.id == batch.id, PrintBatch.status == "klaar")
        .values(status="verzonden", dispatched_at=now, dispatched_on=dispatched_on, dispatched_by=actor.user_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed == 0:  # somebody else was first
        session.refresh(batch)
        if batch.status == "verzonden":
            return False
        raise IllegalTransition(f"Printbatch {batch.id} is intussen gewijzigd.")
    session.refresh(batch)
    campaign = session.get(Campaign, batch.campaign_id)
    deadline = None  # a withdrawal notice asks nothing of the person
    if batch.kind != templates.WITHDRAWAL_KIND:
        deadline = render.formal_deadline(campaign, batch.step, batch.letter_date or dispatched_on)
    letters = session.execute(
        sa.select(Letter.id, Letter.case_id, Letter.data).where(
            Letter.batch_id == batch.id, Letter.status == "gerenderd"
        )
    ).all()
    for chunk in chunks([row.id for row in letters]):
        session.execute(
            sa.update(Letter)
            .where(Letter.id.in_(chunk), Letter.status == "gerenderd")
            .values(status="verzonden", dispatched_on=dispatched_on, deadline=deadline)
            .execution_options(synchronize_session=False)
        )
    for row in letters:  # a deadline frozen in the letter's data (the view period) counts, but never shortens
        frozen = render.frozen_deadline(row.data)
        if frozen is not None and (deadline is None or frozen > deadline):
            session.execute(
                sa.update(Letter)
                .where(Letter.id == row.id)
                .values(deadline=frozen)
                .execution_options(synchronize_session=False)
            )
    title = templates.KIND_LABELS.get(batch.kind, batch.kind)
    _events(
        session,
        actor,
        [(row.case_id, row.id) for row in letters],
        f"Brief stap {batch.step} ({title}) verzonden op {dutch_date(dispatched_on)} (printbatch {batch.id})",
        "brief_verzonden",
    )
    audit.record(session, actor, "dispatch", "print_batch", batch.id, purpose="verzendadministratie")
    refresh_cases(session, [row.case_id for row in letters], today, actor.user_id)
    return True


def cancel_batch(session: orm.Session, actor: audit.Actor, batch: PrintBatch, reason: str, today: dt.date) -> bool:
    """Cancel a batch that is not dispatched, with a reason. Returns False when it was already cancelled."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("Geef een reden voor het annuleren.")
    if batch.status == "geannuleerd":
        return False
    if batch.status == "verzonden":
        raise IllegalTransition("Deze printbatch is al verzonden; stuur zo nodig een correctiebrief.")
    now = utcnow()
    changed = session.execute(
        sa.update(PrintBatch)
        .where(PrintBatch.id == batch.id, PrintBatch.status.in_(("aangemaakt", "renderen", "klaar")))
        .values(status="geannuleerd", cancelled_at=now, cancel_reason=reason[:300])
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(batch)
    if changed == 0:
        if batch.status == "geannuleerd":
            return False
        raise IllegalTransition("Deze printbatch is intussen verzonden; stuur zo nodig een correctiebrief.")
    letters = session.execute(
        sa.select(Letter.id, Letter.case_id).where(
            Letter.batch_id == batch.id, Letter.status.in_(("aangemaakt", "gerenderd"))
        )
    ).all()
    for chunk in chunks([row.id for row in letters]):
        session.execute(
            sa.update(Letter)
            .where(Letter.id.in_(chunk), Letter.status.in_(("aangemaakt", "gerenderd")))
            .values(status="geannuleerd", cancelled_at=now, cancel_reason=reason[:300])
            .execution_options(synchronize_session=False)
        )
    _events(
        session,
        actor,
        [(row.case_id, row.id) for row in letters],
        f"Brief stap {batch.step} geannuleerd (printbatch {batch.id}): {reason}",
        "brief_geannuleerd",
    )
    followups.after_cancel(session, actor, [row.id for row in letters], today)
    audit.record(session, actor, "cancel", "print_batch", batch.id, purpose="printbatch annuleren")
    refresh_cases(session, [row.case_id for row in letters], today, actor.user_id)
    return True


def cancel_letter(session: orm.Session, actor: audit.Actor, letter: Letter, reason: str, today: dt.date) -> bool:
    """Cancel one letter before dispatch; the batch's bundle and manifest are rebuilt without it."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("Geef een reden voor het annuleren.")
    if letter.status == "geannuleerd":
        return False
    if letter.status == "verzonden":
        raise IllegalTransition("Deze brief is al verzonden; stuur zo nodig een correctiebrief.")
    changed = session.execute(
        sa.update(Letter)
        .where(Letter.id == letter.id, Letter.status.in_(("aangemaakt", "gerenderd")))
        .values(status="geannuleerd", cancelled_at=utcnow(), cancel_reason=reason[:300])
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(letter)
    if changed == 0:
        return False
    case = session.get(Case, letter.case_id)
    summary = f"Brief stap {letter.step} geannuleerd: {reason}"
    _events(session, actor, [(case.id, letter.id)], summary, "brief_geannuleerd")
    followups.after_cancel(session, actor, [letter.id], today)
    audit.record(session, actor, "cancel", "letter", letter.id, purpose="brief annuleren")
    if letter.batch_id is not None:
        batch = session.get(PrintBatch, letter.batch_id)
        live = session.scalar(
            sa.select(sa.func.count()).where(Letter.batch_id == batch.id, Letter.status != "geannuleerd")
        )
        if live == 0:
            batch.status, batch.cancelled_at, batch.cancel_reason = "geannuleerd", utcnow(), "Alle brieven geannuleerd"
        elif batch.status == "klaar":
            build_bundle(session, batch)
        else:
            batch.letter_count = live
    refresh_cases(session, [case.id], today, actor.user_id)
    return True


def redate_batch(session: orm.Session, actor: audit.Actor, batch: PrintBatch, letter_date: dt.date) -> None:
    """Give a batch that is not dispatched a new letter date; its letters are made again (rendering job)."""
    if batch.status not in ("klaar", "aangemaakt"):
        raise IllegalTransition("Alleen een batch die klaar of aangemaakt is, krijgt een nieuwe datum.")
    batch.letter_date = letter_date
    batch.status = "aangemaakt"
    batch.bundle_path = batch.manifest_path = batch.bundle_sha256 = None
    session.execute(
        sa.update(Letter)
        .where(Letter.batch_id == batch.id, Letter.status == "gerenderd")
        .values(status="aangemaakt", pdf_path=None, sha256=None, page_count=None, rendered_at=None)
        .execution_options(synchronize_session=False)
    )
    audit.record(session, actor, "update", "print_batch", batch.id, purpose=f"nieuwe briefdatum {letter_date}")


def _events(session: orm.Session, actor: audit.Actor, pairs: list[tuple[int, int]], summary: str, kind: str) -> None:
    if not pairs:
        return
    now = utcnow()
    session.execute(
        sa.insert(CaseEvent.__table__),
        [
            {"case_id": case_id, "actor_id": actor.user_id, "kind": kind, "summary": summary[:500],
             "data": {"letter_id": letter_id}, "at": now}
            for case_id, letter_id in pairs
        ],
    )  # fmt: skip
