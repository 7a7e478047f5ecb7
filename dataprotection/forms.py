"""Forms of the data protection pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the record must be kept"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example a court order, a claim or an investigation. Do not write the survivor's name."),
        error_messages={"required": _("Say why the record must be kept.")},
    )


class ErasureForm(forms.Form):
    """Erasure cannot be undone, so the case reference is typed out as a confirmation."""

    case_reference = forms.CharField(
        label=_("Type the case reference to confirm"),
        max_length=20,
        error_messages={"required": _("Type the survivor's case reference to confirm the erasure.")},
    )
    reason = forms.CharField(
        label=_("Why the record is erased"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the survivor's request and its date. Do not write the survivor's name."),
        error_messages={"required": _("Say why the record is erased.")},
    )

    def __init__(self, *args, survivor, **kwargs):
        super().__init__(*args, **kwargs)
        self.survivor = survivor

    def clean_case_reference(self):
        typed = self.cleaned_data["case_reference"].strip().upper()
        if typed != self.survivor.case_reference:
            raise forms.ValidationError(
                _("%(typed)s is not this survivor's case reference: type %(reference)s exactly."),
                params={"typed": typed, "reference": self.survivor.case_reference},
            )
        return typed
