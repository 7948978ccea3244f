"""Finding a caller: every way a phone-team member may search, only in the campaigns they work on."""

import pytest

from campaign.search import search_cases
from tests.phone_helpers import make_campaign


@pytest.fixture
def people(session):
    campaign, cases = make_campaign(session)
    other, other_cases = make_campaign(
        session, "Andere campagne", [{"bsn": "123456782", "surname": "Öztürk", "initials": "B."}]
    )
    session.commit()
    return campaign, cases, other_cases


def names(result):
    return [c.display_name for c in result.cases]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("123456782", ["A. Öztürk"]),
        ("1234 567 82", ["A. Öztürk"]),
        ("12345672", ["P. Bergman"]),  # spreadsheets drop the leading zero
        ("ozturk", ["A. Öztürk"]),
        ("ÖZTÜ", ["A. Öztürk"]),
        ("berg", ["J. van den Berg", "P. Bergman"]),
        ("van den berg", ["J. van den Berg"]),
        ("vandenberg", ["J. van den Berg"]),
        ("3011AB 12", ["A. Öztürk"]),
        ("3011 ab 12a", ["A. Öztürk"]),
        ("3085aa 100-2", ["P. Bergman"]),
        ("12-03-1980", ["A. Öztürk"]),
        ("6782 12-03-1980", ["A. Öztürk"]),
        ("1980-03-12 6782", ["A. Öztürk"]),
        ("9999 12-03-1980", []),
        ("Öztürk 12-03-1980", ["A. Öztürk"]),
        ("van den berg 12-03-1980", []),
        ("06-12345678", ["A. Öztürk"]),
        ("+31 6 12345678", ["A. Öztürk"]),
    ],
)
def test_a_caller_is_found_by_what_they_tell(session, people, query, expected):
    campaign, _, _ = people
    assert names(search_cases(session, query, [campaign.id])) == expected


def test_a_letter_reference_finds_its_case_with_or_without_hyphen(session, people):
    campaign, cases, _ = people
    reference = cases[1].reference
    assert names(search_cases(session, reference, [campaign.id])) == ["J. van den Berg"]
    assert names(search_cases(session, reference.replace("-", "").lower(), [campaign.id])) == ["J. van den Berg"]


def test_a_reference_with_a_wrong_check_digit_says_so(session, people):
    campaign, cases, _ = people
    reference = cases[1].reference
    wrong = reference[:-1] + str((int(reference[-1]) + 1) % 10)
    result = search_cases(session, wrong, [campaign.id])
    assert result.cases == []
    assert "controlecijfer" in result.message


def test_an_invalid_bsn_gets_a_clear_message(session, people):
    campaign, _, _ = people
    result = search_cases(session, "111222334", [campaign.id])
    assert result.cases == [] and "elfproef" in result.message


def test_only_cases_of_the_given_campaigns_are_returned(session, people):
    campaign, _, other_cases = people
    assert len(search_cases(session, "123456782", [campaign.id]).cases) == 1
    both = search_cases(session, "123456782", [campaign.id, other_cases[0].campaign_id])
    assert len(both.cases) == 2
    assert search_cases(session, "123456782", []).cases == []


def test_one_character_is_not_a_search(session, people):
    campaign, _, _ = people
    result = search_cases(session, "b", [campaign.id])
    assert result.cases == [] and result.message


def test_a_name_with_tussenvoegsel_is_found_among_many_similar_surnames(session):
    suffixes = [a + b for a in "abcdefg" for b in "abcdefghijklmnopqrstuvwxyz"][:150]  # "Lindenaa" sorts first
    people = [{"bsn": f"{i:09d}", "surname": f"Linden{s}", "initials": "X."} for i, s in enumerate(suffixes)]
    people.append({"bsn": "123456782", "prefix": "van der", "surname": "Linden", "initials": "A."})
    campaign, _ = make_campaign(session, "Veel namen", people)
    assert names(search_cases(session, "van der linden", [campaign.id])) == ["A. van der Linden"]
    assert names(search_cases(session, "vanderlinden", [campaign.id])) == ["A. van der Linden"]
