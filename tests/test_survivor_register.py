"""Registering a survivor: one form for who they are and their first case, with a warning for possible duplicates."""

import pytest
from django.urls import reverse

from casework.models import Case, CaseAssignment
from casework.services import survivor_register_with_case
from survivors.models import PossibleDuplicate, Survivor, SurvivorIdentity, SurvivorNameToken
from tests import factories
from tests.conftest import TODAY, make_user

URL = reverse("survivors:survivor_register")


def form_data(team, **changes):
    data = {
        "gender": "masculine",
        "citizenships": ["BD"],
        "birth_year": "1990",
        "birth_date_precision": "year",
        "age_at_exploitation": "24",
        "trafficking_status": "possible",
        "status_decided_by": "",
        "exploitation_types": ["forced_labour"],
        "sexual_subtype": "",
        "industry": "F",
        "means_of_control": ["debt_bondage"],
        "recruiter_relation": "unknown",
        "legal_name": "Muhammad Rahman",
        "aliases": "",
        "date_of_birth": "",
        "phone": "07700 900456",
        "email": "",
        "address": "",
        "safe_contact_notes": "After 6pm only",
        "team": str(team.pk),
    }
    return {**data, **changes}


def already_registered(world, name="Mohammed Rahman", *, birth_year=1990, citizenships=("BD",), team=None, by="lead"):
    """A survivor registered earlier, through the service, by the GB lead for the Met team (or `team`)."""
    case = survivor_register_with_case(
        acting_user=world[by],
        team=team or world["met"],
        identity={"legal_name": name},
        birth_year=birth_year,
        citizenships=list(citizenships),
    )
    return case.survivor


def counts():
    return (
        Survivor.objects.count(),
        SurvivorIdentity.objects.count(),
        Case.objects.count(),
        SurvivorNameToken.objects.count(),
    )


# Who may register.


@pytest.mark.parametrize("who", ["assigned", "other_country", "lead"])
def test_navigators_and_leads_get_the_form(client, world, who):
    client.force_login(world[who])

    response = client.get(URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["me", "admin"])
def test_people_without_a_case_role_are_refused(client, world, who):
    client.force_login(world[who])

    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(world["met"])).status_code == 403
    assert Survivor.objects.count() == 1  # the world's own


def test_a_navigator_without_a_team_is_refused(client, world):
    client.force_login(make_user("between.teams"))

    assert client.get(URL).status_code == 403


def test_the_navigation_offers_registering_to_navigators_only(client, world):
    client.force_login(world["assigned"])
    assert "Register a survivor" in client.get(reverse("home")).content.decode()

    client.force_login(world["me"])
    assert "Register a survivor" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("more_teams", [0, 8])
def test_the_form_costs_four_queries_however_many_teams(client, world, django_assert_num_queries, more_teams):
    for _ in range(more_teams):
        factories.TeamFactory(country=world["met"].country)
    client.force_login(world["lead"])

    # 1 session, 2 user, 3 role grants (the navigation), 4 the teams the user may register for.
    with django_assert_num_queries(4):
        response = client.get(URL)

    assert len(response.context["case_form"].fields["team"].choices) == 2 + more_teams


# Registering.


def test_a_navigator_registers_for_their_team_and_is_assigned(client, world):
    client.force_login(world["other_team"])

    response = client.post(URL, form_data(world["surrey"], legal_name="Ana Ionescu", citizenships=["RO"]))

    # Names are encrypted at rest: found by reading them, never by filtering in SQL.
    survivor = next(
        i.survivor for i in SurvivorIdentity.objects.select_related("survivor") if i.legal_name == "Ana Ionescu"
    )
    case = survivor.cases.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case_detail", args=[case.pk])
    assert (case.team, case.opened_on, case.opened_by) == (world["surrey"], TODAY, world["other_team"])
    assert list(case.assignments.values_list("navigator__username", flat=True)) == ["other.team"]
    assert (survivor.citizenships, survivor.birth_year, survivor.registered_by) == (["RO"], 1990, world["other_team"])
    assert list(survivor.exploitations.values_list("type", "industry")) == [("forced_labour", "F")]
    assert survivor.identity.safe_contact_notes == "After 6pm only"
    assert SurvivorNameToken.objects.filter(survivor=survivor).count() == 4  # ana, ionescu and their sounds


