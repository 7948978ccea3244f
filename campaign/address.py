"""Dutch postal address lines as printed on a letter in a window envelope."""

from __future__ import annotations

import re

from campaign.models import Case

POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


def format_postcode(raw: str) -> str | None:
    """'3011ab' -> '3011 AB'; None when it is not a Dutch postcode (SA, SD and SS are not issued)."""
    match = POSTCODE.match(raw or "")
    if not match:
        return None
    letters = match.group(2).upper()
    if letters in ("SA", "SD", "SS"):
        return None
    return f"{match.group(1)} {letters}"


def house_designation(number: int | None, letter: str = "", addition: str = "") -> str:
    """'12', '12a', '12-2', '12a-bis': number, letter joined, addition after a hyphen."""
    if number is None:
        return ""
    text = f"{number}{letter.strip()}"
    addition = addition.strip()
    return f"{text}-{addition}" if addition else text


def address_lines(case: Case) -> list[str]:
    """Name line, street line and '3011 AB  ROTTERDAM' (two spaces, place in capitals)."""
    street = " ".join(
        p for p in (case.street, house_designation(case.house_number, case.house_letter, case.house_addition)) if p
    )
    postcode = format_postcode(case.postcode) or case.postcode
    place = f"{postcode}  {case.city.upper()}".strip()
    return [line for line in (case.display_name, street, place) if line]
