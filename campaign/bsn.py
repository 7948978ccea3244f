"""BSN normalising and validation (elfproef via python-stdnum)."""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.nl import bsn as stdnum_bsn


def normalise_bsn(raw: object) -> str | None:
    """Return the 9-character BSN, or None when it is not a valid BSN.

    Spreadsheets drop leading zeros and may give floats (``12345672.0``); both are restored.
    """
    if raw is None:
        return None
    if isinstance(raw, float):
        if not raw.is_integer():
            return None
        raw = int(raw)
    text = str(raw).strip().replace(" ", "").replace(".", "").replace("-", "")
    if not text.isdigit() or len(text) > 9 or len(text) < 8:
        return None
    text = text.zfill(9)
    try:
        return stdnum_bsn.validate(text)
    except ValidationError:
        return None


def is_valid_bsn(raw: object) -> bool:
    return normalise_bsn(raw) is not None


def mask_bsn(bsn: str) -> str:
    return "*****" + bsn[-4:]
