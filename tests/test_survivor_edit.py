"""Editing a survivor's details and identity, and recording consent: who may, and two editors never overwrite each other."""

from datetime import timedelta

import pytest
from django.urls import reverse
from guardian.shortcuts import remove_perm

from survivors.models import AccessRecord, ConsentRecord, Survivor, SurvivorIdentity
from survivors.selectors import possible_duplicates
from survivors.services import survivor_identity_update, survivor_update
from tests.conftest import TODAY

EDITS = {
    "assigned": 200,
    "same_team": 200,
    "other_team": 404,
    "other_country": 404,
    "lead": 200,
    "other_lead": 404,
    "me": 404,
    "admin": 404,
}
IDENTITY_EDITS = {**EDITS, "same_team": 403}


@pytest.fixture
def survivor(world):
    survivor = world["case"].survivor
    survivor_identity_update(
        acting_user=world["lead"], survivor=survivor, version=0, legal_name="Ana Popescu", phone="0721 000 111"
    )
    return Survivor.objects.get(pk=survivor.pk)


def details_url(survivor):
    return reverse("survivors:survivor_edit", args=[survivor.pk])


def identity_url(survivor):
    return reverse("survivors:survivor_identity_edit", args=[survivor.pk])


def details_data(survivor, **changes):
    data = {
        "version": survivor.version,
        "gender": survivor.gender,
        "citizenships": survivor.citizenships,
        "birth_year": survivor.birth_year or "",
        "birth_date_precision": survivor.birth_date_precision,
        "age_at_exploitation": survivor.age_at_exploitation or "",
        "trafficking_status": survivor.trafficking_status,
        "status_decided_by": survivor.status_decided_by,
        "exploitation_types": [],
        "means_of_control": survivor.means_of_control,
        "recruiter_relation": survivor.recruiter_relation,
        "sexual_subtype": "",
        "industry": "",
    }
    return {**data, **changes}


def identity_data(identity, **changes):
    data = {
        "version": identity.version,
        "legal_name": identity.legal_name,
        "aliases": identity.aliases,
        "date_of_birth": "",
        "phone": identity.phone,
        "email": identity.email,
        "address": identity.address,
        "safe_contact_notes": identity.safe_contact_notes,
    }
    return {**data, **changes}


# Who may edit, and the access trail.


@pytest.mark.parametrize("who", EDITS)
def test_details_page_by_role(client, survivor, world, who):
    client.force_login(world[who])

    response = client.get(details_url(survivor))

    assert response.status_code == EDITS[who]
    expected = [("viewed", world["case"].pk)] if response.status_code == 200 else []
    assert list(AccessRecord.objects.values_list("action", "case")) == expected


@pytest.mark.parametrize("who", IDENTITY_EDITS)
def test_identity_page_by_role_records_exactly_one_look(client, survivor, world, who):
    client.force_login(world[who])

    response = client.get(identity_url(survivor))

    assert response.status_code == IDENTITY_EDITS[who]
    assert ("Ana Popescu" in response.content.decode()) is (response.status_code == 200)
    expected = [("viewed_identity", world[who].pk)] if response.status_code == 200 else []
    assert list(AccessRecord.objects.values_list("action", "user")) == expected
    if response.status_code == 200:
        assert "no-store" in response["Cache-Control"]


def test_each_look_at_the_identity_page_is_recorded(client, survivor, world):
    client.force_login(world["assigned"])

    client.get(identity_url(survivor))
    client.get(identity_url(survivor))

    assert AccessRecord.objects.filter(action="viewed_identity").count() == 2


def test_a_team_that_may_only_read_the_case_may_not_edit(client, survivor, world):
    remove_perm("casework.change_case", world["met"].group, world["case"])
    client.force_login(world["same_team"])

    assert client.get(details_url(survivor)).status_code == 403
    assert client.post(details_url(survivor), details_data(survivor, gender="feminine")).status_code == 403
    assert Survivor.objects.get(pk=survivor.pk).gender == survivor.gender
    assert AccessRecord.objects.count() == 0


def test_a_refused_identity_post_changes_nothing(client, survivor, world):
    client.force_login(world["same_team"])

    response = client.post(identity_url(survivor), identity_data(survivor.identity, legal_name="Someone Else"))

    assert response.status_code == 403
    assert SurvivorIdentity.objects.get(survivor=survivor).legal_name == "Ana Popescu"


# Editing.


