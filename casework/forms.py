"""Forms of the casework pages. Labels and choices are translatable; validation lives in the models and services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import choices
from navigators.models import Team, User


class CarriedInUrl(forms.BoundField):
    """A filter the country dashboard's links set: a bare hidden input, with no label on the filter bar."""

    def label_tag(self, *args, **kwargs):
        return ""


def _carried(field_class, **kwargs):
    return field_class(required=False, widget=forms.HiddenInput, bound_field_class=CarriedInUrl, **kwargs)


class CaseloadFilterForm(forms.Form):
    SCOPES = [("mine", _("Assigned to me")), ("all", _("All I may see"))]

    scope = forms.ChoiceField(label=_("Cases"), choices=SCOPES, required=False)
    q = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("Any stage")), *choices.Stage.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue follow-ups only"), required=False)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        help_text=_("Finds only survivors whose identity you may see."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    # The country dashboard's drill-downs (casework.selectors.caseload), kept in the URL and in the form as
    # hidden inputs, so that refining the list with the filters above keeps them.
    country = _carried(forms.CharField, label=_("Country"), max_length=2)
    navigator = _carried(forms.IntegerField, label=_("Assigned Navigator"), min_value=1)
    unassigned = _carried(forms.BooleanField, label=_("No Navigator assigned"))
    open = _carried(forms.BooleanField, label=_("Open cases only"))
    no_contact_days = _carried(
        forms.IntegerField, label=_("No contact for this many days"), min_value=1, max_value=3650
    )
    review_overdue = _carried(forms.BooleanField, label=_("Care plan past review"))
    engagement = _carried(
        forms.ChoiceField,
        label=_("Police engagement now"),
        choices=[
            ("", _("Any")),
            ("none", _("None recorded")),
            *((str(value), label) for value, label in choices.EngagementLevel.choices),
        ],
    )

    def drill_down(self) -> dict:
        """The dashboard's filters as `caseload` keyword arguments (call after is_valid())."""
        data = self.cleaned_data
        return {
            "country": (data.get("country") or "").upper(),
            "navigator": data.get("navigator"),
            "unassigned": bool(data.get("unassigned")),
            "open_only": bool(data.get("open")),
            "no_contact_days": data.get("no_contact_days"),
            "review_overdue": bool(data.get("review_overdue")),
            "engagement": data.get("engagement") or "",
        }


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClosureRequestForm(forms.Form):
    closure_reason = forms.ChoiceField(
        label=_("Why should the case close?"), choices=[("", _("Choose a reason")), *choices.ClosureReason.choices]
    )
    closes_on = forms.DateField(label=_("Closing date"), widget=_date_input(), initial=timezone.localdate)
    notes = forms.CharField(
        label=_("Notes for the country lead"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, team):
        return f"{team.name} ({team.country.name})"


class TransferRequestForm(forms.Form):
    to_team = TeamChoiceField(
        label=_("Team to hand the case to"),
        queryset=Team.objects.none(),
        empty_label=_("Choose a team"),
        help_text=_(
            "A team in another country takes the case only with the survivor's consent to share it across a border."
        ),
    )
    notes = forms.CharField(
        label=_("Notes for the country lead"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = (
            Team.objects.filter(is_active=True)
            .exclude(pk=case.team_id)
            .select_related("country")
            .order_by("country__name", "name")
        )


class NavigatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return str(user)


class ReassignForm(forms.Form):
    navigators = NavigatorChoiceField(
        label=_("Assigned Navigators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Navigators of the case's team. Untick someone to end their assignment; tick someone to add them."),
    )
    on = forms.DateField(label=_("From"), widget=_date_input(), initial=timezone.localdate)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["navigators"].queryset = User.objects.filter(
            memberships__team=case.team_id, memberships__ended_on__isnull=True
        ).order_by("first_name", "last_name", "username")


class ApproveRequestForm(forms.Form):
    decision_note = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnRequestForm(forms.Form):
    decision_note = forms.CharField(
        label=_("Comment for the Navigator"),
        help_text=_("What should change before you approve."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the request is returned, so the Navigator knows what to change.")},
    )
