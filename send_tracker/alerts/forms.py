from __future__ import annotations

from typing import Any

from django import forms

from .choices import AlertKind, DeliveryMode
from .following import followable_choices


class PreferencesForm(forms.Form):
    """One choice per kind of alert: straight away, in a daily digest, or not emailed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in AlertKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=DeliveryMode.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select how you want “{kind.label}” alerts.",
                    "invalid_choice": f"Select one of the options for “{kind.label}” alerts.",
                },
            )

    def modes(self) -> dict[str, str]:
        return {kind: str(self.cleaned_data[kind]) for kind in AlertKind.values}


class FollowForm(forms.Form):
    """Follow or stop following an item; the item is fetched with a permission check by the view."""

    subject_type = forms.ChoiceField(choices=followable_choices)
    subject_id = forms.IntegerField(min_value=1)
    follow = forms.TypedChoiceField(choices=[("1", "Follow"), ("0", "Stop following")], coerce=lambda v: v == "1")
    next = forms.CharField(required=False, max_length=500)
