from django.urls import path

from survivors import views

app_name = "survivors"
urlpatterns = [
    path("survivors/<int:survivor_id>/access/", views.survivor_access_trail, name="survivor_access_trail"),
    path("users/<int:user_id>/access/", views.user_access_trail, name="user_access_trail"),
]