def test_the_new_case_page_opens_for_the_registering_navigator(client, world):
    client.force_login(world["other_team"])

    response = client.post(URL, form_data(world["surrey"]), follow=True)

    assert response.status_code == 200
    assert Survivor.objects.latest("pk").case_reference in response.content.decode()


def test_a_lead_registers_for_a_team_of_their_country_without_being_assigned(client, world):
    client.force_login(world["lead"])

    response = client.post(URL, form_data(world["surrey"]))

    case = Case.objects.get(team=world["surrey"])
    assert response.status_code == 302
    assert not CaseAssignment.objects.filter(case=case).exists()


def test_a_navigator_cannot_register_for_another_team(client, world):
    client.force_login(world["assigned"])
    before = counts()

    response = client.post(URL, form_data(world["surrey"]))

    assert response.status_code == 200
    assert "Select a valid choice" in response.context["case_form"].errors["team"][0]
    assert counts() == before


def test_a_date_of_birth_gives_the_year_of_birth(client, world):
    client.force_login(world["assigned"])

    client.post(URL, form_data(world["met"], birth_year="", birth_date_precision="unknown", date_of_birth="1991-04-02"))

    survivor = Survivor.objects.latest("pk")
    assert (survivor.birth_year, survivor.birth_date_precision) == (1991, "exact")


# Bad input: every error said, what was typed kept, nothing saved.


