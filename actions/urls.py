from django.urls import path

from . import forum_views, sign_off_views, spreadsheet_views, views

app_name = "actions"

urlpatterns = [
    path("", views.current_plan, name="current_plan"),
    path("<int:plan_id>/", views.plan_overview, name="plan"),
    path("actions/", views.action_list, name="list"),
    path("actions/download.<str:fmt>", views.action_list_download, name="list_download"),
    path("actions/<int:action_id>/", views.action_detail, name="detail"),
    path("actions/<int:action_id>/rate/", views.rate_action, name="rate"),
    path("actions/<int:action_id>/edit/", views.action_page, name="edit"),
    path("actions/<int:action_id>/revise/", views.action_revise, name="revise"),
    path("actions/<int:action_id>/retire/", views.action_retire, name="retire"),
    path("actions/<int:action_id>/forum-view/", forum_views.forum_view_page, name="forum_view"),
    path("actions/<int:action_id>/forum-view/reply/", forum_views.forum_reply_page, name="forum_reply"),
    path("<int:plan_id>/actions/new/", views.action_page, name="new"),
    path("<int:plan_id>/areas/", views.plan_structure, name="structure"),
    path("<int:plan_id>/areas/new/", views.priority_area_page, name="area_new"),
    path("areas/<int:area_id>/edit/", views.priority_area_page, name="area_edit"),
    path("<int:plan_id>/objectives/new/", views.objective_page, name="objective_new"),
    path("objectives/<int:objective_id>/edit/", views.objective_page, name="objective_edit"),
    path("<int:plan_id>/sign-off/", sign_off_views.sign_off, name="sign_off"),
    path("<int:plan_id>/since-sign-off/", sign_off_views.since_sign_off, name="since_sign_off"),
    path(
        "<int:plan_id>/since-sign-off.csv",
        sign_off_views.since_sign_off_download,
        {"fmt": "csv"},
        name="since_sign_off_csv",
    ),
    path(
        "<int:plan_id>/since-sign-off.xlsx",
        sign_off_views.since_sign_off_download,
        {"fmt": "xlsx"},
        name="since_sign_off_xlsx",
    ),
    path("evidence/<int:update_id>/", views.evidence_download, name="evidence"),
    path("import/", spreadsheet_views.start_plan_import, name="start_import"),
    path("<int:plan_id>/import/", spreadsheet_views.plan_upload, name="import"),
    path("<int:plan_id>/import/check/", spreadsheet_views.plan_import_check, name="import_check"),
    path("<int:plan_id>/plan.csv", spreadsheet_views.plan_export, {"fmt": "csv"}, name="export_csv"),
    path("<int:plan_id>/plan.xlsx", spreadsheet_views.plan_export, {"fmt": "xlsx"}, name="export_xlsx"),
]
