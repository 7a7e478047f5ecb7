"""Forms of M&E's entry pages. Labels and choices are translatable; the rules live in the models and
reporting.services."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from casework.forms import TeamChoiceField
from navigators.models import Country, Partner, Team
from reporting.choices import Indicator, PreventionReach, ReturnSource, TrainingAudience
from reporting.models import AggregateReturn, PreventionSession, TrainingSession
from reporting.periods import Period, financial_year, financial_year_of, half_year, named_period, parse_period

RECENT_YEARS = 6  # financial years offered in the period list; older ones are typed


def recent_periods(today: date | None = None) -> list[Period]:
    """The periods that have begun in the last few financial years, newest first: H2, H1, the year."""
    today = today or timezone.localdate()
    first = financial_year_of(today).start.year
    periods = []
    for start_year in range(first, first - RECENT_YEARS, -1):
        periods += [half_year(start_year, 2), half_year(start_year, 1), financial_year(start_year)]
    return [period for period in periods if period.start <= today]


def period_span(period: Period) -> str:
    return f"{date_format(period.start, 'j M Y')} – {date_format(period.end, 'j M Y')}"


class PeriodInput(forms.TextInput):
    """A text box with the recent periods to pick from (an HTML datalist); any other period is typed."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "size": 10, "maxlength": 12, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        if not attrs.get("id"):
            return super().render(name, value, attrs, renderer)
        list_id = attrs["list"] = f"{attrs['id']}_periods"
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((p.label, period_span(p)) for p in recent_periods())
        )
        return super().render(name, value, attrs, renderer) + format_html(
            '<datalist id="{}">{}</datalist>', list_id, options
        )


class PeriodField(forms.Field):
    """A financial year ("23/24", 1 Sep – 31 Aug) or half-year ("23/24 H1"), cleaned to a Period."""

    widget = PeriodInput
    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a period. Type a financial year such as 23/24, or a half-year such as 23/24 H1 or 23/24 H2."
        ),
    }

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return parse_period(" ".join(value.upper().split()))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value}) from None

    def prepare_value(self, value):
        return value.label if isinstance(value, Period) else value


PERIOD_HELP = _(
    "A financial year (1 Sep – 31 Aug) such as 23/24, or a half-year: 23/24 H1 (Sep – Feb) or 23/24 H2 "
    "(Mar – Aug). Pick a recent one from the list or type it."
)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def direct_work_teams(current: Team | None = None):
    """Teams of the direct-work countries, active ones (and the record's own team, when correcting)."""
    teams = (
        Team.objects.filter(country__is_direct_work=True).select_related("country").order_by("country__name", "name")
    )
    return teams.filter(Q(is_active=True) | Q(pk=getattr(current, "pk", None)))


# Lists.


class SessionFilterForm(forms.Form):
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.none(), required=False, empty_label=_("All countries")
    )
    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams"))
    period = PeriodField(label=_("Period"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.filter(is_direct_work=True).order_by("name")
        self.fields["team"].queryset = (
            Team.objects.filter(country__is_direct_work=True)
            .select_related("country")
            .order_by("country__name", "name")
        )


class ReturnFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("Kind"), choices=[("", _("All returns")), *ReturnSource.choices], required=False)
    period = PeriodField(label=_("Period"), required=False, help_text=_("Returns covering any part of it."))


# Sessions.


class TrainingSessionForm(forms.Form):
    team = TeamChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=_("Choose a team"),
        help_text=_("The direct-work team that delivered the training."),
    )
    held_on = forms.DateField(label=_("Date"), widget=_date_input())
    audience = forms.ChoiceField(
        label=_("Audience"), choices=[("", _("Choose the audience")), *TrainingAudience.choices]
    )
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    attendee_count = forms.IntegerField(
        label=_("Attendees"), min_value=0, help_text=_("Frontline professionals who attended (head count).")
    )

    def __init__(self, *args, session: TrainingSession | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = direct_work_teams(session.team if session else None)

    @staticmethod
    def initial_for(session: TrainingSession | None) -> dict:
        if session is None:
            return {}
        return {
            "team": session.team_id,
            "held_on": session.held_on,
            "audience": session.audience,
            "topic": session.topic,
            "attendee_count": session.attendee_count,
        }


class PreventionSessionForm(forms.Form):
    team = TeamChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=_("Choose a team"),
        help_text=_("The direct-work team that held the session."),
    )
    held_on = forms.DateField(label=_("Date"), widget=_date_input())
    reach = forms.ChoiceField(
        label=_("Reach"),
        choices=PreventionReach.choices,
        widget=forms.RadioSelect,
        initial=PreventionReach.DIRECT,
        help_text=_("Only direct reach counts towards the headline indicator."),
    )
    participants = forms.IntegerField(
        label=_("Participants"), min_value=0, help_text=_("Head count; for indirect reach, the estimated audience.")
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=200)

    def __init__(self, *args, session: PreventionSession | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = direct_work_teams(session.team if session else None)

    @staticmethod
    def initial_for(session: PreventionSession | None) -> dict:
        if session is None:
            return {}
        return {
            "team": session.team_id,
            "held_on": session.held_on,
            "reach": session.reach,
            "participants": session.participants,
            "description": session.description,
        }


# Aggregate returns.


class AggregateReturnForm(forms.Form):
    """A return's own fields and one figure per indicator; a blank figure is not in the return."""

    source = ""  # each kind of return says which

    period = PeriodField(label=_("Period"), help_text=PERIOD_HELP)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in Indicator:
            self.fields[indicator.value] = forms.IntegerField(label=indicator.label, required=False, min_value=0)
        self.order_fields(["partner", "country", "period", "funded", *Indicator.values, "notes"])

    def service_arguments(self) -> dict:
        """aggregate_return_save's keyword arguments (call after is_valid())."""
        data = self.cleaned_data
        own = {name: data[name] for name in ("partner", "country", "funded") if name in self.fields}
        return {
            "source": self.source,
            "period": data["period"],
            "notes": data["notes"],
            **own,
            "values": {indicator: data.get(indicator) for indicator in Indicator.values},
        }

    @staticmethod
    def initial_for(aggregate_return: AggregateReturn | None) -> dict:
        if aggregate_return is None:
            return {}
        return {
            "partner": aggregate_return.partner_id,
            "country": aggregate_return.country_id,
            "funded": aggregate_return.funded,
            "notes": aggregate_return.notes,
            "period": named_period(aggregate_return.period_start, aggregate_return.period_end),
            **{row.indicator: row.value for row in aggregate_return.values.all()},
        }


class PartnerReturnForm(AggregateReturnForm):
    source = ReturnSource.PARTNER

    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.select_related("country"), empty_label=_("Choose a partner")
    )
    funded = forms.BooleanField(
        label=_("We directly funded this partner in this period"),
        required=False,
        help_text=_("Its figures are then added to 'incl. funded joint ops'."),
    )


class LegacyReturnForm(AggregateReturnForm):
    source = ReturnSource.LEGACY

    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.none(),
        required=False,
        empty_label=_("Direct work as a whole"),
        help_text=_("One of the charity's own countries, or direct work as a whole."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.filter(is_direct_work=True).order_by("name")


RETURN_FORMS = {ReturnSource.PARTNER: PartnerReturnForm, ReturnSource.LEGACY: LegacyReturnForm}
