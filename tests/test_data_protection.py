"""The data protection lead's tools: subject access, legal holds, erasure and the retention run."""

import json
import logging
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.choices import ClosureReason, ProsecutionOutcome, Stage
from casework.models import Case, CaseRequest, FollowUp, StageChange
from dataprotection.chain import chain_verify
from dataprotection.models import AuditChainLink, Erasure, LegalHold, RetentionRun
from dataprotection.selectors import NOT_SURVIVOR_DATA, is_history_model, subject_access, survivors_due_for_retention
from dataprotection.services import (
    ERASED,
    access_record,
    erase_survivor,
    legal_hold_lift,
    legal_hold_set,
    retention_run,
)
from dataprotection.tasks import retention_anonymise_due
from navigators.models import RoleGrant
from reporting.headline import headline_report, period_for_range
from survivors.models import AccessRecord, IdentityDocument, Survivor, SurvivorIdentity, SurvivorNameToken
from survivors.services import survivor_identity_update
from tests import factories
from tests.conftest import TODAY, make_user

# What the survivor's records say that must not survive an erasure (names, contact details, notes).
SECRETS = {
    "legal_name": "Ana Popescu",
    "aliases": "Ana Lupu",
    "phone": "0721 000 111",
    "new_phone": "0721 999 888",
    "address": "12 Strada Secretă, Iași",
    "safe_contact": "Only text after 6pm",
    "document": "RO1234567",
    "consent": "Consented through an interpreter",
    "follow_up": "Worried about her brother in Leeds",
    "follow_up_before": "First note about her brother",
    "support": "Housing near her cousin Maria",
    "care_plan": "Stable housing in Hull",
    "goal": "Register with a GP in Hull",
    "engagement": "Gave the name of the recruiter",
    "nrm": "Referred by PC Jones",
    "stage": "Moved to recovery after the hearing",
    "retrafficking": "Seen again at the car wash",
    "removal": "Taken from the house on Elm Road",
    "arrest": "Recruiter arrested at his flat",
    "hearing": "Survivor gives evidence by video",
    "step": "Flight booked with her aunt",
    "request": "She wants to move to Cluj",
    "returned": "Please add the aunt's address",
}
# Recognisable enough to find in any output, never any of the secrets.
HOLD_REASON = "Civil claim pending"


@pytest.fixture
def dpl(db):
    return make_user("dpl", role=RoleGrant.Role.DATA_PROTECTION_LEAD)


@pytest.fixture
def survivor(world):
    """The world's survivor with one record of every kind, each with a note, some changed and one deleted."""
    case, navigator, lead = world["case"], world["assigned"], world["lead"]
    survivor = case.survivor
    survivor_identity_update(
        acting_user=navigator,
        survivor=survivor,
        version=0,
        legal_name=SECRETS["legal_name"],
        aliases=SECRETS["aliases"],
        date_of_birth=date(1995, 4, 2),
        phone=SECRETS["phone"],
        address=SECRETS["address"],
        safe_contact_notes=SECRETS["safe_contact"],
    )
    survivor_identity_update(acting_user=navigator, survivor=survivor, version=1, phone=SECRETS["new_phone"])
    factories.IdentityDocumentFactory(survivor=survivor, number=SECRETS["document"])
    factories.ConsentRecordFactory(survivor=survivor, recorded_by=navigator, notes=SECRETS["consent"])
    factories.SurvivorExploitationFactory(survivor=survivor)
    factories.SurvivorExploitationFactory(survivor=survivor, type="criminal", industry="", county_lines=True).delete()
    follow_up = factories.FollowUpFactory(case=case, recorded_by=navigator, notes=SECRETS["follow_up_before"])
    follow_up.notes = SECRETS["follow_up"]
    follow_up.save()
    factories.SupportServiceFactory(case=case, notes=SECRETS["support"])
    plan = factories.CarePlanFactory(case=case, summary=SECRETS["care_plan"])
    factories.CarePlanGoalFactory(care_plan=plan, goal=SECRETS["goal"])
    factories.WellbeingAssessmentFactory(case=case)
    factories.PoliceEngagementEventFactory(case=case, notes=SECRETS["engagement"])
    factories.NrmEventFactory(case=case, notes=SECRETS["nrm"])
    factories.StageChangeFactory(case=case, notes=SECRETS["stage"])
    factories.RetraffickingEventFactory(case=case, notes=SECRETS["retrafficking"])
    factories.RemovalFromExploitationFactory(case=case, notes=SECRETS["removal"])
    factories.ArrestFactory(case=case, notes=SECRETS["arrest"])
    prosecution = factories.ProsecutionFactory(
        case=case, outcome=ProsecutionOutcome.ACQUITTED, outcome_on=case.opened_on + timedelta(days=20)
    )
    factories.CourtHearingFactory(prosecution=prosecution, notes=SECRETS["hearing"])
    repatriation = factories.RepatriationFactory(case=case)
    factories.RepatriationStepFactory(repatriation=repatriation, notes=SECRETS["step"])
    factories.CaseRequestFactory(
        case=case,
        requested_by=navigator,
        notes=SECRETS["request"],
        status=CaseRequest.Status.RETURNED,
        decided_by=lead,
        decided_at=case.created_at,
        decision_note=SECRETS["returned"],
    )
    access_record(user=navigator, survivor=survivor, case=case, action=AccessRecord.Action.VIEWED)
    hold = factories.LegalHoldFactory(survivor=survivor, set_by=lead, reason=HOLD_REASON)
    legal_hold_lift(acting_user=lead, hold=hold)
    return Survivor.objects.get(pk=survivor.pk)


