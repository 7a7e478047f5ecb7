"""Only the access trail is in the admin, read-only.

Survivor records are case data: administrators do not see them through the admin, which checks no
object permission and writes no access record (see casework/admin.py).
"""

from django.contrib import admin

from survivors.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: the access trail is never edited or deleted, not even by an administrator."""

    list_display = ["at", "user", "action", "survivor", "subject", "case", "ip_address"]
    list_filter = ["action"]
    list_select_related = ["user", "survivor", "case__team"]
    search_fields = ["survivor__case_reference", "subject", "user__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
