"""The country lead's pages: the caseload dashboard of their countries, reassigning Navigators, and
deciding Navigators' closure and transfer requests. Anyone else gets 403; a case they cannot see, 404."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import choices, services
from casework.access import access_case
from casework.forms import ApproveRequestForm, ReassignForm, ReturnRequestForm
from casework.models import CaseRequest
from casework.selectors import (
    NO_CONTACT_DAYS,
    access_case_request,
    countries_led,
    country_caseload_numbers,
    country_navigators,
    current_assignments,
    dashboard_measures,
    leads_country_of,
    navigators_named,
    pending_requests,
)
from navigators.forms import add_service_errors

# Each dashboard number links to the caseload page filtered to exactly its cases (casework.selectors.caseload).
DRILL_DOWN = {
    "open": {},
    "overdue": {"overdue": 1},
    "no_contact": {"no_contact_days": NO_CONTACT_DAYS},
    "review_overdue": {"review_overdue": 1},
    **{f"engagement_{level}": {"engagement": level} for level in choices.EngagementLevel.values},
    "engagement_none": {"engagement": "none"},
}


def _columns(measures) -> list[tuple[str, str, str]]:
    """(measure, header, label): headers short enough for a 360 px phone's hidden header row, labels whole."""
    labels = {
        "open": (_("Open"), _("Open cases")),
        "overdue": (_("Overdue"), _("Follow-ups overdue")),
        "no_contact": (_("No contact"), _("No contact in %(days)s days") % {"days": NO_CONTACT_DAYS}),
        "review_overdue": (_("Past review"), _("Care plans past review")),
        **{
            f"engagement_{value}": (
                str(value),
                _("Police engagement %(level)s: %(label)s") % {"level": value, "label": label},
            )
            for value, label in choices.EngagementLevel.choices
        },
        "engagement_none": (_("None"), _("No police engagement recorded")),
    }
    return [(name, *labels[name]) for name in measures]


def _led_countries(user):
    countries = countries_led(user)
    if not countries:
        raise PermissionDenied(_("Only country leads have this page."))
    return countries


def _drill_down_url(country: str, measure: str, who: dict) -> str:
    query = {"scope": "all", "open": 1, "country": country, **who, **DRILL_DOWN[measure]}
    return f"{reverse('casework:case_list')}?{urlencode(query)}"


def _row(label, team, counts, country, who, columns):
    return {
        "label": label,
        "team": team,
        "is_unassigned": who.get("unassigned"),
        "cells": [
            {
                "measure": name,
                "label": column,
                "count": (counts or {}).get(name, 0),
                "url": _drill_down_url(country, name, who),
            }
            for name, _header, column in columns
        ],
    }


