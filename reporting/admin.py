from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import AggregateReturn, AggregateReturnValue, PreventionSession, TrainingSession


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
