"""Reads of M&E's entry pages: sessions and returns as the filters narrow them, and one to correct."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from reporting.entry.forms import ReturnFilterForm, SessionFilterForm
from reporting.models import AggregateReturn


def _wanted(filters) -> dict:
    """The filters that are valid (a wrong one is shown on the form as an error, and ignored here)."""
    filters.is_valid()
    return getattr(filters, "cleaned_data", {})


def sessions_filtered(model, filters: SessionFilterForm) -> QuerySet:
    """Training or prevention sessions (`model`), newest first, by country, team and period."""
    sessions = model.objects.select_related("team__country").order_by("-held_on", "-id")
    wanted = _wanted(filters)
    if wanted.get("country"):
        sessions = sessions.filter(team__country=wanted["country"])
    if wanted.get("team"):
        sessions = sessions.filter(team=wanted["team"])
    if wanted.get("period"):
        sessions = sessions.filter(held_on__range=(wanted["period"].start, wanted["period"].end))
    return sessions


def session_of(model, session_id: int):
    """One training or prevention session with its team and country; 404 if there is none."""
    return get_object_or_404(model.objects.select_related("team__country"), pk=session_id)


def aggregate_returns_filtered(filters: ReturnFilterForm) -> QuerySet[AggregateReturn]:
    """Partner and legacy returns, newest period first, with how many figures each gives; by kind and by a
    period they cover part of."""
    returns = (
        AggregateReturn.objects.select_related("partner__country", "country")
        .annotate(figures=Count("values"))
        .order_by("-period_start", "-period_end", "source", "id")
    )
    wanted = _wanted(filters)
    if wanted.get("source"):
        returns = returns.filter(source=wanted["source"])
    if wanted.get("period"):
        returns = returns.filter(period_start__lte=wanted["period"].end, period_end__gte=wanted["period"].start)
    return returns


def aggregate_return_of(return_id: int) -> AggregateReturn:
    """One return with its figures; 404 if there is none."""
    return get_object_or_404(AggregateReturn.objects.prefetch_related("values"), pk=return_id)