@require_GET
@login_required
@never_cache
def lead_dashboard(request):
    """Per Navigator of each country the user leads (and for cases nobody is assigned to): open cases,
    overdue follow-ups, no contact in 30 days, care plans past review, current police engagement."""
    countries = _led_countries(request.user)
    codes = [country.code for country in countries]
    today = timezone.localdate()
    columns = _columns(dashboard_measures(today=today))
    counts, totals = country_caseload_numbers(request.user, countries=codes, today=today)
    members = country_navigators(codes)
    sections = []
    for country in countries:
        listed, rows = set(), []
        for membership in (m for m in members if m.team.country_id == country.code):
            listed.add(membership.user_id)
            rows.append(
                _row(
                    str(membership.user),
                    membership.team.name,
                    counts.get((country.code, membership.user_id)),
                    country.code,
                    {"navigator": membership.user_id},
                    columns,
                )
            )
        # Still assigned here without a current membership (should not happen: a move ends assignments).
        strays = [navigator for code, navigator in counts if code == country.code and navigator not in listed | {None}]
        for navigator in navigators_named(strays):
            rows.append(
                _row(
                    str(navigator),
                    "",
                    counts[(country.code, navigator.pk)],
                    country.code,
                    {"navigator": navigator.pk},
                    columns,
                )
            )
        rows.append(
            _row(_("Nobody assigned"), "", counts.get((country.code, None)), country.code, {"unassigned": 1}, columns)
        )
        sections.append(
            {
                "country": country,
                "rows": rows,
                "total": _row(_("All open cases"), "", totals.get(country.code), country.code, {}, columns),
            }
        )
    return render(
        request,
        "casework/lead/dashboard.html",
        {
            "sections": sections,
            "columns": columns,
            "engagement_levels": choices.EngagementLevel.choices,
            "no_contact_days": NO_CONTACT_DAYS,
            "requests": pending_requests(request.user, countries=codes),
            "nav": "dashboard",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def case_reassign(request, case_id):
    """The lead picks which Navigators of the case's team are assigned to it."""
    case = access_case(request.user, case_id)
    if not leads_country_of(request.user, case):
        raise PermissionDenied(_("Only the lead of this case's country reassigns it."))
    assigned = current_assignments(case)
    form = ReassignForm(
        request.POST if request.method == "POST" else None,
        case=case,
        initial={"navigators": [a.navigator_id for a in assigned]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reassign(
                acting_user=request.user,
                case=case,
                navigators=form.cleaned_data["navigators"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Assigned Navigators saved."))
            return redirect("casework:case_detail", case.pk)
    return render(
        request, "casework/lead/reassign.html", {"case": case, "form": form, "assigned": assigned, "nav": "dashboard"}
    )


def _request_list(request, countries, failed=None):
    """The pending requests of the lead's countries, each with its approve and return forms; `failed` is
    (request, which form, bound form) after a decision that could not be made, shown with its errors."""
    entries = []
    for case_request in pending_requests(request.user, countries=[country.code for country in countries]):
        forms = {
            "approve": ApproveRequestForm(auto_id=f"approve_{case_request.pk}_%s"),
            "return": ReturnRequestForm(auto_id=f"return_{case_request.pk}_%s"),
        }
        if failed and failed[0].pk == case_request.pk:
            forms[failed[1]] = failed[2]
        entries.append({"request": case_request, **forms})
    listed = any(entry["request"].pk == failed[0].pk for entry in entries) if failed else False
    context = {
        "entries": entries,
        "countries": countries,
        "nav": "requests",
        "failed": {"request": failed[0], "form": failed[2], "listed": listed} if failed else None,
    }
    return render(request, "casework/lead/request_list.html", context)


@require_GET
@login_required
@never_cache
def request_list(request):
    """Closure and transfer requests waiting for the lead, oldest first."""
    return _request_list(request, _led_countries(request.user))


def _decided_request(request, request_id):
    case_request = access_case_request(request.user, request_id)
    if not leads_country_of(request.user, case_request.case):
        raise PermissionDenied(_("Only the lead of this case's country decides its requests."))
    return case_request


@require_http_methods(["POST"])
@login_required
@never_cache
def request_approve(request, request_id):
    """Approve: the case closes, or goes to the other team."""
    case_request = _decided_request(request, request_id)
    form = ApproveRequestForm(request.POST, auto_id=f"approve_{case_request.pk}_%s")
    if form.is_valid():
        try:
            done = services.case_request_approve(
                acting_user=request.user, case_request=case_request, note=form.cleaned_data["decision_note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            reference = done.case.survivor.case_reference
            if done.kind == CaseRequest.Kind.CLOSURE:
                messages.success(request, _("Approved: case %(ref)s is closed.") % {"ref": reference})
            else:
                messages.success(
                    request,
                    _("Approved: case %(ref)s is now with %(team)s.") % {"ref": reference, "team": done.to_team},
                )
            return redirect("casework:request_list")
    return _request_list(request, _led_countries(request.user), failed=(case_request, "approve", form))


@require_http_methods(["POST"])
@login_required
@never_cache
def request_return(request, request_id):
    """Return the request to the Navigator with a comment; the case stays as it is."""
    case_request = _decided_request(request, request_id)
    form = ReturnRequestForm(request.POST, auto_id=f"return_{case_request.pk}_%s")
    if form.is_valid():
        try:
            services.case_request_return(
                acting_user=request.user, case_request=case_request, note=form.cleaned_data["decision_note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Returned to %(who)s with your comment.") % {"who": case_request.requested_by})
            return redirect("casework:request_list")
    return _request_list(request, _led_countries(request.user), failed=(case_request, "return", form))
