"""The Django admin keeps to the user's partnership, for every model registered in it.

The models are read from admin.site's registry, and each gets a row in each of two partnerships
(made field by field from the model's own definition), so that a model registered without a
scope fails here. The partnership administrator is given every model permission there is, so
that what stops them is the scope, not a missing permission.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import lxml.html  # type: ignore[import-untyped]
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from django.db import models
from django.forms import ModelChoiceField
from django.urls import reverse
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from actions.models import Action
from send_tracker.accounts.admin_scope import (
    PartnershipChoicesMixin,
    PartnershipScopedMixin,
    ReferenceDataMixin,
    SuperuserOnlyMixin,
    partnership_path_of,
)
from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import ApiKey, Organisation, Partnership, User
from send_tracker.alerts.models import Alert
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REGISTRY = admin.site._registry
SHARED = [model for model, model_admin in REGISTRY.items() if isinstance(model_admin, ReferenceDataMixin)]
SUPERUSERS_ONLY = [model for model, model_admin in REGISTRY.items() if isinstance(model_admin, SuperuserOnlyMixin)]
# Everything else must keep to a partnership: a model registered without saying so is tested here too.
SCOPED = sorted(set(REGISTRY) - set(SHARED) - set(SUPERUSERS_ONLY), key=lambda model: model._meta.label)
OUT_OF_SCOPE = (403, 404)


# ---------------------------------------------------------------------------------------------
# A row of any model, in a given partnership


class Rows:
    """One row of each model asked for, in one partnership, made from the model's fields: every
    required field gets a plain value, and every relation a row of the same partnership."""

    def __init__(self, partnership: Partnership) -> None:
        self.partnership = partnership
        self.made: dict[type[models.Model], models.Model] = {Partnership: partnership}
        self.making: set[type[models.Model]] = set()

    def of(self, model: type[models.Model]) -> models.Model:
        if model in self.made:
            return self.made[model]
        self.making.add(model)
        generic = {
            field.ct_field: field.fk_field
            for field in model._meta.private_fields
            if isinstance(field, GenericForeignKey)
        }
        values: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                continue
            if field.name in generic:  # a follow or an alert about an action of this partnership
                values[field.name] = ContentType.objects.get_for_model(Action)
                values[generic[field.name]] = self.of(Action).pk
            elif field.name in generic.values():
                continue
            elif field.is_relation:
                related = target(field)
                if related in self.making or partnership_path_of(related, admin.site) is None:
                    continue
                values[field.name] = self.of(related)
            elif not (field.has_default() or field.null or field.blank):
                values[field.name] = self.value_for(model, field)
        row = model._default_manager.create(**values)
        for field in model._meta.many_to_many:
            related = target(field)
            if related not in self.making and partnership_path_of(related, admin.site) is not None:
                getattr(row, field.name).add(self.of(related))
        self.making.discard(model)
        self.made[model] = row
        return row

    def value_for(self, model: type[models.Model], field: models.Field[Any, Any]) -> Any:
        if field.choices:
            return field.choices[0][0]
        if isinstance(field, models.DateTimeField):
            return timezone.now()
        if isinstance(field, models.DateField):
            return datetime.date(2025, 1, 31)
        if isinstance(field, models.DecimalField):
            return Decimal("1")
        if isinstance(field, models.IntegerField | models.FloatField):
            return 1
        if isinstance(field, models.BooleanField):
            return False
        if isinstance(field, models.EmailField):
            return f"{self.partnership.slug}@example.org"
        if isinstance(field, models.URLField):
            return f"https://{self.partnership.slug}.example.org/"
        if isinstance(field, models.CharField | models.TextField):
            text = f"{self.partnership.slug}-{model._meta.model_name}-{field.name}"
            return text[: field.max_length] if field.max_length else text
        raise NotImplementedError(f"No value for {model._meta.label}.{field.name} ({type(field).__name__})")


@pytest.fixture
def own(partnership: Partnership) -> Rows:
    return Rows(partnership)


@pytest.fixture
def other(other_partnership: Partnership) -> Rows:
    return Rows(other_partnership)


@pytest.fixture
def partnership_admin(administrator: User) -> User:
    """Testshire's administrator, holding every permission Django has, as a careless grant would."""
    administrator.user_permissions.set(Permission.objects.all())
    return administrator


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.org", "not-used-1234")


