from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casework import models


class AssignmentInline(admin.TabularInline):
    model = models.CaseAssignment
    extra = 0
    raw_id_fields = ["navigator"]


@admin.register(models.Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["survivor", "team", "stage", "opened_on", "closed_on"]
    list_filter = ["team__country", "team", "stage"]
    list_select_related = ["survivor", "team"]
    search_fields = ["survivor__case_reference"]
    raw_id_fields = ["survivor", "transferred_from", "opened_by"]
    inlines = [AssignmentInline]


class CaseEventAdmin(SimpleHistoryAdmin):
    list_display = ["case", "occurred_on", "__str__"]
    list_select_related = ["case__survivor", "case__team"]
    search_fields = ["case__survivor__case_reference"]
    raw_id_fields = ["case", "recorded_by"]
    date_hierarchy = "occurred_on"


for event_model in [
    models.FollowUp,
    models.SupportService,
    models.WellbeingAssessment,
    models.PoliceEngagementEvent,
    models.NrmEvent,
    models.StageChange,
    models.RetraffickingEvent,
    models.RemovalFromExploitation,
]:
    admin.site.register(event_model, CaseEventAdmin)


@admin.register(models.Arrest)
class ArrestAdmin(CaseEventAdmin):
    raw_id_fields = ["case", "recorded_by", "accused"]


@admin.register(models.CaseAssignment)
class CaseAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["case", "navigator", "started_on", "ended_on"]
    list_select_related = ["case__survivor", "case__team", "navigator"]
    raw_id_fields = ["case", "navigator"]


class GoalInline(admin.TabularInline):
    model = models.CarePlanGoal
    extra = 0


@admin.register(models.CarePlan)
class CarePlanAdmin(SimpleHistoryAdmin):
    list_display = ["case", "started_on", "next_review_on"]
    list_select_related = ["case__survivor", "case__team"]
    raw_id_fields = ["case"]
    inlines = [GoalInline]


@admin.register(models.CarePlanGoal)
class CarePlanGoalAdmin(SimpleHistoryAdmin):
    list_display = ["care_plan", "domain", "status"]
    raw_id_fields = ["care_plan"]


@admin.register(models.AccusedPerson)
class AccusedPersonAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "gender", "citizenship", "recorded_by_team"]
    search_fields = ["reference"]


class HearingInline(admin.TabularInline):
    model = models.CourtHearing
    extra = 0


@admin.register(models.Prosecution)
class ProsecutionAdmin(SimpleHistoryAdmin):
    list_display = ["accused", "case", "outcome", "trial_started_on", "outcome_on"]
    list_filter = ["outcome"]
    list_select_related = ["accused", "case__survivor", "case__team"]
    raw_id_fields = ["case", "accused", "recorded_by"]
    inlines = [HearingInline]


@admin.register(models.CourtHearing)
class CourtHearingAdmin(SimpleHistoryAdmin):
    list_display = ["prosecution", "kind", "scheduled_for"]
    raw_id_fields = ["prosecution"]


class StepInline(admin.TabularInline):
    model = models.RepatriationStep
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(models.Repatriation)
class RepatriationAdmin(SimpleHistoryAdmin):
    list_display = ["case", "sending_country", "receiving_country", "stage", "arrived_on", "is_child"]
    list_filter = ["stage", "sending_country", "receiving_country", "is_child"]
    list_select_related = ["case__survivor", "case__team"]
    raw_id_fields = ["case", "receiving_case"]
    inlines = [StepInline]


@admin.register(models.RepatriationStep)
class RepatriationStepAdmin(SimpleHistoryAdmin):
    list_display = ["repatriation", "stage", "occurred_on"]
    raw_id_fields = ["repatriation", "recorded_by"]
