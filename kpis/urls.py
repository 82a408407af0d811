from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("benchmark/", views.benchmark, name="benchmark"),
    path("figures/upload/", views.partnership_values_upload, name="partnership_upload"),
    path("figures/template.csv", views.partnership_values_template, {"fmt": "csv"}, name="partnership_template_csv"),
    path("figures/template.xlsx", views.partnership_values_template, {"fmt": "xlsx"}, name="partnership_template_xlsx"),
    path("new/", views.indicator_new, name="indicator_new"),
    path("<int:indicator_id>/edit/", views.indicator_edit, name="indicator_edit"),
    path("<int:indicator_id>/", views.indicator_detail, name="detail"),
    path("<int:indicator_id>/values/new/", views.value_new, name="value_new"),
    path("<int:indicator_id>/values/upload/", views.values_upload, name="values_upload"),
    path("<int:indicator_id>/targets/new/", views.target_new, name="target_new"),
    path("figures/<int:value_id>/exception-note/", views.exception_note, name="exception_note"),
]
