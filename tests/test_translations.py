"""Every user-facing string is marked for translation (issue 4): Romanian and Bengali follow.

A marked string is a lazy translation (a `Promise`, from gettext_lazy) until it is shown, so these tests
fail when someone adds a plain-string label, help text, choice label, constraint message or
validation message. The strings themselves stay English here: no catalogue is compiled yet.
"""

from datetime import timedelta

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise

from casework import change_history, records, services
from casework import forms as casework_forms
from casework.models import Case
from navigators.countries import COUNTRY_CHOICES
from survivors import forms as survivor_forms
from tests import factories

TODAY = timezone.localdate()
OUR_APPS = ["casework", "survivors", "navigators", "reporting"]
# Country names come from pycountry, translated with its own catalogues rather than ours.
COUNTRY_CODES = {code for code, _name in COUNTRY_CHOICES}


def is_lazy(value) -> bool:
    return isinstance(value, Promise)


def our_models():
    """The models of our apps, without simple-history's copies (their fields are ours, copied)."""
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if not hasattr(model, "instance_type"):  # simple-history's historical models carry it
                yield model


def our_fields():
    for model in our_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and field.model is model and not field.auto_created:
                yield model, field


def plain_choice_labels(choices) -> list:
    """The labels of `choices` (optgroups flattened) that are not marked for translation."""
    plain = []
    for value, label in choices or []:
        if isinstance(label, (list, tuple)):
            plain += plain_choice_labels(label)
        elif value not in COUNTRY_CODES and value != "" and not is_lazy(label):
            plain.append(label)
    return plain


def raw_messages(error: ValidationError) -> list:
    """The messages of `error` as raised, before interpolation and before being turned into text."""
    if hasattr(error, "error_dict"):
        return [e.message for errors in error.error_dict.values() for e in errors]
    return [e.message for e in error.error_list]


# Models and their fields.


def test_every_explicit_verbose_name_and_help_text_is_translatable():
    plain = []
    for model, field in our_fields():
        if not is_lazy(field.verbose_name) and field.verbose_name != field.name.replace("_", " "):
            plain.append(f"{model.__name__}.{field.name} verbose_name {field.verbose_name!r}")
        if field.help_text and not is_lazy(field.help_text):
            plain.append(f"{model.__name__}.{field.name} help_text {field.help_text!r}")
    assert plain == []


def test_every_explicit_model_name_is_translatable():
    plain = [
        f"{model.__name__}.{attr} {model._meta.original_attrs[attr]!r}"
        for model in our_models()
        for attr in ("verbose_name", "verbose_name_plural")
        if attr in model._meta.original_attrs and not is_lazy(model._meta.original_attrs[attr])
    ]
    assert plain == []


def test_every_choice_label_is_translatable():
    plain = []
    for model, field in our_fields():
        for f in (field, getattr(field, "base_field", None)):
            if f is not None and f.choices:
                plain += [f"{model.__name__}.{field.name}: {label!r}" for label in plain_choice_labels(f.choices)]
    assert plain == []


def test_the_case_change_history_shows_only_translatable_labels():
    """The case page names each record and each changed field by its verbose name: all must translate."""
    plain = []
    for model, _lookup in change_history.TRACKED:
        if not is_lazy(model._meta.verbose_name):
            plain.append(f"{model.__name__} verbose_name")
        plain += [f"{model.__name__}.{f.name}" for f in change_history._fields(model) if not is_lazy(f.verbose_name)]
    assert plain == []


def test_constraints_that_full_clean_reports_have_their_own_translatable_message():
    """Check constraints and conditional unique constraints would otherwise say "Constraint “x” is violated."

    (A unique constraint on plain fields reports Django's own translated "… with this … already exists.")
    """
    missing = []
    for model in our_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and not (constraint.condition or constraint.expressions):
                continue
            message = constraint.violation_error_message
            if message == constraint.default_violation_error_message or not is_lazy(message):
                missing.append(f"{model.__name__}: {constraint.name}")
    assert missing == []


# Forms.


def form_classes():
    modules = [casework_forms, records, survivor_forms]
    return {
        f"{module.__name__}.{name}": value
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__
    }


def test_every_form_label_help_text_and_choice_is_translatable():
    """Model forms take their labels from the models' verbose names, which must therefore be lazy too."""
    plain = []
    for name, form_class in form_classes().items():
        for field_name, field in form_class.base_fields.items():
            where = f"{name}.{field_name}"
            if field.label is not None and not is_lazy(field.label):
                plain.append(f"{where} label {field.label!r}")
            if field.help_text and not is_lazy(field.help_text):
                plain.append(f"{where} help_text {field.help_text!r}")
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                plain += [f"{where} choice {label!r}" for label in plain_choice_labels(field.choices)]
    assert form_classes(), "no forms found"
    assert plain == []


# Validation messages, as the services raise them.


@pytest.fixture
def case(met_police):
    return factories.CaseFactory(team=met_police, opened_on=TODAY - timedelta(days=60))


def test_a_cross_border_handover_without_consent_is_refused_in_a_translatable_message(case, navigator):
    bucharest = factories.TeamFactory(country=factories.CountryFactory(code="RO"))

    with pytest.raises(ValidationError) as excinfo:
        services.case_transfer(acting_user=navigator, from_case=case, to_team=bucharest, opened_on=TODAY)

    assert [str(m) for m in raw_messages(excinfo.value)] == [
        "The survivor has not consented to their case being shared with a team in another country."
    ]
    assert all(is_lazy(m) for m in raw_messages(excinfo.value))


def test_a_repatriation_going_back_a_step_is_refused_in_one_translatable_message_with_a_placeholder(case, navigator):
    repatriation = services.repatriation_plan(
        acting_user=navigator,
        case=case,
        requested_on=TODAY - timedelta(days=20),
        sending_country=case.team.country,
        receiving_country=factories.CountryFactory(code="RO"),
    )
    services.repatriation_advance(
        acting_user=navigator, repatriation=repatriation, stage="planned", occurred_on=TODAY - timedelta(days=5)
    )

    with pytest.raises(ValidationError) as excinfo:
        services.repatriation_advance(
            acting_user=navigator, repatriation=repatriation, stage="risk_assessment", occurred_on=TODAY
        )

    [message] = raw_messages(excinfo.value)
    assert is_lazy(message)
    assert str(message) == "The repatriation is already at '%(stage)s'."  # what translators see
    assert excinfo.value.message_dict == {"stage": ["The repatriation is already at 'Planned'."]}


def test_an_event_before_the_case_opened_is_refused_in_a_translatable_message(case, navigator):
    with pytest.raises(ValidationError) as excinfo:
        services.follow_up_log(
            acting_user=navigator, case=case, occurred_on=case.opened_on - timedelta(days=1), mode="phone"
        )

    assert all(is_lazy(m) for m in raw_messages(excinfo.value))
    assert excinfo.value.message_dict["occurred_on"] == [
        f"This date is before the case opened ({case.opened_on:%d %b %Y})."
    ]


def test_a_navigator_outside_the_team_is_refused_in_a_translatable_message(case):
    stranger = factories.UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        services.case_assign(acting_user=None, case=case, navigator=stranger)

    assert all(is_lazy(m) for m in raw_messages(excinfo.value))
    assert excinfo.value.message_dict["navigator"] == [f"{stranger} is not a member of {case.team}."]


def test_a_second_open_case_with_the_team_is_refused_in_plain_words(case):
    with pytest.raises(ValidationError) as excinfo:
        Case(survivor=case.survivor, team=case.team, opened_on=TODAY).full_clean()

    assert excinfo.value.messages == ["This survivor already has an open case with this team."]
