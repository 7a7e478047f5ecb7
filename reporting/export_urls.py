"""M&E's exports: ask for one, follow its build, download the file."""

from django.urls import path

from reporting.views import exports

urlpatterns = [
    path("exports/", exports.export_new, name="export_new"),
    path("exports/<int:job_id>/", exports.export_detail, name="export_detail"),
    path("exports/<int:job_id>/download/", exports.export_download, name="export_download"),
]