def target(field: Any) -> type[models.Model]:
    """The model a relation points at."""
    return field.related_model


def url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def latest_version_id(row: models.Model) -> int | None:
    try:
        history = get_history_manager_for_model(row)
    except NotHistoricalModelError:
        return None
    return history.latest("history_date").history_id


def form_values(response: Any) -> dict[str, list[str]]:
    """What a browser would post from the admin's form on this page."""
    page = lxml.html.fromstring(response.content)
    form = next(form for form in page.forms if (form.get("id") or "").endswith("_form"))
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    return values


def label(model: type[models.Model]) -> str:
    return model._meta.label


# ---------------------------------------------------------------------------------------------
# Every model is declared one way or another


def test_every_registered_model_is_scoped_shared_or_kept_for_superusers() -> None:
    undeclared = [
        label(model)
        for model, model_admin in REGISTRY.items()
        if not isinstance(model_admin, PartnershipScopedMixin | ReferenceDataMixin | SuperuserOnlyMixin)
    ]
    loose_inlines = [
        f"{label(model)}: {inline.__name__}"
        for model, model_admin in REGISTRY.items()
        for inline in model_admin.inlines
        if isinstance(model_admin, PartnershipScopedMixin) and not issubclass(inline, PartnershipChoicesMixin)
    ]

    assert undeclared == []
    assert loose_inlines == []
    assert {"actions.Action", "recommendations.Response", "kpis.Indicator", "accounts.User"} <= {
        label(model) for model in SCOPED
    }


# ---------------------------------------------------------------------------------------------
# Lists, pages and history


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_another_partnerships_row_is_neither_listed_nor_opened(
    model: type[models.Model], own: Rows, other: Rows, partnership_admin: User, root: User, client_for: Any
) -> None:
    mine, theirs = own.of(model), other.of(model)
    client = client_for(partnership_admin)

    listing = client.get(url(model, "changelist"))

    assert listing.status_code == 200
    listed = set(listing.context["cl"].queryset.values_list("pk", flat=True))
    assert mine.pk in listed
    assert theirs.pk not in listed
    assert other.partnership.name not in listing.text  # not even in a filter's choices
    assert client.get(url(model, "change", mine.pk)).status_code == 200
    assert client.get(url(model, "history", mine.pk)).status_code == 200
    for view in ("change", "delete", "history"):  # not there, as on the pages: an id reveals nothing
        assert client.get(url(model, view, theirs.pk)).status_code == 404, view
    version = latest_version_id(theirs)
    if version is not None:
        assert client.get(url(model, "simple_history", theirs.pk, version)).status_code == 404

    as_root = client_for(root)
    everything = set(as_root.get(url(model, "changelist")).context["cl"].queryset.values_list("pk", flat=True))
    assert {mine.pk, theirs.pk} <= everything
    assert as_root.get(url(model, "change", theirs.pk)).status_code == 200


ON_SITE = [model for model in SCOPED if hasattr(model, "get_absolute_url")]


