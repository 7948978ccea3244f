"""One letter as HTML (fixed layout + the sandboxed template text) and as PDF.

PDF rendering keeps the parsed stylesheet, the font configuration and the image cache per process and
reuses them for every letter (about 1.4x faster than building them per letter); the page numbers
("Pagina 1 van 2") are removed from letters that fit on one page.

Content that is the same in every letter (the step-by-step werk.nl guide of the default templates) is printed
as an enclosure ("bijlage") after the letter. A batch lays it out once per worker process (cached by its HTML,
which holds everything it depends on: template text and municipality settings) and merges the finished pages
into each letter's PDF with pikepdf, so per letter only the personal page is laid out. The complete letter as one
HTML document (``LetterDocument.html``, used for previews) prints the same pages.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import orm

from campaign.address import address_lines
from campaign.dates import deadline_after, dutch_date
from campaign.models import Campaign, Case, Letter, Municipality, TemplateVersion, UwvList
from letters import defaults, templates

LAYOUT_DIR = Path(__file__).resolve().parent / "layout"
_layout_env = Environment(
    loader=FileSystemLoader(LAYOUT_DIR), autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True
)


def municipality(session: orm.Session) -> Municipality:
    """The municipality's letter settings (row 1), created with defaults the first time."""
    row = session.get(Municipality, 1)
    if row is None:
        row = Municipality(id=1)
        session.add(row)
        session.flush()
    return row


def logo_data_uri(m: Municipality) -> str | None:
    if not m.logo or not m.logo_mime:
        return None
    return f"data:{m.logo_mime};base64,{base64.b64encode(m.logo).decode()}"


def step_deadline(campaign: Campaign, step: int, letter_date: dt.date) -> dt.date:
    """The date printed as *termijn*: the step's deadline, or for the first letters the next step's delay."""
    rung = campaign.step(step)
    days = rung.deadline_days if rung is not None and rung.deadline_days else None
    if days is None:
        following = campaign.step(step + 1)
        days = following.delay_days if following is not None and following.delay_days else 14
    return deadline_after(letter_date, days)


def formal_deadline(campaign: Campaign, step: int, letter_date: dt.date) -> dt.date | None:
    """A legal deadline (ultimatum, view period) or None for steps without one."""
    rung = campaign.step(step)
    if rung is None or not rung.deadline_days:
        return None
    return deadline_after(letter_date, rung.deadline_days)


@dataclass
class LetterFacts:
    """What letters need from other rows (earlier letters sent, UWV list dates), fetched for a whole chunk of
    letters in three queries instead of a few per letter."""

    sent: dict[int, list[tuple[int, int, dt.date | None, dt.date | None]]]  # case -> (step, id, dispatched, deadline)
    list_dates: dict[int, dt.date]  # UWV list id -> peildatum
    latest_list_date: dict[int, dt.date | None]  # campaign id -> newest peildatum on or before the letter date

    @classmethod
    def load(cls, session: orm.Session, letters: list[tuple[Letter, Case]], letter_date: dt.date) -> LetterFacts:
        case_ids = sorted({case.id for _letter, case in letters})
        sent: dict[int, list[tuple[int, int, dt.date | None, dt.date | None]]] = {}
        if case_ids:
            for row in session.execute(
                sa.select(Letter.case_id, Letter.step, Letter.id, Letter.dispatched_on, Letter.deadline).where(
                    Letter.case_id.in_(case_ids), Letter.status == "verzonden"
                )
            ):
                sent.setdefault(row.case_id, []).append((row.step, row.id, row.dispatched_on, row.deadline))
        list_ids = sorted({letter.uwv_list_id for letter, _case in letters if letter.uwv_list_id is not None})
        list_dates = (
            dict(session.execute(sa.select(UwvList.id, UwvList.peildatum).where(UwvList.id.in_(list_ids))).all())
            if list_ids
            else {}
        )
        latest_list_date = {
            campaign_id: session.scalar(
                sa.select(sa.func.max(UwvList.peildatum)).where(
                    UwvList.campaign_id == campaign_id, UwvList.peildatum <= letter_date
                )
            )
            for campaign_id in sorted({case.campaign_id for _letter, case in letters})
        }
        return cls(sent, list_dates, latest_list_date)

    def previous_letter(self, case_id: int, step: int) -> tuple[dt.date | None, dt.date | None] | None:
        """Dispatch date and deadline of the case's latest letter sent at an earlier step."""
        earlier = [row for row in self.sent.get(case_id, ()) if row[0] < step]
        if not earlier:
            return None
        _step, _id, dispatched_on, deadline = max(earlier)
        return dispatched_on, deadline

    def peildatum(self, uwv_list_id: int | None, campaign_id: int) -> dt.date | None:
        """The date of the UWV list a letter is based on, else the campaign's newest list up to the letter date."""
        known = self.list_dates.get(uwv_list_id) if uwv_list_id is not None else None
        return known if known is not None else self.latest_list_date.get(campaign_id)


