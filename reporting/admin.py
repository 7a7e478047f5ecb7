from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import (
    AggregateReturn,
    AggregateReturnValue,
    ExportJob,
    PreventionSession,
    PublishedReport,
    TrainingSession,
)


@admin.register(TrainingSession)
class TrainingSessionAdmin(SimpleHistoryAdmin):
    list_display = ["team", "held_on", "audience", "attendee_count"]
    list_filter = ["team__country", "audience"]
    list_select_related = ["team"]
    date_hierarchy = "held_on"


@admin.register(PreventionSession)
class PreventionSessionAdmin(SimpleHistoryAdmin):
    list_display = ["team", "held_on", "reach", "participants"]
    list_filter = ["team__country", "reach"]
    list_select_related = ["team"]
    date_hierarchy = "held_on"


class ValueInline(admin.TabularInline):
    model = AggregateReturnValue
    extra = 0


@admin.register(AggregateReturn)
class AggregateReturnAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "source", "period_start", "period_end", "funded"]
    list_filter = ["source", "partner", "country"]
    inlines = [ValueInline]


@admin.register(AggregateReturnValue)
class AggregateReturnValueAdmin(SimpleHistoryAdmin):
    list_display = ["aggregate_return", "indicator", "value"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the application writes and nobody edits: shown, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishedReport)
class PublishedReportAdmin(ReadOnlyAdmin):
    # Frozen once written (the model refuses a second save), so it needs no history of its own.
    list_display = ["label", "period_start", "period_end", "published_by", "published_at", "rules_version"]
    list_select_related = ["published_by"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    # The file itself stays out of the admin: only the requester downloads it, through the M&E pages.
    list_display = ["kind", "requested_by", "status", "progress", "created_at", "finished_at"]
    list_select_related = ["requested_by"]
    exclude = ["content"]
