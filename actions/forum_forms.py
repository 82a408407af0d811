"""The forms of the parent carer forum's view and the owner's reply. They only collect: the rules
(a commentary unless the forum agrees, the limits, a link that is a web address) are
actions.forum's, whose messages `submitted` puts on these fields."""

from __future__ import annotations

from django import forms

from send_tracker.forms import text_field

from .choices import ForumPosition
from .forum import LINK_LIMIT, TEXT_LIMIT

POSITION_HINTS: dict[str, str] = {
    ForumPosition.AGREE: "The rating fairly says where the action is. A commentary is optional.",
    ForumPosition.PARTLY_AGREE: "Some of it is fair, some is not. Say which in the commentary.",
    ForumPosition.DISAGREE: "Families' experience does not bear the rating out. Say why in the commentary.",
}


class ForumViewForm(forms.Form):
    """The forum's view of the action's current rating."""

    position = forms.ChoiceField(
        label="Does the forum agree with the rating?",
        choices=ForumPosition.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the forum agrees, partly agrees or disagrees with the rating.",
            "invalid_choice": "Select whether the forum agrees, partly agrees or disagrees with the rating.",
        },
    )
    commentary = text_field(
        "The forum's commentary",
        TEXT_LIMIT,
        rows=6,
        help_text="What families tell the forum about this action. Required unless the forum agrees.",
    )
    evidence_text = text_field("Describe the evidence (optional)", TEXT_LIMIT, rows=3)
    evidence_link = forms.CharField(
        label="Link to the evidence (optional)",
        required=False,
        max_length=LINK_LIMIT,
        widget=forms.URLInput,
        help_text="A full web address, like https://www.oxfordshirepcf.org.uk/survey",
    )
    is_public = forms.BooleanField(
        label="The forum's view can be published on the public transparency page",
        required=False,
        help_text="Leave unticked to share it with the partnership only.",
    )
    # The rating the officer saw when the form was drawn (actions.forum.give_view checks it).
    on_rating = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    @staticmethod
    def position_options() -> list[dict[str, str]]:
        return [
            {"value": value, "label": label, "hint": POSITION_HINTS[value]} for value, label in ForumPosition.choices
        ]


class ForumReplyForm(forms.Form):
    """The owning organisation's reply to the forum's view."""

    reply = text_field(
        "Your reply",
        TEXT_LIMIT,
        rows=6,
        required=True,
        error_messages={"required": "Enter the reply to the forum's view."},
        help_text="What the owner makes of the forum's view, and what it will do.",
    )
    reply_is_public = forms.BooleanField(
        label="The reply can be published on the public transparency page, with the forum's view",
        required=False,
        help_text="It is shown there only if the forum has published its view.",
    )
    # The forum's view the officer read when the form was drawn (actions.forum.reply_to_view checks it).
    replying_to = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**62)
