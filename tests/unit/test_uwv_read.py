"""The fast read of a UWV register (whole sheet, column by column) says exactly what the row-by-row read says."""

from __future__ import annotations

import dataclasses
import zipfile

import pytest

from campaign.errors import InvalidInput
from imports.reader import Limits, Table, read_table
from imports.uwv import parse_uwv_table
from imports.uwv_read import Records, read_uwv_list
from tests.uwv_support import HEADER, D, valid_bsns, write_csv, write_xlsx

PEIL = D(2026, 11, 28)
LIMITS = Limits()


def register(campaign: list[str], strangers) -> list[list[object]]:
    """A register of 60 rows with every kind of row a real one has: clean, ended, wrong, duplicate, empty."""
    rows = [[next(strangers), D(2026, 10, 1), None, "Ingeschreven"] for _ in range(40)]
    rows[3] = [campaign[0], D(2026, 11, 2), None, "Ingeschreven"]
    rows[5] = [campaign[1], D(2026, 10, 1), D(2026, 11, 20), "Uitgeschreven"]
    rows[8] = ["111222334", D(2026, 11, 2), None, "Ingeschreven"]  # a stranger failing the elfproef
    rows[9] = [campaign[2], "31-02-2026", None, None]
    rows[12] = [campaign[3].lstrip("0"), D(2026, 11, 1), None, "Ingeschreven"]  # leading zero lost
    rows[15] = [None, None, None, None]  # an empty row: skipped, not counted
    rows[17] = [None, D(2026, 11, 1), None, "Ingeschreven"]
    rows[20] = [campaign[4], D(2026, 11, 10), None, None]
    rows[22] = [campaign[4], D(2026, 1, 1), D(2026, 3, 1), "Uitgeschreven"]  # duplicate: the active row counts
    rows[25] = [campaign[5], D(2026, 11, 1), None, "Misschien"]
    rows[30] = ["000000000", D(2026, 11, 1), None, None]
    rows[33] = [rows[0][0], D(2026, 10, 1), None, "Ingeschreven"]  # a stranger twice: counted once
    return rows


@pytest.fixture
def people():
    bsns = valid_bsns(10_000_000)  # one leading zero
    campaign = [next(bsns) for _ in range(6)]
    assert campaign[3].startswith("0")
    return campaign, bsns


def both_ways(path, case_ids):
    fast = read_uwv_list(path, filename=path.name, limits=LIMITS)
    slow = read_table(path, limits=LIMITS)
    return fast, parse_uwv_table(fast, case_ids, PEIL), parse_uwv_table(slow, case_ids, PEIL)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_plain_register_is_read_whole_and_gives_what_the_row_by_row_read_gives(tmp_path, people, kind):
    campaign, strangers = people
    rows = register(campaign, strangers)
    if kind == "csv":
        path = write_csv(tmp_path / "uwv.csv", [["Overzicht"], HEADER, *[[c or "" for c in r] for r in rows]])
    else:
        rows[12][0] = int(rows[12][0])  # a number cell, as Excel makes of it
        path = write_xlsx(tmp_path / "uwv.xlsx", [HEADER, *rows], title_rows=[["Overzicht"], []])
    case_ids = {bsn: number for number, bsn in enumerate(campaign, start=1)}
    fast_table, fast, slow = both_ways(path, case_ids)
    assert isinstance(fast_table, Records)
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    first = 3 if kind == "csv" else 4  # the data's first row number: after the title row(s) and the header
    assert (fast.rows, sorted(fast.registrations), fast.duplicates) == (39, [1, 2, 4, 5], [[first + 20, first + 22]])
    assert fast.registrations[5].ended_on is None and fast.registrations[2].ended_on == D(2026, 11, 20)
    assert fast.not_in_campaign == 28
    assert [(p.row - first, p.column) for p in fast.problems] == [
        (8, "BSN"), (9, "Datum inschrijving"), (17, "BSN"), (25, "Status"), (30, "BSN")
    ]  # fmt: skip
    assert fast.problem_count == 5


def test_many_bsns_failing_the_elfproef_are_listed_in_row_order_with_the_other_problems(tmp_path, people):
    campaign, strangers = people
    rows = [["111222334", "1-11-2026", "", ""]] * 250 + [[campaign[0], "31-02-2026", "", ""]]
    rows[100] = [campaign[1], "1-11-2026", "", "Misschien"]
    path = write_csv(tmp_path / "uwv.csv", [HEADER, *rows])
    table = read_uwv_list(path, filename=path.name, limits=LIMITS)
    assert isinstance(table, Records)
    parsed = parse_uwv_table(table, {bsn: n for n, bsn in enumerate(campaign, 1)}, PEIL)
    assert parsed.problem_count == 251 and len(parsed.problems) == 200
    assert [p.row for p in parsed.problems] == list(range(2, 202))
    assert (parsed.problems[100].column, parsed.problems[101].column) == ("Status", "BSN")


def test_a_csv_with_quotes_is_left_to_the_general_reader(tmp_path, people):
    campaign, _ = people
    path = write_csv(tmp_path / "uwv.csv", [HEADER, [campaign[0], "1-11-2026", "", "Ingeschreven; actief"]])
    assert isinstance(read_uwv_list(path, filename=path.name, limits=LIMITS), Table)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_too_long_cell_is_refused_with_the_readers_message(tmp_path, people, kind):
    campaign, strangers = people
    rows = register(campaign, strangers)
    rows[20][3] = "x" * 2000
    if kind == "csv":
        path = write_csv(tmp_path / "uwv.csv", [HEADER, *[[c or "" for c in r] for r in rows]])
    else:
        path = write_xlsx(tmp_path / "uwv.xlsx", [HEADER, *rows])
    table = read_uwv_list(path, filename=path.name, limits=LIMITS)
    assert isinstance(table, Records)
    with pytest.raises(InvalidInput, match="regel 22, kolom Status.*2000 tekens lang"):
        parse_uwv_table(table, {}, PEIL)


def test_a_zip_that_is_no_spreadsheet_is_refused_before_it_is_opened(tmp_path):
    path = tmp_path / "uwv.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "geen spreadsheet")
    with pytest.raises(InvalidInput, match="geen spreadsheet"):
        read_uwv_list(path, filename="uwv.xlsx", limits=LIMITS)
