"""Identity details and case notes are encrypted at rest, in the live and the history tables; keys rotate."""

import io
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.exceptions import FieldError, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from casework import services as casework
from casework.choices import ClosureReason, FollowUpMode, WellbeingDomain
from casework.models import CarePlan, CarePlanGoal, CaseRequest, FollowUp
from survivors.choices import ConsentTopic, IdentityDocumentKind
from survivors.encryption import EncryptedCharField, EncryptedDateField, encrypted_columns
from survivors.models import ConsentRecord, IdentityDocument, SurvivorIdentity
from survivors.selectors import possible_duplicates
from survivors.services import consent_record, survivor_identity_update, survivor_register
from tests.test_seed_demo import seed

PROJECT = Path(__file__).resolve().parent.parent
TODAY = timezone.localdate()
KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()

# Distinctive values, so that finding one anywhere in the database can only mean it is stored in clear.
NAME, ALIAS, DOB = "Zephyrine Quillbourne", "Zeffi Quillmarsh", date(1987, 2, 19)
PHONE, NEW_PHONE = "+44 7700 900461", "+44 7700 900777"
EMAIL, ADDRESS = "zephyrine.q@example.org", "17 Larkspur Mews, Hartlepool"
SAFE_CONTACT, DOCUMENT_NUMBER = "Only after seven, never the landline", "PX99318274"
FOLLOW_UP_NOTE, CONSENT_NOTE = "Talked about the Larkhill farm foreman", "Consent given with interpreter Oyelaran"
SUMMARY, GOAL = "Summary: rehousing away from Ballymoran", "Goal: enrol at Fernleigh college"
REQUEST_NOTE, DECISION_NOTE = "Asks to close: moved to Quenby", "Returned: confirm the Quenby address first"
PLAIN = [
    NAME,
    ALIAS,
    DOB.isoformat(),
    PHONE,
    NEW_PHONE,
    EMAIL,
    ADDRESS,
    SAFE_CONTACT,
    DOCUMENT_NUMBER,
    FOLLOW_UP_NOTE,
    CONSENT_NOTE,
    SUMMARY,
    GOAL,
    REQUEST_NOTE,
    DECISION_NOTE,
]


def write_records(world):
    """A survivor's identity, consent, follow-up, care plan and returned closure request, all through the services."""
    lead, navigator = world["lead"], world["assigned"]
    survivor = survivor_register(
        acting_user=lead,
        birth_year=DOB.year,
        citizenships=["GB"],
        identity={
            "legal_name": NAME,
            "aliases": ALIAS,
            "date_of_birth": DOB,
            "phone": PHONE,
            "email": EMAIL,
            "address": ADDRESS,
            "safe_contact_notes": SAFE_CONTACT,
        },
        identity_documents=[
            {"kind": IdentityDocumentKind.PASSPORT, "number": DOCUMENT_NUMBER, "issuing_country": "GB"}
        ],
    )
    survivor_identity_update(
        acting_user=lead, survivor=survivor, version=1, phone=NEW_PHONE
    )  # the old phone is history
    case = casework.case_open(
        acting_user=lead,
        survivor=survivor,
        team=world["met"],
        opened_on=TODAY - timedelta(days=60),
        navigators=[navigator],
    )
    consent_record(
        acting_user=navigator,
        survivor=survivor,
        topic=ConsentTopic.SUPPORT_AND_DATA,
        given=True,
        recorded_on=TODAY - timedelta(days=59),
        notes=CONSENT_NOTE,
    )
    casework.follow_up_log(
        acting_user=navigator,
        case=case,
        occurred_on=TODAY - timedelta(days=10),
        mode=FollowUpMode.PHONE,
        notes=FOLLOW_UP_NOTE,
    )
    casework.care_plan_save(
        acting_user=navigator,
        case=case,
        started_on=TODAY - timedelta(days=30),
        next_review_on=TODAY + timedelta(days=60),
        summary=SUMMARY,
        goals=[{"domain": WellbeingDomain.SAFETY, "goal": GOAL}],
    )
    request = casework.closure_request(
        acting_user=navigator,
        case=case,
        closure_reason=ClosureReason.MOVED_OUT_OF_AREA,
        closes_on=TODAY,
        notes=REQUEST_NOTE,
    )
    casework.case_request_return(acting_user=lead, case_request=request, note=DECISION_NOTE)
    return survivor


@pytest.fixture
def written(world):
    return write_records(world)


def database_as_text() -> str:
    """Every row of every table of the database, as PostgreSQL prints it."""
    rows = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(table)} t")
            rows += [row for (row,) in cursor.fetchall()]
    return "\n".join(rows)