def letter_values(
    session: orm.Session,
    letter: Letter,
    case: Case,
    campaign: Campaign,
    m: Municipality,
    letter_date: dt.date,
    facts: LetterFacts | None = None,
) -> dict[str, str]:
    """The values of one letter's template variables ({{ naam }}, {{ termijn }}, ...), all formatted as text
    (``facts``: prefetched for a whole chunk)."""
    data = letter.data or {}
    if facts is None:
        facts = LetterFacts.load(session, [(letter, case)], letter_date)
    previous = facts.previous_letter(case.id, letter.step)
    peildatum = facts.peildatum(letter.uwv_list_id, case.campaign_id)
    termijn = latest(frozen_deadline(data), step_deadline(campaign, letter.step, letter_date))
    values = {
        "naam": case.display_name,
        "kenmerk": case.reference,
        "datum": dutch_date(letter_date),
        "termijn": dutch_date(termijn),
        "vorige_brief": dutch_date(previous[0]) if previous else "",
        "vorige_termijn": dutch_date(previous[1]) if previous else "",
        "uwv_peildatum": dutch_date(peildatum) if peildatum else "",
        "gemeente": m.name,
        "afdeling": m.department,
        "telefoon": m.phone,
        "telefoontijden": m.phone_hours,
        "email": m.email,
        "website": m.website,
        "retouradres": m.return_address,
        "ondertekenaar": m.signatory_name,
        "functie": m.signatory_function,
    }
    values.update(step_values(data))
    if data.get("objection_days"):
        # Awb 6:7/6:8: six weeks from the day after dispatch; a letter printed later than the decision was taken
        # must never print a shorter objection period than the law gives.
        frozen = dt.date.fromisoformat(data["objection_deadline"]) if data.get("objection_deadline") else None
        objection = latest(frozen, deadline_after(letter_date, int(data["objection_days"])))
        values["bezwaartermijn"] = dutch_date(objection)
    if data.get("ultimatum_deadline_text"):
        values["vorige_termijn"] = str(data["ultimatum_deadline_text"])
    return values


def _outcome_phrase(outcome: str | None, percentage: object, months: object) -> str:
    """The intended outcome as the end of "Wij zijn van plan om ..."."""
    if outcome == "verlaging":
        duration = f"{months} maand{'en' if str(months) != '1' else ''} " if months else ""
        share = f"met {percentage}% " if percentage else ""
        return f"uw uitkering {duration}{share}te verlagen".replace("  ", " ")
    if outcome == "waarschuwing":
        return "u een schriftelijke waarschuwing te geven"
    if outcome == "geen":
        return "geen maatregel op te leggen"
    return ""


def step_values(data: dict) -> dict[str, str]:
    """The decision steps' template variables, from the letter's frozen data (the sanction track's keys)."""
    values = {key: str(data.get(key, "") or "") for key in templates.STEP_DATA_KEYS}
    if not values["voorgenomen_uitkomst"] and data.get("intended_outcome"):
        values["voorgenomen_uitkomst"] = _outcome_phrase(
            data.get("intended_outcome"), data.get("percentage"), data.get("months")
        )
    if not values["uitkomst"] and data.get("outcome_text"):
        extra = ""
        if data.get("outcome") == "verlaging" and data.get("percentage"):
            months = data.get("months")
            extra = f" met {data['percentage']}%" + (
                f" gedurende {months} maand{'en' if months != 1 else ''}" if months else ""
            )
        values["uitkomst"] = f"{str(data['outcome_text']).lower()}{extra}"
    if not values["ingang"] and data.get("effective_month_text"):
        values["ingang"] = f"De verlaging gaat in vanaf {data['effective_month_text']}."
    if not values["motivering"]:
        values["motivering"] = str(data.get("motivation") or data.get("facts") or "")
    values["bezwaartermijn"] = str(data.get("objection_deadline_text") or "")
    return values


