"""An erasure leaves nothing of the survivor behind: a survivor with every kind of record, each changed
so that its history holds earlier values too, is erased, and then every text, date, JSON, array and
binary column of every row of every table is read with SQL, Fernet tokens decrypted with the
application's keys (encrypted is still present), and none of their values is found; the counts stay."""

import re
from datetime import date, timedelta

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import connection

from casework import services as casework
from casework.choices import ClosureReason, FollowUpMode, ProsecutionOutcome, WellbeingDomain
from casework.models import AccusedPerson, Prosecution
from dataprotection.chain import chain_verify
from dataprotection.selectors import describe_removed
from dataprotection.services import access_record, erase_survivor, legal_hold_lift, legal_hold_set
from navigators.models import RoleGrant
from navigators.versioning import EditConflict
from reporting.exports.jobs import BreakdownRequest, ExportRequest, export_job_build, export_job_create
from reporting.headline import headline_report, period_for_range
from reporting.publishing import period_publish, restatement
from survivors.blind_index import identity_names, name_digests
from survivors.choices import IdentityDocumentKind
from survivors.models import AccessRecord, IdentityDocument, Survivor, SurvivorExploitation
from survivors.services import consent_record, survivor_identity_update, survivor_register, survivor_update
from tests import factories
from tests.conftest import TODAY, make_user

# Every value holds MARK, so that any copy of one, whole or in part, is found wherever it is.
MARK = "Zorblat-Quenx-7731"
SECRETS = {
    name: f"{MARK} {name}"
    for name in [
        "aliases",
        "address",
        "new_address",
        "safe_contact",
        "phone",
        "new_phone",
        "document",
        "new_document",
        "consent",
        "follow_up",
        "follow_up_changed",
        "second_case_follow_up",
        "support",
        "support_deleted",
        "care_plan",
        "care_plan_changed",
        "goal",
        "engagement",
        "nrm",
        "first_responder",
        "first_responder_changed",
        "stage",
        "removal",
        "retrafficking",
        "arrest",
        "offence",
        "sentence",
        "sentence_changed",
        "hearing",
        "step",
        "request",
        "returned",
        "hold",
        "change_reason",
        "case_change_reason",
    ]
}
SECRETS |= {
    "legal_name": f"{MARK} Vimtralda Oskerby",
    "email": "zorblat-quenx-7731@example.org",
    "accused_before": "ACC-Zorblat-7731",  # an accused person's reference is 20 characters at most
    "accused": "ACC-Zorblat-7731-b",
}
DATE_OF_BIRTH, DOCUMENT_EXPIRES = date(1961, 3, 17), date(2034, 11, 29)


def needles() -> dict[str, str]:
    """What the scan looks for, lower-cased: every value, both dates, and the survivor's blind-index digests."""
    found = {name: value.lower() for name, value in SECRETS.items()}
    found |= {"mark": MARK.lower(), "mark_in_references": "zorblat-7731"}
    found |= {"date_of_birth": DATE_OF_BIRTH.isoformat(), "document_expires": DOCUMENT_EXPIRES.isoformat()}
    names = identity_names(SECRETS["legal_name"], SECRETS["aliases"])
    found |= {f"name index {kind}:{digest[:8]}": digest for kind, digest in name_digests(names)}
    return found


def changed(record, **values):
    """Save new values the way an edit does, so the old ones stay in the history."""
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    return record


@pytest.fixture
def dpl(db):
    return make_user("dpl", role=RoleGrant.Role.DATA_PROTECTION_LEAD)


