"""The synthetic demo people must pass the same checks a real import applies."""

from campaign.address import format_postcode
from campaign.bsn import is_valid_bsn
from campaign.demo_data import generate_people


def test_every_demo_person_has_a_valid_bsn_and_an_issuable_postcode():
    people = generate_people(5_000)
    assert len({p.bsn for p in people}) == 5_000
    assert all(is_valid_bsn(p.bsn) for p in people)
    assert all(format_postcode(p.postcode) == p.postcode for p in people)


def test_the_same_seed_gives_the_same_people():
    assert generate_people(50, seed=7) == generate_people(50, seed=7)
