"""Implausible values are refused, with a message that says the range (navigators/plausible.py)."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from casework import services
from navigators import plausible
from survivors.forms import SurvivorIdentityForm
from tests import factories

TODAY = timezone.localdate()
PROJECT_APPS = ["navigators", "survivors", "casework", "dataprotection", "reporting"]


def test_a_date_of_birth_of_1800_is_refused_saying_the_range():
    with pytest.raises(ValidationError) as refused:
        plausible.validate_birth_date(date(1800, 1, 1))

    assert "an age between 0 and 110" in str(refused.value)


def test_the_identity_form_refuses_it_and_keeps_what_was_typed():
    form = SurvivorIdentityForm({"legal_name": "Ana Pop", "date_of_birth": "1800-01-01"})

    assert not form.is_valid()
    assert "an age between 0 and 110" in str(form.errors["date_of_birth"])
    assert form["legal_name"].value() == "Ana Pop"


def test_registration_refuses_it_and_saves_nothing(client, world):
    from survivors.models import Survivor
    from tests.test_survivor_register import URL, form_data

    client.force_login(world["assigned"])
    before = Survivor.objects.count()

    response = client.post(URL, form_data(world["met"], date_of_birth="1800-01-01"))

    assert response.status_code == 200
    assert "an age between 0 and 110" in response.content.decode()
    assert Survivor.objects.count() == before


@pytest.mark.parametrize(
    ("validator", "value", "accepted"),
    [
        (plausible.validate_event_date, plausible.RECORDS_BEGAN, True),
        (plausible.validate_event_date, plausible.RECORDS_BEGAN - timedelta(days=1), False),
        (plausible.validate_event_date, TODAY, True),
        (plausible.validate_event_date, TODAY + timedelta(days=1), False),
        (plausible.validate_planned_date, TODAY + timedelta(days=365 * 2), True),
        (plausible.validate_planned_date, TODAY + timedelta(days=366 * 11), False),
        (plausible.validate_birth_date, TODAY, True),
        (plausible.validate_birth_date, TODAY + timedelta(days=1), False),
        (plausible.validate_birth_year, TODAY.year - 110, True),
        (plausible.validate_birth_year, TODAY.year - 111, False),
        (plausible.NumberRange(0, 1440), 1440, True),
        (plausible.NumberRange(0, 1440), 1441, False),
        (plausible.note_length(), "x" * plausible.NOTE_MAX_LENGTH, True),
        (plausible.note_length(), "x" * (plausible.NOTE_MAX_LENGTH + 1), False),
    ],
)
def test_each_bound_is_accepted_and_one_past_it_refused(validator, value, accepted):
    if accepted:
        validator(value)
    else:
        with pytest.raises(ValidationError):
            validator(value)


def test_a_number_past_its_range_names_the_range():
    with pytest.raises(ValidationError) as refused:
        plausible.NumberRange(0, 100_000)(100_001)

    assert "between 0 and 100,000" in str(refused.value)


def test_an_event_before_the_records_began_is_refused_by_the_service(world):
    with pytest.raises(ValidationError) as refused:
        services.follow_up_log(
            acting_user=world["assigned"],
            case=world["case"],
            occurred_on=date(2009, 12, 31),
            mode="phone",
            outcome="reached",
        )

    assert "occurred_on" in refused.value.error_dict


def test_a_note_past_its_length_is_refused_on_the_page(client, world):
    client.force_login(world["assigned"])
    url = reverse("casework:record_new", args=[world["case"].pk, "follow-up"])

    response = client.post(
        url,
        {"occurred_on": TODAY.isoformat(), "mode": "phone", "outcome": "reached", "notes": "x" * 5001},
    )

    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode()


def test_a_count_past_its_range_is_refused(world):
    session = factories.TrainingSessionFactory.build(team=world["met"], attendee_count=100_001)

    with pytest.raises(ValidationError) as refused:
        session.full_clean()

    assert "attendee_count" in refused.value.error_dict


# Every field is held to a range, so a field added later cannot escape the rule.

# Fields the system sets itself, never typed by a person; a range would only restate the code.
SYSTEM_SET = {
    "version": "raised by each edit (navigators.versioning)",
    "sequence": "the audit chain's own counter",
    "record_id": "the id of a chained record",
    "anonymised": "counted by the retention run",
    "held": "counted by the retention run",
    "cutoff": "computed by the retention run from its day",
    "run_on": "the retention run's own day",
    "error": "written by the export task",
    "password": "Django's hash",
}


def _bounded(field) -> bool:
    validators = field.validators
    if isinstance(field, models.DateField):
        return any(
            v
            in (
                plausible.validate_event_date,
                plausible.validate_planned_date,
                plausible.validate_birth_date,
            )
            for v in validators
        )
    if isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
        return any(isinstance(v, plausible.NumberRange) or v is plausible.validate_birth_year for v in validators)
    return field.max_length is not None and (
        not isinstance(field, models.TextField) or any(isinstance(v, MaxLengthValidator) for v in validators)
    )


def _typed_fields():
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue
            for field in model._meta.concrete_fields:
                if field.primary_key or field.is_relation or field.choices or field.name in SYSTEM_SET:
                    continue
                if isinstance(field, (models.DateTimeField, models.BooleanField)):
                    continue
                if isinstance(field, (models.DateField, models.IntegerField, models.TextField, models.CharField)):
                    yield f"{model._meta.label}.{field.name}", field


def test_every_date_number_and_text_field_has_a_range():
    assert [label for label, field in _typed_fields() if not _bounded(field)] == []


@pytest.mark.parametrize(
    ("factory", "change"),
    [
        (factories.TrainingSessionFactory, {"attendee_count": 100_001}),
        (factories.TrainingSessionFactory, {"held_on": date(2009, 12, 31)}),
        (factories.PreventionSessionFactory, {"participants": 10_000_001}),
        (factories.AggregateReturnValueFactory, {"value": 10_000_001}),
    ],
)
def test_the_database_refuses_a_write_past_the_range_that_skips_validation(db, factory, change):
    row = factory()

    with pytest.raises(IntegrityError), transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(**change)


def test_the_database_refuses_a_case_opened_before_the_records_began(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(world["case"]).objects.filter(pk=world["case"].pk).update(opened_on=date(2009, 12, 31))