def stored_tokens() -> dict[tuple[str, int, str], str]:
    """(table, row id, column) -> the stored value, of every non-empty encrypted value, live and history."""
    found = {}
    with connection.cursor() as cursor:
        for model, fields in encrypted_columns(apps.get_models()):
            table, pk = model._meta.db_table, model._meta.pk.column
            for field in fields:
                cursor.execute(f'SELECT "{pk}", "{field.column}" FROM "{table}" WHERE "{field.column}" <> \'\'')
                found.update({(table, key, field.column): value for key, value in cursor.fetchall()})
    return found


# At rest: nothing readable in the tables.


@pytest.mark.django_db
def test_no_identity_detail_or_note_is_in_any_table_live_or_history(written):
    stored = database_as_text()

    assert written.case_reference in stored  # the scan does see the survivor's rows
    assert [value for value in PLAIN if value in stored] == []


@pytest.mark.django_db
def test_each_value_is_a_fernet_token_in_the_live_and_the_history_table(written):
    tokens = stored_tokens()
    tables = {table for table, _, _ in tokens}

    assert {
        "survivors_survivoridentity",
        "survivors_historicalsurvivoridentity",
        "survivors_identitydocument",
        "survivors_historicalidentitydocument",
        "survivors_consentrecord",
        "casework_followup",
        "casework_historicalfollowup",
        "casework_careplan",
        "casework_careplangoal",
        "casework_caserequest",
        "casework_historicalcaserequest",
    } <= tables
    assert all(value.startswith("gAAAAA") for value in tokens.values())
    assert len(set(tokens.values())) == len(tokens)  # a new random IV each time: equal values look different


@pytest.mark.django_db
def test_the_demo_seed_writes_identities_and_notes_encrypted_too():
    seed(survivors=10, seed=5)
    identities = list(SurvivorIdentity.objects.all())
    written_text = [i.legal_name for i in identities] + [i.address for i in identities if i.address]
    written_text += [g.goal for g in CarePlanGoal.objects.all()]
    stored = database_as_text()

    assert identities
    assert written_text
    assert [value for value in written_text if value in stored] == []


@pytest.mark.django_db
def test_the_history_models_have_the_encrypted_field_classes():
    history = SurvivorIdentity.history.model._meta

    assert isinstance(history.get_field("legal_name"), EncryptedCharField)
    assert isinstance(history.get_field("date_of_birth"), EncryptedDateField)


@pytest.mark.django_db
def test_the_application_reads_every_value_back(written):
    identity = SurvivorIdentity.objects.get(survivor=written)
    first = identity.history.order_by("history_id").first()
    request = CaseRequest.objects.get(case__survivor=written)

    assert (
        identity.legal_name,
        identity.aliases,
        identity.date_of_birth,
        identity.phone,
        identity.email,
        identity.address,
        identity.safe_contact_notes,
    ) == (NAME, ALIAS, DOB, NEW_PHONE, EMAIL, ADDRESS, SAFE_CONTACT)
    assert (first.phone, first.date_of_birth) == (PHONE, DOB)
    assert IdentityDocument.objects.get(survivor=written).number == DOCUMENT_NUMBER
    assert ConsentRecord.objects.get(survivor=written).notes == CONSENT_NOTE
    assert FollowUp.objects.get(case__survivor=written).notes == FOLLOW_UP_NOTE
    assert CarePlan.objects.get(case__survivor=written).summary == SUMMARY
    assert CarePlanGoal.objects.get(care_plan__case__survivor=written).goal == GOAL
    assert (request.notes, request.decision_note) == (REQUEST_NOTE, DECISION_NOTE)
    assert list(SurvivorIdentity.objects.filter(survivor=written).values_list("legal_name", "date_of_birth")) == [
        (NAME, DOB)
    ]


@pytest.mark.django_db
def test_empty_text_stays_empty_so_the_database_check_on_a_returned_request_still_works(written):
    request = CaseRequest.objects.get(case__survivor=written)
    request.decision_note = ""

    with pytest.raises(ValidationError, match="Say why the request is returned"):
        request.validate_constraints()


# What cannot be asked of ciphertext is refused, not silently wrong.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookup",
    [
        {"legal_name": NAME},
        {"address__icontains": "Larkspur"},
        {"date_of_birth__year": 1987},
        {"date_of_birth__gte": DOB},
        {"phone__in": [PHONE]},
    ],
)
def test_lookups_on_encrypted_values_are_refused(lookup):
    with pytest.raises(FieldError, match="is encrypted|Unsupported lookup"):
        list(SurvivorIdentity.objects.filter(**lookup))