@pytest.fixture
def everything(world, dpl):
    """A survivor with every kind of record, most changed once, one deleted; a built export; a published period."""
    lead, navigator, met = world["lead"], world["assigned"], world["met"]
    survivor = survivor_register(
        acting_user=lead,
        identity={
            "legal_name": SECRETS["legal_name"],
            "aliases": SECRETS["aliases"],
            "date_of_birth": DATE_OF_BIRTH,
            "phone": SECRETS["phone"],
            "email": SECRETS["email"],
            "address": SECRETS["address"],
            "safe_contact_notes": SECRETS["safe_contact"],
        },
        exploitations=[
            {"type": "sexual", "sexual_subtype": "prostitution"},
            {"type": "criminal", "county_lines": True, "cuckooing": True},
            {"type": "forced_labour", "industry": "A"},
        ],
        identity_documents=[
            {
                "kind": IdentityDocumentKind.PASSPORT,
                "number": SECRETS["document"],
                "issuing_country": "RO",
                "expires_on": DOCUMENT_EXPIRES,
            }
        ],
        gender="feminine",
        citizenships=["RO", "GB"],
        age_at_exploitation=24,
        trafficking_status="actual",
        status_decided_by="police",
        means_of_control=["debt_bondage", "withholds_documents"],
        recruiter_relation="friend",
    )
    survivor_identity_update(
        acting_user=lead, survivor=survivor, version=1, phone=SECRETS["new_phone"], address=SECRETS["new_address"]
    )
    changed(IdentityDocument.objects.get(survivor=survivor), number=SECRETS["new_document"])
    opened_on = TODAY - timedelta(days=60)
    case = casework.case_open(
        acting_user=lead, survivor=survivor, team=met, opened_on=opened_on, navigators=[navigator]
    )
    consent_record(
        acting_user=navigator,
        survivor=survivor,
        topic="support_and_data",
        given=True,
        recorded_on=opened_on,
        notes=SECRETS["consent"],
    )
    follow_up = casework.follow_up_log(
        acting_user=navigator,
        case=case,
        occurred_on=opened_on + timedelta(days=3),
        mode=FollowUpMode.PHONE,
        notes=SECRETS["follow_up"],
    )
    changed(follow_up, notes=SECRETS["follow_up_changed"])
    # The services give no reason for a change, but the history tables have a column for one.
    follow_up.history.filter(history_type="+").update(history_change_reason=SECRETS["change_reason"])
    case.history.update(history_change_reason=SECRETS["case_change_reason"])  # a record with nothing else erased
    factories.SupportServiceFactory(case=case, notes=SECRETS["support"])
    factories.SupportServiceFactory(case=case, notes=SECRETS["support_deleted"]).delete()
    plan = casework.care_plan_save(
        acting_user=navigator,
        case=case,
        started_on=opened_on + timedelta(days=7),
        next_review_on=TODAY + timedelta(days=30),
        summary=SECRETS["care_plan"],
        goals=[{"domain": WellbeingDomain.SAFETY, "goal": SECRETS["goal"]}],
    )
    casework.care_plan_save(
        acting_user=navigator,
        case=case,
        started_on=plan.started_on,
        next_review_on=plan.next_review_on,
        summary=SECRETS["care_plan_changed"],
        version=plan.version,
    )
    factories.WellbeingAssessmentFactory(case=case, occurred_on=opened_on + timedelta(days=2), mental_wellbeing=1)
    factories.WellbeingAssessmentFactory(case=case, occurred_on=opened_on + timedelta(days=40), mental_wellbeing=3)
    factories.PoliceEngagementEventFactory(case=case, notes=SECRETS["engagement"])
    nrm = factories.NrmEventFactory(case=case, first_responder=SECRETS["first_responder"], notes=SECRETS["nrm"])
    changed(nrm, first_responder=SECRETS["first_responder_changed"])
    factories.StageChangeFactory(case=case, notes=SECRETS["stage"])
    factories.RemovalFromExploitationFactory(case=case, notes=SECRETS["removal"])
    factories.RetraffickingEventFactory(case=case, notes=SECRETS["retrafficking"])
    accused = changed(
        factories.AccusedPersonFactory(reference=SECRETS["accused_before"], recorded_by_team=met),
        reference=SECRETS["accused"],
    )
    factories.ArrestFactory(case=case, accused=accused, notes=SECRETS["arrest"])
    prosecution = factories.ProsecutionFactory(
        case=case,
        accused=accused,
        offence=SECRETS["offence"],
        trial_started_on=opened_on + timedelta(days=15),
        outcome=ProsecutionOutcome.CONVICTED,
        outcome_on=opened_on + timedelta(days=30),
        sentence=SECRETS["sentence"],
    )
    changed(prosecution, sentence=SECRETS["sentence_changed"])
    factories.CourtHearingFactory(prosecution=prosecution, notes=SECRETS["hearing"])
    repatriation = factories.RepatriationFactory(case=case)
    factories.RepatriationStepFactory(repatriation=repatriation, notes=SECRETS["step"])
    request = casework.closure_request(
        acting_user=navigator,
        case=case,
        closure_reason=ClosureReason.MOVED_OUT_OF_AREA,
        closes_on=TODAY,
        notes=SECRETS["request"],
    )
    casework.case_request_return(acting_user=lead, case_request=request, note=SECRETS["returned"])
    access_record(user=navigator, survivor=survivor, case=case, action=AccessRecord.Action.VIEWED)
    legal_hold_lift(acting_user=dpl, hold=legal_hold_set(acting_user=dpl, survivor=survivor, reason=SECRETS["hold"]))
    # A second case, with another team.
    other = casework.case_open(
        acting_user=lead, survivor=survivor, team=world["surrey"], opened_on=opened_on, navigators=[]
    )
    factories.FollowUpFactory(case=other, notes=SECRETS["second_case_follow_up"])
    # An export built, and a period published, before the erasure.
    period = period_for_range(opened_on, TODAY)
    job = export_job_create(
        acting_user=world["me"],
        export=ExportRequest(
            period=period,
            format="csv",
            breakdowns=(BreakdownRequest("survivors_cared_for", ("sex", "citizenship")),),
        ),
    )
    assert export_job_build(job.pk) == "done"
    published = period_publish(acting_user=world["me"], period=period_for_range(opened_on, TODAY - timedelta(days=1)))
    return {"survivor": Survivor.objects.get(pk=survivor.pk), "period": period, "published": published}