def latest(*days: dt.date | None) -> dt.date | None:
    """The latest of the given dates (None when there is none): a deadline is never shortened."""
    known = [d for d in days if d is not None]
    return max(known) if known else None


def frozen_deadline(data: dict) -> dt.date | None:
    """A deadline fixed when the letter was made (the view period of a notice of intent)."""
    raw = (data or {}).get("deadline") or (data or {}).get("view_deadline")
    return dt.date.fromisoformat(raw) if raw else None


# Blocks of template text that are identical for everyone; found in a letter's body they become its enclosure.
SHARED_BLOCKS: tuple[str, ...] = (templates.sanitise_html(defaults.WERK_NL_STEPS),)
ENCLOSURE_NOTE = Markup("<p>In de bijlage bij deze brief leest u stap voor stap hoe u zich inschrijft op werk.nl.</p>")


@dataclass(frozen=True)
class LetterDocument:
    html: str  # the complete letter, enclosure included, as one document
    subject: str
    address: list[str]
    personal_html: str = ""  # the letter without its enclosure (equals ``html`` when there is none)
    enclosure_html: str | None = None  # the enclosure alone: the same for every letter of a template version


def split_enclosure(body: Markup) -> tuple[Markup, Markup | None]:
    """The body without the shared block (a note points to the enclosure instead) and the block, if present."""
    for block in SHARED_BLOCKS:
        if block in body:
            return Markup(body.replace(block, ENCLOSURE_NOTE, 1)), Markup(block)
    return body, None


def build_html(
    *,
    template: TemplateVersion | templates.CheckedTemplate,
    values: dict[str, str],
    address: list[str],
    m: Municipality,
    logo: str | None,
    notice: str = "",
) -> LetterDocument:
    subject, body = templates.render_parts(template, values)
    body, enclosure = split_enclosure(body)
    context = {
        "subject": subject,
        "body": body,
        "address": address,
        "m": m,
        "logo": logo,
        "datum": values["datum"],
        "kenmerk": values["kenmerk"],
        "behandeld_door": m.department or m.name,
        "notice": notice,  # a replacement letter says which letter it replaces and why (letters.followups)
    }
    letter = _layout_env.get_template("letter.html")
    personal = letter.render(context, enclosure=None)
    if enclosure is None:
        return LetterDocument(html=personal, subject=subject, address=address, personal_html=personal)
    return LetterDocument(
        html=letter.render(context, enclosure=enclosure),
        subject=subject,
        address=address,
        personal_html=personal,
        enclosure_html=_layout_env.get_template("enclosure.html").render(m=m, enclosure=enclosure),
    )


def letter_document(
    session: orm.Session,
    letter: Letter,
    *,
    letter_date: dt.date,
    template: TemplateVersion | templates.CheckedTemplate | None = None,
    case: Case | None = None,
    facts: LetterFacts | None = None,
    m: Municipality | None = None,
    logo: str | None = None,
) -> LetterDocument:
    """The HTML of one letter: the letter's frozen address, else the case's current address.

    A batch passes what is the same for a chunk of letters (``facts``, municipality ``m`` and its ``logo``)."""
    case = case or session.get(Case, letter.case_id)
    campaign = session.get(Campaign, case.campaign_id)
    if m is None:
        m = municipality(session)
        logo = logo_data_uri(m)
    if template is None:
        template = letter.template_version or templates.current_version(session, campaign.id, letter.kind)
    values = letter_values(session, letter, case, campaign, m, letter_date, facts)
    address = list(letter.address) if letter.address else address_lines(case)
    notice = str((letter.data or {}).get("notice") or "")
    return build_html(template=template, values=values, address=address, m=m, logo=logo, notice=notice)


# -- PDF ----------------------------------------------------------------------------------------------

_process_cache: dict[str, object] = {}


def _pdf_tools():
    """Stylesheet, font configuration and image cache, built once per process."""
    if not _process_cache:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        _process_cache["fonts"] = fonts
        _process_cache["css"] = CSS(filename=str(LAYOUT_DIR / "letter.css"), font_config=fonts)
        _process_cache["images"] = {}
        _process_cache["html"] = _letter_html_class(CSS(filename=str(LAYOUT_DIR / "ua.css")))
    return _process_cache["css"], _process_cache["fonts"], _process_cache["images"]


