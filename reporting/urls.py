"""M&E pages under /reports/: the headline table, exports, publishing (report_urls) and the entry of
training, prevention and aggregate returns (entry_urls). One namespace, "reporting"."""

from django.urls import include, path

app_name = "reporting"
urlpatterns = [
    path("", include("reporting.report_urls")),
    path("", include("reporting.entry_urls")),
    path("", include("reporting.export_urls")),
]
