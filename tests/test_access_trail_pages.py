"""The access-trail pages: per survivor for their country lead and administrators, per user for administrators."""

import pytest
from django.urls import reverse

from survivors.models import AccessRecord

SURVIVOR_TRAIL = {
    "assigned": 404,
    "same_team": 404,
    "other_team": 404,
    "other_country": 404,
    "lead": 200,
    "other_lead": 404,
    "me": 404,
    "admin": 200,
}
USER_TRAIL = {"assigned": 403, "lead": 403, "me": 403, "admin": 200}


@pytest.fixture
def looked_at(client, world):
    client.force_login(world["assigned"])
    client.get(reverse("casework:case_detail", args=[world["case"].pk]))
    client.logout()
    return world


@pytest.mark.parametrize("who", SURVIVOR_TRAIL)
def test_survivor_trail_by_role(client, looked_at, who):
    client.force_login(looked_at[who])

    response = client.get(reverse("survivors:survivor_access_trail", args=[looked_at["case"].survivor_id]))

    assert response.status_code == SURVIVOR_TRAIL[who]
    if response.status_code == 200:
        assert "assigned" in response.content.decode()
        assert "Viewed" in response.content.decode()


@pytest.mark.parametrize("who", USER_TRAIL)
def test_user_trail_only_for_administrators(client, looked_at, who):
    client.force_login(looked_at[who])

    response = client.get(reverse("survivors:user_access_trail", args=[looked_at["assigned"].pk]))

    assert response.status_code == USER_TRAIL[who]
    if response.status_code == 200:
        assert looked_at["case"].survivor.case_reference in response.content.decode()


def test_reading_the_trail_writes_no_access_record_of_case_data(client, looked_at):
    client.force_login(looked_at["admin"])
    client.get(reverse("survivors:survivor_access_trail", args=[looked_at["case"].survivor_id]))

    assert AccessRecord.objects.count() == 1
