"""The country lead reassigns a case between Navigators of its team; access follows the assignment."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import services as casework
from casework.access import may_see_identity
from casework.models import CaseAssignment
from navigators.models import User

TODAY = timezone.localdate()


def assigned_now(case):
    return set(
        CaseAssignment.objects.filter(case=case, ended_on__isnull=True).values_list("navigator__username", flat=True)
    )


def fresh(user):
    return User.objects.get(pk=user.pk)


def reassign_url(case):
    return reverse("casework:case_reassign", args=[case.pk])


def test_lead_moves_the_case_to_another_navigator_of_the_team(client, world):
    case = world["case"]
    assert assigned_now(case) == {"assigned"}
    client.force_login(world["lead"])

    response = client.post(reassign_url(case), {"navigators": [world["same_team"].pk], "on": TODAY.isoformat()})

    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case_detail", args=[case.pk])
    assert assigned_now(case) == {"same.team"}
    ended = CaseAssignment.objects.get(case=case, navigator=world["assigned"])
    assert ended.ended_on == TODAY
    assert ended.history.first().history_user == world["lead"]
    # Personal access goes with the assignment: who may see who the survivor is changes at once.
    assert not may_see_identity(fresh(world["assigned"]), case)
    assert may_see_identity(fresh(world["same_team"]), case)


def test_adding_a_navigator_keeps_the_one_already_assigned(client, world):
    client.force_login(world["lead"])

    client.post(
        reassign_url(world["case"]),
        {"navigators": [world["assigned"].pk, world["same_team"].pk], "on": TODAY.isoformat()},
    )

    assert assigned_now(world["case"]) == {"assigned", "same.team"}
    assert CaseAssignment.objects.filter(case=world["case"]).count() == 2  # nothing ended, one added


def test_the_form_shows_the_team_with_the_assigned_navigators_ticked(client, world):
    client.force_login(world["lead"])

    page = client.get(reassign_url(world["case"])).content.decode()

    assert f'name="navigators" value="{world["assigned"].pk}" id="id_navigators_0" checked>' in page
    assert f'name="navigators" value="{world["same_team"].pk}" id="id_navigators_1">' in page
    assert str(world["same_team"]) in page
    assert str(world["other_team"]) not in page  # another team's Navigator is not offered


def test_a_navigator_of_another_team_is_refused_and_nothing_changes(world):
    with pytest.raises(ValidationError) as refused:
        casework.case_reassign(
            acting_user=world["lead"], case=world["case"], navigators=[world["other_team"]], on=TODAY
        )

    assert refused.value.message_dict["navigators"] == [f"Not in Metropolitan Police: {world['other_team']}."]
    assert assigned_now(world["case"]) == {"assigned"}


def test_an_end_before_the_assignment_began_is_refused_with_what_was_typed_kept(client, world):
    client.force_login(world["lead"])
    before = (TODAY - timedelta(days=60)).isoformat()  # the case opened 50 days ago

    response = client.post(reassign_url(world["case"]), {"navigators": [world["same_team"].pk], "on": before})

    assert response.status_code == 200
    assert "This date is before the case opened" in response.content.decode()
    assert response.context["form"]["on"].value() == before
    assert assigned_now(world["case"]) == {"assigned"}


def test_a_closed_case_is_not_reassigned(client, world):
    casework.case_stage_change(
        acting_user=world["lead"], case=world["case"], stage="closed", occurred_on=TODAY, closure_reason="graduated"
    )
    client.force_login(world["lead"])

    response = client.post(
        reassign_url(world["case"]), {"navigators": [world["same_team"].pk], "on": TODAY.isoformat()}
    )

    assert response.status_code == 200
    assert "This case is closed." in response.content.decode()
    assert assigned_now(world["case"]) == set()


@pytest.mark.parametrize(
    ("who", "status"), [("assigned", 403), ("same_team", 403), ("other_team", 404), ("other_lead", 404), ("me", 404)]
)
def test_only_the_countrys_lead_may_reassign(client, world, who, status):
    client.force_login(world[who])

    response = client.post(
        reassign_url(world["case"]), {"navigators": [world["same_team"].pk], "on": TODAY.isoformat()}
    )

    assert response.status_code == status
    assert assigned_now(world["case"]) == {"assigned"}


def test_the_service_refuses_anyone_but_the_countrys_lead(world):
    with pytest.raises(PermissionDenied):
        casework.case_reassign(
            acting_user=world["same_team"], case=world["case"], navigators=[world["same_team"]], on=TODAY
        )

    assert assigned_now(world["case"]) == {"assigned"}
