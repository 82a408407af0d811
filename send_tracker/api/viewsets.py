"""The read-only view set the apps' APIs list their rows through."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import viewsets


class VisibleRowsViewSet(viewsets.ReadOnlyModelViewSet):
    """The model's rows the caller may see (its manager's `visible_to`), by number, with `related`
    joined."""

    lookup_value_regex = r"\d+"
    model: ClassVar[Any]
    related: ClassVar[tuple[str, ...]] = ()

    def get_queryset(self) -> QuerySet[Any]:
        rows = self.model.objects.visible_to(self.request.user)
        # select_related() with no names would join every foreign key.
        return rows.select_related(*self.related) if self.related else rows
