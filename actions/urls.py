from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.current_plan, name="current_plan"),
    path("<int:plan_id>/", views.plan_overview, name="plan"),
    path("actions/", views.action_list, name="list"),
    path("actions/<int:action_id>/", views.action_detail, name="detail"),
    path("actions/<int:action_id>/rate/", views.rate_action, name="rate"),
    path("evidence/<int:update_id>/", views.evidence_download, name="evidence"),
]
