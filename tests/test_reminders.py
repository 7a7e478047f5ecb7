"""The daily reminder digest: one e-mail a day per Navigator, of their overdue follow-ups and reviews due."""

import smtplib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import tasks
from casework.reminders import reminders_send_daily
from config.celery import app as celery_app
from navigators.models import ReminderDigest
from tests import factories

TODAY = timezone.localdate()


@pytest.fixture
def team(db):
    return factories.TeamFactory(name="Metropolitan Police")


def make_navigator(username, team, **fields):
    navigator = factories.UserFactory(username=username, email=f"{username}@example.org", **fields)
    factories.TeamMembershipFactory(user=navigator, team=team)
    return navigator


def make_case(navigator, team, *, follow_up_due=None, review_due=None, reference=None):
    """A case assigned to `navigator` whose latest follow-up and care plan fall due on the days given."""
    survivor = factories.SurvivorFactory(**({"case_reference": reference} if reference else {}))
    case = factories.CaseFactory(survivor=survivor, team=team)
    factories.CaseAssignmentFactory(case=case, navigator=navigator)
    if follow_up_due is not None:
        factories.FollowUpFactory(
            case=case, occurred_on=min(follow_up_due, TODAY) - timedelta(days=14), next_due_on=follow_up_due
        )
    if review_due is not None:
        factories.CarePlanFactory(case=case, started_on=case.opened_on, next_review_on=review_due)
    return case


@pytest.fixture
def nadia(team):
    return make_navigator("nadia", team)


def body_of(message):
    """The plain-text body and the HTML alternative together: what a reader of the mail could see."""
    return message.body + "".join(content for content, _ in message.alternatives)


def test_each_navigator_with_something_due_gets_one_digest(team, nadia, mailoutbox):
    omar = make_navigator("omar", team)
    make_case(nadia, team, follow_up_due=TODAY - timedelta(days=2))
    make_case(nadia, team, follow_up_due=TODAY - timedelta(days=5))
    make_case(omar, team, review_due=TODAY + timedelta(days=3))

    sent = reminders_send_daily(today=TODAY)

    assert sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["nadia@example.org", "omar@example.org"]


def test_digest_lists_exactly_the_navigators_overdue_follow_ups_and_reviews_due(team, nadia, mailoutbox):
    make_case(nadia, team, reference="SV-OVERDUE", follow_up_due=TODAY - timedelta(days=1))
    make_case(nadia, team, reference="SV-DUE-TODAY", follow_up_due=TODAY)
    make_case(nadia, team, reference="SV-REVIEW-7", review_due=TODAY + timedelta(days=7))
    make_case(nadia, team, reference="SV-REVIEW-8", review_due=TODAY + timedelta(days=8))
    make_case(make_navigator("omar", team), team, reference="SV-OMARS", follow_up_due=TODAY - timedelta(days=3))

    reminders_send_daily(today=TODAY)

    body = next(m for m in mailoutbox if m.to == ["nadia@example.org"]).body
    assert "SV-OVERDUE" in body
    assert "SV-REVIEW-7" in body
    assert "SV-DUE-TODAY" not in body  # due today is not yet overdue
    assert "SV-REVIEW-8" not in body  # more than a week ahead
    assert "SV-OMARS" not in body


def test_overdue_review_is_marked_overdue(team, nadia, mailoutbox):
    make_case(nadia, team, reference="SV-LATE", review_due=TODAY - timedelta(days=1))
    make_case(nadia, team, reference="SV-SOON", review_due=TODAY + timedelta(days=2))

    reminders_send_daily(today=TODAY)

    lines = mailoutbox[0].body.splitlines()
    assert "(OVERDUE)" in next(line for line in lines if "SV-LATE" in line)
    assert "OVERDUE" not in next(line for line in lines if "SV-SOON" in line)


def test_only_the_latest_follow_up_decides_what_is_overdue(team, nadia, mailoutbox):
    case = make_case(nadia, team, follow_up_due=TODAY - timedelta(days=10))
    factories.FollowUpFactory(case=case, occurred_on=TODAY - timedelta(days=1), next_due_on=TODAY + timedelta(days=13))

    reminders_send_daily(today=TODAY)

    assert mailoutbox == []


