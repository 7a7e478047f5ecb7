from django.urls import path

from casework.views import cases

app_name = "casework"
urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("<int:case_id>/", cases.case_detail, name="case_detail"),
    path("<int:case_id>/identity/", cases.case_identity, name="case_identity"),
]
