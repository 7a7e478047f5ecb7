"""Case pages. Every case is fetched through casework.selectors; every look at it is in the access trail."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casework.selectors import access_case, cases_visible_to, may_see_identity
from survivors.models import AccessRecord
from survivors.services import access_record


@require_GET
@login_required
@never_cache
def case_list(request):
    cases = cases_visible_to(request.user).order_by("survivor__case_reference")
    return render(request, "casework/case_list.html", {"cases": cases})


@require_GET
@login_required
@never_cache
def case_detail(request, case_id):
    case = access_case(request.user, case_id)
    access_record(user=request.user, survivor=case.survivor, case=case, action=AccessRecord.Action.VIEWED, request=request)
    return render(request, "casework/case_detail.html", {"case": case, "may_see_identity": may_see_identity(request.user, case)})


@require_GET
@login_required
@never_cache
def case_identity(request, case_id):
    case = access_case(request.user, case_id)
    if not may_see_identity(request.user, case):
        raise PermissionDenied("Only the assigned Navigators and the country lead see who the survivor is.")
    access_record(user=request.user, survivor=case.survivor, case=case, action=AccessRecord.Action.VIEWED_IDENTITY, request=request)
    identity = getattr(case.survivor, "identity", None)
    return render(request, "casework/case_identity.html", {"case": case, "identity": identity})
