"""The API's JSON renderer writes with orjson, and must write what DRF's own renderer writes."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections import OrderedDict
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.serializers import Serializer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from send_tracker.api.renderers import JSONRenderer

LONDON = ZoneInfo("Europe/London")

SAMPLES = [
    {"results": [], "next": None, "previous": None},
    {"moment": datetime.datetime(2026, 12, 2, 9, 30, 15, 123456, tzinfo=datetime.UTC)},
    {"moment": datetime.datetime(2026, 7, 2, 9, 30, tzinfo=LONDON), "naive": datetime.datetime(2026, 7, 2, 9, 30)},
    {"day": datetime.date(2026, 2, 28), "time": datetime.time(23, 59, 1, 500), "span": datetime.timedelta(days=2)},
    {"money": decimal.Decimal("66.7"), "float": 0.1 + 0.2, "big": 2**62, "negative": -5, "flag": True},
    {"lazy": gettext_lazy("Not found."), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"text": "Café – “quotes” \u2028 line \u2029 paragraph </script>", "emoji": "🙂", "control": "\x00\x1f"},
    {1: "integer key", "nested": OrderedDict([("b", [1, {"c": None}]), ("a", ())])},
    ReturnDict({"serializer": "dict"}, serializer=Serializer()),
    ReturnList([{"row": 1}, {"row": 2}], serializer=Serializer()),
    {"huge": 2**70},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_it_writes_what_drf_writes(data):
    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)


def test_indented_json_is_left_to_drf():
    data = {"a": [1, 2]}

    rendered = JSONRenderer().render(data, "application/json; indent=4")

    assert rendered == DRFJSONRenderer().render(data, "application/json; indent=4")
    assert json.loads(rendered) == data and b"\n    " in rendered


def test_line_and_paragraph_separators_are_escaped_as_drf_escapes_them():
    rendered = JSONRenderer().render({"text": "a\u2028b\u2029c"})

    assert rendered == b'{"text":"a\\u2028b\\u2029c"}'


def test_where_the_text_differs_the_numbers_do_not():
    data = {"tiny": 1e-07, "huge": 1.5e300}

    assert json.loads(JSONRenderer().render(data)) == json.loads(DRFJSONRenderer().render(data)) == data


def test_nan_and_infinity_are_null_where_drf_would_fail():
    with pytest.raises(ValueError):
        DRFJSONRenderer().render({"value": float("nan")})

    assert JSONRenderer().render({"value": float("nan"), "other": float("inf")}) == b'{"value":null,"other":null}'