@pytest.mark.parametrize("model", ON_SITE, ids=label)
def test_view_on_site_does_not_tell_whether_another_partnerships_row_exists(
    model: type[models.Model], own: Rows, other: Rows, partnership_admin: User, root: User, client_for: Any
) -> None:
    mine, theirs = own.of(model), other.of(model)
    content_type = ContentType.objects.get_for_model(model).pk
    client = client_for(partnership_admin)

    def view_on_site(row: models.Model, as_client: Any = client) -> Any:
        return as_client.get(reverse("admin:view_on_site", args=[content_type, row.pk]))

    assert view_on_site(mine).status_code == 302
    assert view_on_site(mine)["Location"].endswith(mine.get_absolute_url())  # type: ignore[attr-defined]
    assert view_on_site(theirs).status_code == 404  # the same as an id that was never there
    assert client.get(reverse("admin:view_on_site", args=[content_type, 10**9])).status_code == 404
    assert view_on_site(theirs, client_for(root)).status_code == 302


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_the_delete_action_leaves_another_partnerships_row(
    model: type[models.Model], own: Rows, other: Rows, partnership_admin: User, client_for: Any
) -> None:
    own.of(model)
    theirs = other.of(model)

    client_for(partnership_admin).post(
        url(model, "changelist"), {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"}
    )
    client_for(partnership_admin).post(url(model, "delete", theirs.pk), {"post": "yes"})

    assert model._default_manager.filter(pk=theirs.pk).exists()


def test_a_past_version_is_read_but_never_saved_back(own: Rows, partnership_admin: User, client_for: Any) -> None:
    from kpis.models import IndicatorValue

    value = own.of(IndicatorValue)
    version = latest_version_id(value)
    page = url(IndicatorValue, "simple_history", value.pk, version)
    client = client_for(partnership_admin)

    assert client.get(page).status_code == 200
    assert client.post(page, {"value": "99", "note": "typed over"}).status_code == 403
    assert IndicatorValue.objects.get(pk=value.pk).value == Decimal("1")


# ---------------------------------------------------------------------------------------------
# Selects


def relation_fields(model: type[models.Model], values: dict[str, list[str]]) -> list[models.Field[Any, Any]]:
    """The form's selects (foreign keys, many-to-many) of a model related to a partnership."""
    fields = []
    for name in values:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # the form's own inputs: csrf token, save buttons, inlines
            continue
        if (
            isinstance(field, models.Field)
            and field.is_relation
            and field.editable
            and partnership_path_of(target(field), admin.site) is not None
        ):
            fields.append(field)
    return fields


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_selects_offer_only_the_partnerships_rows(
    model: type[models.Model], own: Rows, other: Rows, partnership_admin: User, root: User, client_for: Any
) -> None:
    mine = own.of(model)
    other.of(model)
    pages = [url(model, "change", mine.pk), url(model, "add")]

    for user in (partnership_admin, root):
        offered, selects = set(), 0
        for page in pages:
            response = client_for(user).get(page)
            if response.status_code == 403:  # no adding here (API keys, KPI values)
                continue
            forms = [response.context["adminform"].form]
            forms += [inline.formset.empty_form for inline in response.context["inline_admin_formsets"]]
            for form in forms:
                for name, field in form.fields.items():
                    if not isinstance(field, ModelChoiceField) or name == form._meta.model._meta.pk.name:
                        continue
                    choices: models.QuerySet[Any] = field.queryset  # type: ignore[assignment]
                    path = partnership_path_of(choices.model, admin.site)
                    if path is None:
                        continue
                    selects += 1
                    if choices.filter(**{path: other.partnership.pk}).exists():
                        offered.add(f"{page} {name}")
        if user == partnership_admin:
            assert offered == set()
        else:  # the same forms offer a superuser both partnerships' rows
            assert offered or selects == 0


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_a_row_cannot_be_pointed_into_another_partnership(
    model: type[models.Model], own: Rows, other: Rows, partnership_admin: User, client_for: Any
) -> None:
    mine = own.of(model)
    client = client_for(partnership_admin)
    page = client.get(url(model, "change", mine.pk))
    values = form_values(page)
    before = model._default_manager.filter(pk=mine.pk).values().get()
    count = model._default_manager.count()

    for field in relation_fields(model, values):
        theirs = other.of(target(field))
        posted = {**values, field.name: [str(theirs.pk)]}

        edited = client.post(url(model, "change", mine.pk), posted)
        assert edited.status_code == 200, f"{field.name}: the edit was not refused"
        assert field.name in edited.context["adminform"].form.errors

        added = client.post(url(model, "add"), posted)
        if added.status_code != 403:
            assert added.status_code == 200, f"{field.name}: the new row was not refused"
            assert field.name in added.context["adminform"].form.errors

        model._default_manager.filter(pk=mine.pk).update(**{key: value for key, value in before.items() if key != "id"})

    assert model._default_manager.filter(pk=mine.pk).values().get() == before
    assert model._default_manager.count() == count


def test_the_admin_reads_actions_and_never_writes_them(
    own: Rows, other: Rows, partnership_admin: User, root: User, client_for: Any
) -> None:
    # The site edits, retires and rates actions through the services (a reason for a new target
    # date, the version check, nothing deleted); the admin would skip all three.
    action = own.of(Action)
    their_plan = other.of(Action).plan  # type: ignore[attr-defined]
    before = Action.objects.filter(pk=action.pk).values().get()
    count = Action.objects.count()

    for user in (partnership_admin, root):
        client = client_for(user)
        page = client.get(url(Action, "change", action.pk))
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        values = form_values(page)

        assert client.post(url(Action, "change", action.pk), {**values, "due_date": "2030-01-01"}).status_code == 403
        assert (
            client.post(url(Action, "change", action.pk), {**values, "plan": [str(their_plan.pk)]}).status_code == 403
        )
        assert client.post(url(Action, "add"), values).status_code == 403
        assert client.post(url(Action, "delete", action.pk), {"post": "yes"}).status_code == 403

    assert Action.objects.filter(pk=action.pk).values().get() == before
    assert Action.objects.count() == count


def test_autocomplete_answers_only_the_partnerships_rows(
    own: Rows, other: Rows, partnership_admin: User, client_for: Any
) -> None:
    # Django answers the autocomplete of any relation of any model whose target's admin has
    # search fields, whether or not a form uses it.
    client = client_for(partnership_admin)
    answered = []
    for model in apps.get_models():
        for field in model._meta.fields:
            if not (field.is_relation and target(field) in SCOPED):
                continue
            theirs = {str(other.of(target(field)).pk)}
            params = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field.name,
            }
            page, more = 1, True
            while more:
                response = client.get("/admin/autocomplete/", {**params, "page": page})
                if response.status_code in (403, 404):  # no search fields to answer with
                    break
                answer = response.json()
                assert theirs.isdisjoint(result["id"] for result in answer["results"]), f"{model} {field.name}"
                answered.append(f"{label(model)}.{field.name}")
                page, more = page + 1, answer["pagination"]["more"]
    assert "governance.AgendaItem.action" in answered


