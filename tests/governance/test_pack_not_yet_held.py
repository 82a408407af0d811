"""The board pack of a meeting not yet held is as at the moment it is read, every section alike:
nothing later is known, so "as at the end of" a day to come would misstate it."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
import time_machine

from governance.meeting_figures import read_meeting_figures
from tests.governance.conftest import at
from tests.governance.test_board_pack import download, full_history  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

NOW = at(2024, 4, 26, 14, 10)


def test_the_pack_of_a_meeting_to_come_is_as_at_now_cover_and_sections_alike(
    full_history,  # noqa: F811
    make_meeting,
    scrutiny_member,
    client_for,
):
    coming = make_meeting(datetime.date(2024, 5, 20))
    with time_machine.travel(NOW, tick=False):
        figures = read_meeting_figures(coming)
        client = client_for(scrutiny_member)
        response = download(client, coming, "docx")
        page = " ".join(client.get(coming.get_absolute_url()).content.decode().split())

    today = datetime.date(2024, 4, 26)
    assert figures.on == today
    assert figures.as_at_text == "As at 26 April 2024, 14:10"
    # The rating given on 18 April, after the last meeting, is the one that stands now.
    assert {row.ref: row.brag for row in figures.reading.plan.actions}["3A2"] == "amber"
    # March's figure as corrected on 25 April; April's month has not ended yet (by 20 May it would have).
    [indicator] = [row for row in figures.indicators if row.latest]
    assert indicator.latest.period_label == "March 2024" and indicator.latest.value == 66
    # The days left counted from today, not from the meeting's day.
    assert figures.awaiting and all(item.days_left == (item.due - today).days for item in figures.awaiting)

    # The meeting's page says the same as its pack, and nothing "at the end of" a day to come.
    assert "As at 26 April 2024, 14:10, from the tracker's history." in page
    assert "the end of 20 May 2024" not in page

    document = docx.Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "Board pack as at 26 April 2024, 14:10"
    assert "Meeting of 20 May 2024" in texts
    assert "As at 26 April 2024, 14:10, from the tracker's history." in texts
    assert "As at 26 April 2024, 14:10, against the board's previous meeting." in texts
    assert not any("20 May 2024" in text for text in texts if text.startswith("As at"))


def test_a_held_meeting_is_still_as_at_the_end_of_its_day(full_history):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        figures = read_meeting_figures(full_history.second)
    assert figures.on == datetime.date(2024, 4, 17)
    assert figures.as_at_text == "As at the end of 17 April 2024"
    assert {row.ref: row.brag for row in figures.reading.plan.actions}["3A2"] == "red"
