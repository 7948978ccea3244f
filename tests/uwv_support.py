"""Helpers for UWV tests: a campaign with cases of known BSNs, and UWV list files in several shapes."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook

from campaign import audit
from campaign.campaigns import create_campaign
from campaign.cases import new_case

D = dt.date


def valid_bsns(start: int = 10_000_000) -> Iterator[str]:
    """Valid BSNs (elfproef) in increasing order, some with a leading zero."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    number = start
    while True:
        text = f"{number:09d}"
        total = sum(w * int(c) for w, c in zip(weights, text, strict=True))
        if total % 11 == 0 and total:
            yield text
        number += 1


def make_campaign(session, count: int = 5, name: str = "UWV-controle", **case_fields):
    """A campaign with ``count`` cases; returns (campaign, [cases]) and a pool of unused valid BSNs."""
    campaign = create_campaign(session, audit.Actor.system("test"), name)
    bsns = valid_bsns()
    cases = []
    for index in range(count):
        fields = {"bsn": next(bsns), "surname": f"Achternaam{index}", "street": f"Straatweg{index}", **case_fields}
        case = new_case(campaign, fields)
        session.add(case)
        cases.append(case)
    session.flush()
    return campaign, cases, bsns


def write_xlsx(path: Path, rows: list[list[object]], *, title_rows: list[list[object]] = ()) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in [*title_rows, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "cp1252", delimiter: str = ";") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(row)
    return path


HEADER = ["BSN", "Datum inschrijving", "Einddatum", "Status"]
