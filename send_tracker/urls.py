from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from send_tracker import accessibility
from send_tracker.accounts import people_views
from send_tracker.accounts.admin_scope import view_on_site
from send_tracker.operations.views import healthz
from send_tracker.overview import compare, dashboard, mine, public

urlpatterns = [
    # First: partners' systems poll the API, and every pattern before it is tried on each request.
    path("api/", include("send_tracker.api_urls")),
    path("", dashboard.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("yours/", mine.yours, name="yours"),
    path("partnerships/", compare.compare_partnerships, name="compare_partnerships"),
    path("public/", public.public_index, name="public_index"),
    path("public/<slug:slug>/", public.public_partnership, name="public_partnership"),
    path("public/<slug:slug>/accessibility/", accessibility.public_statement, name="public_accessibility"),
    path("accessibility/", accessibility.statement, name="accessibility"),
    path("accounts/", include("send_tracker.accounts.urls")),
    path("plan/", include("actions.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("kpis/", include("kpis.urls")),
    path("governance/", include("governance.urls")),
    path("alerts/", include("send_tracker.alerts.urls")),
    # A partnership administrator's people, organisations and API keys; an invited person's link.
    path("settings/", include("send_tracker.accounts.people_urls")),
    path("invitation/<str:token>/", people_views.accept_invitation, name="accept_invitation"),
    # Everyone signs in at one page, which asks for the second factor; the admin's own would not.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    # Before the admin's own pattern of the same address, which would redirect to any partnership's row.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
]

handler403 = "send_tracker.error_pages.forbidden"
handler404 = "send_tracker.error_pages.not_found"
handler500 = "send_tracker.error_pages.server_error"
