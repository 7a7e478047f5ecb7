"""Case pages: 404 for those who may not see the case, and one access record per look, none when refused."""

import pytest
from django.urls import reverse

from survivors.models import AccessRecord

CASE_PAGE = {"assigned": 200, "same_team": 200, "other_team": 404, "other_country": 404,
             "lead": 200, "other_lead": 404, "me": 404, "admin": 404}
IDENTITY_PAGE = {**CASE_PAGE, "same_team": 403}


@pytest.mark.parametrize("who", CASE_PAGE)
def test_case_page_answers_by_role_and_records_each_look(client, world, who):
    client.force_login(world[who])

    response = client.get(reverse("casework:case_detail", args=[world["case"].pk]), REMOTE_ADDR="127.0.0.9")

    assert response.status_code == CASE_PAGE[who]
    records = list(AccessRecord.objects.all())
    if response.status_code == 200:
        assert [(r.user, r.action, r.case, r.ip_address) for r in records] == [(world[who], "viewed", world["case"], "127.0.0.9")]
        assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    else:
        assert records == []


@pytest.mark.parametrize("who", IDENTITY_PAGE)
def test_identity_page_only_for_assigned_navigator_and_lead(client, world, who):
    from tests import factories

    factories.SurvivorIdentityFactory(survivor=world["case"].survivor, legal_name="Ana Example")
    client.force_login(world[who])

    response = client.get(reverse("casework:case_identity", args=[world["case"].pk]))

    assert response.status_code == IDENTITY_PAGE[who]
    assert ("Ana Example" in response.content.decode()) is (response.status_code == 200)
    expected = [("viewed_identity",)] if response.status_code == 200 else []
    assert list(AccessRecord.objects.values_list("action")) == expected


def test_case_list_shows_only_visible_cases_by_reference(client, world):
    client.force_login(world["other_team"])

    page = client.get(reverse("casework:case_list")).content.decode()

    assert world["case"].survivor.case_reference not in page
    assert "No cases." in page


def test_pages_need_sign_in(client, world):
    response = client.get(reverse("casework:case_detail", args=[world["case"].pk]))

    assert response.status_code == 302
    assert AccessRecord.objects.count() == 0


def test_reading_pages_take_no_post_and_record_nothing(client, world):
    client.force_login(world["assigned"])

    response = client.post(reverse("casework:case_detail", args=[world["case"].pk]))

    assert response.status_code == 405
    assert AccessRecord.objects.count() == 0


def test_a_refused_case_gets_a_page_that_explains_and_leads_back(client, world):
    client.force_login(world["other_team"])

    response = client.get(reverse("casework:case_detail", args=[world["case"].pk]))

    assert response.status_code == 404
    assert "not yours to see" in response.content.decode()
    assert reverse("casework:case_list") in response.content.decode()