def test_a_raw_id_box_sent_back_with_another_partnerships_id_does_not_name_that_row(
    own: Rows, other: Rows, partnership_admin: User, client_for: Any
) -> None:
    # A meeting's agenda items take their action, risk and indicator as ids typed in a box, and
    # Django's box names the row an id stands for: a form sent back with errors named any.
    from governance.models import Meeting, Risk
    from kpis.models import Indicator

    meeting = own.of(Meeting)
    theirs = {name: other.of(model) for name, model in (("action", Action), ("risk", Risk), ("indicator", Indicator))}
    client = client_for(partnership_admin)
    values = form_values(client.get(url(Meeting, "change", meeting.pk)))
    row = int(values["agenda_items-TOTAL_FORMS"][0])
    posted = {
        **values,
        "agenda_items-TOTAL_FORMS": [str(row + 1)],
        f"agenda_items-{row}-meeting": [str(meeting.pk)],
        f"agenda_items-{row}-number": ["9"],
        f"agenda_items-{row}-title": ["Probe"],
        **{f"agenda_items-{row}-{name}": [str(item.pk)] for name, item in theirs.items()},
    }

    response = client.post(url(Meeting, "change", meeting.pk), posted)

    assert response.status_code == 200
    assert response.text.count("Select a valid choice") == 3
    for item in theirs.values():
        assert url(type(item), "change", item.pk) not in response.text
        assert str(item) not in response.text
    assert not meeting.agenda_items.filter(title="Probe").exists()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# People, shared data and the instance's machinery


