from django.urls import path, register_converter

from . import round_views, views


class PackFormatConverter:
    """The formats a board pack downloads in: Word, CSV and Excel."""

    regex = "docx|csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PackFormatConverter, "packformat")

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("boards/new/", views.board_new, name="board_new"),
    path("boards/<int:board_id>/", views.board_detail, name="board"),
    path("boards/<int:board_id>/members/new/", views.board_member_new, name="board_member_new"),
    path("boards/<int:board_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("boards/<int:board_id>/update-rounds/", round_views.board_update_rounds, name="board_update_rounds"),
    path("meetings/<int:meeting_id>/returns/", round_views.meeting_returns, name="meeting_returns"),
    path("actions/<int:action_id>/confirm/", round_views.confirm_rating, name="confirm_rating"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/plan/", views.meeting_plan, name="meeting_plan"),
    path("meetings/<int:meeting_id>/agenda/new/", views.agenda_item_new, name="agenda_item_new"),
    path("meetings/<int:meeting_id>/decisions/new/", views.decision_new, name="decision_new"),
    path("meetings/<int:meeting_id>/actions-arising/new/", views.action_arising_new, name="action_arising_new"),
    path(
        "meetings/<int:meeting_id>/actions-arising/<int:action_arising_id>/done/",
        views.action_arising_done,
        name="action_arising_done",
    ),
    path(
        "meetings/<int:meeting_id>/board-pack.<packformat:fmt>",
        views.meeting_pack,
        {"which": "board-pack"},
        name="board_pack",
    ),
    path(
        "meetings/<int:meeting_id>/pack.<packformat:fmt>",
        views.meeting_pack,
        {"which": "pap-highlight-report"},
        name="plan_pack",
    ),
    path(
        "meetings/<int:meeting_id>/risks.<packformat:fmt>",
        views.meeting_pack,
        {"which": "risk-register"},
        name="risk_pack",
    ),
    path("risks/", views.risk_list, name="risks"),
    path("risks/new/", views.risk_new, name="risk_new"),
    path("risks/<int:risk_id>/", views.risk_detail, name="risk"),
    path("risks/<int:risk_id>/close/", views.risk_close, name="risk_close"),
    path("risks/<int:risk_id>/rescore/", views.risk_rescore, name="risk_rescore"),
    path("timeline/", views.timeline, name="timeline"),
    path("plan-as-at/", views.plan_as_at, name="plan_as_at"),
]
