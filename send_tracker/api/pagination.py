from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from send_tracker.numbers import whole_number

if TYPE_CHECKING:
    from rest_framework.views import APIView


class StableCursorPagination(CursorPagination):
    """Cursor pages in a stable order: `{"next", "previous", "results"}`, up to 500 a page.

    A cursor page costs one query whatever the table's size (no COUNT), and stays correct while
    rows are added. CSV is not paged: a spreadsheet wants every row the filters select.
    """

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "id"

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: APIView | None = None) -> Any:
        if getattr(request.accepted_renderer, "format", None) == "csv":
            return None
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        from rest_framework.exceptions import ValidationError

        number = whole_number(raw)
        if number is None or not 1 <= number <= self.max_page_size:
            raise ValidationError({"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]})
        return number