def test_a_partnership_administrator_cannot_see_or_make_a_superuser(
    council: Organisation, partnership_admin: User, client_for: Any
) -> None:
    boss = make_user("boss", council, Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    client = client_for(partnership_admin)

    assert client.get(url(User, "change", boss.pk)).status_code in OUT_OF_SCOPE
    assert client.get(reverse("admin:auth_user_password_change", args=[boss.pk])).status_code in OUT_OF_SCOPE
    page = client.get(url(User, "change", partnership_admin.pk))
    assert "is_superuser" not in page.context["adminform"].form.fields
    assert "groups" not in page.context["adminform"].form.fields

    client.post(url(User, "change", partnership_admin.pk), {**form_values(page), "is_superuser": ["on"]})

    partnership_admin.refresh_from_db()
    assert not partnership_admin.is_superuser


def test_a_person_cannot_be_left_without_an_organisation(
    partnership_admin: User, officer: User, client_for: Any
) -> None:
    client = client_for(partnership_admin)
    values = form_values(client.get(url(User, "change", officer.pk)))

    response = client.post(url(User, "change", officer.pk), {**values, "organisation": [""]})

    assert "organisation" in response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert officer.organisation_id is not None


# ---------------------------------------------------------------------------------------------
# The Administrator role's permissions


def test_the_administrator_role_holds_the_admins_permissions_for_a_partnership_and_no_other_role_does(
    administrator: User, officer: User
) -> None:
    officer.is_staff = True
    officer.save()

    for perm in ("accounts.change_partnership", "accounts.change_user", "accounts.change_apikey", "alerts.view_alert"):
        assert administrator.has_perm(perm), perm
        assert not User.objects.get(pk=officer.pk).has_perm(perm), perm
    assert administrator.has_module_perms("actions")
    assert not administrator.has_perm("auth.change_group")
    assert not administrator.has_perm("django_celery_beat.change_periodictask")


def test_the_demo_administrator_runs_their_partnership_in_the_admin_and_cannot_raise_themselves(
    settings: Any, other_partnership: Partnership, client_for: Any, oxfordshire_loaded: None
) -> None:
    settings.DEBUG = True
    call_command("demo_accounts", stdout=io.StringIO())
    ada = User.objects.get(username="admin")
    oxfordshire = ada.organisation.partnership  # type: ignore[union-attr]
    client = client_for(ada)

    index = client.get("/admin/").text
    for model in (Partnership, Organisation, User, ApiKey, Alert, Action):
        assert url(model, "changelist") in index, label(model)
    page = client.get(url(Partnership, "change", oxfordshire.pk))
    links = {
        "privacy_url": ["https://www.oxfordshire.gov.uk/privacy-notice"],
        "contact_url": ["https://www.oxfordshire.gov.uk/send-contact"],
    }
    saved = client.post(url(Partnership, "change", oxfordshire.pk), {**form_values(page), **links})

    assert saved.status_code == 302
    oxfordshire.refresh_from_db()
    assert (oxfordshire.privacy_url, oxfordshire.contact_url) == (links["privacy_url"][0], links["contact_url"][0])
    listed = client.get(url(Partnership, "changelist")).context["cl"].queryset
    assert list(listed.values_list("pk", flat=True)) == [oxfordshire.pk]
    assert client.get(url(Partnership, "change", other_partnership.pk)).status_code == 404
    assert client.get(url(Group, "changelist")).status_code == 403

    own = client.get(url(User, "change", ada.pk))
    group = Group.objects.create(name="Everything")
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    client.post(
        url(User, "change", ada.pk),
        {**form_values(own), "is_superuser": ["on"], "groups": [str(group.pk)], "user_permissions": everything},
    )

    ada.refresh_from_db()
    assert not ada.is_superuser
    assert not ada.groups.exists()
    assert not ada.user_permissions.exists()


# Words of the people who built it, not of those who use it.
DEVELOPER_WORDS = re.compile(r"made up|demonstration|\bNULL\b|canonical|Europe/London|\bseed\b|fixture", re.IGNORECASE)


def test_the_help_texts_the_admin_shows_are_in_plain_words() -> None:
    unplain = [
        f"{label(model)}.{field.name}: {field.help_text}"
        for model in apps.get_models()
        if model.__module__.split(".")[0] in ("actions", "governance", "kpis", "recommendations", "send_tracker")
        for field in [*model._meta.fields, *model._meta.many_to_many]
        if DEVELOPER_WORDS.search(str(field.help_text))
    ]

    assert unplain == []


@pytest.mark.parametrize("model", SHARED, ids=label)
def test_shared_data_is_read_by_a_partnership_administrator_and_changed_only_by_a_superuser(
    model: type[models.Model], own: Rows, partnership_admin: User, root: User, client_for: Any
) -> None:
    row = own.of(model)
    client = client_for(partnership_admin)

    assert client.get(url(model, "changelist")).status_code == 200
    assert client.get(url(model, "change", row.pk)).status_code == 200  # read only
    assert client.get(url(model, "add")).status_code == 403
    assert client.get(url(model, "delete", row.pk)).status_code == 403
    values = form_values(client.get(url(model, "change", row.pk)))
    assert client.post(url(model, "change", row.pk), values).status_code == 403
    assert client_for(root).get(url(model, "delete", row.pk)).status_code == 200


@pytest.mark.parametrize("model", SUPERUSERS_ONLY, ids=label)
def test_the_instances_machinery_is_for_superusers_alone(
    model: type[models.Model], partnership_admin: User, root: User, client_for: Any
) -> None:
    client = client_for(partnership_admin)

    assert client.get(url(model, "changelist")).status_code == 403
    assert client.get(url(model, "add")).status_code == 403
    assert url(model, "changelist") not in client.get("/admin/").text
    assert client_for(root).get(url(model, "changelist")).status_code == 200
