"""Synthetic people for the demo campaign and the benchmarks: valid BSNs, Dutch names and addresses.

Never real data: names are combined at random from common name parts, BSNs are generated to pass
the elfproef, and addresses are made up.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

FIRST_NAMES = (
    "Anna", "Mohamed", "Fatima", "Jan", "Sanne", "Emre", "Daan", "Noor", "Kevin", "Ayşe", "Priya", "Mirjam",
    "Youssef", "Chantal", "Zoë", "Ricardo", "Lotte", "Hüseyin", "Maria", "Pieter", "Ilse", "Bram", "Siham",
    "René", "Joëlle", "Mehmet", "Naima", "Stefan", "Ingrid", "Tarik", "Esther", "Dewi", "Marco", "Nadia",
)  # fmt: skip
SURNAMES = (
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Öztürk"), ("", "El Amrani"), ("", "Bakker"),
    ("van", "Dijk"), ("", "Yılmaz"), ("", "Visser"), ("de", "Boer"), ("", "Smit"), ("", "Meijer"),
    ("", "Mulder"), ("van der", "Linden"), ("", "Bouzid"), ("", "Şahin"), ("", "Kramer"), ("ter", "Horst"),
    ("", "Gonçalves"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Çelik"), ("de", "Graaf"), ("", "Peeters"),
    ("", "Ramdin"), ("", "Kartosen"), ("", "Nguyen"), ("van 't", "Hof"), ("", "Brouwer"), ("", "Aydın"),
)  # fmt: skip
STREETS = (
    "Coolsingel", "Westersingel", "Mathenesserlaan", "Beijerlandselaan", "Noordsingel", "Zwart Janstraat",
    "Groene Hilledijk", "Vierambachtsstraat", "Schiedamseweg", "Oudedijk", "Kleiweg", "Slinge",
    "Pleinweg", "Dorpsweg", "Putselaan", "Goudse Rijweg", "Bergweg", "Nieuwe Binnenweg",
)  # fmt: skip
TEAMS = ("Noord", "Zuid", "Centrum", "West", "Oost")
LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"


@dataclass(frozen=True)
class Person:
    bsn: str
    initials: str
    first_names: str
    prefix: str
    surname: str
    birth_date: dt.date
    street: str
    house_number: int
    house_letter: str
    house_addition: str
    postcode: str
    city: str
    team: str


def bsn_from_number(number: int) -> str | None:
    """Turn an 8-digit body into a valid BSN by choosing its check digit; None when impossible."""
    body = f"{number:08d}"
    total = sum((9 - i) * int(d) for i, d in enumerate(body))
    check = total % 11
    if check == 10:
        return None
    bsn = body + str(check)
    return None if bsn == "000000000" else bsn


def generate_people(count: int, *, seed: int = 2026, start: int = 10_000_000) -> list[Person]:
    """``count`` distinct synthetic people; the same seed gives the same people."""
    rng = random.Random(seed)
    people: list[Person] = []
    number = start
    while len(people) < count:
        number += rng.randint(1, 7)
        bsn = bsn_from_number(number)
        if bsn is None:
            continue
        first = rng.choice(FIRST_NAMES)
        prefix, surname = rng.choice(SURNAMES)
        letter = rng.choice(("", "", "", "", "a", "b"))
        addition = rng.choice(("", "", "", "", "", "1", "2", "bis", "hs"))
        people.append(
            Person(
                bsn=bsn,
                initials=f"{first[0]}.",
                first_names=first,
                prefix=prefix,
                surname=surname,
                birth_date=dt.date(1962, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 43)),
                street=rng.choice(STREETS),
                house_number=rng.randint(1, 250),
                house_letter=letter,
                house_addition=addition,
                postcode=_postcode(rng),
                city="Rotterdam",
                team=rng.choice(TEAMS),
            )
        )
    return people


def _postcode(rng: random.Random) -> str:
    """A Rotterdam-like postcode; the series SA, SD and SS are never issued in the Netherlands."""
    while True:
        letters = rng.choice(LETTERS) + rng.choice(LETTERS)
        if letters not in ("SA", "SD", "SS"):
            return f"30{rng.randint(11, 89)} {letters}"
