"""Letter templates: versions per campaign and step kind, sandboxed Jinja, placeholders, sanitised HTML.

Project leaders author the body as HTML with Jinja placeholders. The source is sanitised on save (an
allowlist of tags, no attributes that run code) and rendered in Jinja's ``SandboxedEnvironment`` with
autoescaping, so a template can neither reach Python objects nor inject markup through a name.
"""

from __future__ import annotations

from dataclasses import dataclass

import nh3
import sqlalchemy as sa
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from sqlalchemy import orm

from campaign import audit
from campaign.campaigns import STEP_KINDS
from campaign.errors import InvalidInput, NotFound
from campaign.models import Campaign, TemplateVersion
from letters.defaults import DEFAULT_TEMPLATES

#: Every placeholder a template may use, with what it is (shown in the editor).
PLACEHOLDERS: dict[str, str] = {
    "naam": "Naam van de ontvanger (voorletters, tussenvoegsel, achternaam)",
    "kenmerk": "Kenmerk van het dossier (nooit het BSN)",
    "datum": "Datum van de brief, bijvoorbeeld 23 november 2026",
    "termijn": "De datum waarvóór de ontvanger moet reageren (werkdagenregel toegepast)",
    "vorige_brief": "Verzenddatum van de vorige brief",
    "vorige_termijn": "Termijn uit de vorige brief",
    "uwv_peildatum": "Peildatum van de gebruikte UWV-lijst",
    "voorgenomen_uitkomst": "Voornemen: de voorgenomen uitkomst",
    "uitkomst": "Besluit: de uitkomst",
    "ingang": "Besluit: wanneer de maatregel ingaat",
    "motivering": "Voornemen/besluit: de individuele motivering",
    "bezwaartermijn": "Besluit: de laatste dag om bezwaar te maken",
    "ingetrokken_brief": "Intrekking: de datum van de brief die wordt ingetrokken",
    "ingetrokken_onderwerp": "Intrekking: het onderwerp van de brief die wordt ingetrokken",
    "reden": "Intrekking: waarom de brief wordt ingetrokken",
    "gemeente": "Naam van de gemeente",
    "afdeling": "Afdeling",
    "telefoon": "Telefoonnummer",
    "telefoontijden": "Bereikbaarheid per telefoon",
    "email": "E-mailadres",
    "website": "Website",
    "retouradres": "Postadres van de gemeente",
    "ondertekenaar": "Naam van de ondertekenaar",
    "functie": "Functie van de ondertekenaar",
}
#: Template variables that only the decision steps and the withdrawal notice fill; every letter fills the others.
STEP_DATA_KEYS = (
    "voorgenomen_uitkomst", "uitkomst", "ingang", "motivering", "ingetrokken_brief", "ingetrokken_onderwerp", "reden",
)  # fmt: skip

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h2", "h3", "blockquote", "table",
                "thead", "tbody", "tr", "th", "td", "span"}  # fmt: skip
KIND_LABELS = {
    "uitnodiging": "Uitnodiging",
    "herinnering": "Herinnering",
    "ultimatum": "Laatste oproep",
    "voornemen": "Voornemen maatregel",
    "besluit": "Besluit",
    "intrekking": "Intrekking van een brief",
}
#: Letter kinds with a template: the ladder's step kinds and the withdrawal notice (sent after any step).
WITHDRAWAL_KIND = "intrekking"
LETTER_KINDS = (*STEP_KINDS, WITHDRAWAL_KIND)
MAX_BODY = 20_000


def environment() -> SandboxedEnvironment:
    return _ENV


_ENV = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_ENV.globals.clear()  # no range(), lipsum(), dict(), cycler(): a letter needs only its placeholders
#: A letter needs placeholders and {% if %}; loops, macros and includes are refused (no runaway templates).
FORBIDDEN_NODES = (
    nodes.For, nodes.Macro, nodes.CallBlock, nodes.Include, nodes.Import, nodes.FromImport,
    nodes.Extends, nodes.Block, nodes.FilterBlock, nodes.With, nodes.Assign, nodes.AssignBlock,
)  # fmt: skip


def sanitise_html(source: str) -> str:
    """Keep only harmless formatting tags; no attributes, scripts, styles, links or images."""
    return nh3.clean(source, tags=ALLOWED_TAGS, attributes={}, url_schemes=set(), link_rel=None)


@dataclass(frozen=True)
class CheckedTemplate:
    subject: str
    body: str


