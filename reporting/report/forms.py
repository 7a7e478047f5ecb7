"""Forms of the headline pages: which period to show, and publishing one."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting import headline
from reporting.periods import TREND_HALF_YEARS, half_year_choices


class PeriodForm(forms.Form):
    """A financial half-year or year from the list, or any date range."""

    # Any label parses ("18/19 H2"); the list offers the recent ones.
    period = forms.CharField(label=_("Financial half-year or year"), required=False, widget=forms.Select)
    start = forms.DateField(label=_("Or from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = half_year_choices(timezone.localdate(), TREND_HALF_YEARS)
        self.fields["period"].widget.choices = [("", _("— a date range instead —")), *choices]

    def clean(self):
        data = super().clean()
        label, start, end = data.get("period"), data.get("start"), data.get("end")
        if self.errors:
            return data
        try:
            if label and (start or end):
                raise forms.ValidationError(_("Choose a half-year or year, or give a date range, not both."))
            if label:
                try:
                    self.period = headline.period_for_label(label)
                except headline.PeriodError:
                    raise forms.ValidationError(
                        {"period": _("Choose a financial half-year such as 21/22 H1, or a year such as 21/22.")}
                    ) from None
            elif start and end:
                self.period = headline.period_for_range(start, end)
            elif start or end:
                raise forms.ValidationError(
                    {"end" if start else "start": _("A date range needs both its first and its last day.")}
                )
            else:
                raise forms.ValidationError(_("Choose a half-year or year, or give a date range."))
        except headline.PeriodError:
            raise forms.ValidationError({"end": _("The range ends before it starts.")}) from None
        return data


class PublishForm(forms.Form):
    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("Notes for the record (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.period = headline.period_for_range(data["start"], data["end"])
            except headline.PeriodError as error:
                raise forms.ValidationError(str(error)) from None
            if self.period.label is None:
                raise forms.ValidationError(_("Only a financial half-year or year is published."))
        return data