def _letter_html_class(user_agent_css):
    """WeasyPrint's ``HTML`` with the browser defaults cut down to the elements a letter can hold (layout/ua.css)."""
    from weasyprint import HTML

    class LetterHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [user_agent_css]

    return LetterHTML


def render_pdf(html: str) -> tuple[bytes, int]:
    """PDF bytes and page count of one letter's HTML."""
    document = _layout(html)
    if len(document.pages) == 1:  # page numbers only when there is more than one page
        _drop_page_numbers(document)
    return document.write_pdf(), len(document.pages)


def _layout(html: str, *extra):
    css, fonts, images = _pdf_tools()
    return _process_cache["html"](string=html, base_url=str(LAYOUT_DIR)).render(
        stylesheets=[css, *extra], font_config=fonts, cache=images, presentational_hints=False
    )


def _drop_page_numbers(document) -> None:
    from weasyprint.formatting_structure.boxes import MarginBox

    for page in document.pages:
        box = page._page_box
        box.children = [child for child in box.children if not isinstance(child, MarginBox)]


def _numbering(first: int, total: int, *, enclosure: bool):
    """Page numbers "Pagina n van total" starting at ``first`` (parsed once per process and combination)."""
    key = f"numbering-{first}-{total}-{enclosure}"
    css = _process_cache.get(key)
    if css is None:
        from weasyprint import CSS

        _css, fonts, _images = _pdf_tools()
        rules = f'@page {{ @bottom-right {{ content: "Pagina " counter(page) " van {total}"; }} }}'
        if first != 1:
            rules += f" @page :first {{ counter-reset: page {first}; }}"
        if enclosure:  # the enclosure's pages are never a letter's first page
            rules += " @page :first { margin-top: 20mm; }"
        css = _process_cache[key] = CSS(string=rules, font_config=fonts)
    return css


_enclosures: dict[str, dict] = {}


def _enclosure(html: str) -> dict:
    """Per process and enclosure HTML: its page count and its finished PDFs per first page number."""
    cached = _enclosures.get(html)
    if cached is None:
        if len(_enclosures) >= 16:
            _enclosures.clear()
        document = _layout(html, _numbering(1, 1, enclosure=True))
        cached = _enclosures[html] = {"pages": len(document.pages), "pdf": {}}
    return cached


def _enclosure_pdf(html: str, first: int):
    """The enclosure's pages numbered from ``first`` (pikepdf), laid out once per process and first page."""
    import pikepdf

    cached = _enclosure(html)
    pdf = cached["pdf"].get(first)
    if pdf is None:
        document = _layout(html, _numbering(first, first + cached["pages"] - 1, enclosure=True))
        pdf = cached["pdf"][first] = pikepdf.open(io.BytesIO(document.write_pdf()))
    return pdf


_personal_pages: dict[str, int] = {}


def render_letter_pdf(personal_html: str, enclosure_html: str | None) -> tuple[bytes, int]:
    """PDF bytes and page count of a letter: its personal pages, then the shared enclosure merged in."""
    if enclosure_html is None:
        return render_pdf(personal_html)
    import pikepdf

    extra = _enclosure(enclosure_html)["pages"]
    guess = _personal_pages.get(enclosure_html, 1)  # letters of one template mostly have the same length
    document = _layout(personal_html, _numbering(1, guess + extra, enclosure=False))
    own = len(document.pages)
    if own != guess:  # the total printed on the pages was wrong: lay out again with the right one
        _personal_pages[enclosure_html] = own
        document = _layout(personal_html, _numbering(1, own + extra, enclosure=False))
    letter = pikepdf.open(io.BytesIO(document.write_pdf()))
    letter.pages.extend(_enclosure_pdf(enclosure_html, own + 1).pages)
    out = io.BytesIO()
    letter.save(out)
    return out.getvalue(), own + extra


def render_to_file(job: tuple[str, str, str | None]) -> tuple[str, str, int]:
    """Render ``(path, personal html, enclosure html)`` to ``path`` atomically; returns (path, sha256, pages)."""
    path, html, enclosure = job
    pdf, pages = render_letter_pdf(html, enclosure)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    tmp.replace(target)
    return path, hashlib.sha256(pdf).hexdigest(), pages


def warm_up() -> None:
    """Initialiser for worker processes: build the per-process objects before the first letter."""
    _pdf_tools()
