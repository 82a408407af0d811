"""Whole numbers read from what people and programs send (ids, page sizes, filter values)."""

from __future__ import annotations

# The largest value any integer column holds (a 64-bit signed integer, as in SQLite and PostgreSQL).
LARGEST = 2**63 - 1


def whole_number(text: str) -> int | None:
    """`text` as a whole number an id column can hold, or None.

    Only the digits 0 to 9: str.isdigit() also accepts '²', which int() refuses with a ValueError.
    """
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= LARGEST else None
