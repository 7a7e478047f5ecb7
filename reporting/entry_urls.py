"""Entering and correcting training sessions, prevention sessions and aggregate returns."""

urlpatterns = []
