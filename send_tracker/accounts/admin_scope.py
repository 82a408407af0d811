"""The Django admin obeys the same partnership scope as the pages (send_tracker.accounts.access).

Every ModelAdmin of the project is one of three kinds, and tests/test_admin_scope.py walks the
admin site's registry so that a model registered any other way fails the build:

- PartnershipScopedAdmin / PartnershipScopedHistoryAdmin: the rows belong to a partnership through
  `partnership_path` (`"plan__partnership"`; by default the path its queryset already declares,
  send_tracker.accounts.tenancy.PartnershipScopedQuerySet). A partnership administrator lists, reads, changes,
  deletes and sees the history of their own partnership's rows only; anything else is 404, as on
  the pages. Every select (foreign key, many-to-many) offers only their partnership's rows, so a
  row cannot be moved into another partnership, even by posting an id.
- ReferenceDataAdmin: rows every partnership shares (the DfE's figures, bank holidays): read by
  whoever the admin lets in, changed only by an administrator of the whole instance (a superuser).
- SuperuserOnlyAdmin: the instance's machinery (periodic tasks, sign-in logs, permission groups).

Inlines take PartnershipChoicesMixin, for their selects. A superuser sees every partnership.
The admin's "View on site" shortcut answers through `view_on_site`, with the same scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.forms import Field, ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from . import access
from .models import Partnership

if TYPE_CHECKING:
    _AdminBase = admin.options.BaseModelAdmin[Any]
else:
    _AdminBase = object

# Models of Django's own apps that forms of ours point at, shared by every partnership. Their
# fields are offered only to superusers (a user's groups and permissions) or name a model, not a row.
GLOBAL_MODELS = frozenset({"contenttypes.contenttype", "auth.group", "auth.permission"})


def partnership_path_of(model: type[models.Model], site: admin.AdminSite) -> str | None:
    """The lookup from a model's rows to their partnership (`"plan__partnership"`), or None for a
    model every partnership shares. A model that is neither is a mistake, and says so loudly."""
    if model is Partnership:
        return "pk"
    if site.is_registered(model):
        model_admin = site.get_model_admin(model)
        if isinstance(model_admin, PartnershipScopedMixin):
            return model_admin.partnership_path
        if isinstance(model_admin, ReferenceDataMixin | SuperuserOnlyMixin):
            return None
    path = getattr(getattr(model._default_manager, "_queryset_class", None), "partnership_path", None)
    if path:
        return str(path)
    if model._meta.label_lower in GLOBAL_MODELS:
        return None
    raise ImproperlyConfigured(
        f"The admin cannot tell which partnership a {model._meta.label} belongs to: register it with a "
        "PartnershipScopedAdmin, give its queryset a partnership_path, or declare it shared."
    )


def restrict(queryset: models.QuerySet[Any], user: access.AnyUser, path: str | None) -> models.QuerySet[Any]:
    """The rows of `queryset` in the user's partnership (all of them for a superuser)."""
    ids = access.partnership_ids_for(user)
    if ids is None or path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": ids})


def partnership_id_of(obj: models.Model, path: str) -> int | None:
    """Follows `path` on an instance in hand (a past version from history included)."""
    *hops, last = path.split("__")
    target: Any = obj
    try:
        for hop in hops:
            target = getattr(target, hop)
            if target is None:
                return None
    except ObjectDoesNotExist:  # a past version whose parent has since been deleted
        return None
    if last == "pk":
        return target.pk
    return getattr(target, target._meta.get_field(last).attname)


def _check_path(model: type[models.Model], path: str) -> None:
    if model is Partnership and path == "pk":
        return
    try:
        last = get_fields_from_path(model, path)[-1]
    except (FieldDoesNotExist, NotRelationField) as error:
        raise ImproperlyConfigured(f"{model._meta.label}.partnership_path {path!r}: {error}") from error
    if last.related_model is not Partnership:
        raise ImproperlyConfigured(f"{model._meta.label}.partnership_path {path!r} does not end at a Partnership.")


class PartnershipChoicesMixin(_AdminBase):
    """Every select of the form offers only the user's partnership's rows: a choice, or an id
    posted by hand, from another partnership is refused by the form ("Select a valid choice")."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._scoped_choices(formfield, db_field, request)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._scoped_choices(formfield, db_field, request)

    def _scoped_choices(self, formfield: Field | None, db_field: Any, request: HttpRequest) -> Field | None:
        if isinstance(formfield, ModelChoiceField) and formfield.queryset is not None:
            path = partnership_path_of(db_field.related_model, self.admin_site)
            formfield.queryset = restrict(formfield.queryset, request.user, path)
            raw = formfield.widget
            if type(raw) is ForeignKeyRawIdWidget:
                formfield.widget = ScopedRawIdWidget(raw.rel, raw.admin_site, formfield.queryset, raw.attrs, raw.db)
                formfield.widget.is_required = raw.is_required
        return formfield


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw id box (`raw_id_fields`) that names, beside the id, only a row the select may offer:
    Django's looks any id up, so a form sent back with another partnership's id named that row."""

    def __init__(
        self, rel: Any, admin_site: admin.AdminSite, rows: models.QuerySet[Any], attrs: Any = None, using: Any = None
    ) -> None:
        super().__init__(rel, admin_site, attrs, using)
        self.rows = rows

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        try:
            offered = self.rows.filter(**{key: value}).exists()
        except (ValueError, ValidationError):
            offered = False
        return super().label_and_url_for_value(value) if offered else ("", "")


