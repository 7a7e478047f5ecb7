"""M&E pages under /reports/: the headline table, exports, publishing (reporting.report, reporting.exports) and the
entry of training, prevention and aggregate returns (reporting.entry). One namespace, "reporting"."""

from django.urls import include, path

app_name = "reporting"
urlpatterns = [
    path("", include("reporting.report.urls")),
    path("", include("reporting.entry.urls")),
    path("", include("reporting.exports.urls")),
]
