"""The home page, and the role requests waiting for a second person's decision (docs/access.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dataprotection import roles
from navigators.models import RoleGrant
from navigators.selectors import may_decide_role_requests, role_requests_decidable_by

# The roles that decide some role requests (navigators.selectors.role_requests_decidable_by).
DECIDING_ROLES = {RoleGrant.Role.DATA_PROTECTION_LEAD, RoleGrant.Role.COUNTRY_LEAD}


@require_GET
@login_required
def home(request):
    grants = request.user.role_grants.select_related("country")
    teams = [m.team for m in request.user.memberships.filter(ended_on__isnull=True).select_related("team__country")]
    return render(
        request,
        "home.html",
        {"grants": grants, "teams": teams, "decides_roles": any(g.role in DECIDING_ROLES for g in grants)},
    )


def _decider(request):
    """A data protection lead or a country lead; anyone else is refused (403), as on the lead's pages."""
    if not may_decide_role_requests(request.user):
        raise PermissionDenied(_("Role requests are decided by the data protection lead or a country lead."))


@require_GET
@login_required
@never_cache
def role_requests(request):
    """The role requests waiting for this person's decision, oldest first."""
    _decider(request)
    return render(request, "navigators/role_requests.html", {"pending": role_requests_decidable_by(request.user)})


def _decide(request, role_request_id, decide, done: str):
    _decider(request)
    # A request this person may not decide (their own, for them, another country's) is as missing: 404.
    role_request = role_requests_decidable_by(request.user).filter(pk=role_request_id).first()
    if role_request is None:
        raise Http404("No such role request waiting for you.")
    try:
        decide(acting_user=request.user, role_request=role_request, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"who": role_request.user, "role": role_request.get_role_display()})
    return redirect("role_requests")


@require_POST
@login_required
@never_cache
def role_request_approve(request, role_request_id):
    """Approve: the role is held from now on."""
    return _decide(request, role_request_id, roles.role_grant_approve, _("Approved: %(who)s is now %(role)s."))


@require_POST
@login_required
@never_cache
def role_request_refuse(request, role_request_id):
    """Refuse: nothing is granted."""
    return _decide(request, role_request_id, roles.role_grant_refuse, _("Refused: %(who)s is not %(role)s."))
