"""M&E's entry pages: training sessions, prevention sessions and aggregate returns, listed, entered and
corrected. Only M&E use them (docs/access.md): anyone else signed in gets 403, administrators and
country leads included. No case or survivor data is on them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from navigators.forms import add_service_errors
from reporting import services
from reporting.access import me_required
from reporting.forms import (
    RETURN_FORMS,
    PreventionSessionForm,
    ReturnFilterForm,
    SessionFilterForm,
    TrainingSessionForm,
)
from reporting.models import AggregateReturn, PreventionSession, TrainingSession
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


# Training and prevention sessions.


def _sessions(model, filters: SessionFilterForm):
    """Newest first, narrowed by whichever filters are valid (a wrong period is shown as an error)."""
    sessions = model.objects.select_related("team__country").order_by("-held_on", "-id")
    filters.is_valid()
    wanted = getattr(filters, "cleaned_data", {})
    if wanted.get("country"):
        sessions = sessions.filter(team__country=wanted["country"])
    if wanted.get("team"):
        sessions = sessions.filter(team=wanted["team"])
    if wanted.get("period"):
        sessions = sessions.filter(held_on__range=(wanted["period"].start, wanted["period"].end))
    return sessions


def _session_saved(what):
    return lambda session: (
        _("Saved: %(what)s on %(day)s, %(team)s.")
        % {"what": what, "day": date_format(session.held_on, "j M Y"), "team": session.team.name}
    )


@require_GET
@me_required
@never_cache
def training_session_list(request):
    """Training sessions of the direct-work teams, newest first; filters by country, team and period."""
    filters = SessionFilterForm(request.GET)
    page = _page(request, _sessions(TrainingSession, filters))
    return render(
        request, "reporting/entry/training_session_list.html", {"page": page, "filters": filters, "nav": "reports"}
    )


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def training_session_new(request):
    form = TrainingSessionForm(request.POST or None)
    return _entry_page(
        request,
        form=form,
        title=_("Record a training session"),
        back=reverse("reporting:training_session_list"),
        save=lambda form: services.training_session_save(acting_user=request.user, **form.cleaned_data),
        success=_session_saved(_("training session")),
    )


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def training_session_edit(request, training_session_id):
    session = get_object_or_404(TrainingSession.objects.select_related("team__country"), pk=training_session_id)
    form = TrainingSessionForm(request.POST or None, session=session, initial=TrainingSessionForm.initial_for(session))
    return _entry_page(
        request,
        form=form,
        title=_("Correct a training session"),
        back=reverse("reporting:training_session_list"),
        save=lambda form: services.training_session_save(
            acting_user=request.user, session=session, **form.cleaned_data
        ),
        success=_session_saved(_("training session")),
    )


@require_GET
@me_required
@never_cache
def prevention_session_list(request):
    """Prevention sessions of the direct-work teams, newest first; filters by country, team and period."""
    filters = SessionFilterForm(request.GET)
    page = _page(request, _sessions(PreventionSession, filters))
    return render(
        request, "reporting/entry/prevention_session_list.html", {"page": page, "filters": filters, "nav": "reports"}
    )


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def prevention_session_new(request):
    form = PreventionSessionForm(request.POST or None)
    return _entry_page(
        request,
        form=form,
        title=_("Record a prevention session"),
        back=reverse("reporting:prevention_session_list"),
        save=lambda form: services.prevention_session_save(acting_user=request.user, **form.cleaned_data),
        success=_session_saved(_("prevention session")),
    )


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def prevention_session_edit(request, prevention_session_id):
    session = get_object_or_404(PreventionSession.objects.select_related("team__country"), pk=prevention_session_id)
    form = PreventionSessionForm(
        request.POST or None, session=session, initial=PreventionSessionForm.initial_for(session)
    )
    return _entry_page(
        request,
        form=form,
        title=_("Correct a prevention session"),
        back=reverse("reporting:prevention_session_list"),
        save=lambda form: services.prevention_session_save(
            acting_user=request.user, session=session, **form.cleaned_data
        ),
        success=_session_saved(_("prevention session")),
    )


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
    returns = (
        AggregateReturn.objects.select_related("partner__country", "country")
        .annotate(figures=Count("values"))
        .order_by("-period_start", "-period_end", "source", "id")
    )
    filters.is_valid()
    wanted = getattr(filters, "cleaned_data", {})
    if wanted.get("source"):
        returns = returns.filter(source=wanted["source"])
    if wanted.get("period"):
        returns = returns.filter(period_start__lte=wanted["period"].end, period_end__gte=wanted["period"].start)
    page = _page(request, returns)
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
    aggregate_return = get_object_or_404(AggregateReturn.objects.prefetch_related("values"), pk=return_id)
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
