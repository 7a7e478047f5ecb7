"""Closure and transfer requests: a Navigator asks, the country lead approves or returns with a comment."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from casework import services as casework
from casework.access import cases_visible_to
from casework.models import Case, CaseAssignment, CaseRequest
from casework.selectors import case_requests_of
from navigators import services as navigators
from navigators.models import Team, User
from survivors.services import consent_record
from tests import factories

TODAY = timezone.localdate()
REQUESTS = reverse("casework:request_list")


def fresh(user):
    return User.objects.get(pk=user.pk)


def close_url(case):
    return reverse("casework:closure_request", args=[case.pk])


def transfer_url(case):
    return reverse("casework:transfer_request", args=[case.pk])


def approve_url(case_request):
    return reverse("casework:request_approve", args=[case_request.pk])


def return_url(case_request):
    return reverse("casework:request_return", args=[case_request.pk])


def ask_to_close(world, closes_on=TODAY):
    return casework.closure_request(
        acting_user=world["assigned"],
        case=world["case"],
        closure_reason="graduated",
        closes_on=closes_on,
        notes="Settled and working.",
    )


@pytest.fixture
def bucharest():
    return Team.objects.get(name="Bucharest brigade")


def consent(world, given, days_ago=1):
    consent_record(
        acting_user=world["assigned"],
        survivor=world["case"].survivor,
        topic="share_cross_border",
        given=given,
        recorded_on=TODAY - timedelta(days=days_ago),
    )


# Asking


def test_a_navigator_asks_to_close_and_the_case_stays_open_until_the_lead_decides(client, world):
    client.force_login(world["assigned"])

    response = client.post(
        close_url(world["case"]), {"closure_reason": "graduated", "closes_on": TODAY.isoformat(), "notes": "Settled."}
    )

    assert response.status_code == 302
    request = CaseRequest.objects.get()
    assert (request.kind, request.status, request.requested_by, request.closure_reason, request.closes_on) == (
        "closure",
        "pending",
        world["assigned"],
        "graduated",
        TODAY,
    )
    assert request.history.get().history_user == world["assigned"]
    world["case"].refresh_from_db()
    assert world["case"].is_open


def test_the_lead_sees_the_request_waiting(client, world):
    ask_to_close(world)
    client.force_login(world["lead"])

    page = client.get(REQUESTS).content.decode()

    assert f"Close case {world['case'].survivor.case_reference}" in page
    assert "Settled and working." in page
    assert approve_url(CaseRequest.objects.get()) in page
    assert return_url(CaseRequest.objects.get()) in page


def test_a_bad_closing_date_is_refused_with_what_was_typed_kept(client, world):
    client.force_login(world["assigned"])
    tomorrow = (TODAY + timedelta(days=1)).isoformat()

    response = client.post(
        close_url(world["case"]),
        {"closure_reason": "lost_contact", "closes_on": tomorrow, "notes": "No answer since May."},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"closes_on": ["Enter a date between 1 Jan 2010 and today."]}
    assert (form["closure_reason"].value(), form["closes_on"].value(), form["notes"].value()) == (
        "lost_contact",
        tomorrow,
        "No answer since May.",
    )
    assert CaseRequest.objects.count() == 0


def test_a_closure_cannot_be_dated_before_the_latest_stage(world):
    casework.case_stage_change(
        acting_user=world["lead"], case=world["case"], stage="recovery", occurred_on=TODAY - timedelta(days=5)
    )

    with pytest.raises(ValidationError) as refused:
        ask_to_close(world, closes_on=TODAY - timedelta(days=10))

    assert "cannot close before that" in refused.value.message_dict["closes_on"][0]
    assert CaseRequest.objects.count() == 0


def test_a_second_pending_closure_request_is_refused_with_a_clear_message(client, world):
    ask_to_close(world)
    client.force_login(world["same_team"])

    response = client.post(close_url(world["case"]), {"closure_reason": "declined", "closes_on": TODAY.isoformat()})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        (
            f"A request to close this case is already waiting for the country lead (asked by {world['assigned']} on "
            f"{TODAY:%-d %b %Y})."
        )
    ]
    assert CaseRequest.objects.count() == 1


def test_the_database_allows_one_pending_request_per_case_and_kind(world):
    factories.CaseRequestFactory(case=world["case"], requested_by=world["assigned"])
    factories.CaseRequestFactory(
        case=world["case"], requested_by=world["assigned"], kind="transfer", to_team=world["surrey"]
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CaseRequestFactory(case=world["case"], requested_by=world["same_team"])


@pytest.mark.parametrize(("who", "status"), [("other_team", 404), ("other_country", 404), ("me", 404)])
def test_only_those_who_may_change_the_case_ask(client, world, who, status):
    client.force_login(world[who])

    assert (
        client.post(
            close_url(world["case"]), {"closure_reason": "graduated", "closes_on": TODAY.isoformat()}
        ).status_code
        == status
    )
    assert CaseRequest.objects.count() == 0


# Approving and returning


def test_approving_a_closure_closes_the_case_and_ends_its_assignments(client, world):
    request = ask_to_close(world)
    assert CaseAssignment.objects.filter(case=world["case"], ended_on__isnull=True).count() == 1
    client.force_login(world["lead"])

    response = client.post(approve_url(request), {"decision_note": "Well done."})

    assert response.status_code == 302
    assert response["Location"] == REQUESTS
    case = Case.objects.get(pk=world["case"].pk)
    assert (case.stage, case.closed_on, case.closure_reason) == ("closed", TODAY, "graduated")
    assert CaseAssignment.objects.filter(case=case, ended_on__isnull=True).count() == 0
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == ("approved", world["lead"], "Well done.")
    assert request.history.first().history_user == world["lead"]
    assert f"Approved: case {case.survivor.case_reference} is closed." in client.get(REQUESTS).content.decode()


def test_returning_leaves_the_case_open_and_the_navigator_sees_the_comment(client, world):
    request = ask_to_close(world)
    client.force_login(world["lead"])

    response = client.post(return_url(request), {"decision_note": "Keep it open until the court date."})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "returned"
    world["case"].refresh_from_db()
    assert world["case"].is_open
    client.force_login(world["assigned"])
    page = client.get(close_url(world["case"])).content.decode()
    assert "Returned" in page
    assert "Keep it open until the court date." in page


def test_the_case_page_partial_shows_the_state_of_each_request(world):
    ask_to_close(world)

    html = render_to_string(
        "casework/_case_requests.html",
        {"case": world["case"], "case_requests": case_requests_of(world["case"]), "may_change": True},
    )

    assert "Waiting for the country lead" in html
    assert close_url(world["case"]) in html
    assert transfer_url(world["case"]) in html


def test_returning_needs_a_comment(client, world):
    request = ask_to_close(world)
    client.force_login(world["lead"])

    response = client.post(return_url(request), {"decision_note": "  "})

    assert response.status_code == 200
    assert "Say why the request is returned, so the Navigator knows what to change." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"


def test_after_a_return_the_navigator_may_ask_again(world):
    casework.case_request_return(acting_user=world["lead"], case_request=ask_to_close(world), note="Date is wrong.")

    assert ask_to_close(world).status == "pending"


def test_a_navigator_cannot_approve(client, world):
    request = ask_to_close(world)
    client.force_login(world["assigned"])

    assert client.post(approve_url(request)).status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"
    world["case"].refresh_from_db()
    assert world["case"].is_open


def test_a_lead_of_another_country_gets_404(client, world):
    request = ask_to_close(world)
    client.force_login(world["other_lead"])

    assert client.post(approve_url(request)).status_code == 404
    assert client.post(return_url(request), {"decision_note": "No."}).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_approval_checks_again_that_the_approver_leads_the_country(world):
    request = ask_to_close(world)
    navigators.role_revoke(acting_user=None, grant=world["lead"].role_grants.get())

    with pytest.raises(PermissionDenied):
        casework.case_request_approve(acting_user=fresh(world["lead"]), case_request=request)

    request.refresh_from_db()
    assert request.status == "pending"


def test_a_decided_request_is_not_decided_again(world):
    request = ask_to_close(world)
    casework.case_request_return(acting_user=world["lead"], case_request=request, note="Not yet.")

    with pytest.raises(ValidationError, match="already decided"):
        casework.case_request_approve(acting_user=world["lead"], case_request=request)


def test_approving_a_request_decided_meanwhile_says_so(client, world):
    request = ask_to_close(world)
    casework.case_request_return(acting_user=world["lead"], case_request=request, note="Not yet.")
    client.force_login(world["lead"])

    response = client.post(approve_url(request))

    assert response.status_code == 200
    assert "This request was already decided (Returned)." in response.content.decode()
    world["case"].refresh_from_db()
    assert world["case"].is_open


# Transfers


def test_a_transfer_within_the_country_opens_the_case_for_the_other_team_and_closes_this_one(client, world):
    client.force_login(world["assigned"])
    client.post(transfer_url(world["case"]), {"to_team": world["surrey"].pk, "notes": "Moved to Guildford."})
    request = CaseRequest.objects.get()
    client.force_login(world["lead"])

    response = client.post(approve_url(request))

    assert response.status_code == 302
    request.refresh_from_db()
    new_case = request.new_case
    assert (new_case.team, new_case.transferred_from, new_case.is_open) == (world["surrey"], world["case"], True)
    old = Case.objects.get(pk=world["case"].pk)
    assert (old.stage, old.closure_reason) == ("closed", "moved_out_of_area")
    assert new_case in cases_visible_to(fresh(world["other_team"]))
    assert not fresh(world["same_team"]).has_perm("casework.change_case", old)  # the old team keeps reading it only
    assert fresh(world["same_team"]).has_perm("casework.view_case", old)


def test_a_cross_border_transfer_needs_consent_when_asked(client, world, bucharest):
    client.force_login(world["assigned"])

    response = client.post(transfer_url(world["case"]), {"to_team": bucharest.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["to_team"] == [
        (
            "Bucharest brigade is in another country, and the survivor's consent to share their case across a border is not "
            "on record. Record their consent first, or choose a team in this country."
        )
    ]
    assert CaseRequest.objects.count() == 0


def test_a_cross_border_transfer_whose_consent_was_withdrawn_is_refused_on_approval_and_stays_pending(
    client, world, bucharest
):
    consent(world, True, days_ago=3)
    request = casework.transfer_request(acting_user=world["assigned"], case=world["case"], to_team=bucharest)
    consent(world, False, days_ago=1)
    client.force_login(world["lead"])

    response = client.post(approve_url(request))

    assert response.status_code == 200
    assert "consent to share their case across a border is not on record" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"
    world["case"].refresh_from_db()
    assert world["case"].is_open
    assert not Case.objects.filter(team=bucharest).exists()


def test_a_cross_border_transfer_with_consent_hands_the_case_over(client, world, bucharest):
    consent(world, True)
    request = casework.transfer_request(acting_user=world["assigned"], case=world["case"], to_team=bucharest)
    client.force_login(world["lead"])

    client.post(approve_url(request))

    request.refresh_from_db()
    assert request.status == "approved"
    assert request.new_case.team == bucharest
    assert request.new_case in cases_visible_to(fresh(world["other_lead"]))
    assert request.new_case not in cases_visible_to(fresh(world["lead"]))
    assert Case.objects.get(pk=world["case"].pk).stage == "closed"


def test_approving_the_transfer_of_a_repatriated_survivor_hands_the_repatriation_over(client, world, bucharest):
    lead, case = world["lead"], world["case"]
    repatriation = casework.repatriation_plan(
        acting_user=lead,
        case=case,
        requested_on=TODAY - timedelta(days=20),
        sending_country=case.team.country,
        receiving_country=bucharest.country,
        sending_team=case.team,
        receiving_team=bucharest,
    )
    for days, stage in [(10, "in_transit"), (8, "arrived")]:
        casework.repatriation_advance(
            acting_user=lead, repatriation=repatriation, stage=stage, occurred_on=TODAY - timedelta(days=days)
        )
    consent(world, True)
    client.force_login(world["assigned"])
    form_page = client.get(transfer_url(case))
    assert form_page.context["form"]["to_team"].value() == bucharest.pk  # the receiving team is suggested
    client.post(transfer_url(case), {"to_team": bucharest.pk})
    client.force_login(lead)

    client.post(approve_url(CaseRequest.objects.get()))

    repatriation.refresh_from_db()
    assert repatriation.receiving_case is not None
    assert repatriation.receiving_case == CaseRequest.objects.get().new_case
    assert repatriation.receiving_case.team == bucharest


def test_a_transfer_to_a_team_with_an_open_case_for_the_survivor_is_refused(world):
    casework.case_open(
        acting_user=world["lead"], survivor=world["case"].survivor, team=world["surrey"], opened_on=TODAY
    )

    with pytest.raises(ValidationError) as refused:
        casework.transfer_request(acting_user=world["assigned"], case=world["case"], to_team=world["surrey"])

    assert refused.value.message_dict["to_team"] == ["Surrey Police already has an open case for this survivor."]
