"""Adding and editing a case's records. The case is fetched for change (404 if unseen, 403 if read-only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
from navigators.forms import add_service_errors
from navigators.selectors import teams_for_registration
from navigators.versioning import EditConflict


def _case_page(case, anchor=""):
    return redirect(f"{case.get_absolute_url()}{anchor}")


def _conflict_form(form_class, request, conflict: EditConflict, **kwargs):
    """The editor's own values again, now carrying the current version, with the conflict explained."""
    data = request.POST.copy()
    data["version"] = conflict.version
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, conflict)
    return form


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
            with transaction.atomic():
                record_kind.save(acting_user=request.user, case=case, data=form.cleaned_data)
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
        try:
            services.care_plan_save(acting_user=request.user, case=case, **form.service_arguments())
        except EditConflict as error:
            conflict = error
            form = _conflict_form(CarePlanForm, request, error, care_plan=care_plan)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The care plan is saved."))
            return _case_page(case, "#care-plan")
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
        try:
            services.prosecution_update(
                acting_user=request.user, prosecution=prosecution, version=data.pop("version"), **data
            )
        except EditConflict as error:
            conflict = error
            form = _conflict_form(ProsecutionUpdateForm, request, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The prosecution is updated."))
            return _case_page(case, "#legal")
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
        team = form.cleaned_data["team"]
        navigators = (
            [request.user]
            if form.cleaned_data["assign_me"]
            and request.user.memberships.filter(team=team, ended_on__isnull=True).exists()
            else []
        )
        try:
            case = services.case_open(
                acting_user=request.user,
                survivor=survivor,
                team=team,
                opened_on=form.cleaned_data["opened_on"],
                navigators=navigators,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is open."))
            return _case_page(case)
    return render(request, "casework/case_open.html", {"survivor": survivor, "form": form, "nav": "cases"})
