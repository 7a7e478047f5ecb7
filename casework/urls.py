from django.urls import path

from casework import views

app_name = "casework"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/identity/", views.case_identity, name="case_identity"),
]
