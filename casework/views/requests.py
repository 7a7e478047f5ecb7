"""A Navigator asks the country lead to close a case or hand it to another team (casework.views.lead decides)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework import services
from casework.access import access_case
from casework.forms import ClosureRequestForm, TransferRequestForm
from casework.selectors import case_requests_of, repatriation_awaiting_handover
from navigators.forms import add_service_errors


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def closure_request(request, case_id):
    """Ask to close the case: a reason, the closing date and notes for the lead."""
    case = access_case(request.user, case_id, for_change=True)
    form = ClosureRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_request(acting_user=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request to close case %(ref)s is waiting for the country lead.")
                % {"ref": case.survivor.case_reference},
            )
            return redirect("casework:case_detail", case.pk)
    return render(
        request,
        "casework/lead/closure_request.html",
        {"case": case, "form": form, "case_requests": case_requests_of(case), "nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def transfer_request(request, case_id):
    """Ask to hand the case to another team; after a repatriation, the receiving team is suggested."""
    case = access_case(request.user, case_id, for_change=True)
    arrived = repatriation_awaiting_handover(case)
    initial = {"to_team": arrived.receiving_team_id} if arrived and arrived.receiving_team_id else {}
    form = TransferRequestForm(request.POST if request.method == "POST" else None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_request(acting_user=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request to transfer case %(ref)s is waiting for the country lead.")
                % {"ref": case.survivor.case_reference},
            )
            return redirect("casework:case_detail", case.pk)
    return render(
        request,
        "casework/lead/transfer_request.html",
        {"case": case, "form": form, "arrived": arrived, "case_requests": case_requests_of(case), "nav": "cases"},
    )
