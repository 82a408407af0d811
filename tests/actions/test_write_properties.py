"""Rating an action with values as people write them, in the browser and through the API.

Each example is saved whole (the rating, the commentary and evidence as typed, stripped; a new
version, one rating update and one history row carrying the whole commentary) or refused with a
clear message (the form's error summary, or the API's JSON error) and nothing changes. Never a 500.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from actions.api.serializers import ActionRatingSerializer
from actions.choices import EVIDENCE_REQUIRED, Brag
from actions.forms import RatingUpdateForm
from actions.models import Action, RatingUpdate
from tests.as_people_write import (
    NUL,
    api_client_for,
    counts,
    fits,
    refused_as_json,
    refused_on_the_page,
    rolled_back,
    text_near,
    was_saved,
)
from tests.conftest import need_postgres

pytestmark = pytest.mark.django_db

# The commentary and evidence are TextFields: their limit is the form's and the serializer's.
COMMENTARY_LIMIT = 5000
LINK_LIMIT = RatingUpdate._meta.get_field("evidence_link").max_length or 500
BRAGS = st.sampled_from(Brag.values) | st.sampled_from(["GREEN", "purple", "", " amber", "amber\x00"])
VERSIONS = (
    st.just("1")
    | st.just("1")
    | st.sampled_from([" 1 ", "2", "0", "-1", "", "1e999", "99999999999999999999999", "1.0", "١"])
)
LINKS = (
    st.just("")
    | st.sampled_from(
        ["https://www.example.org/report", "www.example.org", "javascript:alert(1)", "https://exa mple.org"]
    )
    | text_near(LINK_LIMIT)
)


def test_the_limits_are_the_forms_and_the_serializers() -> None:
    assert RatingUpdateForm.base_fields["commentary"].max_length == COMMENTARY_LIMIT  # type: ignore[attr-defined]
    assert ActionRatingSerializer().fields["commentary"].max_length == COMMENTARY_LIMIT  # type: ignore[attr-defined]


def state(action: Action) -> dict[str, Any]:
    row = Action.objects.values("brag", "brag_commentary", "version", "rated_at").get(pk=action.pk)
    return {**row, **counts(RatingUpdate, Action.history.model)}


def saved_whole(action: Action, before: dict[str, Any], brag: str, commentary: str) -> None:
    after = Action.objects.get(pk=action.pk)
    assert after.brag == brag
    assert after.brag_commentary == commentary.strip()
    assert after.version == before["version"] + 1
    now = counts(RatingUpdate, Action.history.model)
    assert now[RatingUpdate._meta.label] == before[RatingUpdate._meta.label] + 1
    assert now[Action.history.model._meta.label] == before[Action.history.model._meta.label] + 1
    update = RatingUpdate.objects.get(action=after, version=after.version)
    assert update.commentary == commentary.strip()
    assert after.history.latest().history_change_reason == commentary.strip()


WORD_PARAGRAPH = ("“Caseworkers’ backlog” – cleared\u00a0by March 🙂; next: the EHC plan audit… " * 70)[:5000]


@given(
    brag=BRAGS,
    commentary=text_near(COMMENTARY_LIMIT),
    evidence=st.just("") | text_near(COMMENTARY_LIMIT),
    link=LINKS,
    public=st.booleans(),
    version=VERSIONS,
)
@example(brag="amber", commentary=WORD_PARAGRAPH, evidence="", link="", public=True, version="1")
@example(brag="amber", commentary="On track\x00", evidence="", link="", public=False, version="1")
@example(brag="red", commentary='=HYPERLINK("https://evil.example")', evidence="", link="", public=False, version="1")
def test_the_rating_form_saves_whole_or_refuses_and_changes_nothing(
    action: Action,
    officer: Any,
    client_for: Any,
    brag: str,
    commentary: str,
    evidence: str,
    link: str,
    public: bool,
    version: str,
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = state(action)
        response = client.post(
            f"/plan/actions/{action.pk}/rate/",
            {
                "brag": brag,
                "commentary": commentary,
                "evidence_text": evidence,
                "evidence_link": link,
                "commentary_is_public": "on" if public else "",
                "version": version,
            },
        )
        simple = (
            brag in (Brag.GREY, Brag.RED, Brag.AMBER)
            and version.strip() == "1"
            and fits(commentary, COMMENTARY_LIMIT)
            and not evidence.strip()
            and not link
        )
        if was_saved(response):
            saved_whole(action, before, brag, commentary)
            assert Action.objects.get(pk=action.pk).brag_commentary_is_public is public
            update = RatingUpdate.objects.latest("pk")
            assert (update.evidence_text, update.evidence_link) == (evidence.strip(), link.strip())
        else:
            assert not simple, f"a plain rating was refused: {response.status_code}"
            assert response.status_code in (400, 409)
            assert refused_on_the_page(response) or response.status_code == 409
            assert state(action) == before


@given(brag=BRAGS, commentary=text_near(COMMENTARY_LIMIT), evidence=text_near(COMMENTARY_LIMIT))
@example(brag="amber", commentary=WORD_PARAGRAPH, evidence="")
@example(brag="amber", commentary="x\x00y", evidence="")
def test_an_api_rating_saves_whole_or_is_a_json_400_and_changes_nothing(
    action: Action, council: Any, brag: str, commentary: str, evidence: str
) -> None:
    need_postgres()
    client = api_client_for(council, write=True)
    with rolled_back():
        before = state(action)
        response = client.patch(
            f"/api/v1/actions/{action.pk}/",
            {"brag": brag, "commentary": commentary, "evidence": evidence},
            format="json",
            HTTP_IF_MATCH=f'"action-{action.pk}-v{before["version"]}"',
        )
        assert response.status_code < 500
        acceptable = (
            brag in Brag.values
            and fits(commentary, COMMENTARY_LIMIT)
            and fits(evidence, COMMENTARY_LIMIT, required=False)
            and (brag not in EVIDENCE_REQUIRED or bool(evidence.strip()))
        )
        if response.status_code == 200:
            event("saved")
            saved_whole(action, before, brag, commentary)
            assert RatingUpdate.objects.latest("pk").evidence_text == evidence.strip()
            assert json.loads(response.content)["brag"] == brag
        else:
            event("refused")
            assert not acceptable, f"a valid rating was refused: {response.content!r}"
            assert response.status_code == 400 and refused_as_json(response)
            assert state(action) == before


IF_MATCH = st.sampled_from(
    ["", "*", '"1"', "W/", "1e999", '"action-{pk}-v99999999999999999999999"', 'W/"action-{pk}-v1"', '"action-{pk}-v٢"']
) | st.text(max_size=40).filter(lambda text: NUL not in text and "\n" not in text and "\r" not in text)
RAW_BODIES = st.sampled_from(
    [
        '{"brag": "amber", "commentary": 1e999}',
        '{"brag": "amber", "commentary": NaN}',
        '{"brag": "amber", "commentary": ["a"]}',
        '{"brag": "amber", "commentary": "x", "version": 7}',
        '{"brag": "amber", "commentary": "x\\u0000y"}',
        '["amber"]',
        '"amber"',
        "{",
        "",
        '{"brag": "amber", "commentary": "' + "“Quoted” – fine 🙂" * 300 + '"}',
    ]
)


@given(if_match=IF_MATCH, body=RAW_BODIES)
def test_an_api_rating_with_odd_headers_and_bodies_is_never_a_500(
    action: Action, council: Any, if_match: str, body: str
) -> None:
    need_postgres()
    client = api_client_for(council, write=True)
    with rolled_back():
        before = state(action)
        response = client.generic(
            "PATCH",
            f"/api/v1/actions/{action.pk}/",
            body,
            content_type="application/json",
            HTTP_IF_MATCH=if_match.replace("{pk}", str(action.pk)),
        )
        assert response.status_code < 500
        if response.status_code == 200:
            assert Action.objects.get(pk=action.pk).version == before["version"] + 1
        else:
            assert refused_as_json(response)
            assert state(action) == before
