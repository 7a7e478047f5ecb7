"""M&E's exports: ask for one, follow its build, download the file; and the anonymised case-level
extract, streamed as it is read."""

from django.urls import path

from reporting.views import exports, extract

urlpatterns = [
    path("exports/", exports.export_new, name="export_new"),
    path("exports/<int:job_id>/", exports.export_detail, name="export_detail"),
    path("exports/<int:job_id>/download/", exports.export_download, name="export_download"),
    path("exports/cases/", extract.case_extract, name="case_extract"),
]