def test_each_reminder_links_to_its_case_page(team, nadia, mailoutbox, settings):
    settings.SITE_URL = "https://casework.example.org"
    case = make_case(nadia, team, follow_up_due=TODAY - timedelta(days=1))

    reminders_send_daily(today=TODAY)

    url = "https://casework.example.org" + reverse("casework:case_detail", args=[case.pk])
    assert url in mailoutbox[0].body
    assert f'<a href="{url}">{case.survivor.case_reference}</a>' in mailoutbox[0].alternatives[0][0]


def test_digest_carries_no_identity_detail(team, nadia, mailoutbox):
    case = make_case(nadia, team, follow_up_due=TODAY - timedelta(days=1), review_due=TODAY)
    identity = factories.SurvivorIdentityFactory(
        survivor=case.survivor,
        legal_name="Ana Example",
        phone="07700 900999",
        address="7 Hidden Lane",
        email="ana@example.net",
    )

    reminders_send_daily(today=TODAY)

    message = mailoutbox[0]
    for value in (identity.legal_name, identity.phone, identity.address, identity.email, "Ana"):
        assert value not in message.subject
        assert value not in body_of(message)
    assert case.survivor.case_reference in message.body


def test_second_run_the_same_day_sends_nothing(team, nadia, mailoutbox):
    make_case(nadia, team, follow_up_due=TODAY - timedelta(days=1))
    reminders_send_daily(today=TODAY)

    sent = reminders_send_daily(today=TODAY)

    assert sent == 0
    assert len(mailoutbox) == 1
    assert list(ReminderDigest.objects.values_list("navigator", "sent_on")) == [(nadia.pk, TODAY)]


def test_next_day_sends_again(team, nadia, mailoutbox):
    make_case(nadia, team, follow_up_due=TODAY - timedelta(days=1))
    reminders_send_daily(today=TODAY)

    sent = reminders_send_daily(today=TODAY + timedelta(days=1))

    assert sent == 1
    assert len(mailoutbox) == 2


def test_navigator_with_nothing_due_gets_no_mail(team, nadia, mailoutbox):
    make_case(nadia, team, follow_up_due=TODAY + timedelta(days=3), review_due=TODAY + timedelta(days=30))
    make_case(nadia, team)  # no follow-up and no care plan yet: nothing is due

    sent = reminders_send_daily(today=TODAY)

    assert sent == 0
    assert mailoutbox == []
    assert not ReminderDigest.objects.exists()


def test_inactive_navigator_gets_no_mail(team, mailoutbox):
    departed = make_navigator("departed", team, is_active=False)
    make_case(departed, team, follow_up_due=TODAY - timedelta(days=1))

    reminders_send_daily(today=TODAY)

    assert mailoutbox == []


def test_navigator_no_longer_assigned_gets_no_reminder(team, nadia, mailoutbox):
    case = make_case(nadia, team, follow_up_due=TODAY - timedelta(days=1))
    case.assignments.update(ended_on=TODAY)

    reminders_send_daily(today=TODAY)

    assert mailoutbox == []


def test_failed_send_keeps_no_digest_so_the_next_run_tries_again(team, nadia, mailoutbox, monkeypatch):
    make_case(nadia, team, follow_up_due=TODAY - timedelta(days=1))

    def refuse(message, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"nadia@example.org": (550, b"no such mailbox")})

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        assert reminders_send_daily(today=TODAY) == 0
    assert not ReminderDigest.objects.exists()

    assert reminders_send_daily(today=TODAY) == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("cases", [1, 50])
def test_queries_do_not_grow_with_the_number_of_cases(team, nadia, mailoutbox, cases):
    for _ in range(cases):
        make_case(nadia, team, follow_up_due=TODAY - timedelta(days=1), review_due=TODAY)

    with CaptureQueriesContext(connection) as queries:
        reminders_send_daily(today=TODAY)

    # Today's digests already sent; the cases with something due; their current assignments with the
    # Navigators; then per Navigator the savepoint, the digest row, its history row and the release.
    assert len(queries) == 7, "\n".join(q["sql"] for q in queries)
    assert mailoutbox[0].body.count("SV-") == 2 * cases


def test_task_sends_the_digests_of_the_given_day(team, nadia, mailoutbox):
    make_case(nadia, team, follow_up_due=TODAY - timedelta(days=1))

    sent = tasks.reminders_send_daily.delay(TODAY.isoformat()).get()

    assert sent == 1
    assert ReminderDigest.objects.get().sent_on == TODAY


def test_beat_runs_the_reminders_task_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-daily"]

    assert entry["task"] in celery_app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {30})
