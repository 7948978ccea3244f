import pytest

from campaign.bsn import mask_bsn, normalise_bsn


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("111222333", "111222333"),
        ("123456782", "123456782"),
        ("012345672", "012345672"),
        (12345672, "012345672"),  # a spreadsheet dropped the leading zero
        (12345672.0, "012345672"),
        (" 1234.56.782 ", "123456782"),
        ("111222334", None),  # fails the elfproef
        ("000000000", None),
        ("12345", None),
        ("abcdefghi", None),
        (None, None),
        (1234567.5, None),
    ],
)
def test_bsn_is_restored_to_nine_digits_and_checked(raw, expected):
    assert normalise_bsn(raw) == expected


def test_masked_bsn_shows_only_the_last_four_digits():
    assert mask_bsn("123456782") == "*****6782"
