"""Reading a UWV list without a database: columns, dates, BSNs, duplicates and the comparison with the last list."""

import datetime as dt
import random

import pytest

from campaign.errors import InvalidInput
from imports.reader import Table
from imports.uwv import (
    DateParser,
    Registration,
    _failing_elfproef,
    check_digits,
    compare,
    field_for,
    header_score,
    parse_uwv_table,
)

D = dt.date
PEIL = D(2026, 11, 28)


def table(headers, rows):
    numbered = [(i + 2, row) for i, row in enumerate(rows)]
    return Table("uwv.csv", "csv", 1, headers, "", lambda: iter(numbered), len(rows))


@pytest.mark.parametrize(
    ("header", "field"),
    [("BSN", "bsn"), ("Burgerservicenummer", "bsn"), ("Datum inschrijving", "registered_on"),
     ("Inschrijfdatum", "registered_on"), ("datum_inschrijving", "registered_on"), ("Einddatum", "ended_on"),
     ("Datum uitschrijving", "ended_on"), ("Status", "status"), ("Naam", None)],
)  # fmt: skip
def test_column_names_are_recognised_in_their_usual_spellings(header, field):
    assert field_for(header) == field


def test_a_header_row_needs_a_bsn_column():
    assert header_score(["BSN", "Datum inschrijving", "Status"]) == 3
    assert header_score(["Naam", "Datum inschrijving"]) == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D(2026, 11, 2), D(2026, 11, 2)), (dt.datetime(2026, 11, 2, 0, 0), D(2026, 11, 2)), ("2-11-2026", D(2026, 11, 2)),
     ("02/11/2026", D(2026, 11, 2)), ("2026-11-02", D(2026, 11, 2)), ("20261102", D(2026, 11, 2)),
     (20261102, D(2026, 11, 2)), ("02-11-2026 00:00:00", D(2026, 11, 2)), ("31-02-2026", None), ("morgen", None),
     ("01-01-0026", None)],
)  # fmt: skip
def test_dates_are_read_as_spreadsheets_give_them(value, expected):
    result = DateParser()(value)
    if expected is None:
        assert isinstance(result, str) and result  # a Dutch message instead of a date
    else:
        assert result == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("111222333", "111222333"), ("12345672", "012345672"), ("111222334", None), ("000000000", None),
     ("1234567", None), ("12345678a", None), ("１２３４５６７８２", None)],
)  # fmt: skip
def test_the_elfproef_fast_path_agrees_with_domain_md(text, expected):
    assert check_digits(text) == expected


def test_the_elfproef_of_many_bsns_at_once_agrees_with_one_by_one():
    rng = random.Random(11)
    texts = {f"{rng.randrange(10**9):09d}" for _ in range(5000)} | {"000000000", "000000012", "100000009"}
    valid = {text for text in texts if check_digits(text) is not None}
    assert len(valid) > 300 and {"000000000", "000000012", "100000009"} - valid
    assert _failing_elfproef(set(texts)) == texts - valid
    assert _failing_elfproef(valid) == set()
    assert _failing_elfproef(valid | {"12345678a"}) == {"12345678a"}  # not all digits: checked one by one


def test_numbers_that_lost_their_leading_zero_are_matched():
    parsed = parse_uwv_table(
        table(["BSN", "Datum inschrijving"], [[12345672.0, D(2026, 11, 1)]]), {"012345672": 7}, PEIL
    )
    assert list(parsed.registrations) == [7]


def test_unknown_bsns_are_only_counted_distinctly():
    rows = [["111222333", D(2026, 11, 1)], ["111222333", D(2026, 11, 1)], ["123456782", D(2026, 11, 1)]]
    parsed = parse_uwv_table(table(["BSN", "Datum inschrijving"], rows), {}, PEIL)
    assert parsed.not_in_campaign == 2
    assert parsed.registrations == {} and parsed.problems == [] and parsed.duplicates == []


def test_an_ended_status_without_end_date_ends_on_the_peildatum():
    rows = [["111222333", D(2026, 1, 1), "Uitgeschreven"]]
    parsed = parse_uwv_table(table(["BSN", "Datum inschrijving", "Status"], rows), {"111222333": 1}, PEIL)
    assert parsed.registrations[1].ended_on == PEIL


def test_a_duplicate_column_is_refused_naming_the_file():
    with pytest.raises(InvalidInput, match="uwv.csv.*twee keer"):
        parse_uwv_table(table(["BSN", "Burgerservicenummer", "Datum inschrijving"], []), {}, PEIL)


def test_the_problem_list_is_capped_but_every_problem_is_counted():
    rows = [["111222334", D(2026, 11, 1)]] * 250
    parsed = parse_uwv_table(table(["BSN", "Datum inschrijving"], rows), {}, PEIL)
    assert parsed.problem_count == 250 and len(parsed.problems) == 200


def test_compare_sorts_cases_into_new_known_ended_and_gone():
    new = {1: Registration(2, 1, D(2026, 10, 1), None, ""), 2: Registration(3, 2, D(2026, 11, 1), None, ""),
           3: Registration(4, 3, D(2026, 9, 1), D(2026, 11, 20), "")}  # fmt: skip
    previous = {1: (D(2026, 10, 1), None), 3: (D(2026, 9, 1), None), 4: (D(2026, 9, 1), None)}
    result = compare(new, previous, PEIL, D(2026, 11, 14))
    assert (result.newly_registered, result.already_known, result.ended) == ([2], [1], [3])
    assert result.no_longer_listed == [4]
    assert sorted(result.changed) == [2, 3, 4]
