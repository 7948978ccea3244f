"""Case references (kenmerken) for a whole import at once are the ones a single new case would get."""

from __future__ import annotations

from campaign.campaigns import format_reference
from imports.apply import reference_range


def test_references_for_a_range_equal_the_single_reference_with_its_check_digit():
    for first, count in ((1, 2_500), (98_990, 2_020), (999_500, 1_000), (1_234_567, 1_500)):
        expected = [format_reference("HRS26", n) for n in range(first, first + count)]
        assert reference_range("HRS26", first, count) == expected


def test_an_empty_range_gives_no_references():
    assert reference_range("HRS26", 17, 0) == []
