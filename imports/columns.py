"""Which column is which: field definitions per list type, Dutch synonyms, and the mapping the user can correct.

A header is compared after :func:`header_key` (lower case, without spaces, dots, hyphens, underscores and
diacritics), so "Huisnummer-toevoeging", "huisnummer toevoeging" and "HUISNUMMER_TOEVOEGING" are one name.
Columns that map to no field are reported as "niet opgeslagen" and never stored (data minimisation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from campaign.errors import InvalidInput
from campaign.text import fold

LIST_TYPES = {
    "clients": "Cliëntenlijst (gemeente)",
    "uitstroom": "Uitstroom (uitkering beëindigd)",
}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    synonyms: tuple[str, ...]
    kind: str = "text"  # text | bsn | date | postcode | house_number | house_letter | house_addition | phone
    max_length: int | None = None
    required: bool = False


CLIENT_FIELDS: tuple[Field, ...] = (
    Field("bsn", "BSN", ("bsn", "burgerservicenummer", "sofinummer", "sofinr", "bsnnummer", "bsnclient",
                         "burgerservicenr", "bsnnr"), "bsn", 9, True),
    Field("initials", "Voorletters", ("voorletters", "initialen", "voorl"), max_length=40),
    Field("first_names", "Voornamen", ("voornamen", "voornaam", "roepnaam"), max_length=120),
    Field("prefix", "Tussenvoegsel", ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "tussenv"),
          max_length=20),
    Field("surname", "Achternaam", ("achternaam", "geslachtsnaam", "naam", "familienaam", "geslnaam"),
          max_length=120, required=True),
    Field("birth_date", "Geboortedatum", ("geboortedatum", "gebdatum", "geboortedat", "gebdat", "datumgeboorte"),
          "date"),
    Field("street", "Straat", ("straat", "straatnaam", "adres", "openbareruimte", "openbareruimtenaam"),
          max_length=120),
    Field("house_number", "Huisnummer", ("huisnummer", "huisnr", "nummer", "hnr", "huisnummervolledig"),
          "house_number"),
    Field("house_letter", "Huisletter", ("huisletter", "letter"), "house_letter", 1),
    Field("house_addition", "Toevoeging", ("huisnummertoevoeging", "toevoeging", "huisnrtoev", "toev",
                                           "huisnummertoev"), "house_addition", 10),
    Field("postcode", "Postcode", ("postcode", "pc", "postcd"), "postcode"),
    Field("city", "Woonplaats", ("woonplaats", "plaats", "plaatsnaam", "gemeente", "stad"), max_length=80),
    Field("team", "Team", ("team", "afdeling", "wijkteam", "teamnaam"), max_length=60),
    Field("phone", "Telefoonnummer", ("telefoonnummer", "telefoon", "telnr", "tel", "mobiel", "gsm",
                                      "mobielnummer", "telefoonnr"), "phone", 20),
)  # fmt: skip

UITSTROOM_FIELDS: tuple[Field, ...] = (
    CLIENT_FIELDS[0],
    Field("end_date", "Einddatum uitkering", ("einddatum", "einddatumuitkering", "datumeinde", "einde",
                                              "datumbeeindiging", "beeindigdper", "uitstroomdatum", "einddatumrecht"),
          "date"),
)  # fmt: skip

FIELDS_BY_TYPE: dict[str, tuple[Field, ...]] = {"clients": CLIENT_FIELDS, "uitstroom": UITSTROOM_FIELDS}
#: Fields of which at least one must be filled for an address to be usable on a letter.
ADDRESS_FIELDS = ("street", "house_number", "postcode", "city")


def fields_for(list_type: str) -> tuple[Field, ...]:
    try:
        return FIELDS_BY_TYPE[list_type]
    except KeyError:
        raise InvalidInput(f"Onbekend soort lijst {list_type!r}; kies uit: {', '.join(LIST_TYPES)}.") from None


def header_key(header: str) -> str:
    """'Huisnummer-toevoeging' and 'huisnummer_toevoeging ' are the same key: 'huisnummertoevoeging'."""
    return fold(header or "")


def _synonym_index(list_type: str) -> dict[str, str]:
    return {synonym: field.name for field in fields_for(list_type) for synonym in field.synonyms}


def header_score(list_type: str):
    """For :func:`imports.reader.read_table`: how many known column names a candidate header row has."""
    index = _synonym_index(list_type)

    def score(cells: list[str]) -> int:
        return sum(1 for cell in cells if header_key(cell) in index)

    return score


@dataclass(frozen=True)
class ColumnMapping:
    """Per column of the file: the field it fills, or None (niet opgeslagen)."""

    headers: tuple[str, ...]
    fields: tuple[str | None, ...]

    def field_of(self, index: int) -> str | None:
        return self.fields[index]

    def column_of(self, field_name: str) -> int | None:
        try:
            return self.fields.index(field_name)
        except ValueError:
            return None

    @property
    def not_stored(self) -> list[str]:
        return [h or f"kolom {i + 1}" for i, (h, f) in enumerate(zip(self.headers, self.fields, strict=True)) if not f]

    def as_dict(self) -> dict[str, str]:
        """{header key: field or ''} as remembered per campaign."""
        return {header_key(h): (f or "") for h, f in zip(self.headers, self.fields, strict=True) if header_key(h)}


def guess_mapping(list_type: str, headers: Sequence[str], remembered: Mapping[str, str] | None = None) -> ColumnMapping:
    """Map each header to a field: what the user chose before for this campaign wins, then the synonyms.

    A field is filled by at most one column (the first that claims it).
    """
    index = _synonym_index(list_type)
    known = {f.name for f in fields_for(list_type)}
    remembered = remembered or {}
    taken: set[str] = set()
    result: list[str | None] = []
    for header in headers:
        key = header_key(header)
        field = remembered.get(key) if key in remembered else index.get(key)
        if field and (field not in known or field in taken):
            field = None
        if field:
            taken.add(field)
        result.append(field or None)
    return ColumnMapping(tuple(headers), tuple(result))


def mapping_from_choices(list_type: str, headers: Sequence[str], choices: Sequence[str | None]) -> ColumnMapping:
    """The mapping the user set on the check page; each field at most once."""
    known = {f.name for f in fields_for(list_type)}
    seen: dict[str, str] = {}
    fields: list[str | None] = []
    for header, choice in zip(headers, choices, strict=True):
        choice = choice or None
        if choice is not None and choice not in known:
            raise InvalidInput(f"Onbekend veld {choice!r} voor kolom {header!r}.")
        if choice is not None and choice in seen:
            label = next(f.label for f in fields_for(list_type) if f.name == choice)
            raise InvalidInput(f"Het veld {label} is aan twee kolommen gekoppeld: {seen[choice]!r} en {header!r}.")
        if choice:
            seen[choice] = header
        fields.append(choice)
    return ColumnMapping(tuple(headers), tuple(fields))


def missing_required(list_type: str, mapping: ColumnMapping) -> list[str]:
    """Labels of required fields that no column fills."""
    present = set(mapping.fields)
    return [f.label for f in fields_for(list_type) if f.required and f.name not in present]


def remembered_for(column_mapping: Mapping[str, object] | None, list_type: str) -> dict[str, str]:
    """The campaign's remembered choices for this list type (Campaign.column_mapping[list_type])."""
    value = (column_mapping or {}).get(list_type)
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