def document(survivor) -> str:
    return subject_access(survivor).as_json()


def records_of(survivor) -> dict:
    """Every record about the survivor, live and in history, as the subject access document has them."""
    return json.loads(document(survivor))["records"]


def login(client, user):
    client.force_login(user)
    return client


# ---- who may use the pages ------------------------------------------------------------------------


def urls(survivor):
    return {
        "home": reverse("dataprotection:home"),
        "survivor": reverse("dataprotection:survivor", args=[survivor.pk]),
        "subject_access": reverse("dataprotection:subject_access", args=[survivor.pk]),
        "subject_access_json": reverse("dataprotection:subject_access_json", args=[survivor.pk]),
    }


POSTS = ["legal_hold_set", "legal_hold_lift", "erase"]


@pytest.mark.parametrize("page", ["home", "survivor", "subject_access", "subject_access_json"])
def test_the_data_protection_lead_opens_each_page(client, survivor, dpl, page):
    response = login(client, dpl).get(urls(survivor)[page])

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "who", ["assigned", "same_team", "other_team", "other_country", "lead", "other_lead", "me", "admin"]
)
def test_everyone_else_is_refused_administrators_included(client, survivor, world, who):
    login(client, world[who])

    assert {page: client.get(url).status_code for page, url in urls(survivor).items()} == dict.fromkeys(
        urls(survivor), 403
    )
    assert {
        name: client.post(reverse(f"dataprotection:{name}", args=[survivor.pk])).status_code for name in POSTS
    } == dict.fromkeys(POSTS, 403)


def test_someone_not_signed_in_is_sent_to_sign_in(client, survivor):
    response = client.get(urls(survivor)["survivor"])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", POSTS)
def test_the_writing_pages_take_only_posts(client, survivor, dpl, name):
    assert login(client, dpl).get(reverse(f"dataprotection:{name}", args=[survivor.pk])).status_code == 405


def test_a_survivor_that_does_not_exist_is_404(client, dpl):
    assert login(client, dpl).get(reverse("dataprotection:survivor", args=[999999])).status_code == 404


def test_the_role_gives_no_case_access(client, survivor, dpl):
    login(client, dpl)

    assert client.get(reverse("casework:case_detail", args=[survivor.cases.get().pk])).status_code == 404


