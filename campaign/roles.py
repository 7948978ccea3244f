"""The roles of domain.md and what they are for."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PROJECTLEIDER = "projectleider"
    BESLISSER = "beslisser"
    TELEFOONTEAM = "telefoonteam"
    UWV = "uwv"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PROJECTLEIDER: "Projectleider",
    Role.BESLISSER: "Beslisser",
    Role.TELEFOONTEAM: "Telefoonteam",
    Role.UWV: "UWV-contactpersoon",
    Role.BEHEERDER: "Beheerder",
}

#: Roles that see the content of cases (names, addresses, letters, contacts).
CASE_READERS = frozenset({Role.PROJECTLEIDER, Role.BESLISSER, Role.TELEFOONTEAM})


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        from campaign.errors import InvalidInput

        raise InvalidInput(f"Onbekende rol {value!r}. Kies uit: {valid}.") from None
