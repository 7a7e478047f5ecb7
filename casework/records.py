"""The kinds of record a Navigator adds to a case: for each, its form and the service that saves it.

One table (RECORD_KINDS) drives one page, `casework:record_new`, so each kind of record is added the
same way: the form validates against the model (with the case set, so dates are checked against the
case's opening), and the service saves it with its history in one transaction.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import choices, models, services
from navigators.models import Country, Partner, Team


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class EventForm(forms.ModelForm):
    """A dated case event; the date defaults to today. `record()` saves it through the service the form
    names, the one place where that kind of record is written."""

    def __init__(self, *args, case, **kwargs):
        self.case = case
        kwargs.setdefault("instance", self._meta.model(case=case))
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect) and field.required:
                # A list of radio buttons needs no empty "---------" choice.
                field.choices = [c for c in field.choices if c[0] != ""]


class FollowUpForm(EventForm):
    def record(self, *, acting_user) -> models.FollowUp:
        return services.follow_up_log(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.FollowUp
        fields = ["occurred_on", "mode", "outcome", "purposes", "duration_minutes", "notes", "next_due_on"]
        widgets = {
            "occurred_on": DateInput,
            "next_due_on": DateInput,
            "mode": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "occurred_on": _("Date"),
            "duration_minutes": _("Duration (minutes)"),
            "notes": _("Short notes"),
            "next_due_on": _("Next follow-up due"),
        }

    purposes = forms.MultipleChoiceField(
        label=_("Purposes"),
        choices=choices.FollowUpPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SupportForm(EventForm):
    def record(self, *, acting_user) -> models.SupportService:
        return services.support_service_record(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.SupportService
        fields = ["occurred_on", "service_type", "notes"]
        widgets = {"occurred_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}


class AssessmentForm(EventForm):
    def record(self, *, acting_user) -> models.WellbeingAssessment:
        return services.assessment_record(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.WellbeingAssessment
        fields = ["occurred_on", *models.WellbeingAssessment.DOMAINS]
        widgets = {"occurred_on": DateInput}
        help_texts = {d: _("1 = most vulnerable, 4 = least") for d in models.WellbeingAssessment.DOMAINS}


class EngagementForm(EventForm):
    def record(self, *, acting_user) -> models.PoliceEngagementEvent:
        return services.police_engagement_record(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.PoliceEngagementEvent
        fields = ["occurred_on", "level", "is_withdrawal", "notes"]
        widgets = {"occurred_on": DateInput, "level": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"level": _("Engagement level now"), "is_withdrawal": _("The survivor withdrew (the level went down)")}


class NrmForm(EventForm):
    def record(self, *, acting_user) -> models.NrmEvent:
        return services.nrm_event_record(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.NrmEvent
        fields = ["occurred_on", "status", "first_responder", "competent_authority", "notes"]
        widgets = {"occurred_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}


class RescueForm(EventForm):
    def record(self, *, acting_user) -> models.RemovalFromExploitation:
        return services.removal_record(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.RemovalFromExploitation
        fields = ["occurred_on", "support_type", "notes"]
        widgets = {"occurred_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"support_type": _("What the team did")}


class RetraffickingForm(EventForm):
    def record(self, *, acting_user) -> models.RetraffickingEvent:
        return services.retrafficking_record(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.RetraffickingEvent
        fields = ["occurred_on", "notes"]
        widgets = {"occurred_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}


class StageForm(EventForm):
    """A move between reintegration stages. Closing a case is a request the country lead approves."""

    def record(self, *, acting_user) -> models.StageChange:
        return services.case_stage_change(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.StageChange
        fields = ["occurred_on", "stage", "notes"]
        widgets = {"occurred_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [c for c in choices.Stage.choices if c[0] != choices.Stage.CLOSED]


class AccusedField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Accused person's reference"),
            max_length=20,
            help_text=_("The pseudonymous reference used for this accused person (a new one is registered)."),
            **kwargs,
        )


class ArrestForm(EventForm):
    accused_reference = AccusedField()

    def record(self, *, acting_user) -> models.Arrest:
        return services.arrest_record(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.Arrest
        fields = ["accused_reference", "occurred_on", "support_type", "notes"]
        widgets = {"occurred_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"support_type": _("What the team did")}


class ProsecutionForm(EventForm):
    accused_reference = AccusedField()
    support_kinds = forms.MultipleChoiceField(
        label=_("How the team supported it"),
        choices=choices.ProsecutionSupport.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def record(self, *, acting_user) -> models.Prosecution:
        return services.prosecution_record(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.Prosecution
        fields = ["accused_reference", "offence", "support_kinds", "charged_on", "trial_started_on"]
        widgets = {"charged_on": DateInput, "trial_started_on": DateInput}


class HearingForm(forms.ModelForm):
    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.fields["prosecution"].queryset = models.Prosecution.objects.filter(case=case).select_related("accused")
        self.fields["prosecution"].label_from_instance = lambda p: f"{p.accused.reference}: {p.offence}"

    def record(self, *, acting_user) -> models.CourtHearing:
        return services.court_hearing_schedule(acting_user=acting_user, **self.cleaned_data)

    class Meta:
        model = models.CourtHearing
        fields = ["prosecution", "scheduled_for", "kind", "survivor_attending", "notes"]
        widgets = {"scheduled_for": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"scheduled_for": _("Date"), "survivor_attending": _("The survivor attends")}


class RepatriationForm(forms.ModelForm):
    def __init__(self, *args, case, **kwargs):
        self.case = case
        kwargs.setdefault("instance", models.Repatriation(case=case))
        kwargs.setdefault("initial", {}).update(
            {
                "requested_on": timezone.localdate(),
                "sending_country": case.team.country_id,
                "sending_team": case.team_id,
            }
        )
        super().__init__(*args, **kwargs)
        self.fields["sending_country"].queryset = self.fields["receiving_country"].queryset = Country.objects.all()
        for side in ("sending", "receiving"):
            self.fields[f"{side}_team"].queryset = Team.objects.filter(is_active=True).select_related("country")
            self.fields[f"{side}_partner"].queryset = Partner.objects.select_related("country")

    def record(self, *, acting_user) -> models.Repatriation:
        return services.repatriation_plan(acting_user=acting_user, case=self.case, **self.cleaned_data)

    class Meta:
        model = models.Repatriation
        fields = [
            "requested_on",
            "sending_country",
            "sending_team",
            "sending_partner",
            "receiving_country",
            "receiving_team",
            "receiving_partner",
            "is_child",
        ]
        widgets = {"requested_on": DateInput}
        labels = {"requested_on": _("Date requested")}


@dataclass(frozen=True)
class RecordKind:
    title: str
    form: type  # a form whose `record(acting_user=…)` calls the service that saves this kind of record
    only_in: str | None = None  # a country code, for records that apply in one country only


RECORD_KINDS = {
    "follow-up": RecordKind(_("Log a follow-up"), FollowUpForm),
    "support": RecordKind(_("Record support"), SupportForm),
    "assessment": RecordKind(_("Record a wellbeing assessment"), AssessmentForm),
    "engagement": RecordKind(_("Record a police-engagement change"), EngagementForm),
    "nrm": RecordKind(_("Record an NRM step"), NrmForm, only_in="GB"),
    "rescue": RecordKind(_("Record a removal from exploitation"), RescueForm),
    "retrafficking": RecordKind(_("Record re-trafficking"), RetraffickingForm),
    "stage": RecordKind(_("Record a stage change"), StageForm),
    "arrest": RecordKind(_("Record an arrest"), ArrestForm),
    "prosecution": RecordKind(_("Record a prosecution"), ProsecutionForm),
    "hearing": RecordKind(_("Add a court date"), HearingForm),
    "repatriation": RecordKind(_("Plan a repatriation"), RepatriationForm),
}


def record_kinds_for(case) -> dict[str, RecordKind]:
    """The kinds of record that apply to this case (the NRM only to UK cases)."""
    return {slug: kind for slug, kind in RECORD_KINDS.items() if kind.only_in in (None, case.team.country_id)}


class VersionedForm(forms.Form):
    """An edit form that carries the version it was drawn from (see navigators.versioning)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CarePlanForm(VersionedForm):
    started_on = forms.DateField(label=_("Plan started"), widget=DateInput)
    next_review_on = forms.DateField(label=_("Next review due"), widget=DateInput)
    last_reviewed_on = forms.DateField(label=_("Last reviewed"), widget=DateInput, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    new_goal_domain = forms.ChoiceField(
        label=_("New goal: domain"), choices=[("", "—"), *choices.WellbeingDomain.choices], required=False
    )
    new_goal = forms.CharField(label=_("New goal"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    new_goal_target_on = forms.DateField(label=_("New goal: target date"), widget=DateInput, required=False)

    def __init__(self, *args, care_plan=None, **kwargs):
        self.goals = list(care_plan.goals.all()) if care_plan else []
        super().__init__(*args, **kwargs)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=f"{goal.get_domain_display()}: {goal.goal}",
                choices=choices.GoalStatus.choices,
                initial=goal.status,
            )

    def clean(self):
        data = super().clean()
        if bool(data.get("new_goal_domain")) != bool(data.get("new_goal")):
            raise ValidationError(_("A new goal needs both its domain and what the goal is."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        goals = (
            [{"domain": data["new_goal_domain"], "goal": data["new_goal"], "target_on": data["new_goal_target_on"]}]
            if data["new_goal"]
            else []
        )
        return {
            "started_on": data["started_on"],
            "next_review_on": data["next_review_on"],
            "summary": data["summary"],
            "last_reviewed_on": data["last_reviewed_on"],
            "version": data["version"],
            "goals": goals,
            "goal_statuses": {goal.pk: data[f"goal_{goal.pk}"] for goal in self.goals},
        }

    @staticmethod
    def initial_for(care_plan) -> dict:
        if care_plan is None:
            return {"started_on": timezone.localdate()}
        return {
            "started_on": care_plan.started_on,
            "next_review_on": care_plan.next_review_on,
            "version": care_plan.version,
            "last_reviewed_on": care_plan.last_reviewed_on,
            "summary": care_plan.summary,
        }


class ProsecutionUpdateForm(VersionedForm):
    """A prosecution's progress: charge, trial start, outcome and sentence."""

    charged_on = forms.DateField(label=_("Charged on"), widget=DateInput, required=False)
    trial_started_on = forms.DateField(label=_("Trial started on"), widget=DateInput, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=choices.ProsecutionOutcome.choices)
    outcome_on = forms.DateField(label=_("Date of outcome"), widget=DateInput, required=False)
    sentence = forms.CharField(label=_("Sentence"), max_length=200, required=False)

    FIELDS = ["charged_on", "trial_started_on", "outcome", "outcome_on", "sentence"]

    @classmethod
    def initial_for(cls, prosecution) -> dict:
        return {**{f: getattr(prosecution, f) for f in cls.FIELDS}, "version": prosecution.version}


class RepatriationStepForm(forms.Form):
    stage = forms.ChoiceField(label=_("Next step"))
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, repatriation, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        order = choices.REPATRIATION_ORDER
        later = order[order.index(repatriation.stage) + 1 :] if repatriation.stage in order else []
        options = [(s.value, s.label) for s in later]
        if not repatriation.arrived_on:
            options.append((choices.RepatriationStage.CANCELLED.value, choices.RepatriationStage.CANCELLED.label))
        self.fields["stage"].choices = options


class CaseOpenForm(forms.Form):
    """Open a new case for a survivor already known (a second team, or a return after closure)."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput)
    assign_me = forms.BooleanField(label=_("Assign me to this case"), required=False, initial=True)

    def __init__(self, *args, teams, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("opened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