def test_finding_a_survivor_by_case_reference(client, survivor, dpl):
    response = login(client, dpl).get(
        reverse("dataprotection:home"), {"reference": f" {survivor.case_reference.lower()} "}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("dataprotection:survivor", args=[survivor.pk])


def test_an_unknown_case_reference_is_said_so(client, dpl):
    response = login(client, dpl).get(reverse("dataprotection:home"), {"reference": "SV-NOSUCH"}, follow=True)

    assert "No survivor has the case reference SV-NOSUCH." in response.content.decode()


def test_the_survivor_page_is_in_the_access_trail(client, survivor, dpl):
    login(client, dpl).get(urls(survivor)["survivor"])

    record = AccessRecord.objects.filter(user=dpl).get()
    assert (record.survivor, record.action) == (survivor, "viewed")


# ---- subject access -------------------------------------------------------------------------------


def models_linked_to_case_or_survivor():
    """Every model with a foreign key to a case or a survivor, found independently of the code under test."""
    return {
        model._meta.label
        for model in apps.get_models()
        if not is_history_model(model)
        and not issubclass(model, NOT_SURVIVOR_DATA)
        and any(f.is_relation and f.related_model in (Case, Survivor) for f in model._meta.concrete_fields)
    }


def test_subject_access_covers_every_model_with_a_key_to_a_case_or_a_survivor(survivor):
    factories.ErasureFactory(survivor=survivor)  # the kinds the fixture has none of
    factories.PossibleDuplicateFactory(survivor=survivor)
    kinds = json.loads(document(survivor))["records"]

    assert models_linked_to_case_or_survivor() - kinds.keys() == set()
    # And the records of those records: goals of a care plan, hearings of a prosecution, steps of a repatriation.
    assert {"casework.CarePlanGoal", "casework.CourtHearing", "casework.RepatriationStep"} <= kinds.keys()
    assert all(kinds[label] for label in models_linked_to_case_or_survivor()), "a kind with no record in the fixture"


def test_subject_access_holds_every_note_and_the_identity_with_its_history(survivor):
    text = document(survivor)

    assert [name for name, secret in SECRETS.items() if json.dumps(secret, ensure_ascii=False)[1:-1] not in text] == []


def test_subject_access_gives_each_version_of_a_changed_record(survivor):
    follow_up = json.loads(document(survivor))["records"]["casework.FollowUp"][0]

    assert [version["change"] for version in follow_up["history"]] == ["+", "~"]
    assert [version["fields"]["notes"] for version in follow_up["history"]] == [
        SECRETS["follow_up_before"],
        SECRETS["follow_up"],
    ]


def test_subject_access_includes_a_deleted_record_from_its_history(survivor):
    exploitations = json.loads(document(survivor))["records"]["survivors.SurvivorExploitation"]

    assert [(row["fields"]["type"], row["deleted"]) for row in exploitations] == [
        ("forced_labour", False),
        ("criminal", True),
    ]


def test_subject_access_costs_the_same_queries_for_a_few_records_and_for_many(survivor, world):
    with CaptureQueriesContext(connection) as few:
        subject_access(survivor)
    case = world["case"]
    for _ in range(5):
        factories.FollowUpFactory(case=case, notes="more")
        factories.CourtHearingFactory(prosecution=case.prosecutions.get(), notes="more")
        access_record(user=world["assigned"], survivor=survivor, case=case, action="viewed")
    factories.CaseFactory(survivor=survivor, team=world["surrey"])
    with CaptureQueriesContext(connection) as many:
        subject_access(survivor)

    assert len(few) == len(many)


def test_the_printable_document_is_in_the_access_trail_as_printed(client, survivor, dpl):
    response = login(client, dpl).get(urls(survivor)["subject_access"])

    assert SECRETS["follow_up"] in response.content.decode()
    record = AccessRecord.objects.filter(user=dpl).get()
    assert (record.survivor, record.action) == (survivor, "printed")
    assert AuditChainLink.objects.filter(kind="access", record_id=record.pk).exists()


def test_the_json_download_is_in_the_access_trail_as_exported(client, survivor, dpl):
    response = login(client, dpl).get(urls(survivor)["subject_access_json"])

    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{survivor.case_reference}.json"'
    assert json.loads(response.content)["survivor"] == survivor.case_reference
    assert AccessRecord.objects.filter(user=dpl).get().action == "exported"


# ---- erasure --------------------------------------------------------------------------------------


def test_erasure_leaves_none_of_the_identity_or_notes_live_or_in_history(survivor, dpl):
    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request of 3 May")
    text = document(survivor)

    assert [name for name, secret in SECRETS.items() if json.dumps(secret, ensure_ascii=False)[1:-1] in text] == []


def test_erasure_removes_the_identity_documents_and_name_index(survivor, dpl):
    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    assert not SurvivorIdentity.objects.filter(survivor=survivor).exists()
    assert not IdentityDocument.objects.filter(survivor=survivor).exists()
    assert not SurvivorNameToken.objects.filter(survivor=survivor).exists()
    history = SurvivorIdentity.history.filter(survivor_id=survivor.pk)
    assert [(h.history_type, h.legal_name, h.phone, h.date_of_birth) for h in history.order_by("history_date")] == [
        ("+", "", "", None),
        ("~", "", "", None),
        ("-", "", "", None),
    ]


def test_erasure_replaces_notes_in_records_and_history(survivor, dpl):
    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    follow_up = FollowUp.objects.get(case__survivor=survivor)
    assert follow_up.notes == ERASED
    assert [h.notes for h in follow_up.history.all()] == [ERASED, ERASED]
    # A returned request must say why (a database check): the note is replaced, not emptied.
    assert CaseRequest.objects.get(case__survivor=survivor).decision_note == ERASED


def test_erasure_keeps_the_survivor_cases_and_dated_events(survivor, dpl):
    before = {label: len(rows) for label, rows in json.loads(document(survivor))["records"].items()}
    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")
    after = {label: len(rows) for label, rows in json.loads(document(survivor))["records"].items()}

    gone = {"survivors.SurvivorIdentity", "survivors.IdentityDocument", "survivors.SurvivorNameToken"}
    assert {label: n for label, n in after.items() if label not in gone | {"dataprotection.Erasure"}} == {
        label: n for label, n in before.items() if label not in gone | {"dataprotection.Erasure"}
    }
    assert Survivor.objects.filter(pk=survivor.pk).exists()
    opened_on = survivor.cases.get().opened_on
    assert sorted(StageChange.objects.filter(case__survivor=survivor).values_list("occurred_on", flat=True)) == [
        opened_on,
        opened_on + timedelta(days=5),
    ]


def test_erasure_does_not_change_the_published_figures(survivor, dpl):
    case = survivor.cases.get()
    period = period_for_range(case.opened_on, TODAY)
    before = headline_report(period).as_dict()

    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    assert headline_report(period).as_dict() == before


def test_erasure_leaves_a_tombstone_counting_what_went_never_the_data(survivor, dpl):
    erasure = erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request of 3 May")

    assert (erasure.survivor, erasure.erased_by, erasure.reason) == (survivor, dpl, "The survivor's request of 3 May")
    assert erasure.removed["survivors.SurvivorIdentity"] == {"deleted": 1, "history": 3}
    assert erasure.removed["casework.FollowUp.notes"] == {"live": 1, "history": 2}
    assert erasure.removed["survivors.IdentityDocument"] == {"deleted": 1, "history": 2}
    assert erasure.removed["survivors.SurvivorNameToken"]["deleted"] > 0
    stored = json.dumps(erasure.removed)
    assert [secret for secret in SECRETS.values() if secret in stored] == []


def test_erasure_is_chained_in_the_audit_trail(survivor, dpl):
    erasure = erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    assert AuditChainLink.objects.order_by("-sequence").first().record_id == erasure.pk
    assert chain_verify().ok


def test_erasure_history_names_who_deleted_the_identity(survivor, dpl):
    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    assert SurvivorIdentity.history.get(survivor_id=survivor.pk, history_type="-").history_user == dpl


def test_erasure_needs_a_reason(survivor, dpl):
    with pytest.raises(ValidationError) as refused:
        erase_survivor(acting_user=dpl, survivor=survivor, reason="  ")

    assert refused.value.message_dict == {"reason": ["Say why the record is erased."]}
    assert SurvivorIdentity.objects.filter(survivor=survivor).exists()


def test_erasure_is_refused_while_a_legal_hold_is_in_force(survivor, dpl):
    legal_hold_set(acting_user=dpl, survivor=survivor, reason="Court order 2024/17")

    with pytest.raises(ValidationError, match="Court order 2024/17"):
        erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    assert SurvivorIdentity.objects.filter(survivor=survivor).exists()
    assert FollowUp.objects.get(case__survivor=survivor).notes == SECRETS["follow_up"]
    assert not Erasure.objects.exists()


def test_an_ongoing_prosecution_holds_the_record(survivor, dpl, world):
    factories.ProsecutionFactory(case=world["case"])  # ongoing by default

    with pytest.raises(ValidationError, match="A prosecution is ongoing"):
        erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    assert not Erasure.objects.exists()


def test_a_lifted_hold_no_longer_holds_the_record(survivor, dpl):
    hold = legal_hold_set(acting_user=dpl, survivor=survivor, reason="Court order 2024/17")
    legal_hold_lift(acting_user=dpl, hold=hold)

    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    assert Erasure.objects.filter(survivor=survivor).count() == 1


def test_erasure_is_all_or_nothing(survivor, dpl, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the chain is unavailable")

    monkeypatch.setattr("dataprotection.services.chain_append", broken)
    with pytest.raises(RuntimeError):
        erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    assert SurvivorIdentity.objects.get(survivor=survivor).phone == SECRETS["new_phone"]
    assert FollowUp.objects.get(case__survivor=survivor).notes == SECRETS["follow_up"]
    assert [h.notes for h in FollowUp.history.filter(case_id=survivor.cases.get().pk).order_by("history_date")] == [
        SECRETS["follow_up_before"],
        SECRETS["follow_up"],
    ]
    assert not Erasure.objects.exists()


# ---- the erasure and hold forms -------------------------------------------------------------------


def erase_url(survivor):
    return reverse("dataprotection:erase", args=[survivor.pk])


def test_erasing_through_the_page(client, survivor, dpl):
    response = login(client, dpl).post(
        erase_url(survivor),
        {"erase-case_reference": survivor.case_reference.lower(), "erase-reason": "The survivor's request"},
        follow=True,
    )

    page = response.content.decode()
    assert f"The identity and notes of {survivor.case_reference} are erased." in page
    assert "Follow-ups, notes: 1 record, 2 versions in the history" in page
    assert "Survivor identities: 1 deleted, 3 versions in the history" in page
    assert Erasure.objects.filter(survivor=survivor, erased_by=dpl).exists()


def test_a_wrong_case_reference_erases_nothing_and_keeps_what_was_typed(client, survivor, dpl):
    response = login(client, dpl).post(
        erase_url(survivor), {"erase-case_reference": "SV-WRONG1", "erase-reason": "Asked on 3 May"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"SV-WRONG1 is not this survivor&#x27;s case reference: type {survivor.case_reference} exactly." in page
    assert 'value="SV-WRONG1"' in page
    assert "Asked on 3 May</textarea>" in page
    assert not Erasure.objects.exists()


def test_an_erasure_without_a_reason_says_so(client, survivor, dpl):
    response = login(client, dpl).post(
        erase_url(survivor), {"erase-case_reference": survivor.case_reference, "erase-reason": ""}
    )

    assert "Say why the record is erased." in response.content.decode()
    assert not Erasure.objects.exists()


def test_erasing_a_held_record_through_the_page_says_why_not(client, survivor, dpl):
    legal_hold_set(acting_user=dpl, survivor=survivor, reason="Court order 2024/17")

    response = login(client, dpl).post(
        erase_url(survivor), {"erase-case_reference": survivor.case_reference, "erase-reason": "Asked on 3 May"}
    )

    page = response.content.decode()
    assert "The record is on legal hold and cannot be erased." in page
    assert "Court order 2024/17" in page
    assert "Asked on 3 May</textarea>" in page
    assert not Erasure.objects.exists()


def test_setting_and_lifting_a_hold_through_the_page(client, survivor, dpl):
    login(client, dpl)
    client.post(reverse("dataprotection:legal_hold_set", args=[survivor.pk]), {"hold-reason": "Court order 2024/17"})
    hold = LegalHold.objects.get(survivor=survivor, lifted_at__isnull=True)
    assert (hold.set_by, hold.reason) == (dpl, "Court order 2024/17")

    client.post(reverse("dataprotection:legal_hold_lift", args=[survivor.pk]), {"hold": hold.pk})

    hold.refresh_from_db()
    assert hold.lifted_by == dpl
    assert hold.lifted_at is not None
    assert [h.history_type for h in hold.history.order_by("history_date")] == ["+", "~"]


def test_a_hold_without_a_reason_says_so(client, survivor, dpl):
    response = login(client, dpl).post(
        reverse("dataprotection:legal_hold_set", args=[survivor.pk]), {"hold-reason": " "}
    )

    assert "Say why the record must be kept." in response.content.decode()
    assert not LegalHold.objects.filter(lifted_at__isnull=True).exists()


def test_lifting_a_hold_of_another_survivor_is_404(client, survivor, dpl):
    other = factories.LegalHoldFactory()

    response = login(client, dpl).post(
        reverse("dataprotection:legal_hold_lift", args=[survivor.pk]), {"hold": other.pk}
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.in_force


# ---- retention ------------------------------------------------------------------------------------


def years_after(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=28 if (day.month, day.day) == (2, 29) else day.day)


def close(case, *, on):
    """Close the case on `on` (bypassing the services, which refuse a date in the future or the past of the test)."""
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED, closed_on=on, closure_reason=ClosureReason.GRADUATED)


@pytest.fixture
def closed_long_ago(survivor, world):
    """The world's survivor, their only case closed today: due for retention seven years and a day from now."""
    close(world["case"], on=TODAY)
    return survivor


RUN_ON = years_after(TODAY, 7) + timedelta(days=1)


def test_retention_anonymises_a_survivor_whose_cases_closed_longer_ago_than_the_period(closed_long_ago):
    result = retention_run(today=RUN_ON)

    assert (result.anonymised, result.held) == (1, 0)
    erasure = Erasure.objects.get(survivor=closed_long_ago)
    assert (erasure.reason, erasure.erased_by) == ("retention", None)
    assert FollowUp.objects.get(case__survivor=closed_long_ago).notes == ERASED


def test_retention_waits_for_the_whole_period(closed_long_ago):
    assert retention_run(today=years_after(TODAY, 7)).anonymised == 0
    assert not Erasure.objects.exists()


def test_retention_waits_while_another_case_is_open(closed_long_ago, world):
    factories.CaseFactory(survivor=closed_long_ago, team=world["surrey"])

    assert retention_run(today=RUN_ON).anonymised == 0


def test_retention_keeps_a_record_on_legal_hold_and_counts_it(closed_long_ago, dpl):
    legal_hold_set(acting_user=dpl, survivor=closed_long_ago, reason="Court order 2024/17")

    result = retention_run(today=RUN_ON)

    assert (result.anonymised, result.held) == (0, 1)
    assert SurvivorIdentity.objects.filter(survivor=closed_long_ago).exists()


def test_retention_records_and_chains_its_run(closed_long_ago):
    retention_run(today=RUN_ON)

    run = RetentionRun.objects.get()
    assert (run.run_on, run.cutoff, run.anonymised, run.held) == (RUN_ON, RUN_ON.replace(year=RUN_ON.year - 7), 1, 0)
    assert list(AuditChainLink.objects.order_by("sequence").values_list("kind", flat=True))[-2:] == [
        "erasure",
        "retention",
    ]
    assert chain_verify().ok


def test_retention_twice_changes_nothing_the_second_time(closed_long_ago):
    first = retention_anonymise_due(RUN_ON.isoformat())
    state = (
        Erasure.objects.count(),
        RetentionRun.objects.count(),
        AuditChainLink.objects.count(),
        records_of(closed_long_ago),
    )

    second = retention_anonymise_due(RUN_ON.isoformat())

    assert (
        Erasure.objects.count(),
        RetentionRun.objects.count(),
        AuditChainLink.objects.count(),
        records_of(closed_long_ago),
    ) == state
    assert (first["anonymised"], second["anonymised"], second["already_run"]) == (1, 1, True)


def test_a_later_run_does_not_anonymise_the_same_survivor_again(closed_long_ago):
    retention_run(today=RUN_ON)

    assert retention_run(today=RUN_ON + timedelta(days=1)).anonymised == 0
    assert Erasure.objects.count() == 1


def test_retention_logs_what_it_did(closed_long_ago, caplog):
    with caplog.at_level(logging.INFO, logger="dataprotection.services"):
        retention_run(today=RUN_ON)

    assert f"Retention for {RUN_ON}: 1 anonymised, 0 kept on legal hold." in caplog.messages


def test_the_retention_period_is_a_setting(closed_long_ago, settings):
    settings.RETENTION_YEARS = 2

    assert survivors_due_for_retention(years_after(TODAY, 2) + timedelta(days=1)).get() == closed_long_ago
    assert not survivors_due_for_retention(years_after(TODAY, 2)).exists()


@pytest.mark.parametrize("value", [0, "7", 2.5, True])
def test_a_malformed_retention_period_stops_the_run(closed_long_ago, settings, value):
    settings.RETENTION_YEARS = value

    with pytest.raises(ImproperlyConfigured, match="RETENTION_YEARS must be a whole number of years"):
        retention_run(today=RUN_ON)
