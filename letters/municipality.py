"""The municipality's letter settings: name, letterhead logo, return address, phone, signatory."""

from __future__ import annotations

import io

from sqlalchemy import orm

from campaign import audit
from campaign.errors import InvalidInput
from campaign.models import Municipality, utcnow
from letters.render import municipality

MAX_LOGO_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_LOGO_PIXELS = 4000 * 4000
FIELDS = {
    # name: (label, max length, required)
    "name": ("Naam van de gemeente", 120, True),
    "department": ("Afdeling", 120, False),
    "return_address": ("Postadres (retouradres)", 300, True),
    "phone": ("Telefoonnummer", 40, True),
    "phone_hours": ("Bereikbaar", 120, True),
    "email": ("E-mailadres", 254, False),
    "website": ("Website", 200, False),
    "signatory_name": ("Naam ondertekenaar", 120, True),
    "signatory_function": ("Functie ondertekenaar", 120, True),
}


def check_logo(data: bytes, filename: str = "logo") -> tuple[bytes, str]:
    """Verify with Pillow that the upload is a PNG or JPEG image of a sane size; returns (bytes, mime type)."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise InvalidInput("Het logobestand is leeg.", location=filename)
    if len(data) > MAX_LOGO_BYTES:
        raise InvalidInput("Het logo is groter dan 1 MB.", location=filename)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if kind not in LOGO_FORMATS:
                raise InvalidInput("Het logo moet een PNG- of JPEG-afbeelding zijn.", location=filename)
            if width * height > MAX_LOGO_PIXELS:
                raise InvalidInput("Het logo is te groot (meer dan 4000 × 4000 beeldpunten).", location=filename)
            image.verify()
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput("Dit bestand is geen leesbare PNG- of JPEG-afbeelding.", location=filename) from None
    return data, LOGO_FORMATS[kind]


def update_settings(
    session: orm.Session,
    actor: audit.Actor,
    values: dict[str, str],
    *,
    logo: tuple[bytes, str] | None = None,
    remove_logo: bool = False,
) -> Municipality:
    """Validate and store the settings; InvalidInput names the field (``location``)."""
    row = municipality(session)
    cleaned = {}
    for name, (label, limit, required) in FIELDS.items():
        value = " ".join(str(values.get(name, "")).split())
        if required and not value:
            raise InvalidInput(f"{label} is verplicht.", location=name)
        if len(value) > limit:
            raise InvalidInput(f"{label} mag hoogstens {limit} tekens lang zijn.", location=name)
        cleaned[name] = value
    if cleaned["email"] and "@" not in cleaned["email"]:
        raise InvalidInput("Dit is geen e-mailadres.", location="email")
    for name, value in cleaned.items():
        setattr(row, name, value)
    if logo is not None:
        row.logo, row.logo_mime = check_logo(*logo)
    elif remove_logo:
        row.logo, row.logo_mime = None, None
    row.updated_at = utcnow()
    audit.record(session, actor, "update", "municipality", 1, purpose="briefinstellingen gemeente")
    return row
