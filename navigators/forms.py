"""What every page's forms share."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms as django_forms
from django.core.exceptions import ValidationError

from navigators.versioning import EditConflict


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


@dataclass
class Saved:
    """What became of a save through a service: `done`, or the form to show again (with the service's
    errors, or drawn afresh after an edit conflict, which `conflict` then explains)."""

    done: bool
    form: django_forms.BaseForm
    conflict: EditConflict | None = None
    result: object = None


def save_through_service(request, form, save: Callable, *, explain_conflict: bool = True, **form_kwargs) -> Saved:
    """Call `save()` for a valid form: a ValidationError goes onto the form; an EditConflict (someone saved
    in between) gives the editor's own values again, now carrying the current version, so that saving
    again is a deliberate choice. `form_kwargs` rebuild the form after a conflict."""
    try:
        result = save()
    except EditConflict as conflict:
        data = request.POST.copy()
        data["version"] = conflict.version
        again = type(form)(data, **form_kwargs)
        again.is_valid()
        if explain_conflict:
            again.add_error(None, conflict)
        return Saved(done=False, form=again, conflict=conflict)
    except ValidationError as error:
        add_service_errors(form, error)
        return Saved(done=False, form=form)
    return Saved(done=True, form=form, result=result)
