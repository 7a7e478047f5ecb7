"""The data protection lead's pages: find a survivor, answer a subject access request, set and lift legal
holds, erase. Only for holders of the role (dataprotection.access); every look at a survivor's record
is in the access trail, and pages with case data are never cached."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dataprotection import selectors, services
from dataprotection.access import dpl_required
from dataprotection.forms import ErasureForm, LegalHoldForm
from dataprotection.models import LegalHold
from dataprotection.services import access_record
from navigators.forms import add_service_errors
from navigators.selectors import role_request_log
from survivors import services as survivor_services
from survivors.models import AccessRecord, PossibleDuplicate


@require_GET
@dpl_required
@never_cache
def home(request):
    """Find a survivor by case reference; the holds in force, recent erasures and retention runs."""
    reference = request.GET.get("reference", "")
    if reference:
        survivor = selectors.survivor_by_reference(reference)
        if survivor is not None:
            return redirect("dataprotection:survivor", survivor_id=survivor.pk)
        messages.error(
            request, _("No survivor has the case reference %(reference)s.") % {"reference": reference.strip()}
        )
    return render(request, "dataprotection/home.html", {"reference": reference, **selectors.dpl_dashboard()})


def _survivor_page(request, survivor, *, hold_form=None, erasure_form=None, status=200):
    return render(
        request,
        "dataprotection/survivor.html",
        {
            "survivor": survivor,
            "holds_in_force": selectors.holds_in_force(survivor),
            "hold_form": hold_form or LegalHoldForm(prefix="hold"),
            "erasure_form": erasure_form or ErasureForm(survivor=survivor, prefix="erase"),
            **selectors.survivor_overview(survivor),
        },
        status=status,
    )


@require_GET
@dpl_required
@never_cache
def survivor_page(request, survivor_id):
    """One survivor's data protection page: subject access, legal holds, erasure."""
    survivor = selectors.dpl_survivor(request.user, survivor_id)
    access_record(user=request.user, survivor=survivor, action=AccessRecord.Action.VIEWED, request=request)
    return _survivor_page(request, survivor)


@require_GET
@dpl_required
@never_cache
def subject_access_page(request, survivor_id):
    """Everything held about the survivor as one printable document (in the access trail as printed)."""
    survivor = selectors.dpl_survivor(request.user, survivor_id)
    access_record(user=request.user, survivor=survivor, action=AccessRecord.Action.PRINTED, request=request)
    return render(request, "dataprotection/subject_access.html", {"document": selectors.subject_access(survivor)})


@require_GET
@dpl_required
@never_cache
def subject_access_json(request, survivor_id):
    """Everything held about the survivor as a JSON download (in the access trail as exported)."""
    survivor = selectors.dpl_survivor(request.user, survivor_id)
    access_record(user=request.user, survivor=survivor, action=AccessRecord.Action.EXPORTED, request=request)
    response = HttpResponse(
        selectors.subject_access(survivor).as_json(), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="subject-access-{survivor.case_reference}.json"'
    return response


@require_POST
@dpl_required
@never_cache
def legal_hold_set(request, survivor_id):
    survivor = selectors.dpl_survivor(request.user, survivor_id)
    form = LegalHoldForm(request.POST, prefix="hold")
    if form.is_valid():
        try:
            services.legal_hold_set(acting_user=request.user, survivor=survivor, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors([form], error)
        else:
            messages.success(
                request, _("The record of %(reference)s is on legal hold.") % {"reference": survivor.case_reference}
            )
            return redirect("dataprotection:survivor", survivor_id=survivor.pk)
    return _survivor_page(request, survivor, hold_form=form)


@require_POST
@dpl_required
@never_cache
def legal_hold_lift(request, survivor_id):
    survivor = selectors.dpl_survivor(request.user, survivor_id)
    hold_id = request.POST.get("hold", "")
    hold = (
        LegalHold.objects.filter(survivor=survivor, pk=int(hold_id), lifted_at__isnull=True).first()
        if hold_id.isdigit()
        else None
    )
    if hold is None:
        raise Http404("No such legal hold in force on this survivor.")
    services.legal_hold_lift(acting_user=request.user, hold=hold)
    messages.success(request, _("The legal hold is lifted."))
    return redirect("dataprotection:survivor", survivor_id=survivor.pk)


@require_POST
@dpl_required
@never_cache
def erase(request, survivor_id):
    """Erase who the survivor is and every note of their records, once the case reference is typed out."""
    survivor = selectors.dpl_survivor(request.user, survivor_id)
    form = ErasureForm(request.POST, survivor=survivor, prefix="erase")
    if form.is_valid():
        try:
            services.erase_survivor(acting_user=request.user, survivor=survivor, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors([form], error)
        else:
            messages.success(
                request,
                _("The identity and notes of %(reference)s are erased.") % {"reference": survivor.case_reference},
            )
            return redirect("dataprotection:survivor", survivor_id=survivor.pk)
    return _survivor_page(request, survivor, erasure_form=form)


@require_GET
@dpl_required
@never_cache
def possible_duplicates(request):
    """Survivors registered while someone out of the registering user's sight looked like the same person."""
    return render(
        request,
        "dataprotection/possible_duplicates.html",
        {"reviews": selectors.possible_duplicates_to_review(), "decisions": PossibleDuplicate.Status},
    )


@require_POST
@dpl_required
@never_cache
def possible_duplicate_decide(request, review_id):
    """Say whether the two records are the same person; only "the same person" links them."""
    review = selectors.open_possible_duplicate(review_id)
    decision = request.POST.get("decision", "")
    if decision not in (PossibleDuplicate.Status.SAME_PERSON, PossibleDuplicate.Status.DIFFERENT_PEOPLE):
        messages.error(request, _("Choose whether they are the same person or different people."))
        return redirect("dataprotection:possible_duplicates")
    survivor_services.possible_duplicate_decide(acting_user=request.user, review=review, status=decision)
    messages.success(
        request,
        _("%(survivor)s and %(match)s: %(decision)s.")
        % {
            "survivor": review.survivor.case_reference,
            "match": review.match.case_reference,
            "decision": PossibleDuplicate.Status(decision).label,
        },
    )
    return redirect("dataprotection:possible_duplicates")


@require_GET
@dpl_required
@never_cache
def role_grants(request):
    """Every role asked for and what became of it: approved, refused, revoked or waiting, by whom and when."""
    return render(request, "dataprotection/role_grants.html", {"requests": role_request_log()})
