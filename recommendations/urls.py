"""Scrutiny recommendations and responses."""

from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("download.<str:fmt>", views.tracker_download, name="tracker_download"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("<int:recommendation_id>/", views.recommendation_detail, name="detail"),
    path("<int:recommendation_id>/respond/", views.record_response, name="respond"),
    path("<int:recommendation_id>/updates/new/", views.add_update, name="update"),
    path("<int:recommendation_id>/close/", views.close, name="close"),
]
