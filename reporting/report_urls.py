"""The headline table, its exports and publishing."""

urlpatterns = []
