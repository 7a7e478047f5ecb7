"""The headline table, its trends, publishing and restatements."""

from django.urls import path

from reporting.report import views as report

urlpatterns = [
    path("headline/", report.headline_table, name="headline"),
    path("trends/", report.trends, name="trends"),
    path("publish/", report.publish, name="publish"),
    path("published/", report.published_list, name="published_list"),
    path("published/<int:published_id>/", report.published_detail, name="published_detail"),
]
