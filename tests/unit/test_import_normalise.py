"""Column recognition and normalising of messy municipal values, with row problems in Dutch."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from campaign.errors import InvalidInput
from imports.columns import guess_mapping, header_score, mapping_from_choices, missing_required
from imports.normalise import FieldError, parse_bsn, parse_date, parse_house, parse_phone, parse_postcode, parse_table
from imports.reader import read_table

TODAY = dt.date(2026, 11, 23)


def test_headers_are_recognised_regardless_of_case_spaces_dots_hyphens_and_synonyms():
    headers = ["Burgerservicenummer", "GESLACHTSNAAM", "Straat naam", "Huis-nummer", "Huisnummer_toevoeging",
               "Post.code", "Woonplaats", "Sofinummer", "Klantmanager"]  # fmt: skip
    mapping = guess_mapping("clients", headers)
    assert mapping.fields == (
        "bsn", "surname", "street", "house_number", "house_addition", "postcode", "city", None, None,
    )  # fmt: skip
    assert mapping.not_stored == ["Sofinummer", "Klantmanager"]


def test_remembered_choice_of_the_campaign_wins_over_the_synonyms():
    mapping = guess_mapping("clients", ["Sofinr", "Naam", "Roepnaam"], {"naam": "", "roepnaam": "surname"})
    assert mapping.fields == ("bsn", None, "surname")
    assert mapping.as_dict() == {"sofinr": "bsn", "naam": "", "roepnaam": "surname"}


def test_a_field_chosen_for_two_columns_is_refused_and_missing_required_fields_are_named():
    with pytest.raises(InvalidInput, match="aan twee kolommen"):
        mapping_from_choices("clients", ["A", "B"], ["bsn", "bsn"])
    mapping = mapping_from_choices("clients", ["A", "B"], ["bsn", ""])
    assert missing_required("clients", mapping) == ["Achternaam"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(12345672, "012345672"), (12345672.0, "012345672"), ("012345672", "012345672"), (" 1234.56.782 ", "123456782")],
)
def test_bsn_is_restored_to_nine_digits(raw, expected):
    assert parse_bsn(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [(None, "ontbreekt"), ("111222334", "elfproef"), ("000000000", "elfproef"), ("12ab", "9 cijfers")],
)
def test_bad_bsn_gets_a_dutch_reason(raw, message):
    with pytest.raises(FieldError, match=message):
        parse_bsn(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(1980, 1, 2), dt.date(1980, 1, 2)),
        (dt.datetime(1980, 1, 2, 0, 0), dt.date(1980, 1, 2)),
        (29222.0, dt.date(1980, 1, 2)),
        ("02-01-1980", dt.date(1980, 1, 2)),
        ("2-1-1980", dt.date(1980, 1, 2)),
        ("02/01/1980", dt.date(1980, 1, 2)),
        ("1980-01-02", dt.date(1980, 1, 2)),
        ("19800102", dt.date(1980, 1, 2)),
        (None, None),
    ],
)
def test_dates_from_cells_serials_and_dutch_text(raw, expected):
    assert parse_date(raw) == expected


def test_impossible_date_is_a_problem():
    with pytest.raises(FieldError, match="bestaat niet"):
        parse_date("31-02-1980")
    with pytest.raises(FieldError, match="geen datum"):
        parse_date("gisteren")


def test_postcode_is_formatted_and_checked():
    assert parse_postcode("3011ab") == "3011 AB"
    assert parse_postcode(" 3011  AB ") == "3011 AB"
    with pytest.raises(FieldError, match="1234 AB|3011 AB"):
        parse_postcode("0123 AB")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(12.0, (12, "", "")), ("12a", (12, "a", "")), ("12 A", (12, "A", "")), ("12-2", (12, "", "2")),
     ("12a-bis", (12, "a", "bis")), ("12 III", (12, "", "III"))],
)  # fmt: skip
def test_house_number_parts_are_split(raw, expected):
    assert parse_house(raw) == expected


def test_phone_number_gets_back_its_leading_zero():
    assert parse_phone(612345678.0) == "0612345678"
    assert parse_phone("+31 (0)6 1234") == "+31 (0)6 1234"


def _table(tmp_path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(tmp_path / "lijst.xlsx")
    return read_table(tmp_path / "lijst.xlsx", header_score=header_score("clients"))


HEADER = ["Overzicht cliënten"], ["BSN", "Voorletters", "Achternaam", "Straat", "Huisnummer", "Huisletter", "Postcode",
                                  "Woonplaats", "Geboortedatum"]  # fmt: skip


def test_rows_are_normalised_and_every_problem_names_row_column_and_value(tmp_path):
    table = _table(
        tmp_path,
        [
            *HEADER,
            [12345672, " J. ", "  Öztürk  ", "Kerkstraat", "12a-2", None, "3011ab", "Rotterdam", "02-01-1980"],
            ["111222334", "A.", "Fout", "Kerkstraat", 1, None, "3011 AB", "Rotterdam", None],
            ["123456782", "B.", "Adresloos", None, None, None, None, None, None],
            ["111222333", "C.", "Jansen", "Dorpsweg", 3, None, "3011 AB", "Rotterdam", "31-02-1980"],
            ["111222333", "D.", "Jansen", "Dorpsweg", 3, None, "3011 AB", "Rotterdam", None],
            ["=cmd|' /C calc'!A0", "E.", "=1+1", "Dorpsweg", 3, None, "3011 AB", "Rotterdam", None],
        ],
    )
    result = parse_table(table, guess_mapping("clients", table.headers), "clients", today=TODAY)
    assert result.total_rows == 6
    assert [row for row, _ in result.rows] == [3]
    values = dict(zip(result.field_names, result.rows[0][1], strict=True))
    assert values["bsn"] == "012345672"
    assert values["surname"] == "Öztürk"
    assert values["initials"] == "J."
    assert (values["house_number"], values["house_letter"], values["house_addition"]) == (12, "a", "2")
    assert values["postcode"] == "3011 AB"
    assert values["birth_date"] == dt.date(1980, 1, 2)
    problems = [(p.row, p.column, p.value, p.message) for p in result.problems]
    assert (4, "BSN", "111222334", "dit is geen geldig BSN (de elfproef klopt niet).") in problems
    assert (5, "Straat", "", "het adres is onvolledig: straat, huisnummer, postcode, woonplaats ontbreekt.") in problems
    assert (6, "Geboortedatum", "31-02-1980", "deze datum bestaat niet.") in problems
    assert (6, "BSN", "111222333", "dit BSN staat meer dan eens in het bestand (ook op regel 7).") in problems
    assert (7, "BSN", "111222333", "dit BSN staat meer dan eens in het bestand (ook op regel 6).") in problems
    # formula cells are never evaluated: without a stored result they are empty
    assert (8, "BSN", "", "het BSN ontbreekt.") in problems
    assert (8, "Achternaam", "", "de achternaam ontbreekt.") in problems


def test_too_long_value_is_a_row_problem(tmp_path):
    table = _table(tmp_path, [*HEADER, ["123456782", "A.", "x" * 130, "Weg", 1, None, "3011 AB", "Ede", None]])
    result = parse_table(table, guess_mapping("clients", table.headers), "clients", today=TODAY)
    assert result.rows == []
    assert result.problems[0].message == "de waarde is 130 tekens lang; hier passen er hoogstens 120."
    assert result.problems[0].column == "Achternaam"


def test_the_fast_elfproef_agrees_with_python_stdnum():
    import random

    from stdnum.nl import bsn as stdnum_bsn

    rng = random.Random(3)
    for number in [rng.randrange(10**9) for _ in range(20_000)] + [0, 111222333, 123456782, 12345672]:
        text = f"{number:09d}"
        try:
            expected = stdnum_bsn.validate(text) if text != "000000000" else None
        except Exception:  # noqa: BLE001 - any stdnum refusal
            expected = None
        try:
            got = parse_bsn(text)
        except FieldError:
            got = None
        assert got == expected, text


def test_wrong_types_in_cells_become_row_problems_not_crashes(tmp_path):
    table = _table(
        tmp_path,
        [
            *HEADER,
            [True, "A.", 12345, "Weg", "twaalf", None, 3011, "Ede", "morgen"],
            [dt.date(2020, 1, 1), "B.", "Jansen", "Weg", 1.5, "ab", "3011 AA", "Ede", 45.5],
        ],
    )
    result = parse_table(table, guess_mapping("clients", table.headers), "clients", today=TODAY)
    assert result.rows == []
    messages = {(p.row, p.column): p.message for p in result.problems}
    assert messages[(3, "BSN")] == "een BSN bestaat uit 9 cijfers."
    assert messages[(3, "Huisnummer")].startswith("dit is geen huisnummer")
    assert messages[(3, "Postcode")].startswith("dit is geen geldige postcode")
    assert messages[(3, "Geboortedatum")] == "dit is geen datum; gebruik dd-mm-jjjj."
    assert messages[(4, "BSN")] == "een BSN bestaat uit 9 cijfers."
    assert messages[(4, "Huisnummer")] == "een huisnummer is een geheel getal."
    assert messages[(4, "Huisletter")] == "een huisletter is één letter."


def test_a_yes_no_cell_is_never_mistaken_for_the_number_one_seen_before_in_its_column(tmp_path):
    table = _table(
        tmp_path,
        [
            *HEADER,
            ["012345672", 1, "Jansen", "Weg", 1, None, "3011 AA", "Ede", None],
            ["123456782", True, "Jansen", "Weg", True, None, "3011 AA", "Ede", None],
            ["111222333", 1, "Jansen", "Weg", 1, None, "3011 AA", "Ede", None],
        ],
    )
    result = parse_table(table, guess_mapping("clients", table.headers), "clients", today=TODAY)
    valid = {values[0]: dict(zip(result.field_names, values, strict=True)) for _row, values in result.rows}
    assert set(valid) == {"012345672", "111222333"}
    assert (valid["111222333"]["initials"], valid["111222333"]["house_number"]) == ("1", 1)
    assert [(p.row, p.column, p.message) for p in result.problems] == [(4, "Huisnummer", "dit is geen huisnummer.")]