class PartnershipScopedMixin(PartnershipChoicesMixin):
    """A ModelAdmin whose rows belong to a partnership through `partnership_path`."""

    partnership_path: str = ""

    def __init__(self, model: type[models.Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)  # type: ignore[call-arg]
        path = self.partnership_path or getattr(
            getattr(model._default_manager, "_queryset_class", None), "partnership_path", ""
        )
        if not path:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a partnership_path for {model._meta.label}.")
        _check_path(model, path)
        self.partnership_path = path

    def may_administer(self, request: HttpRequest, obj: models.Model) -> bool:
        """Whether this row is in the user's partnership."""
        ids = access.partnership_ids_for(request.user)
        return ids is None or partnership_id_of(obj, self.partnership_path) in ids

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return restrict(super().get_queryset(request), request.user, self.partnership_path)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        # Django would redirect to the index saying the row may have been deleted; another
        # partnership's row does not exist for this user, as on the pages.
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404("No such row.")
        return obj

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self.may_administer(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_administer(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.may_administer(request, obj))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # A row left without its first step to a partnership (a person with no organisation)
        # would drop out of its partnership: only an administrator of the whole instance may.
        if (
            formfield is not None
            and db_field.name == self.partnership_path.split("__")[0]
            and not access.sees_all_partnerships(request.user)
        ):
            formfield.required = True
        return formfield

    def get_list_filter(self, request: HttpRequest) -> Any:
        # A filter on a relation would list every partnership's plans, boards and organisations by
        # name; it lists only those the user's rows use.
        filters = super().get_list_filter(request)  # type: ignore[misc]
        if access.sees_all_partnerships(request.user):
            return filters
        return [self._related_only(entry) for entry in filters]

    def _related_only(self, entry: Any) -> Any:
        if not isinstance(entry, str):
            return entry
        try:
            field = get_fields_from_path(self.model, entry)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return entry
        return (entry, admin.RelatedOnlyFieldListFilter) if field.is_relation else entry

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The selects already refuse another partnership's rows; this holds if a form ever sets
        # the path some other way. It runs inside the admin's transaction, so nothing is kept.
        if not self.may_administer(request, obj):
            raise PermissionDenied("This would move the row out of your partnership.")
        super().save_model(request, obj, form, change)  # type: ignore[misc]


class PartnershipScopedAdmin(PartnershipScopedMixin, admin.ModelAdmin):
    pass


class PastVersionsReadOnlyAdmin(SimpleHistoryAdmin):
    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # simple-history saves a posted past version with only view permission checked. Reverting
        # is switched off (SIMPLE_HISTORY_REVERT_DISABLED): past versions are read here, never saved.
        if request.method == "POST":
            raise PermissionDenied("Past versions are read here, not restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class PartnershipScopedHistoryAdmin(PartnershipScopedMixin, PastVersionsReadOnlyAdmin):
    def has_view_history_or_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # simple-history finds a row's history, or a past version, outside get_queryset and then
        # asks this: another partnership's row is not there (404), as on the other pages, rather
        # than forbidden (403), which would tell that its id exists.
        if obj is not None and not self.may_administer(request, obj):
            raise Http404("No such row.")
        return super().has_view_history_or_change_history_permission(request, obj)


class ReferenceDataMixin(_AdminBase):
    """Rows every partnership shares: only an administrator of the whole instance changes them."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return access.sees_all_partnerships(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.sees_all_partnerships(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.sees_all_partnerships(request.user) and super().has_delete_permission(request, obj)


class ReferenceDataAdmin(ReferenceDataMixin, admin.ModelAdmin):
    pass


class ReferenceDataHistoryAdmin(ReferenceDataMixin, PastVersionsReadOnlyAdmin):
    pass


class ReadOnlyMixin(_AdminBase):
    """Rows read in the admin, never written there: the product writes them through its services."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuperuserOnlyMixin(_AdminBase):
    """The instance's own machinery, for an administrator of the whole instance alone."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.sees_all_partnerships(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.sees_all_partnerships(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return access.sees_all_partnerships(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.sees_all_partnerships(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.sees_all_partnerships(request.user)


def keep_for_superusers(site: admin.AdminSite, *models_: type[models.Model]) -> None:
    """Registers another app's admin of these models again, for superusers only."""
    for model in models_:
        current = type(site.get_model_admin(model))
        site.unregister(model)
        site.register(model, type(f"SuperuserOnly{current.__name__}", (SuperuserOnlyMixin, current), {}))


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """The admin's "View on site" shortcut (/admin/r/<content type>/<id>/), kept to the user's
    partnership: Django's own redirects to any row's page, so its answer told whether another
    partnership's id exists. Here such a row, or one of a model the user has no admin for, is 404."""
    if not access.sees_all_partnerships(request.user) and not _in_scope(request, content_type_id, object_id):
        raise Http404("No such row.")
    return shortcut(request, content_type_id, object_id)


def _in_scope(request: HttpRequest, content_type_id: int, object_id: str) -> bool:
    site = admin.site
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    if model is None or not site.is_registered(model):
        return False
    model_admin = site.get_model_admin(model)
    if isinstance(model_admin, PartnershipScopedMixin):
        rows = model_admin.get_queryset(request)
    elif isinstance(model_admin, ReferenceDataMixin):
        rows = model._default_manager.all()
    else:
        return False
    try:
        return bool(rows.filter(pk=object_id).exists())
    except (ValueError, ValidationError):  # not an id of this model at all
        return False
