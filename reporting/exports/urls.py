"""M&E's exports: ask for one, follow its build, download the file; and the anonymised case-level
extract, streamed as it is read."""

from django.urls import path

from reporting.exports import views

urlpatterns = [
    path("exports/", views.export_new, name="export_new"),
    path("exports/<int:job_id>/", views.export_detail, name="export_detail"),
    path("exports/<int:job_id>/download/", views.export_download, name="export_download"),
    path("exports/cases/", views.case_extract, name="case_extract"),
]
