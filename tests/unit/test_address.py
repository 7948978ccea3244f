import pytest

from campaign.address import address_lines, format_postcode, house_designation
from campaign.models import Case


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3011ab", "3011 AB"), (" 3011 AB ", "3011 AB"), ("0123 AB", None), ("3011 SA", None), ("30111", None)],
)
def test_postcodes_are_written_as_four_digits_space_two_capitals(raw, expected):
    assert format_postcode(raw) == expected


def test_the_last_address_line_has_two_spaces_and_the_place_in_capitals():
    case = Case(
        initials="A.",
        prefix="van den",
        surname="Berg",
        street="Coolsingel",
        house_number=12,
        house_letter="a",
        house_addition="2",
        postcode="3011ab",
        city="Rotterdam",
    )
    assert address_lines(case) == ["A. van den Berg", "Coolsingel 12a-2", "3011 AB  ROTTERDAM"]


def test_house_designation_joins_letter_and_hyphenates_addition():
    assert house_designation(12) == "12"
    assert house_designation(12, "b", "bis") == "12b-bis"