@pytest.mark.django_db
def test_isnull_and_is_empty_still_work(written):
    assert SurvivorIdentity.objects.filter(survivor=written, date_of_birth__isnull=False).count() == 1
    assert SurvivorIdentity.objects.filter(survivor=written, address="").count() == 0
    assert SurvivorIdentity.objects.filter(survivor=written).exclude(email="").count() == 1


# Forms and validation still see the plain value.


@pytest.mark.django_db
def test_length_and_email_are_checked_on_the_plain_value_while_the_column_is_text(written):
    identity = SurvivorIdentity.objects.get(survivor=written)
    identity.legal_name, identity.email = "x" * 201, "not an address"

    with pytest.raises(ValidationError) as error:
        identity.full_clean()
    assert set(error.value.message_dict) == {"legal_name", "email"}
    assert SurvivorIdentity._meta.get_field("legal_name").formfield().max_length == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'survivors_survivoridentity' "
            "AND column_name IN ('legal_name', 'date_of_birth')"
        )
        assert {row[0] for row in cursor.fetchall()} == {"text"}


# Key rotation.


def rotate(*args):
    call_command("rotate_encryption_keys", *args, stdout=io.StringIO())


@pytest.mark.django_db
def test_rotation_rewrites_every_value_with_the_new_key_and_the_old_key_can_then_go(world):
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        survivor = write_records(world)
        before = stored_tokens()
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        rotate()
    after = stored_tokens()

    assert after.keys() == before.keys()
    assert all(after[place] != before[place] for place in before)  # every row was rewritten
    assert all(Fernet(KEY_B).decrypt(token.encode()) for token in after.values())
    with pytest.raises(InvalidToken):
        Fernet(KEY_A).decrypt(next(iter(after.values())).encode())
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        identity = SurvivorIdentity.objects.get(survivor=survivor)
        assert (identity.legal_name, identity.date_of_birth, identity.phone) == (NAME, DOB, NEW_PHONE)
        assert identity.history.order_by("history_id").first().phone == PHONE
        assert CaseRequest.objects.get(case__survivor=survivor).decision_note == DECISION_NOTE
        assert CarePlanGoal.objects.get(care_plan__case__survivor=survivor).goal == GOAL


@pytest.mark.django_db
def test_a_second_rotation_leaves_values_already_under_the_newest_key(world):
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        write_records(world)
        before = stored_tokens()
        rotate()

    assert stored_tokens() == before


@pytest.mark.django_db
def test_rotation_stops_with_one_line_when_a_value_opens_with_no_key(world):
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        write_records(world)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]), pytest.raises(CommandError) as error:
        rotate()

    assert "opens with no key in FIELD_ENCRYPTION_KEYS" in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.django_db
def test_rotation_with_blind_index_rebuilds_the_names_digests_under_a_new_key(written):
    def duplicates():
        return list(possible_duplicates(names=[NAME], birth_year=DOB.year, citizenships=["GB"]))

    with override_settings(BLIND_INDEX_KEY="a-new-blind-index-key"):
        assert duplicates() == []  # the old digests say nothing under the new key
        rotate("--blind-index")
        assert duplicates() == [written]


# Settings fail loudly.


def manage_check(**env):
    base = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "postgresql://u@localhost/x",
        "REDIS_URL": "redis://localhost:6379/0",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env={**base, **env}, capture_output=True, text=True
    )


def test_a_malformed_key_stops_start_up_with_one_line_that_does_not_show_it():
    result = manage_check(
        DJANGO_SETTINGS_MODULE="config.django.test", FIELD_ENCRYPTION_KEYS=f"{KEY_A},not-a-secret-key"
    )

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Configuration error: FIELD_ENCRYPTION_KEYS: key 2 of 2 is not a Fernet key (32 url-safe base64-encoded bytes)"
    )


@pytest.mark.parametrize("missing", ["FIELD_ENCRYPTION_KEYS", "BACKUP_ENCRYPTION_KEY"])
def test_production_requires_the_encryption_keys(missing):
    keys = {"FIELD_ENCRYPTION_KEYS": KEY_A, "BACKUP_ENCRYPTION_KEY": KEY_B, "MFA_ENCRYPTION_KEYS": KEY_A}
    del keys[missing]
    result = manage_check(
        DJANGO_SETTINGS_MODULE="config.django.production",
        SECRET_KEY="s" * 50,
        BLIND_INDEX_KEY="b" * 64,
        SITE_URL="https://casework.example.org",
        **keys,
    )

    assert result.returncode != 0
    assert result.stderr.strip() == f"Configuration error: {missing} must be set"
