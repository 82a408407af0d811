"""The partner API's routes under /api/v1/, its OpenAPI schema and its documentation.

Beside the root URL conf, not in send_tracker/api/: it names every app's viewsets, and the API's
plumbing in send_tracker/api/ (keys, authentication, errors, pagination, renderers, throttling,
filters) is a base the apps import, which imports no app.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from actions.api.views import ActionViewSet, PlanViewSet, PriorityAreaViewSet
from governance.api.views import MeetingViewSet, RiskViewSet
from kpis.api.views import EhcpTimelinessViewSet, IndicatorValueViewSet, IndicatorViewSet
from recommendations.api.views import RecommendationViewSet, ResponseViewSet
from send_tracker.alerts.api import AlertViewSet
from send_tracker.api.errors import not_found

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("priority-areas", PriorityAreaViewSet, basename="priority-area")
router.register("actions", ActionViewSet, basename="action")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("responses", ResponseViewSet, basename="response")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("risks", RiskViewSet, basename="risk")
router.register("kpis", IndicatorViewSet, basename="kpi")
router.register("kpi-values", IndicatorValueViewSet, basename="kpi-value")
router.register("ehcp-timeliness", EhcpTimelinessViewSet, basename="ehcp-timeliness")
router.register("alerts", AlertViewSet, basename="alert")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's set-up script as a file, so the CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^.*$", not_found),
]