def check_template(subject: str, body: str) -> CheckedTemplate:
    """Sanitise and validate a template; raise InvalidInput naming unknown placeholders or syntax errors."""
    subject = " ".join((subject or "").split())
    if not subject:
        raise InvalidInput("Geef de brief een onderwerp.", location="Onderwerp")
    if len(subject) > 200:
        raise InvalidInput("Het onderwerp mag hoogstens 200 tekens lang zijn.", location="Onderwerp")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise InvalidInput("De tekst van de brief is leeg.", location="Tekst")
    if len(body) > MAX_BODY:
        raise InvalidInput(f"De tekst is langer dan {MAX_BODY} tekens.", location="Tekst")
    body = sanitise_html(body)
    for label, source in (("Onderwerp", subject), ("Tekst", body)):
        try:
            parsed = _ENV.parse(source)
        except TemplateSyntaxError as exc:
            raise InvalidInput(f"fout in de opmaak op regel {exc.lineno}: {exc.message}", location=label) from None
        if any(True for _ in parsed.find_all(FORBIDDEN_NODES)):
            raise InvalidInput(
                "alleen invulvelden ({{ naam }}) en keuzes ({% if ... %}) zijn toegestaan, geen herhalingen of "
                "andere opdrachten.",
                location=label,
            )
        unknown = sorted(meta.find_undeclared_variables(parsed) - PLACEHOLDERS.keys())
        if unknown:
            valid = ", ".join("{{ " + name + " }}" for name in PLACEHOLDERS)
            names = ", ".join("{{ " + name + " }}" for name in unknown)
            raise InvalidInput(f"onbekende invulvelden {names}. Geldige invulvelden zijn: {valid}.", location=label)
        try:
            _ENV.from_string(source).render(sample_values())
        except (SecurityError, UndefinedError, TemplateError, ArithmeticError, TypeError, ValueError) as exc:
            raise InvalidInput(f"deze tekst kan niet worden gemaakt: {exc}", location=label) from None
    return CheckedTemplate(subject=subject, body=body)


def sample_values() -> dict[str, str]:
    return {name: f"[{name}]" for name in PLACEHOLDERS}


def render_parts(template: TemplateVersion | CheckedTemplate, values: dict[str, str]) -> tuple[str, Markup]:
    """The subject (plain text) and the body (sanitised HTML) of one letter."""
    full = dict.fromkeys(PLACEHOLDERS, "") | values
    subject = _compiled(template.subject).render(full)
    body = _compiled(template.body).render(full)
    return Markup(subject).unescape(), Markup(sanitise_html(body))


_cache: dict[str, object] = {}


def _compiled(source: str):
    compiled = _cache.get(source)
    if compiled is None:
        if len(_cache) > 256:
            _cache.clear()
        compiled = _cache[source] = _ENV.from_string(source)
    return compiled


# -- versions ----------------------------------------------------------------------------------------


def current_version(session: orm.Session, campaign_id: int, kind: str) -> TemplateVersion:
    """The newest version of a kind; the default text becomes version 1 the first time it is needed."""
    if kind not in LETTER_KINDS:
        raise NotFound(f"Onbekend soort brief {kind!r}.")
    version = session.scalar(
        sa.select(TemplateVersion)
        .where(TemplateVersion.campaign_id == campaign_id, TemplateVersion.kind == kind)
        .order_by(TemplateVersion.version.desc())
        .limit(1)
    )
    if version is None:
        subject, body = DEFAULT_TEMPLATES[kind]
        version = TemplateVersion(campaign_id=campaign_id, kind=kind, version=1, subject=subject, body=body)
        session.add(version)
        session.flush()
    return version


def versions(session: orm.Session, campaign_id: int, kind: str) -> list[TemplateVersion]:
    current_version(session, campaign_id, kind)
    return list(
        session.scalars(
            sa.select(TemplateVersion)
            .where(TemplateVersion.campaign_id == campaign_id, TemplateVersion.kind == kind)
            .order_by(TemplateVersion.version.desc())
        )
    )


def save_version(
    session: orm.Session, actor: audit.Actor, campaign: Campaign, kind: str, subject: str, body: str
) -> TemplateVersion:
    """Every save is a new version; letters keep the version they were made with."""
    checked = check_template(subject, body)
    latest = current_version(session, campaign.id, kind)
    if latest.subject == checked.subject and latest.body == checked.body:
        return latest
    version = TemplateVersion(
        campaign_id=campaign.id,
        kind=kind,
        version=latest.version + 1,
        subject=checked.subject,
        body=checked.body,
        created_by=actor.user_id,
    )
    session.add(version)
    session.flush()
    audit.record(session, actor, "update", "template", version.id, purpose=f"sjabloon {kind} versie {version.version}")
    return version
