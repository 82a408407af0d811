"""Values as people write them, for the property-based tests of every write path.

Officers paste paragraphs from Word (curly quotes, en and em dashes, non-breaking spaces, emoji,
accents as combining characters), start cells with what a spreadsheet reads as a formula, type
numbers no column holds and dates in every shape. Each write path must save such a value whole
(read back equal after the product's own normalisation: surrounding whitespace stripped) or refuse
it with a clear message and change nothing.

Hypothesis runs each example inside the test's one database transaction, so `rolled_back()` undoes
an example's writes before the next: every example starts from the same rows.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction
from django.http import HttpResponse
from hypothesis import event
from hypothesis import strategies as st
from rest_framework.test import APIClient

from send_tracker.accounts.models import Organisation
from send_tracker.api.keys import create_api_key

# Characters Word and Outlook put in pasted text, and some that only look alike.
FROM_WORD = "‘’“”–—\u00a0…•£€½é" + "\u0301" + "🙂👍🏽🇬🇧" + "\u200b\u2028" + "ﬁ"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUL = "\x00"

_ORDINARY = st.characters(codec="utf-8", exclude_characters=NUL)
_PIECE = st.text(alphabet=st.sampled_from(FROM_WORD) | _ORDINARY | st.sampled_from("abc xyz."), min_size=1, max_size=24)


@st.composite
def text_near(draw: st.DrawFn, limit: int, *, nul: bool = True) -> str:
    """Text at, just under and over `limit` characters (and short), in pasted-from-Word characters,
    sometimes starting with a formula character, now and then holding a NUL."""
    # Half the time a length at an edge, half the time an everyday one, so that examples which
    # must be saved are as common as those which must be refused.
    edge = st.sampled_from([0, 1, limit - 1, limit, limit + 1, 2 * limit])
    length = draw(st.one_of(edge, st.integers(1, min(limit, 120))))
    piece = draw(_PIECE)
    start = draw(st.sampled_from(("", "", *FORMULA_STARTS)))
    text = (start + piece * (length // len(piece) + 1))[:length]
    if nul and text and draw(st.integers(0, 11)) == 0:
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + NUL + text[at + 1 :]
    return text


def fits(text: str, limit: int, *, required: bool = True) -> bool:
    """Whether a form or serializer field of `limit` characters accepts `text` (Django and DRF
    strip surrounding whitespace first and refuse a NUL, which PostgreSQL cannot store)."""
    if NUL in text:
        return False
    stripped = text.strip()
    return (bool(stripped) or not required) and len(stripped) <= limit


# Numbers as people type them into a figure box or a spreadsheet cell.
TYPED_NUMBERS = [
    "41.5",
    " 63 ",
    "0",
    "-0",
    "100",
    "100.01",
    "12.345",
    "1,234.5",
    "50%",
    "1e999",
    "1E+50",
    "1e2",
    "9" * 30,
    "99999999999.99",
    "999999999999",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "-5",
    "\u22125",
    "0x10",
    "1_000",
    "٤٢",
    "４２",
    "²",
    "",
    "forty",
    "=1+1",
    "1.2.3",
    ".5",
    "5.",
]
NUMBERS = st.sampled_from(TYPED_NUMBERS)

# Whole dates, as people type them.
TYPED_DATES = st.sampled_from(
    [
        "31/3/25",
        "31/3/2027",
        "1 January 2030",
        "2029-02-28",
        "31/03/2025",
        "2025-03-31",
        "31 March 2025",
        "31 Mar 2025",
        "32/1/25",
        "29/2/25",
        "29/2/24",
        "3/31/2025",
        "31.3.2025",
        "1/13/2025",
        "0/1/2025",
        "1/1/1",
        "9999-12-31",
        "10000-01-01",
        "31/3/٢٠٢٥",
        "tomorrow",
        "",
        " 15/5/2025 ",
    ]
)

# The parts of a GOV.UK date input (day, month, year boxes), as people fill them.
DAYS = st.sampled_from(["31", "1", "01", "29", "32", "0", "", " 3 ", "31st", "٣", "²", "99999999999999999999"])
MONTHS = st.sampled_from(["3", "03", "2", "12", "13", "0", "", "March", "mar", "٣"])
YEARS = st.sampled_from(["2025", "2024", "2030", "25", "", "20255", "0999", "9999", "２０２４", "-2024"])
# Real dates as people fill the boxes ("3" or "03", "2025" or "25"), dates that are not, and some
# typed whole into the first box.
REAL_DATE_BOXES = st.builds(
    lambda day, zero_day, zero_month, short_year: (
        f"{day.day:02d}" if zero_day else str(day.day),
        f"{day.month:02d}" if zero_month else str(day.month),
        f"{day.year % 100:02d}" if short_year else str(day.year),
    ),
    st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
DATE_BOXES = st.one_of(
    REAL_DATE_BOXES, REAL_DATE_BOXES, st.tuples(DAYS | TYPED_DATES, MONTHS, YEARS), st.just(("", "", ""))
)


def boxes(name: str, parts: tuple[str, str, str]) -> dict[str, str]:
    """The three boxes of the GOV.UK date input `name`, as posted."""
    day, month, year = parts
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def date_in_boxes(parts: tuple[str, str, str]) -> datetime.date | None | bool:
    """What the boxes hold as the product reads them (send_tracker.forms.DateParts): None when all
    are blank, the date, or False when they hold no date (a message on the boxes)."""
    day, month, year = (part.strip() for part in parts)
    if not (day or month or year):
        return None
    if len(day) > 2 or len(month) > 2 or len(year) not in (2, 4) or not all(p.isdigit() for p in (day, month, year)):
        return False
    try:
        return datetime.date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
    except ValueError:  # no such day, or a digit int() does not read ('²')
        return False


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo whatever one example wrote, so the next starts from the same rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts(*tables: type[models.Model]) -> dict[str, int]:
    """Rows in each table: with a model's `history` model, what a half write would leave behind."""
    return {table._meta.label: table._default_manager.count() for table in tables}


def api_client_for(organisation: Organisation, *, write: bool = False) -> APIClient:
    """An API client holding a fresh key of `organisation`."""
    _, key = create_api_key(organisation=organisation, name="Property tests", can_write=write)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def was_saved(response: HttpResponse) -> bool:
    """Whether a posted form saved (its redirect) rather than refused; never a 500. Hypothesis's
    statistics count each."""
    assert response.status_code < 500
    saved = response.status_code == 302
    event("saved" if saved else "refused")
    return saved


def refused_on_the_page(response: HttpResponse) -> bool:
    """A browser form refusal: 400, with the GOV.UK error summary saying what is wrong."""
    page = response.content.decode()
    return response.status_code == 400 and "govuk-error-summary" in page and "There is a problem" in page


def refused_as_json(response: Any) -> bool:
    """An API refusal: 4xx with the API's one error shape, naming a message."""
    if not 400 <= response.status_code < 500:
        return False
    body = json.loads(response.content)
    error = body.get("error", {})
    return error.get("status") == response.status_code and bool(error.get("message"))
