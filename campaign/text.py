"""Text folding for search: lower case, no diacritics, no punctuation ("Öztürk" -> "ozturk")."""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans({"ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d"})


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def surname_key(prefix: str, surname: str) -> str:
    """Key for surname search: the surname folded, then the prefix folded ("vandenberg" and "berg" both match)."""
    return f"{fold(surname)}|{fold(prefix)}{fold(surname)}"
