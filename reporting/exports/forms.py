"""The forms of M&E's export pages. The headline export: a period (a half-year or year label, or a
from/to range), a format, up to three breakdown dimensions of one survivor indicator, and suppression
of the headline table. The anonymised case-level extract: a period alone."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reporting.breakdowns import DIMENSIONS, MAX_DIMENSIONS, SURVIVOR_INDICATORS
from reporting.choices import Indicator
from reporting.exports.jobs import BreakdownRequest, ExportRequest

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """A period: a half-year or financial-year label, or a from/to range (`report_period` once clean)."""

    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=12,
        help_text=_(
            "A half-year such as 21/22 H1 or a financial year such as 21/22. Or leave it empty and give dates."
        ),
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        label, start, end = data.get("period", "").strip(), data.get("start"), data.get("end")
        if label and (start or end):
            raise ValidationError(_("Give a period or dates, not both."))
        from reporting.headline import PeriodError, period_for_label, period_for_range

        try:
            if label:
                data["report_period"] = period_for_label(label)
            elif start and end:
                data["report_period"] = period_for_range(start, end)
            else:
                self.add_error("period", _("Give a period such as 21/22 H1, or both dates."))
        except PeriodError as error:
            self.add_error("period" if label else "end", str(error))
        return data


class CaseExtractForm(PeriodForm):
    """The anonymised case-level extract: the cases open at some time in the period."""


class ExportForm(PeriodForm):
    format = forms.ChoiceField(
        label=_("Format"),
        initial="xlsx",
        widget=forms.RadioSelect,
        choices=[("xlsx", _("Spreadsheet (XLSX), like the published table")), ("csv", _("CSV")), ("json", _("JSON"))],
    )
    suppress_headline = forms.BooleanField(
        label=_("Suppress small numbers in the headline table too"),
        required=False,
        help_text=_("Off by default: the charity publishes exact small numbers. Breakdowns are always suppressed."),
    )
    indicator = forms.ChoiceField(
        label=_("Break down"),
        required=False,
        choices=[("", _("No breakdown"))]
        + [(value, label) for value, label in Indicator.choices if value in SURVIVOR_INDICATORS],
    )
    dimensions = forms.MultipleChoiceField(
        label=_("By"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, dimension.label) for name, dimension in DIMENSIONS.items()],
        help_text=_("Up to three, crossed in one table."),
    )

    def clean(self):
        data = super().clean()
        dimensions = data.get("dimensions") or []
        if len(dimensions) > MAX_DIMENSIONS:
            self.add_error("dimensions", _("Choose at most three: more crossed dimensions would single people out."))
        elif data.get("indicator") and not dimensions:
            self.add_error("dimensions", _("Choose what to break the indicator down by."))
        elif dimensions and not data.get("indicator"):
            self.add_error("indicator", _("Choose the indicator to break down."))
        return data

    def export_request(self) -> ExportRequest:
        data = self.cleaned_data
        breakdowns = ()
        if data["indicator"]:
            order = list(DIMENSIONS)  # the order of the list, whatever the order they were ticked in
            breakdowns = (BreakdownRequest(data["indicator"], tuple(sorted(data["dimensions"], key=order.index))),)
        return ExportRequest(
            period=data["report_period"],
            format=data["format"],
            suppress_headline=data["suppress_headline"],
            breakdowns=breakdowns,
        )