FERNET_TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_\-]{40,}={0,2}")
SCANNED_TYPES = ("text", "character varying", "character", "json", "jsonb", "date", "ARRAY", "bytea")


def _keys() -> MultiFernet:
    """Every key the application encrypts with: the fields' and the authenticator secrets'."""
    return MultiFernet([Fernet(key) for key in [*settings.FIELD_ENCRYPTION_KEYS, *settings.MFA_ENCRYPTION_KEYS]])


def database_scan() -> tuple[set[tuple[str, str, str]], list[tuple[str, str]]]:
    """(what was found, in which table and column) for every needle, over every row of every table,
    and the (table, column) of any token no key opens: it could hide anything."""
    keys, wanted = _keys(), needles()
    found, unreadable = set(), []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public' AND data_type = ANY(%s) ORDER BY table_name, ordinal_position",
            [list(SCANNED_TYPES)],
        )
        tables: dict[str, list[tuple[str, str]]] = {}
        for table, column, data_type in cursor.fetchall():
            tables.setdefault(table, []).append((column, data_type))
        for table, columns in tables.items():
            select = ", ".join(quote(c) if t == "bytea" else f"{quote(c)}::text" for c, t in columns)
            cursor.execute(f"SELECT {select} FROM {quote(table)}")
            for row in cursor.fetchall():
                for (column, _type), value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    text = bytes(value).decode("utf-8", "replace") if isinstance(value, (bytes, memoryview)) else value
                    readable = [text]
                    for token in FERNET_TOKEN.findall(text):
                        try:
                            readable.append(keys.decrypt(token.encode()).decode("utf-8", "replace"))
                        except InvalidToken:
                            unreadable.append((table, column))
                    lowered = "\n".join(readable).lower()
                    found |= {(name, table, column) for name, needle in wanted.items() if needle in lowered}
    return found, unreadable


def test_before_the_erasure_the_scan_finds_every_value(everything):
    found, unreadable = database_scan()

    assert set(needles()) - {name for name, _table, _column in found} == set()
    assert unreadable == []
    # Found in the history tables too, and through the encryption.
    assert ("phone", "survivors_historicalsurvivoridentity", "phone") in found
    assert ("accused_before", "casework_historicalaccusedperson", "reference") in found


def test_after_the_erasure_no_value_of_the_survivor_is_left_anywhere(everything, dpl):
    erase_survivor(acting_user=dpl, survivor=everything["survivor"], reason="The survivor's request")

    assert database_scan() == (set(), [])


