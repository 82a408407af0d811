"""A partnership administrator's pages, under /settings/ (send_tracker/accounts/people_views.py)."""

from django.urls import path

from . import people_views as views

app_name = "people"

urlpatterns = [
    path("people/", views.people_list, name="list"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/resend/", views.person_action, {"action": "resend"}, name="resend"),
    path("people/<int:person_id>/deactivate/", views.person_action, {"action": "deactivate"}, name="deactivate"),
    path("people/<int:person_id>/reactivate/", views.person_action, {"action": "reactivate"}, name="reactivate"),
    path("organisations/", views.organisations_list, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<int:organisation_id>/", views.organisation_edit, name="organisation_edit"),
    path("api-keys/", views.api_keys_list, name="api_keys"),
    path("api-keys/new/", views.api_key_new, name="api_key_new"),
    path("api-keys/<int:key_id>/made/", views.api_key_made, name="api_key_made"),
    path("api-keys/<int:key_id>/revoke/", views.api_key_revoke, name="api_key_revoke"),
]
