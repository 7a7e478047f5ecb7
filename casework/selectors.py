"""Reads of casework, and the one choke point through which a case is fetched.

Nothing else calls `Case.objects.get`: views, exports and other apps go through `access_case` and
`cases_visible_to`, so the permission check cannot be forgotten. A case the user may not see and a
case that does not exist give the same 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from casework import choices
from casework.models import Case, CaseAssignment, CourtHearing, FollowUp, PoliceEngagementEvent


def cases_visible_to(user, permission: str = "casework.view_case") -> QuerySet[Case]:
    """The cases `user` holds `permission` on, through their team, their country or an assignment.

    Global permissions and superuser status give nothing here: case data is reached only by object
    permission (an administrator sees no case unless also given a case role).
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    return get_objects_for_user(
        user, permission, klass=Case.objects.select_related("survivor", "team__country"),
        accept_global_perms=False, with_superuser=False,
    )


def access_case(user, case_id, *, for_change: bool = False) -> Case:
    """The case, if `user` may see it (404 otherwise); with `for_change`, 403 unless they may change it."""
    case = cases_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case.")
    if for_change and not user.has_perm("casework.change_case", case):
        raise PermissionDenied("You may see this case but not change it.")
    return case


def may_see_identity(user, case: Case) -> bool:
    """Assigned Navigators and the country's leads may see who the survivor is; the team may not."""
    return cases_visible_to(user, "casework.view_identity").filter(pk=case.pk).exists()


def with_caseload_columns(cases: QuerySet[Case], *, today) -> QuerySet[Case]:
    """Annotate each case with what a caseload shows, as sub-queries of the one list query.

    last_contact_on: the latest follow-up that reached the survivor; next_follow_up_due: what the latest
    follow-up set; current / highest engagement: the latest level and the highest ever reached; care
    plan review due; the next court date from today.
    """
    follow_ups = FollowUp.objects.filter(case=OuterRef("pk"))
    engagement = PoliceEngagementEvent.objects.filter(case=OuterRef("pk"))
    return cases.annotate(
        last_contact_on=Subquery(
            follow_ups.filter(outcome=choices.FollowUpOutcome.REACHED).order_by("-occurred_on").values("occurred_on")[:1]
        ),
        next_follow_up_due=Subquery(follow_ups.order_by("-occurred_on", "-id").values("next_due_on")[:1]),
        current_engagement=Subquery(engagement.order_by("-occurred_on", "-id").values("level")[:1]),
        highest_engagement=Subquery(
            engagement.values("case").annotate(highest=Max("level")).values("highest")[:1]
        ),
        care_plan_review_due=F("care_plan__next_review_on"),
        next_court_date=Subquery(
            CourtHearing.objects.filter(prosecution__case=OuterRef("pk"), scheduled_for__gte=today)
            .order_by("scheduled_for").values("scheduled_for")[:1]
        ),
    ).annotate(
        is_overdue=ExpressionWrapper(Q(next_follow_up_due__lt=today), output_field=BooleanField()),
        review_overdue=ExpressionWrapper(Q(care_plan_review_due__lt=today), output_field=BooleanField()),
    )


def caseload(user, *, scope: str = "mine", query: str = "", stage: str = "", overdue_only: bool = False,
             today=None) -> QuerySet[Case]:
    """The caseload page's cases: overdue follow-ups first, then by the date the next one is due.

    `scope` is "mine" (cases the user is assigned to now) or "all" (every case they may see: their
    team's, or their country's for a lead). `query` matches the start of a case reference.
    """
    today = today or timezone.localdate()
    cases = cases_visible_to(user)
    if scope == "mine":
        cases = cases.filter(Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), navigator=user, ended_on__isnull=True)))
    if query:
        cases = cases.filter(survivor__case_reference__istartswith=query.strip())
    if stage:
        cases = cases.filter(stage=stage)
    cases = with_caseload_columns(cases, today=today)
    if overdue_only:
        cases = cases.filter(is_overdue=True)
    return cases.order_by(F("is_overdue").desc(nulls_last=True), F("next_follow_up_due").asc(nulls_last=True),
                          "survivor__case_reference")