def test_the_published_figures_the_access_trail_and_the_audit_chain_stay(everything, dpl):
    survivor, period = everything["survivor"], everything["period"]
    before = headline_report(period).as_dict()
    trail = list(AccessRecord.objects.filter(survivor=survivor).values())

    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    assert headline_report(period).as_dict() == before
    after = restatement(everything["published"])
    assert (after.figures, after.records, after.fingerprint_changed) == ([], [], False)
    assert list(AccessRecord.objects.filter(survivor=survivor).values()) == trail
    assert chain_verify().ok


def test_the_tombstone_says_in_words_what_went(everything, dpl):
    erasure = erase_survivor(acting_user=dpl, survivor=everything["survivor"], reason="The survivor's request")

    lines = describe_removed(erasure.removed)
    assert "Prosecutions, offence: 1 record, 2 versions in the history" in lines
    assert "Follow-ups, history change reason: 1 version in the history" in lines
    assert "Survivor identities: 1 deleted, 3 versions in the history" in lines
    assert [line for line in lines if "." in line.partition(":")[0]] == []  # each kind found by its name


def test_details_the_counts_do_not_need_are_generalised_live_and_in_history(everything, dpl):
    survivor = everything["survivor"]
    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    versions = [Survivor.objects.get(pk=survivor.pk), *Survivor.history.filter(id=survivor.pk)]
    assert {
        (v.birth_year, v.birth_date_precision, v.trafficking_status, v.status_decided_by, v.recruiter_relation)
        for v in versions
    } == {(None, "unknown", "possible", "", "unknown")}
    assert {(tuple(v.citizenships), tuple(v.means_of_control)) for v in versions} == {(("RO",), ())}
    # What the breakdowns count stays: sex, age at exploitation, first citizenship, exploitation types.
    assert {(v.gender, v.age_at_exploitation) for v in versions} == {("feminine", 24)}
    exploitations = SurvivorExploitation.objects.filter(survivor=survivor)
    assert sorted(exploitations.values_list("type", "sexual_subtype", "industry", "county_lines", "cuckooing")) == [
        ("criminal", "", "", False, False),
        ("forced_labour", "", "", False, False),
        ("sexual", "", "", False, False),
    ]


def test_an_edit_form_opened_before_the_erasure_cannot_write_back_what_it_showed(everything, dpl, world):
    survivor = everything["survivor"]
    prosecution = Prosecution.objects.get(case__survivor=survivor)
    opened = {"survivor": survivor.version, "prosecution": prosecution.version}

    erase_survivor(acting_user=dpl, survivor=survivor, reason="The survivor's request")

    with pytest.raises(EditConflict):
        survivor_update(acting_user=world["lead"], survivor=survivor, version=opened["survivor"], birth_year=1961)
    with pytest.raises(EditConflict):
        casework.prosecution_update(
            acting_user=world["lead"],
            prosecution=prosecution,
            version=opened["prosecution"],
            sentence=SECRETS["sentence_changed"],
        )
    assert Survivor.objects.get(pk=survivor.pk).birth_year is None


def test_an_accused_person_only_this_survivor_named_gets_a_new_random_reference(everything, dpl):
    accused = Prosecution.objects.get(case__survivor=everything["survivor"]).accused

    erasure = erase_survivor(acting_user=dpl, survivor=everything["survivor"], reason="The survivor's request")

    reference = AccusedPerson.objects.get(pk=accused.pk).reference
    assert re.fullmatch(r"ERASED-[0-9A-F]{12}", reference)
    assert set(AccusedPerson.history.filter(id=accused.pk).values_list("reference", flat=True)) == {reference}
    assert erasure.removed["casework.AccusedPerson.reference"] == {"live": 1, "history": 2}


def test_an_accused_person_another_survivor_named_keeps_their_reference(everything, dpl, world):
    accused = Prosecution.objects.get(case__survivor=everything["survivor"]).accused
    factories.ArrestFactory(case=world["case"], accused=accused)  # the world's survivor, another person

    erase_survivor(acting_user=dpl, survivor=everything["survivor"], reason="The survivor's request")

    assert AccusedPerson.objects.get(pk=accused.pk).reference == SECRETS["accused"]
