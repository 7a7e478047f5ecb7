"""The daily reminder e-mail: each Navigator's overdue follow-ups and care-plan reviews due.

One digest per Navigator per day, listing case references and dates only, each linked to the case
page: the mail leaves our systems, so it names no survivor and carries no identity detail, and
whoever follows a link signs in and is checked like any other visitor.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from casework import choices
from casework.models import Case, CaseAssignment
from casework.selectors import with_caseload_columns
from navigators.models import ReminderDigest, User

logger = logging.getLogger(__name__)

# Care-plan reviews are listed from a week ahead, so there is time to arrange the meeting.
REVIEW_NOTICE = timedelta(days=7)


@dataclass
class Reminder:
    case_reference: str
    due_on: date
    overdue: bool
    url: str


@dataclass
class Digest:
    navigator: User
    follow_ups: list[Reminder] = field(default_factory=list)
    reviews: list[Reminder] = field(default_factory=list)


def reminders_due(*, today: date) -> list[Digest]:
    """What each active Navigator with an e-mail address has due, from their current assignments.

    Two queries whatever the number of Navigators and cases: the cases with something due (the caseload
    columns as sub-queries), then their current assignments with the Navigators.
    """
    review_horizon = today + REVIEW_NOTICE
    # A job with no signed-in user, so not through cases_visible_to: it takes exactly the cases a
    # Navigator is assigned to now, and a current assignment is what grants them the case.
    current = CaseAssignment.objects.filter(ended_on__isnull=True, navigator__is_active=True).exclude(
        navigator__email=""
    )
    cases = (
        with_caseload_columns(Case.objects.select_related("survivor"), today=today)
        .exclude(stage=choices.Stage.CLOSED)
        .filter(Exists(current.filter(case=OuterRef("pk"))))
        .filter(Q(is_overdue=True) | Q(care_plan_review_due__lte=review_horizon))
        .prefetch_related(Prefetch("assignments", queryset=current.select_related("navigator"), to_attr="current"))
        .order_by("survivor__case_reference")
    )
    digests: dict[int, Digest] = {}
    for case in cases:
        url = settings.SITE_URL + reverse("casework:case_detail", args=[case.pk])
        for assignment in case.current:
            digest = digests.setdefault(assignment.navigator_id, Digest(navigator=assignment.navigator))
            if case.is_overdue:
                digest.follow_ups.append(Reminder(case.survivor.case_reference, case.next_follow_up_due, True, url))
            if case.care_plan_review_due is not None and case.care_plan_review_due <= review_horizon:
                digest.reviews.append(
                    Reminder(case.survivor.case_reference, case.care_plan_review_due, bool(case.review_overdue), url)
                )
    for digest in digests.values():
        digest.follow_ups.sort(key=lambda r: (r.due_on, r.case_reference))
        digest.reviews.sort(key=lambda r: (r.due_on, r.case_reference))
    return sorted(digests.values(), key=lambda d: d.navigator.pk)


def reminders_send_daily(*, today: date) -> int:
    """Send each Navigator with something due their one digest for `today`; returns how many were sent.

    Running it again the same day sends nothing more: a Navigator already sent today's digest is skipped.
    """
    already_sent = set(ReminderDigest.objects.filter(sent_on=today).values_list("navigator_id", flat=True))
    sent = 0
    for digest in reminders_due(today=today):
        if digest.navigator.pk in already_sent:
            continue
        try:
            # The row and the sending share one transaction: if the mail cannot go, no row is kept
            # and the next run tries again; if another run inserted the row first, ours fails on the
            # unique constraint before anything is sent.
            with transaction.atomic():
                ReminderDigest.objects.create(navigator=digest.navigator, sent_on=today)
                _digest_message(digest, today=today).send()
            sent += 1
        except IntegrityError:
            continue
        except (smtplib.SMTPException, OSError):
            # One Navigator's unreachable address must not hold back everyone else's reminders.
            logger.exception("Could not send the reminder digest to user %s", digest.navigator.pk)
    return sent


def _digest_message(digest: Digest, *, today: date) -> EmailMultiAlternatives:
    context = {"digest": digest, "today": today, "review_horizon": today + REVIEW_NOTICE, "site_url": settings.SITE_URL}
    subject = _("Casework reminders for %(day)s") % {"day": formats.date_format(today, "j M Y")}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("email/reminders_digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.navigator.email],
    )
    message.attach_alternative(render_to_string("email/reminders_digest.html", context), "text/html")
    return message
