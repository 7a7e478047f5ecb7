"""What every page's forms share."""

from django import forms as django_forms
from django.core.exceptions import ValidationError


def add_service_errors(forms, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (or the first of several forms) holding each field.

    Errors about a field no form has, and errors about no field, go above the first form, so nothing a
    service refused is ever silently dropped.
    """
    forms = [forms] if isinstance(forms, django_forms.BaseForm) else list(forms)
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for name, messages in error.error_dict.items():
        form = next((form for form in forms if name in form.fields), None)
        if form is None:
            forms[0].add_error(None, messages)
        else:
            form.add_error(name, messages)
