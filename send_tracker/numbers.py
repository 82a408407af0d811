"""Numbers read from what people and programs send: whole numbers (ids, page sizes, filter
values) and figures people type or paste from a spreadsheet (`decimal_number`)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

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


class NumberError(ValueError):
    """Why a figure was refused, in a sentence for the person who typed it."""


# Digits, with commas (or spaces, as some spreadsheets write them) only between groups of three
# before the point: "12,5" is refused, not read as 125, since in much of Europe it means 12.5.
_FIGURE = re.compile(
    r"""(?P<sign>[+-]?)
    (?P<whole>[0-9]+ | [0-9]{1,3} (?P<group>[,\ ]) [0-9]{3} (?:(?P=group)[0-9]{3})* )?
    (?P<fraction>\.[0-9]*)?""",
    re.VERBOSE,
)
_SCIENTIFIC = re.compile(r"[+-]?[0-9.,]*[0-9][eE][+-]?[0-9]+")
# What Excel and Word put in a number: a true minus sign, and no-break or thin spaces between thousands.
_TYPOGRAPHY = str.maketrans({"\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


def decimal_number(text: object, *, label: str, max_digits: int, decimal_places: int) -> Decimal | None:
    """A figure as a person types or pastes it, for a DecimalField(max_digits, decimal_places).

    Blank is None. Read: 45.3, 45.30, 1,234.5, 1 234.5, 45.3%, -2 and −2 (the minus sign), with
    spaces around. Refused with a NumberError saying why: anything else (NaN, Infinity, £5, 12,5),
    scientific notation (1E+11 is how Excel shortens a long number, losing its last digits), more
    digits before the point than the column holds, and more decimal places than it keeps.
    """
    if text is None:
        return None
    if isinstance(text, Decimal):
        number = text
        shown = str(text)
    else:
        raw = str(text)
        shown = raw.strip()
        if len(shown) > 40:
            shown = shown[:40] + "…"
        cleaned = raw.translate(_TYPOGRAPHY).strip().removesuffix("%").strip()
        if cleaned == "":
            return None
        match = _FIGURE.fullmatch(cleaned)
        if match is None or not (match["whole"] or (match["fraction"] or ".")[1:]):
            if _SCIENTIFIC.fullmatch(cleaned):
                raise NumberError(f"Write the {label} in full, like 1250000, not as “{shown}”.")
            if "," in cleaned:
                raise NumberError(
                    f"The {label} must be a number with a full stop for decimals and commas only between "
                    f"thousands, like 1,234.5; “{shown}” is not."
                )
            raise NumberError(f"The {label} must be a number, like 45.3; “{shown}” is not.")
        whole = (match["whole"] or "0").replace(",", "").replace(" ", "")
        try:
            number = Decimal(f"{match['sign']}{whole}{match['fraction'] or ''}")
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits and one point
            raise NumberError(f"The {label} must be a number, like 45.3; “{shown}” is not.") from None
    if not number.is_finite():
        raise NumberError(f"The {label} must be a number, like 45.3; “{shown}” is not.")
    whole_digits = max_digits - decimal_places
    # adjusted() is the power of ten of the first digit, so no arithmetic on a huge number is needed.
    if number and number.adjusted() >= whole_digits:
        raise NumberError(f"The {label} can have at most {whole_digits} digits before the decimal point.")
    quantum = Decimal(1).scaleb(-decimal_places)
    if number != number.quantize(quantum):
        raise NumberError(f"The {label} can have at most {decimal_places} decimal places.")
    number = number.quantize(quantum)
    return number if number else abs(number)  # never -0
