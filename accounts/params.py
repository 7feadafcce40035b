"""Reading ids and numbers that a visitor typed or posted.

``str.isdigit()`` then ``int()`` is not enough: ``isdigit`` accepts "²" or "١" (which
``int`` refuses or reads differently) and any length, and a number beyond the
database's 64-bit integers makes the query itself fail (``OverflowError`` on SQLite,
``DataError`` on Postgres). Views read every id from a form or a query string with
``parse_id``: any other value is simply "no such row", a 404 or a message.
"""

from collections.abc import Iterable

# Django's BigAutoField and PositiveBigIntegerField both end here.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """``value`` as a positive row id (1 to 2**63-1) written in ASCII digits, else None."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_ids(values: Iterable) -> list[int]:
    """The valid ids among ``values`` (``parse_id``), in order, without repeats."""
    ids = []
    for value in values:
        number = parse_id(value)
        if number is not None and number not in ids:
            ids.append(number)
    return ids
