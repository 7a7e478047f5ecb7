from django.urls import path

from navigators import views

urlpatterns = [
    path("", views.home, name="home"),
    path("role-requests/", views.role_requests, name="role_requests"),
    path("role-requests/<int:role_request_id>/approve/", views.role_request_approve, name="role_request_approve"),
    path("role-requests/<int:role_request_id>/refuse/", views.role_request_refuse, name="role_request_refuse"),
]
