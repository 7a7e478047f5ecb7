"""The data protection lead's review of possible duplicates found at registration."""

import pytest
from django.urls import reverse

from navigators.models import RoleGrant
from survivors.models import PossibleDuplicate
from survivors.services import linked_survivors
from tests import factories
from tests.conftest import make_user

LIST = reverse("dataprotection:possible_duplicates")


@pytest.fixture
def dpl(db):
    return make_user("dpl", role=RoleGrant.Role.DATA_PROTECTION_LEAD)


@pytest.fixture
def review(db):
    return PossibleDuplicate.objects.create(survivor=factories.SurvivorFactory(), match=factories.SurvivorFactory())


def decide(client, review, decision):
    return client.post(reverse("dataprotection:possible_duplicate_decide", args=[review.pk]), {"decision": decision})


def test_the_lead_sees_both_references_and_nothing_else(client, dpl, review):
    client.force_login(dpl)

    page = client.get(LIST).content.decode()

    assert review.survivor.case_reference in page
    assert review.match.case_reference in page


def test_the_list_costs_the_same_queries_for_one_and_for_ten(client, dpl, review, django_assert_num_queries):
    client.force_login(dpl)
    client.get(LIST)  # warm the session
    # session, user, the lead's role, the reviews with both survivors and who decided, the menu's roles.
    with django_assert_num_queries(5) as one:
        client.get(LIST)
    for _ in range(9):
        PossibleDuplicate.objects.create(survivor=factories.SurvivorFactory(), match=factories.SurvivorFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(LIST)


def test_only_the_same_person_links_the_two_records(client, dpl, review):
    client.force_login(dpl)
    assert linked_survivors(review.survivor) == []

    decide(client, review, "same_person")

    review.refresh_from_db()
    assert (review.status, review.decided_by) == (PossibleDuplicate.Status.SAME_PERSON, dpl)
    assert linked_survivors(review.survivor) == [review.match]
    assert linked_survivors(review.match) == [review.survivor]
    assert review.history.count() == 2  # put up, decided


def test_different_people_are_not_linked(client, dpl, review):
    client.force_login(dpl)
    decide(client, review, "different_people")

    assert linked_survivors(review.survivor) == []


def test_a_decision_is_made_once(client, dpl, review):
    client.force_login(dpl)
    decide(client, review, "different_people")

    assert decide(client, review, "same_person").status_code == 404
    review.refresh_from_db()
    assert review.status == PossibleDuplicate.Status.DIFFERENT_PEOPLE


def test_an_unknown_decision_changes_nothing(client, dpl, review):
    client.force_login(dpl)

    decide(client, review, "maybe")

    review.refresh_from_db()
    assert review.status == PossibleDuplicate.Status.OPEN


def test_a_navigator_cannot_decide(client, world, review):
    client.force_login(world["lead"])

    assert decide(client, review, "same_person").status_code == 403
    review.refresh_from_db()
    assert review.status == PossibleDuplicate.Status.OPEN