def test_the_form_shows_the_current_details(client, survivor, world):
    client.force_login(world["assigned"])

    form = client.get(details_url(survivor)).context["form"]

    assert form.initial["birth_year"] == survivor.birth_year
    assert form.initial["version"] == 1


def test_saving_details_changes_them_and_raises_the_version(client, survivor, world):
    client.force_login(world["same_team"])

    response = client.post(
        details_url(survivor),
        details_data(
            survivor,
            gender="feminine",
            trafficking_status="actual",
            status_decided_by="police",
            exploitation_types=["sexual", "criminal"],
            sexual_subtype="prostitution",
            county_lines="on",
        ),
    )

    saved = Survivor.objects.get(pk=survivor.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case_detail", args=[world["case"].pk])
    assert (saved.gender, saved.trafficking_status, saved.status_decided_by, saved.version) == (
        "feminine",
        "actual",
        "police",
        2,
    )
    assert sorted(saved.exploitations.values_list("type", "sexual_subtype", "county_lines")) == [
        ("criminal", "", True),
        ("sexual", "prostitution", False),
    ]
    assert saved.history.latest().history_user == world["same_team"]


def test_unticking_an_exploitation_type_removes_it(client, survivor, world):
    survivor_update(
        acting_user=world["lead"],
        survivor=survivor,
        version=1,
        exploitations=[{"type": "forced_labour", "industry": "A"}],
    )
    survivor.refresh_from_db()
    client.force_login(world["assigned"])

    client.post(details_url(survivor), details_data(survivor, exploitation_types=["domestic_servitude"]))

    assert list(survivor.exploitations.values_list("type", flat=True)) == ["domestic_servitude"]


def test_bad_details_are_shown_and_nothing_is_saved(client, survivor, world):
    client.force_login(world["assigned"])

    response = client.post(
        details_url(survivor), details_data(survivor, status_decided_by="police", age_at_exploitation="17")
    )

    saved = Survivor.objects.get(pk=survivor.pk)
    assert response.status_code == 200
    assert "A possible victim has no decision yet" in response.context["form"].errors["status_decided_by"][0]
    assert 'value="17"' in response.content.decode()
    assert (saved.status_decided_by, saved.age_at_exploitation, saved.version) == ("", survivor.age_at_exploitation, 1)


def test_saving_the_identity_rebuilds_the_name_index(client, survivor, world):
    client.force_login(world["assigned"])

    response = client.post(
        identity_url(survivor), identity_data(survivor.identity, legal_name="Ioana Ionescu", aliases="Ana")
    )

    identity = SurvivorIdentity.objects.get(survivor=survivor)
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case_identity", args=[world["case"].pk])
    assert (identity.legal_name, identity.version) == ("Ioana Ionescu", 2)
    names = {"birth_year": survivor.birth_year, "citizenships": survivor.citizenships}
    assert list(possible_duplicates(names=["Popescu"], **names)) == []
    assert list(possible_duplicates(names=["Ionescu"], **names)) == [survivor]


def test_a_first_identity_can_be_written(client, world):
    survivor = world["case"].survivor
    client.force_login(world["lead"])

    response = client.get(identity_url(survivor))
    client.post(identity_url(survivor), {**response.context["form"].initial, "legal_name": "Elena Dumitru"})

    assert SurvivorIdentity.objects.get(survivor=survivor).legal_name == "Elena Dumitru"


def test_a_bad_identity_is_shown_and_nothing_is_saved(client, survivor, world):
    client.force_login(world["assigned"])

    response = client.post(
        identity_url(survivor),
        identity_data(survivor.identity, legal_name="Ana Ionescu", date_of_birth=str(TODAY + timedelta(days=3))),
    )

    assert response.status_code == 200
    (message,) = response.context["form"].errors["date_of_birth"]
    assert message.startswith("A date of birth gives an age between 0 and 110")
    assert SurvivorIdentity.objects.get(survivor=survivor).legal_name == "Ana Popescu"


# Two people editing the same record.


def test_the_second_save_shows_the_first_persons_changes_and_keeps_its_own(client, survivor, world):
    client.force_login(world["assigned"])
    opened = client.get(details_url(survivor)).context["form"].initial["version"]
    # Meanwhile the lead changes the year of birth.
    survivor_update(acting_user=world["lead"], survivor=survivor, version=opened, birth_year=1993)

    response = client.post(details_url(survivor), details_data(survivor, version=opened, age_at_exploitation="19"))

    page = response.content.decode()
    saved = Survivor.objects.get(pk=survivor.pk)
    assert response.status_code == 200
    assert "This record changed while you were editing it" in page
    assert str(world["lead"]) in page
    assert [(c.label, c.before, c.after) for c in response.context["changes"]] == [("year of birth", 1995, 1993)]
    assert 'value="19"' in page  # what they typed is still there
    assert response.context["form"]["version"].value() == 2
    assert (saved.birth_year, saved.age_at_exploitation, saved.version) == (1993, 24, 2)  # nothing overwritten


def test_saving_again_after_a_conflict_is_deliberate_and_keeps_both(client, survivor, world):
    client.force_login(world["assigned"])
    survivor_update(acting_user=world["lead"], survivor=survivor, version=1, birth_year=1993)
    response = client.post(
        details_url(survivor), details_data(survivor, version=1, birth_year="1993", age_at_exploitation="19")
    )

    again = client.post(
        details_url(survivor),
        {**response.context["form"].data.dict(), "citizenships": ["GB"], "age_at_exploitation": "19"},
    )

    saved = Survivor.objects.get(pk=survivor.pk)
    assert again.status_code == 302
    assert (saved.birth_year, saved.age_at_exploitation, saved.version) == (1993, 19, 3)


def test_a_conflict_names_changed_exploitation_types(client, survivor, world):
    client.force_login(world["assigned"])
    survivor_update(acting_user=world["lead"], survivor=survivor, version=1, exploitations=[{"type": "forced_begging"}])

    response = client.post(details_url(survivor), details_data(survivor, version=1, exploitation_types=["other"]))

    assert [(c.label, c.before, c.after) for c in response.context["changes"]] == [
        ("exploitation types", "", "Forced begging")
    ]
    assert list(survivor.exploitations.values_list("type", flat=True)) == ["forced_begging"]


def test_an_identity_conflict_shows_the_change_and_is_recorded_as_a_look(client, survivor, world):
    client.force_login(world["assigned"])
    survivor_identity_update(acting_user=world["lead"], survivor=survivor, version=1, phone="0722 999 888")

    response = client.post(
        identity_url(survivor), identity_data(survivor.identity, version=1, address="Str. Lalelelor 3")
    )

    assert [(c.label, c.before, c.after) for c in response.context["changes"]] == [
        ("phone", "0721 000 111", "0722 999 888")
    ]
    assert "Str. Lalelelor 3" in response.content.decode()
    assert SurvivorIdentity.objects.get(survivor=survivor).address == ""
    assert list(AccessRecord.objects.values_list("action", flat=True)) == ["viewed_identity"]


# Consent.


def consent_url(survivor):
    return reverse("survivors:survivor_consent", args=[survivor.pk])


def test_recording_consent_shows_it_in_force(client, survivor, world):
    client.force_login(world["same_team"])

    response = client.post(
        consent_url(survivor), {"topic": "share_with_police", "given": "yes", "recorded_on": str(TODAY)}, follow=True
    )

    consent = ConsentRecord.objects.get(survivor=survivor)
    assert (consent.topic, consent.given, consent.recorded_by) == ("share_with_police", True, world["same_team"])
    assert "The answer is recorded." in response.content.decode()
    assert ("Share information with police", consent) in response.context["topics"]


def test_a_later_no_is_the_answer_in_force(client, survivor, world):
    client.force_login(world["assigned"])
    for given, day in [("yes", TODAY - timedelta(days=5)), ("no", TODAY)]:
        client.post(consent_url(survivor), {"topic": "research_use", "given": given, "recorded_on": str(day)})

    topics = dict(client.get(consent_url(survivor)).context["topics"])

    assert topics["Research use"].given is False
    assert topics["Data use"] is None


def test_bad_consent_is_shown_and_nothing_is_saved(client, survivor, world):
    client.force_login(world["assigned"])

    response = client.post(
        consent_url(survivor),
        {"topic": "data_use", "given": "no", "recorded_on": str(TODAY + timedelta(days=1)), "notes": "Asked twice"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["recorded_on"] == ["Enter a date between 1 Jan 2010 and today."]
    assert "Asked twice" in response.content.decode()
    assert ConsentRecord.objects.count() == 0


@pytest.mark.parametrize("who", EDITS)
def test_consent_page_by_role(client, survivor, world, who):
    client.force_login(world[who])

    assert client.get(consent_url(survivor)).status_code == EDITS[who]
