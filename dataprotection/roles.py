"""Writes of who holds a role: asked for by an administrator, approved or refused by a second person,
revoked at once (docs/access.md, "Granting a role").

A role opens case data (a Navigator's team, a country lead's country), every survivor's record (the data
protection lead) or the admin (an administrator), so nobody gives one to themselves and none is held
until a second person approves it. Each service takes `acting_user`, runs in one transaction and leaves
the request's and the role's history and one line of the access trail, chained in the audit chain in the
same transaction. Who may decide is `navigators.selectors.role_requests_decidable_by`; the mechanics of
holding a role (groups, the admin flags) are `navigators.services.role_grant` and `role_revoke`, called
from here and from nowhere else.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dataprotection.access import is_data_protection_lead
from dataprotection.services import access_record_about
from navigators import services as navigators
from navigators.history import change_by
from navigators.models import Country, RoleGrant, RoleGrantRequest, User
from navigators.selectors import is_administrator, role_requests_decidable_by
from survivors.models import AccessRecord

Status = RoleGrantRequest.Status
Action = AccessRecord.Action


def _subject(what: str, record) -> str:
    """What the access trail names: the request or grant, the role and the staff member (never a survivor)."""
    country = f" ({record.country_id})" if record.country_id else ""
    return f"{what} {record.pk}: {RoleGrant.Role(record.role).label}{country} for {record.user.username}"


def _save(role_request: RoleGrantRequest) -> RoleGrantRequest:
    role_request.full_clean()
    role_request.save()
    return role_request


def _pending(role_request: RoleGrantRequest) -> RoleGrantRequest:
    """The request locked for this transaction, so that two people deciding at once cannot both decide it."""
    locked = (
        RoleGrantRequest.objects.select_for_update(of=("self",))
        .select_related("user", "country")
        .get(pk=role_request.pk)
    )
    if locked.status != Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    return locked


def role_grant_request_check(*, acting_user, user: User, role: str, country: Country | None = None) -> None:
    """Refuse a request no one may make (the admin's form asks before saving; the service asks again)."""
    if acting_user is None or not is_administrator(acting_user):
        raise PermissionDenied(_("Only an administrator asks for a role to be granted."))
    if acting_user.pk == user.pk:
        raise ValidationError({"user": _("Nobody asks for a role for themselves: another administrator asks.")})
    if RoleGrant.objects.filter(user=user, role=role, country=country).exists():
        raise ValidationError(_("This person already holds this role."))


def role_grant_request(
    *, acting_user, user: User, role: str, country: Country | None = None, reason: str = "", request=None
) -> RoleGrantRequest:
    """Ask for a role for someone else. It gives nothing until a second person approves it."""
    with change_by(acting_user):
        role_grant_request_check(acting_user=acting_user, user=user, role=role, country=country)
        role_request = _save(
            RoleGrantRequest(user=user, role=role, country=country, reason=reason.strip(), requested_by=acting_user)
        )
        access_record_about(
            user=acting_user,
            subject=_subject("role grant request", role_request),
            action=Action.ROLE_REQUESTED,
            request=request,
        )
        return role_request


def role_grant_approve(*, acting_user, role_request: RoleGrantRequest, request=None) -> RoleGrant:
    """Approve a pending request: the role is held from now (a country lead sees their country's cases at once)."""
    with change_by(acting_user):
        role_request = _pending(role_request)
        if not role_requests_decidable_by(acting_user).filter(pk=role_request.pk).exists():
            raise PermissionDenied(_("You may not decide this request."))
        grant = navigators.role_grant(
            acting_user=acting_user, user=role_request.user, role=role_request.role, country=role_request.country
        )
        role_request.status, role_request.grant = Status.APPROVED, grant
        role_request.decided_by, role_request.decided_at = acting_user, timezone.now()
        _save(role_request)
        access_record_about(
            user=acting_user,
            subject=_subject("role grant request", role_request),
            action=Action.ROLE_APPROVED,
            request=request,
        )
        return grant


def role_grant_refuse(*, acting_user, role_request: RoleGrantRequest, request=None) -> RoleGrantRequest:
    """Refuse a pending request: nothing is granted, and the request stays on the record as refused."""
    with change_by(acting_user):
        role_request = _pending(role_request)
        if not role_requests_decidable_by(acting_user).filter(pk=role_request.pk).exists():
            raise PermissionDenied(_("You may not decide this request."))
        role_request.status = Status.REFUSED
        role_request.decided_by, role_request.decided_at = acting_user, timezone.now()
        _save(role_request)
        access_record_about(
            user=acting_user,
            subject=_subject("role grant request", role_request),
            action=Action.ROLE_REFUSED,
            request=request,
        )
        return role_request


def role_grant_revoke(*, acting_user, grant: RoleGrant, request=None) -> None:
    """Take a role away at once, by an administrator or the data protection lead; no approval is needed
    to narrow access. Its request stays on the record as revoked."""
    if acting_user is None or not (is_administrator(acting_user) or is_data_protection_lead(acting_user)):
        raise PermissionDenied(_("Only an administrator or the data protection lead revokes a role."))
    with change_by(acting_user):
        grant = RoleGrant.objects.select_for_update(of=("self",)).select_related("user", "country").get(pk=grant.pk)
        role_request = RoleGrantRequest.objects.filter(grant=grant).select_related("user").first()
        # Every role granted through these services has its request; one given by the tests' fixtures has not.
        if role_request is not None:
            role_request.status, role_request.grant = Status.REVOKED, None
            role_request.revoked_by, role_request.revoked_at = acting_user, timezone.now()
            _save(role_request)
        subject = _subject("role grant request", role_request) if role_request else _subject("role grant", grant)
        navigators.role_revoke(acting_user=acting_user, grant=grant)
        access_record_about(user=acting_user, subject=subject, action=Action.ROLE_REVOKED, request=request)


def role_grant_bootstrap(
    *, acting_user, user: User, role: str, country: Country | None = None, reason: str
) -> RoleGrant:
    """Grant a role without a second person: only for the very first data protection lead or administrator
    (`manage.py role_bootstrap`, run by the operator) and for seeding demo and benchmark data. Recorded as such."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the role is granted without a second person.")})
    with change_by(acting_user):
        grant = navigators.role_grant(acting_user=acting_user, user=user, role=role, country=country)
        role_request = _save(
            RoleGrantRequest(
                user=user,
                role=role,
                country=country,
                reason=reason.strip(),
                status=Status.APPROVED,
                requested_by=acting_user,
                decided_at=timezone.now(),
                grant=grant,
                is_bootstrap=True,
            )
        )
        # Nobody in the application acted: the trail names the person given the role.
        access_record_about(
            user=acting_user or user,
            subject=_subject("role grant request", role_request),
            action=Action.ROLE_BOOTSTRAPPED,
        )
        return grant
