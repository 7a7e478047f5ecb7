"""Entering and correcting training sessions, prevention sessions and aggregate returns (M&E only)."""

from django.urls import path

from reporting.entry import views as entry

urlpatterns = [
    path("training/", entry.training_session_list, name="training_session_list"),
    path("training/new/", entry.training_session_new, name="training_session_new"),
    path("training/<int:training_session_id>/", entry.training_session_edit, name="training_session_edit"),
    path("prevention/", entry.prevention_session_list, name="prevention_session_list"),
    path("prevention/new/", entry.prevention_session_new, name="prevention_session_new"),
    path("prevention/<int:prevention_session_id>/", entry.prevention_session_edit, name="prevention_session_edit"),
    path("returns/", entry.aggregate_return_list, name="aggregate_return_list"),
    path("returns/new/<slug:source>/", entry.aggregate_return_new, name="aggregate_return_new"),
    path("returns/<int:return_id>/", entry.aggregate_return_edit, name="aggregate_return_edit"),
]
