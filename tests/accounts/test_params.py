import pytest

from accounts.params import MAX_ID, parse_id, parse_ids


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), (" 7 ", 7), (7, 7), (str(MAX_ID), MAX_ID), ("0007", 7)],
)
def test_parse_id_reads_ascii_row_ids(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "99999999999999999999",
        str(MAX_ID + 1),
        "0",
        "-1",
        "²",
        "١٢",
        "１２",
        "1e3",
        "7.0",
        "",
        None,
        True,
        ["7"],
        "9" * 10_000,
    ],
)
def test_parse_id_refuses_anything_else(value):
    assert parse_id(value) is None


def test_parse_ids_keeps_valid_ids_in_order_once():
    assert parse_ids(["3", "x", "1", "3", "99999999999999999999", "2"]) == [3, 1, 2]
