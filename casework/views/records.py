"""Adding and editing a case's records. The case is fetched for change (404 if unseen, 403 if read-only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework import services
from casework.access import access_case, access_case_record, access_survivor
from casework.models import CarePlan, Prosecution, Repatriation
from casework.records import (
    CarePlanForm,
    CaseOpenForm,
    ProsecutionUpdateForm,
    RepatriationStepForm,
    record_kinds_for,
)
from navigators.forms import add_service_errors, save_through_service
from navigators.selectors import teams_for_registration


def _case_page(case, anchor=""):
    return redirect(f"{case.get_absolute_url()}{anchor}")


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def record_new(request, case_id, kind):
    """Add one record of `kind` (a follow-up, support, an assessment…) to the case."""
    case = access_case(request.user, case_id, for_change=True)
    record_kind = record_kinds_for(case).get(kind)
    if record_kind is None:
        raise Http404("No such kind of record.")
    form = record_kind.form(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            form.record(acting_user=request.user)  # one transaction: every record service is atomic
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": record_kind.title})
            return _case_page(case)
    return render(
        request, "casework/record_form.html", {"case": case, "form": form, "title": record_kind.title, "nav": "cases"}
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def care_plan_edit(request, case_id):
    """Write or review the care plan; a save made meanwhile by someone else is shown, not overwritten."""
    case = access_case(request.user, case_id, for_change=True)
    care_plan = CarePlan.objects.filter(case=case).prefetch_related("goals").first()
    form = CarePlanForm(request.POST or None, care_plan=care_plan, initial=CarePlanForm.initial_for(care_plan))
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved = save_through_service(
            request,
            form,
            lambda: services.care_plan_save(acting_user=request.user, case=case, **form.service_arguments()),
            care_plan=care_plan,
        )
        if saved.done:
            messages.success(request, _("The care plan is saved."))
            return _case_page(case, "#care-plan")
        form, conflict = saved.form, saved.conflict
    return render(
        request,
        "casework/record_form.html",
        {"case": case, "form": form, "conflict": conflict, "title": _("Care plan"), "nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def prosecution_edit(request, case_id, prosecution_id):
    """Record a prosecution's progress and outcome; concurrent edits are shown, not overwritten."""
    case = access_case(request.user, case_id, for_change=True)
    prosecution = access_case_record(case, Prosecution, prosecution_id)
    form = ProsecutionUpdateForm(request.POST or None, initial=ProsecutionUpdateForm.initial_for(prosecution))
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved = save_through_service(
            request,
            form,
            lambda: services.prosecution_update(
                acting_user=request.user, prosecution=prosecution, version=version, **data
            ),
        )
        if saved.done:
            messages.success(request, _("The prosecution is updated."))
            return _case_page(case, "#legal")
        form, conflict = saved.form, saved.conflict
    title = _("Prosecution of %(accused)s") % {"accused": prosecution.accused.reference}
    return render(
        request,
        "casework/record_form.html",
        {"case": case, "form": form, "conflict": conflict, "title": title, "nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def repatriation_advance(request, case_id, repatriation_id):
    """Move a repatriation to its next step (risk assessment, documents, travel, arrival…)."""
    case = access_case(request.user, case_id, for_change=True)
    repatriation = access_case_record(case, Repatriation, repatriation_id)
    form = RepatriationStepForm(request.POST or None, repatriation=repatriation)
    if request.method == "POST" and form.is_valid():
        try:
            services.repatriation_advance(acting_user=request.user, repatriation=repatriation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The repatriation is at its next step."))
            return _case_page(case, "#repatriation")
    title = _("Repatriation %(route)s: next step") % {
        "route": f"{repatriation.sending_country_id} → {repatriation.receiving_country_id}"
    }
    return render(request, "casework/record_form.html", {"case": case, "form": form, "title": title, "nav": "cases"})


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def case_open(request, survivor_id):
    """Open a case for a survivor the user already sees, for one of their teams (a lead: of their country)."""
    survivor = access_survivor(request.user, survivor_id)
    teams = teams_for_registration(request.user)
    if not teams.exists():
        raise PermissionDenied("Only Navigators and country leads open cases.")
    form = CaseOpenForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open_for_team(acting_user=request.user, survivor=survivor, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is open."))
            return _case_page(case)
    return render(request, "casework/case_open.html", {"survivor": survivor, "form": form, "nav": "cases"})