@pytest.mark.parametrize(
    ("changes", "form", "field", "message"),
    [
        ({"legal_name": ""}, "identity", "legal_name", "This field is required."),
        (
            {"birth_year": str(TODAY.year + 1)},
            "details",
            "birth_year",
            "A year of birth gives an age between 0 and 110",
        ),
        ({"status_decided_by": "police"}, "details", "status_decided_by", "A possible victim has no decision yet"),
        ({"sexual_subtype": "prostitution"}, "details", "sexual_subtype", "Tick sexual exploitation above"),
        (
            {"date_of_birth": "2999-01-01", "birth_year": ""},
            "identity",
            "date_of_birth",
            "A date of birth gives an age",
        ),
        ({"date_of_birth": "1985-01-01"}, "details", "birth_year", "not the year of the date of birth"),
        ({"email": "not an address"}, "identity", "email", "Enter a valid email address."),
        ({"citizenships": ["XX"]}, "details", "citizenships", "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(client, world, changes, form, field, message):
    client.force_login(world["assigned"])
    before = counts()

    response = client.post(URL, form_data(world["met"], **changes))

    assert response.status_code == 200
    assert message in " ".join(response.context[form].errors[field])
    assert "There is a problem" in response.content.decode()
    assert 'value="07700 900456"' in response.content.decode()  # what was typed is kept
    assert counts() == before


def test_an_empty_form_says_what_is_missing_and_saves_nothing(client, world):
    client.force_login(world["assigned"])
    before = counts()

    response = client.post(URL, {})

    assert response.status_code == 200
    assert set(response.context["identity"].errors) == {"legal_name"}
    assert counts() == before


# Possible duplicates.


def test_a_phonetic_variant_shows_the_warning_with_the_case_reference(client, world):
    existing = already_registered(world, "Mohammed Rahman")
    client.force_login(world["assigned"])
    before = counts()

    response = client.post(URL, form_data(world["met"], legal_name="Muhammad Rahman", birth_year="1991"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "This person may already be registered" in page
    assert existing.case_reference in page
    assert reverse("casework:case_detail", args=[existing.cases.get().pk]) in page
    assert "Mohammed" not in page  # the match is named by its case reference only
    assert 'value="Muhammad Rahman"' in page
    assert "I have checked: this is a different person" in page
    assert counts() == before


def test_a_bengali_script_name_warns_of_its_latin_spelling(client, world):
    existing = already_registered(world, "Mohammed Rahman")
    client.force_login(world["assigned"])

    response = client.post(URL, form_data(world["met"], legal_name="মোহাম্মদ রহমান"))

    assert existing.case_reference in response.content.decode()
    assert Survivor.objects.count() == 2


def test_a_name_without_romanian_diacritics_warns_of_the_name_with_them(client, world):
    existing = already_registered(world, "Ștefan Țurcanu", citizenships=["RO"])
    client.force_login(world["assigned"])

    response = client.post(URL, form_data(world["met"], legal_name="Stefan Turcanu", citizenships=["RO", "MD"]))

    assert existing.case_reference in response.content.decode()


def test_an_alias_warns_too(client, world):
    existing = already_registered(world, "Karim Uddin")
    client.force_login(world["assigned"])

    response = client.post(URL, form_data(world["met"], legal_name="Rafiq Hossain", aliases="Karim\nK. Uddin"))

    assert existing.case_reference in response.content.decode()


def test_no_warning_for_a_year_of_birth_more_than_two_years_apart(client, world):
    already_registered(world, "Mohammed Rahman", birth_year=1990)
    client.force_login(world["assigned"])

    response = client.post(URL, form_data(world["met"], birth_year="1993"))

    assert response.status_code == 302
    assert Survivor.objects.count() == 3


def test_no_warning_without_a_citizenship_in_common(client, world):
    already_registered(world, "Mohammed Rahman", citizenships=["BD"])
    client.force_login(world["assigned"])

    response = client.post(URL, form_data(world["met"], citizenships=["IN"]))

    assert response.status_code == 302


def registered_answer(client, data):
    """What the Navigator is told on registering: the status, where they are sent (the new case's id taken
    out) and the messages shown there (the new reference taken out)."""
    response = client.post(URL, data)
    survivor = Survivor.objects.order_by("-pk").first()
    location = response["Location"].replace(str(survivor.cases.get().pk), "NEW")
    shown = [
        str(m).replace(survivor.case_reference, "SV-NEW") for m in client.get(response["Location"]).context["messages"]
    ]
    return response.status_code, location, shown


def test_the_answer_is_the_same_with_and_without_a_match_the_navigator_may_not_see(client, world):
    already_registered(world, "Mohammed Rahman", team=world["surrey"])  # out of the assigned Navigator's sight
    client.force_login(world["assigned"])

    without = registered_answer(client, form_data(world["met"], legal_name="Zoltan Kerekes"))
    with_hidden = registered_answer(client, form_data(world["met"], legal_name="Muhammad Rahman"))

    assert with_hidden == without
    assert PossibleDuplicate.objects.count() == 1  # the lead has it; the Navigator was told nothing


def test_a_match_the_navigator_may_not_see_goes_to_the_data_protection_lead(client, world):
    hidden = already_registered(world, "Mohammed Rahman", team=world["surrey"])
    client.force_login(world["assigned"])

    response = client.post(URL, form_data(world["met"]))

    assert response.status_code == 302  # registered at once, as with no match at all
    new = Survivor.objects.order_by("-pk").first()
    review = PossibleDuplicate.objects.get()
    assert (review.survivor, review.match, review.status) == (new, hidden, PossibleDuplicate.Status.OPEN)


def test_a_match_the_navigator_sees_is_not_put_up_for_review(client, world):
    already_registered(world, "Mohammed Rahman")
    client.force_login(world["assigned"])

    client.post(URL, form_data(world["met"], different_person="on"))

    assert not PossibleDuplicate.objects.exists()


def test_the_country_lead_sees_the_match_in_another_team(client, world):
    existing = already_registered(world, "Mohammed Rahman", team=world["surrey"])
    client.force_login(world["lead"])

    page = client.post(URL, form_data(world["met"])).content.decode()

    assert existing.case_reference in page
    assert "A possible match exists in another team" not in page


def test_confirming_a_different_person_registers_anyway(client, world):
    already_registered(world, "Mohammed Rahman")
    client.force_login(world["assigned"])

    response = client.post(URL, form_data(world["met"], different_person="on"))

    assert response.status_code == 302
    assert [i.legal_name for i in SurvivorIdentity.objects.all()].count("Muhammad Rahman") == 1
    assert Case.objects.count() == 3


def test_registering_the_same_person_twice_without_confirming_is_stopped(client, world):
    client.force_login(world["assigned"])
    client.post(URL, form_data(world["met"]))

    response = client.post(URL, form_data(world["met"]))

    assert response.status_code == 200
    assert Survivor.objects.count() == 2
