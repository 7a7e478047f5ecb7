from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from survivors.models import AccessRecord, ConsentRecord, IdentityDocument, Survivor, SurvivorExploitation, SurvivorIdentity


class ExploitationInline(admin.TabularInline):
    model = SurvivorExploitation
    extra = 0


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(Survivor)
class SurvivorAdmin(SimpleHistoryAdmin):
    # The list shows references, never names: identities open one record at a time.
    list_display = ["case_reference", "gender", "trafficking_status", "registered_on"]
    list_filter = ["gender", "trafficking_status"]
    search_fields = ["case_reference"]
    readonly_fields = ["case_reference"]
    raw_id_fields = ["registered_by"]
    inlines = [ExploitationInline, ConsentInline]


@admin.register(SurvivorIdentity)
class SurvivorIdentityAdmin(SimpleHistoryAdmin):
    list_display = ["survivor"]
    search_fields = ["survivor__case_reference"]
    raw_id_fields = ["survivor"]


@admin.register(IdentityDocument)
class IdentityDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["survivor", "kind", "issuing_country"]
    raw_id_fields = ["survivor"]


@admin.register(SurvivorExploitation)
class SurvivorExploitationAdmin(SimpleHistoryAdmin):
    list_display = ["survivor", "type"]
    list_filter = ["type"]
    raw_id_fields = ["survivor"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(SimpleHistoryAdmin):
    list_display = ["survivor", "topic", "given", "recorded_on"]
    list_filter = ["topic", "given"]
    raw_id_fields = ["survivor", "recorded_by"]


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: the access trail is never edited or deleted, not even by an administrator."""

    list_display = ["at", "user", "action", "survivor", "case", "ip_address"]
    list_filter = ["action"]
    list_select_related = ["user", "survivor", "case__team"]
    search_fields = ["survivor__case_reference", "user__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
