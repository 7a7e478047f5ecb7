"""Forms of the survivor pages. Labels and choices are translatable; validation lives in the models and services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navigators import plausible
from navigators.countries import COUNTRY_CHOICES
from survivors import choices
from survivors.services import DETAIL_FIELDS, IDENTITY_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _blank(label, options):
    return [("", label), *options]


class SurvivorDetailsForm(forms.Form):
    """What is counted about the survivor: never their name (see SurvivorIdentityForm)."""

    gender = forms.ChoiceField(label=_("Gender"), choices=choices.Gender.choices, initial=choices.Gender.UNKNOWN)
    citizenships = forms.MultipleChoiceField(
        label=_("Citizenships"),
        choices=COUNTRY_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Choose every country they are a citizen of (on a computer, hold Ctrl or ⌘ to choose more than one)."
        ),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        validators=[plausible.validate_birth_year],
        help_text=_("Leave empty if not known. An estimate is fine: say so below."),
    )
    birth_date_precision = forms.ChoiceField(
        label=_("How exact is the year of birth?"),
        choices=choices.BirthDatePrecision.choices,
        initial=choices.BirthDatePrecision.UNKNOWN,
    )
    age_at_exploitation = forms.IntegerField(
        label=_("Age when exploitation began"),
        required=False,
        validators=[plausible.NumberRange(0, plausible.OLDEST_AGE)],
        help_text=_("In years. Under 18 counts as a minor."),
    )
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"),
        choices=choices.TraffickingStatus.choices,
        initial=choices.TraffickingStatus.POSSIBLE,
    )
    status_decided_by = forms.ChoiceField(
        label=_("Status decided by"),
        required=False,
        choices=_blank(_("No decision yet"), choices.StatusDecidedBy.choices),
        help_text=_("Leave empty for a possible victim."),
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"),
        required=False,
        choices=choices.ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sexual_subtype = forms.ChoiceField(
        label=_("Kind of sexual exploitation"),
        required=False,
        choices=_blank(_("Not known"), choices.SexualExploitationSubtype.choices),
        help_text=_("Only with sexual exploitation."),
    )
    industry = forms.ChoiceField(
        label=_("Industry of the forced labour"),
        required=False,
        choices=_blank(_("Not known"), choices.IsicSection.choices),
        help_text=_("Only with forced labour."),
    )
    county_lines = forms.BooleanField(label=_("County lines (criminal exploitation)"), required=False)
    cuckooing = forms.BooleanField(label=_("Cuckooing (criminal exploitation)"), required=False)
    means_of_control = forms.MultipleChoiceField(
        label=_("Means of control"),
        required=False,
        choices=choices.MeansOfControl.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recruiter_relation = forms.ChoiceField(
        label=_("Recruiter's relation to the survivor"),
        choices=choices.RecruiterRelation.choices,
        initial=choices.RecruiterRelation.UNKNOWN,
    )

    # Details of one exploitation type, given only with that type: (form field, type it needs, message).
    NEEDS_TYPE = [
        ("sexual_subtype", choices.ExploitationType.SEXUAL, _("Tick sexual exploitation above, or leave this empty.")),
        ("industry", choices.ExploitationType.FORCED_LABOUR, _("Tick forced labour above, or leave this empty.")),
        (
            "county_lines",
            choices.ExploitationType.CRIMINAL,
            _("Tick criminal exploitation above, or leave this unticked."),
        ),
        (
            "cuckooing",
            choices.ExploitationType.CRIMINAL,
            _("Tick criminal exploitation above, or leave this unticked."),
        ),
    ]

    @classmethod
    def initial_for(cls, survivor) -> dict:
        initial = {field: getattr(survivor, field) for field in DETAIL_FIELDS}
        for row in survivor.exploitations.all():
            initial.setdefault("exploitation_types", []).append(row.type)
            for field, needed, _message in cls.NEEDS_TYPE:
                if row.type == needed and getattr(row, field):
                    initial[field] = getattr(row, field)
        return initial

    def clean(self):
        data = super().clean()
        types = set(data.get("exploitation_types") or [])
        for field, needed, message in self.NEEDS_TYPE:
            if data.get(field) and needed not in types:
                self.add_error(field, message)
        return data

    def exploitations(self) -> list[dict]:
        """One row per type ticked, each with the details its type carries."""
        rows = []
        for kind in self.cleaned_data["exploitation_types"]:
            row = {"type": kind}
            for field, needed, _message in self.NEEDS_TYPE:
                if kind == needed:
                    row[field] = self.cleaned_data[field]
            rows.append(row)
        return rows

    def details(self) -> dict:
        details = {field: self.cleaned_data[field] for field in DETAIL_FIELDS}
        details["citizenships"] = list(details["citizenships"])
        return details


class SurvivorIdentityForm(forms.Form):
    """Who the survivor is: seen only by their assigned Navigators and the country lead."""

    legal_name = forms.CharField(
        label=_("Legal name"), max_length=200, help_text=_("As on their documents, if they have any.")
    )
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        max_length=plausible.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names they are also known by, one per line, in any script."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=DateInput, validators=[plausible.validate_birth_date]
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=plausible.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    safe_contact_notes = forms.CharField(
        label=_("Safe-contact notes"),
        required=False,
        max_length=plausible.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When and how it is safe to make contact."),
    )

    @classmethod
    def initial_for(cls, identity) -> dict:
        if identity is None:
            return {"version": 0}
        return {**{field: getattr(identity, field) for field in IDENTITY_FIELDS}, "version": identity.version}

    def identity(self) -> dict:
        return {field: self.cleaned_data[field] for field in IDENTITY_FIELDS}


class VersionMixin(forms.Form):
    # The version the editor started from; a newer one on save means someone else saved meanwhile.
    version = forms.IntegerField(label=_("Version"), min_value=0, widget=forms.HiddenInput)


class SurvivorEditForm(VersionMixin, SurvivorDetailsForm):
    @classmethod
    def initial_for(cls, survivor) -> dict:
        return {**SurvivorDetailsForm.initial_for(survivor), "version": survivor.version}


class IdentityEditForm(VersionMixin, SurvivorIdentityForm):
    pass


class RegisterCaseForm(forms.Form):
    """The team whose case the registration opens."""

    team = forms.TypedChoiceField(label=_("Team"), coerce=int, help_text=_("The first case is opened for this team."))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {team.pk: team for team in teams}
        self.fields["team"].choices = [(team.pk, f"{team.name} ({team.country.name})") for team in teams]
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]


class DifferentPersonForm(forms.Form):
    different_person = forms.BooleanField(label=_("I have checked: this is a different person"), required=False)


class ConsentForm(forms.Form):
    ANSWERS = [("yes", _("Yes")), ("no", _("No"))]

    topic = forms.ChoiceField(label=_("Question"), choices=_blank(_("Choose a question"), choices.ConsentTopic.choices))
    given = forms.TypedChoiceField(
        label=_("Their answer"), choices=ANSWERS, widget=forms.RadioSelect, coerce=lambda answer: answer == "yes"
    )
    recorded_on = forms.DateField(
        label=_("Date they answered"),
        widget=DateInput,
        initial=timezone.localdate,
        validators=[plausible.validate_event_date],
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=plausible.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
