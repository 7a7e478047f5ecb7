from django.urls import path

from dataprotection import views

app_name = "dataprotection"
urlpatterns = [
    path("", views.home, name="home"),
    path("survivors/<int:survivor_id>/", views.survivor_page, name="survivor"),
    path("survivors/<int:survivor_id>/subject-access/", views.subject_access_page, name="subject_access"),
    path("survivors/<int:survivor_id>/subject-access.json", views.subject_access_json, name="subject_access_json"),
    path("survivors/<int:survivor_id>/legal-holds/", views.legal_hold_set, name="legal_hold_set"),
    path("survivors/<int:survivor_id>/legal-holds/lift/", views.legal_hold_lift, name="legal_hold_lift"),
    path("survivors/<int:survivor_id>/erase/", views.erase, name="erase"),
    path("possible-duplicates/", views.possible_duplicates, name="possible_duplicates"),
    path(
        "possible-duplicates/<int:review_id>/decide/", views.possible_duplicate_decide, name="possible_duplicate_decide"
    ),
    path("role-grants/", views.role_grants, name="role_grants"),
]
