"""Forms of the casework pages. Labels and choices are translatable; validation lives in the models and services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework import choices


class CaseloadFilterForm(forms.Form):
    SCOPES = [("mine", _("Assigned to me")), ("all", _("All I may see"))]

    scope = forms.ChoiceField(label=_("Cases"), choices=SCOPES, required=False)
    q = forms.CharField(label=_("Case reference"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("Any stage")), *choices.Stage.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue follow-ups only"), required=False)
