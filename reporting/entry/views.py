"""M&E's entry pages: training sessions, prevention sessions and aggregate returns, listed, entered and
corrected. Only M&E use them (docs/access.md): anyone else signed in gets 403, administrators and
country leads included. No case or survivor data is on them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from navigators.forms import add_service_errors
from reporting import services
from reporting.access import me_required
from reporting.entry import selectors
from reporting.entry.forms import (
    RETURN_FORMS,
    PreventionSessionForm,
    ReturnFilterForm,
    SessionFilterForm,
    TrainingSessionForm,
)
from reporting.models import PreventionSession, TrainingSession
from reporting.periods import named_period

PAGE_SIZE = 25


def _entry_page(request, *, form, save, success, back, title, intro=""):
    """The create and correct pages' common flow: validate, save through the service, or show what is wrong."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success(saved))
            return redirect(back)
    return render(
        request,
        "reporting/entry/form.html",
        {"form": form, "title": title, "intro": intro, "back": back, "nav": "reports"},
    )


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


# Training and prevention sessions: the same three pages for each kind, as the kind describes them.


@dataclass(frozen=True)
class SessionKind:
    """What differs between the training and the prevention pages."""

    model: type
    form: type
    save: Callable  # the service: training_session_save or prevention_session_save
    section: str  # the entry pages' tab, and the URL names' prefix (`<section>_session_list` …)
    title: str
    new_title: str
    edit_title: str
    saved_what: str
    filter_label: str
    empty: str
    edit_label: str  # the date link's label, with %(day)s and %(team)s
    columns: tuple[tuple[str, Callable], ...]  # heading, and the value of a session

    def url(self, page: str, *args) -> str:
        return reverse(f"reporting:{self.section}_session_{page}", args=args)


TRAINING = SessionKind(
    model=TrainingSession,
    form=TrainingSessionForm,
    save=services.training_session_save,
    section="training",
    title=gettext_lazy("Training sessions"),
    new_title=gettext_lazy("Record a training session"),
    edit_title=gettext_lazy("Correct a training session"),
    saved_what=gettext_lazy("training session"),
    filter_label=gettext_lazy("Filter training sessions"),
    empty=gettext_lazy("No training sessions."),
    edit_label=gettext_lazy("Correct the training on %(day)s, %(team)s"),
    columns=(
        (gettext_lazy("Audience"), lambda session: session.get_audience_display()),
        (gettext_lazy("Topic"), lambda session: session.topic or "—"),
        (gettext_lazy("Attendees"), lambda session: session.attendee_count),
    ),
)
PREVENTION = SessionKind(
    model=PreventionSession,
    form=PreventionSessionForm,
    save=services.prevention_session_save,
    section="prevention",
    title=gettext_lazy("Prevention sessions"),
    new_title=gettext_lazy("Record a prevention session"),
    edit_title=gettext_lazy("Correct a prevention session"),
    saved_what=gettext_lazy("prevention session"),
    filter_label=gettext_lazy("Filter prevention sessions"),
    empty=gettext_lazy("No prevention sessions."),
    edit_label=gettext_lazy("Correct the prevention session on %(day)s, %(team)s"),
    columns=(
        (gettext_lazy("Reach"), lambda session: session.get_reach_display()),
        (gettext_lazy("Participants"), lambda session: session.participants),
        (gettext_lazy("Description"), lambda session: session.description or "—"),
    ),
)


def _session_saved(kind: SessionKind):
    return lambda session: (
        _("Saved: %(what)s on %(day)s, %(team)s.")
        % {"what": kind.saved_what, "day": date_format(session.held_on, "j M Y"), "team": session.team.name}
    )


def _session_list(request, kind: SessionKind):
    filters = SessionFilterForm(request.GET)
    page = _page(request, selectors.sessions_filtered(kind.model, filters))
    rows = [
        {
            "session": session,
            "edit_url": kind.url("edit", session.pk),
            "edit_label": kind.edit_label % {"day": date_format(session.held_on, "j M Y"), "team": session.team.name},
            "cells": [(heading, value(session)) for heading, value in kind.columns],
        }
        for session in page
    ]
    return render(
        request,
        "reporting/entry/session_list.html",
        {"kind": kind, "page": page, "rows": rows, "filters": filters, "new_url": kind.url("new"), "nav": "reports"},
    )


