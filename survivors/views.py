"""Survivor pages. A survivor is fetched only through survivors.selectors; every look at their data is in the access trail."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import services as casework_services
from casework.access import access_survivor, possible_duplicates_seen_by, survivor_case_for
from dataprotection import services as trail
from navigators.forms import add_service_errors, save_through_service
from navigators.selectors import is_administrator, teams_for_registration
from navigators.versioning import EditConflict, FieldChange
from survivors import blind_index, services
from survivors.forms import (
    ConsentForm,
    DifferentPersonForm,
    IdentityEditForm,
    RegisterCaseForm,
    SurvivorDetailsForm,
    SurvivorEditForm,
    SurvivorIdentityForm,
)
from survivors.models import AccessRecord, SurvivorIdentity
from survivors.selectors import (
    access_records_by_user,
    access_records_for_survivor,
    access_survivor_trail,
    consent_history,
    consents_in_force,
    possible_duplicates,
)


def _shown(value):
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return value


def _conflict_changes(conflict: EditConflict | None) -> list[FieldChange]:
    """What the other person changed, lists (citizenships, means of control) written out."""
    if conflict is None:
        return []
    return [FieldChange(change.label, _shown(change.before), _shown(change.after)) for change in conflict.changes]


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def survivor_register(request):
    """Register a survivor, who they are, and their first case with one of the user's teams, in one go.

    A survivor who may already be registered (a name alike, born within two years, a citizenship in
    common) is shown first; registering anyway needs a tick saying this is a different person.
    """
    teams = list(teams_for_registration(request.user))
    if not teams:
        raise PermissionDenied("Only Navigators with a team and country leads register survivors.")
    data = request.POST if request.method == "POST" else None
    details, identity = SurvivorDetailsForm(data), SurvivorIdentityForm(data)
    case_form, confirm = RegisterCaseForm(data, teams=teams), DifferentPersonForm(data)
    forms = [details, identity, case_form]
    duplicates = None
    if data is not None and all(form.is_valid() for form in forms) and confirm.is_valid():
        born = identity.cleaned_data["date_of_birth"]
        matches = possible_duplicates(
            names=blind_index.identity_names(identity.cleaned_data["legal_name"], identity.cleaned_data["aliases"]),
            birth_year=details.cleaned_data["birth_year"] or (born.year if born else None),
            citizenships=details.cleaned_data["citizenships"],
        )
        seen = possible_duplicates_seen_by(request.user, matches)
        if seen and not confirm.cleaned_data["different_person"]:
            duplicates = {"seen": seen}
        else:
            try:
                case = casework_services.survivor_register_with_case(
                    acting_user=request.user,
                    team=case_form.cleaned_data["team"],
                    identity=identity.identity(),
                    exploitations=details.exploitations(),
                    **details.details(),
                )
            except ValidationError as error:
                add_service_errors(forms, error)
            else:
                messages.success(
                    request, _("Registered as %(reference)s.") % {"reference": case.survivor.case_reference}
                )
                return redirect("casework:case_detail", case_id=case.pk)
    return render(
        request,
        "survivors/survivor_register.html",
        {
            "details": details,
            "identity": identity,
            "case_form": case_form,
            "confirm": confirm,
            "duplicates": duplicates,
            "nav": "register",
        },
    )


def _edit_page(request, survivor, case, form, conflict: EditConflict | None, title: str):
    """The survivor's details or identity page, with another person's changes listed after a conflict."""
    context = {"survivor": survivor, "case": case, "form": form, "conflict": conflict, "title": title}
    return render(
        request, "survivors/survivor_edit.html", {**context, "changes": _conflict_changes(conflict), "nav": "cases"}
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def survivor_edit(request, survivor_id):
    """Change what is counted about a survivor: for anyone who may change one of their cases."""
    survivor = access_survivor(request.user, survivor_id)
    case = survivor_case_for(request.user, survivor, "casework.change_case")
    if case is None:
        raise PermissionDenied("You may see this survivor but not change their record.")
    conflict = None
    if request.method == "POST":
        form = SurvivorEditForm(request.POST)
        if form.is_valid():
            saved = save_through_service(
                request,
                form,
                lambda: services.survivor_update(
                    acting_user=request.user,
                    survivor=survivor,
                    version=form.cleaned_data["version"],
                    exploitations=form.exploitations(),
                    **form.details(),
                ),
                explain_conflict=False,  # the page lists the other person's changes instead
            )
            if saved.done:
                messages.success(request, _("The survivor's details are saved."))
                return redirect("casework:case_detail", case_id=case.pk)
            form, conflict = saved.form, saved.conflict
    else:
        form = SurvivorEditForm(initial=SurvivorEditForm.initial_for(survivor))
        trail.access_record(
            user=request.user, survivor=survivor, case=case, action=AccessRecord.Action.VIEWED, request=request
        )
    return _edit_page(request, survivor, case, form, conflict, _("Survivor details"))


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def survivor_identity_edit(request, survivor_id):
    """Change who the survivor is: for those who may see it (their assigned Navigators and the country lead).

    Each look at the page is in the access trail, as is a conflict, which shows another person's changes.
    """
    survivor = access_survivor(request.user, survivor_id)
    case = survivor_case_for(request.user, survivor, "casework.view_identity", "casework.change_case")
    if case is None:
        raise PermissionDenied("Only the assigned Navigators and the country lead see who the survivor is.")
    conflict = None
    if request.method == "POST":
        form = IdentityEditForm(request.POST)
        if form.is_valid():
            saved = save_through_service(
                request,
                form,
                lambda: services.survivor_identity_update(
                    acting_user=request.user, survivor=survivor, version=form.cleaned_data["version"], **form.identity()
                ),
                explain_conflict=False,
            )
            if saved.done:
                messages.success(request, _("The identity details are saved."))
                return redirect("casework:case_identity", case_id=case.pk)
            form, conflict = saved.form, saved.conflict
            if conflict:  # the other person's values of who the survivor is are on the page now
                trail.access_record(
                    user=request.user,
                    survivor=survivor,
                    case=case,
                    action=AccessRecord.Action.VIEWED_IDENTITY,
                    request=request,
                )
    else:
        identity = SurvivorIdentity.objects.filter(survivor=survivor).first()
        form = IdentityEditForm(initial=IdentityEditForm.initial_for(identity))
        trail.access_record(
            user=request.user, survivor=survivor, case=case, action=AccessRecord.Action.VIEWED_IDENTITY, request=request
        )
    return _edit_page(request, survivor, case, form, conflict, _("Identity details"))


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def survivor_consent(request, survivor_id):
    """The survivor's answers to the consent questions, and a new answer: for anyone who may change one of their cases."""
    survivor = access_survivor(request.user, survivor_id)
    case = survivor_case_for(request.user, survivor, "casework.change_case")
    if case is None:
        raise PermissionDenied("You may see this survivor but not change their record.")
    form = ConsentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.consent_record(acting_user=request.user, survivor=survivor, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors([form], error)
            else:
                messages.success(request, _("The answer is recorded."))
                return redirect("survivors:survivor_consent", survivor_id=survivor.pk)
    else:
        trail.access_record(
            user=request.user, survivor=survivor, case=case, action=AccessRecord.Action.VIEWED, request=request
        )
    in_force = consents_in_force(survivor)
    topics = [(label, in_force.get(topic)) for topic, label in ConsentForm.base_fields["topic"].choices if topic]
    return render(
        request,
        "survivors/consent.html",
        {
            "survivor": survivor,
            "case": case,
            "form": form,
            "topics": topics,
            "history": consent_history(survivor)[:200],
            "nav": "cases",
        },
    )


@require_GET
@login_required
@never_cache
def survivor_access_trail(request, survivor_id):
    """Who looked at this survivor's record, and when: for their country lead and administrators."""
    survivor = access_survivor_trail(request.user, survivor_id)
    records = access_records_for_survivor(survivor)[:500]
    return render(request, "survivors/access_trail.html", {"subject": survivor.case_reference, "records": records})


@require_GET
@login_required
@never_cache
def user_access_trail(request, user_id):
    """What one user looked at: for administrators."""
    if not is_administrator(request.user):
        raise PermissionDenied("Only administrators read a user's access trail.")
    person = get_object_or_404(get_user_model(), pk=user_id)
    records = access_records_by_user(person)[:500]
    return render(
        request, "survivors/access_trail.html", {"subject": person.username, "records": records, "by_user": True}
    )
