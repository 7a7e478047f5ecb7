"""Case pages. Every case is fetched through casework.selectors; every look at it is in the access trail."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from django.core.paginator import Paginator
from django.utils import timezone

from casework.forms import CaseloadFilterForm
from casework.selectors import access_case, caseload, may_see_identity
from navigators.selectors import countries_led_by
from survivors.models import AccessRecord
from survivors.services import access_record


@require_GET
@login_required
@never_cache
def case_list(request):
    """My caseload: overdue follow-ups first; filters by scope, case reference, stage and overdue."""
    is_lead = bool(countries_led_by(request.user))
    filters = CaseloadFilterForm(request.GET or None, initial={"scope": "all" if is_lead else "mine"})
    wanted = filters.cleaned_data if filters.is_valid() else {}
    scope = wanted.get("scope") or ("all" if is_lead else "mine")
    cases = caseload(request.user, scope=scope, query=wanted.get("q", ""), stage=wanted.get("stage", ""),
                     overdue_only=wanted.get("overdue", False))
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    template = "casework/_caseload_rows.html" if request.htmx else "casework/case_list.html"
    return render(request, template, {"page": page, "filters": filters, "nav": "cases", "today": timezone.localdate()})


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
