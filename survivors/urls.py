from django.urls import path

from survivors import views

app_name = "survivors"
urlpatterns = [
    path("survivors/new/", views.survivor_register, name="survivor_register"),
    path("survivors/<int:survivor_id>/edit/", views.survivor_edit, name="survivor_edit"),
    path("survivors/<int:survivor_id>/identity/edit/", views.survivor_identity_edit, name="survivor_identity_edit"),
    path("survivors/<int:survivor_id>/consent/", views.survivor_consent, name="survivor_consent"),
    path("survivors/<int:survivor_id>/access/", views.survivor_access_trail, name="survivor_access_trail"),
    path("users/<int:user_id>/access/", views.user_access_trail, name="user_access_trail"),
]