def _session_new(request, kind: SessionKind):
    return _entry_page(
        request,
        form=kind.form(request.POST or None),
        title=kind.new_title,
        back=kind.url("list"),
        save=lambda form: kind.save(acting_user=request.user, **form.cleaned_data),
        success=_session_saved(kind),
    )


def _session_edit(request, kind: SessionKind, session_id: int):
    session = selectors.session_of(kind.model, session_id)
    return _entry_page(
        request,
        form=kind.form(request.POST or None, session=session, initial=kind.form.initial_for(session)),
        title=kind.edit_title,
        back=kind.url("list"),
        save=lambda form: kind.save(acting_user=request.user, session=session, **form.cleaned_data),
        success=_session_saved(kind),
    )


@require_GET
@me_required
@never_cache
def training_session_list(request):
    """Training sessions of the direct-work teams, newest first; filters by country, team and period."""
    return _session_list(request, TRAINING)


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def training_session_new(request):
    """Record a training session."""
    return _session_new(request, TRAINING)


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def training_session_edit(request, training_session_id):
    """Correct a training session."""
    return _session_edit(request, TRAINING, training_session_id)


@require_GET
@me_required
@never_cache
def prevention_session_list(request):
    """Prevention sessions of the direct-work teams, newest first; filters by country, team and period."""
    return _session_list(request, PREVENTION)


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def prevention_session_new(request):
    """Record a prevention session."""
    return _session_new(request, PREVENTION)


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def prevention_session_edit(request, prevention_session_id):
    """Correct a prevention session."""
    return _session_edit(request, PREVENTION, prevention_session_id)


# Aggregate returns.

RETURN_INTRO = gettext_lazy(
    "Type each figure as the return gives it. Leave a figure blank when the return does not give it; "
    "0 means the return says none."
)


def _return_titles(source):
    if source == "partner":
        return _("Enter a partner return"), _("Correct a partner return")
    return _("Enter a legacy return"), _("Correct a legacy return")


def return_of(aggregate_return) -> str:
    """Whose figures a return holds: the partner's, a country's, or direct work's as a whole."""
    if aggregate_return.partner_id:
        return aggregate_return.partner.name
    return aggregate_return.country.name if aggregate_return.country_id else _("Direct work as a whole")


def _return_saved(aggregate_return):
    period = named_period(aggregate_return.period_start, aggregate_return.period_end)
    return _("Saved: the return of %(who)s for %(period)s.") % {
        "who": return_of(aggregate_return),
        "period": period.label,
    }


@require_GET
@me_required
@never_cache
def aggregate_return_list(request):
    """Partner and legacy returns, newest period first; filters by kind and by a period they cover part of."""
    filters = ReturnFilterForm(request.GET)
    page = _page(request, selectors.aggregate_returns_filtered(filters))
    for aggregate_return in page:
        period = named_period(aggregate_return.period_start, aggregate_return.period_end)
        aggregate_return.period_label = period.label if period else ""
        aggregate_return.of = return_of(aggregate_return)
    return render(
        request, "reporting/entry/aggregate_return_list.html", {"page": page, "filters": filters, "nav": "reports"}
    )


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def aggregate_return_new(request, source):
    """A new return of one kind (`partner` or `legacy`) with its figures, saved together or not at all."""
    form_class = RETURN_FORMS.get(source)
    if form_class is None:
        raise Http404("No such kind of return.")
    form = form_class(request.POST or None)
    return _entry_page(
        request,
        form=form,
        title=_return_titles(source)[0],
        intro=RETURN_INTRO,
        back=reverse("reporting:aggregate_return_list"),
        save=lambda form: services.aggregate_return_save(acting_user=request.user, **form.service_arguments()),
        success=_return_saved,
    )


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def aggregate_return_edit(request, return_id):
    """Correct a return and its figures; a figure cleared is removed from it."""
    aggregate_return = selectors.aggregate_return_of(return_id)
    form_class = RETURN_FORMS[aggregate_return.source]
    form = form_class(request.POST or None, initial=form_class.initial_for(aggregate_return))
    return _entry_page(
        request,
        form=form,
        title=_return_titles(aggregate_return.source)[1],
        intro=RETURN_INTRO,
        back=reverse("reporting:aggregate_return_list"),
        save=lambda form: services.aggregate_return_save(
            acting_user=request.user, aggregate_return=aggregate_return, **form.service_arguments()
        ),
        success=_return_saved,
    )
