"""Finding a case from what a caller says: BSN, letter reference, name, postcode + house number, birth date, phone.

Every lookup runs on an indexed column (bsn, reference, surname_key, postcode + house_number, birth_date, phone);
name prefixes are searched as a key range, which a B-tree index serves on every collation, and then checked
again in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.address import format_postcode
from campaign.bsn import normalise_bsn
from campaign.campaigns import format_reference
from campaign.models import Case
from campaign.text import fold

LIMIT = 25

#: Folded tussenvoegsels, longest first, so "vandenberg" is read as "van den" + "berg".
PREFIXES = sorted(
    {
        fold(p)
        for p in (
            "van", "de", "der", "den", "van de", "van den", "van der", "van 't", "van het", "ter", "ten", "te",
            "in 't", "op de", "'t", "het", "la", "le", "el", "al", "da", "dos", "du", "von", "del",
        )
    },
    key=len,
    reverse=True,
)  # fmt: skip

POSTCODE_HOUSE = re.compile(
    r"^\s*([1-9][0-9]{3})\s*([a-zA-Z]{2})[\s,]+([0-9]{1,5})\s*[-\s]?\s*([a-zA-Z]?)\s*(?:[-\s]\s*([0-9a-zA-Z]{1,10}))?\s*$"
)
REFERENCE = re.compile(r"^\s*([A-Za-z]{1,8}[0-9]+)\s*-?\s*([0-9]{7})\s*$")
DATE_PATTERNS = (
    re.compile(r"^(?P<d>[0-9]{1,2})[-/.](?P<m>[0-9]{1,2})[-/.](?P<y>[0-9]{4})$"),
    re.compile(r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})$"),
    re.compile(r"^(?P<d>[0-9]{2})(?P<m>[0-9]{2})(?P<y>[0-9]{4})$"),
)


@dataclass
class SearchResult:
    query: str
    kind: str  # bsn | kenmerk | naam | adres | geboortedatum | telefoon | leeg | onbekend
    cases: list[Case]
    message: str = ""

    @property
    def truncated(self) -> bool:
        return len(self.cases) >= LIMIT


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def reference_is_valid(reference: str) -> bool:
    prefix, _, digits = reference.rpartition("-")
    if not prefix or len(digits) != 7 or not digits.isdigit():
        return False
    return format_reference(prefix, int(digits[:6])) == reference


def search_cases(session: orm.Session, query: str, campaign_ids: list[int]) -> SearchResult:
    """Cases of the given campaigns matching what was typed; at most ``LIMIT``."""
    text = " ".join(query.split())[:100]
    if len(text) < 2:
        return SearchResult(text, "leeg", [], "Typ minstens twee tekens.")
    if not campaign_ids:
        return SearchResult(text, "leeg", [], "U bent aan geen campagne gekoppeld.")
    base = sa.select(Case).where(Case.campaign_id.in_(campaign_ids))
    for kind, finder in (
        ("kenmerk", _by_reference),
        ("adres", _by_postcode_house),
        ("bsn", _by_bsn),
        ("geboortedatum", _by_birth_date),
        ("telefoon", _by_phone),
    ):
        found = finder(session, base, text)
        if found is not None:
            cases, message = found
            return SearchResult(text, kind, _ordered(cases), message)
    if re.search(r"[0-9]", text):
        return SearchResult(
            text,
            "onbekend",
            [],
            "Niet herkend. Zoek op BSN, kenmerk, postcode met huisnummer, geboortedatum, "
            "laatste 4 cijfers BSN met geboortedatum, telefoonnummer of achternaam.",
        )
    return SearchResult(text, "naam", _ordered(_by_name(session, base, text)))


def _ordered(cases: list[Case]) -> list[Case]:
    return sorted(cases, key=lambda c: (c.surname_key.partition("|")[0], c.surname_key, c.initials, c.id))


def _rows(session: orm.Session, query) -> list[Case]:
    return list(session.scalars(query.order_by(Case.surname_key, Case.id).limit(LIMIT)))


def _by_reference(session, base, text):
    match = REFERENCE.match(text)
    if not match:
        return None
    reference = f"{match[1].upper()}-{match[2]}"
    if not reference_is_valid(reference):
        return [], f"Kenmerk {reference} bestaat niet: het controlecijfer klopt niet. Controleer het kenmerk."
    return _rows(session, base.where(Case.reference == reference)), ""


def _by_postcode_house(session, base, text):
    match = POSTCODE_HOUSE.match(text)
    if not match:
        return None
    postcode = format_postcode(f"{match[1]}{match[2]}")
    if postcode is None:
        return [], f"{match[1]} {match[2].upper()} is geen Nederlandse postcode."
    query = base.where(Case.postcode.in_([postcode, postcode.replace(" ", "")]), Case.house_number == int(match[3]))
    cases = _rows(session, query)
    letter, addition = (match[4] or "").lower(), (match[5] or "").lower()
    if letter or addition:
        exact = [
            c
            for c in cases
            if (c.house_letter or "").lower() == letter
            and (not addition or (c.house_addition or "").lower() == addition)
        ]
        cases = exact or cases  # a caller who adds a letter we do not have still finds the house number
    return cases, ""


def _by_bsn(session, base, text):
    digits = re.sub(r"[\s.\-]", "", text)
    if not digits.isdigit() or len(digits) not in (8, 9):
        return None
    bsn = normalise_bsn(digits)
    if bsn is None and len(digits) == 8:
        return None  # perhaps a birth date written as ddmmjjjj
    if bsn is None:
        return [], f"{digits} is geen geldig BSN (elfproef)."
    return _rows(session, base.where(Case.bsn == bsn)), ""


def _by_birth_date(session, base, text):
    parts = text.split(" ", 1)
    last4 = None
    if len(parts) == 2 and re.fullmatch(r"[0-9]{4}", parts[0]) and parse_date(parts[1]):
        last4, date_text = parts[0], parts[1]
    elif len(parts) == 2 and re.fullmatch(r"[0-9]{4}", parts[1]) and parse_date(parts[0]):
        last4, date_text = parts[1], parts[0]
    else:
        date_text = text
    name = ""
    if last4 is None and date_text == text and " " in text:
        head, _, tail = text.rpartition(" ")
        if parse_date(tail) and not re.search(r"[0-9]", head):
            name, date_text = head, tail  # "Öztürk 12-03-1980": surname with date of birth
    born = parse_date(date_text)
    if born is None:
        return None
    query = base.where(Case.birth_date == born)
    if name:
        return [c for c in _rows(session, query) if _name_matches(c, fold(name))], ""
    if last4:
        query = query.where(Case.bsn.like(f"%{last4}"))
    return _rows(session, query), ""


def phone_variants(text: str) -> list[str] | None:
    digits = re.sub(r"[\s\-().]", "", text)
    if digits.startswith("+31"):
        digits = "0" + digits[3:]
    elif digits.startswith("0031"):
        digits = "0" + digits[4:]
    if not (digits.isdigit() and len(digits) == 10 and digits.startswith("0")):
        return None
    return list(
        dict.fromkeys(
            [digits, f"{digits[:2]}-{digits[2:]}", f"{digits[:3]}-{digits[3:]}", f"+31{digits[1:]}", text.strip()]
        )
    )


def _by_phone(session, base, text):
    variants = phone_variants(text)
    if variants is None:
        return None
    return _rows(session, base.where(Case.phone.in_(variants))), ""


def _split_prefix(key: str) -> str:
    for prefix in PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            return key[len(prefix) :]
    return key


def _key_range(column, start: str):
    # A range instead of LIKE 'x%': any B-tree index serves it, whatever the collation.
    return sa.and_(column >= start, column < start + "\U0010ffff")


def _by_name(session, base, text):
    key = fold(text)
    if len(key) < 2:
        return []
    conditions = [_key_range(Case.surname_key, key)]
    rest = _split_prefix(key)
    if rest != key:
        # "vandenberg": surnames starting with "berg" whose full key (after the "|") starts with "vandenberg"
        conditions.append(sa.and_(_key_range(Case.surname_key, rest), Case.surname_key.like(f"%|{key}%")))
    found: dict[int, Case] = {}
    for condition in conditions:
        for case in session.scalars(base.where(condition).order_by(Case.surname_key, Case.id).limit(LIMIT * 4)):
            found[case.id] = case
    return [c for c in found.values() if _name_matches(c, key)][:LIMIT]


def _name_matches(case: Case, key: str) -> bool:
    surname, _, full = case.surname_key.partition("|")
    return surname.startswith(key) or full.startswith(key)
