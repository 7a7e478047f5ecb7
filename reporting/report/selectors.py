"""Reads of the headline pages: the periods published, and the one published for a period."""

from django.db.models import QuerySet
from django.http import Http404

from reporting.models import PublishedReport


def publications() -> QuerySet[PublishedReport]:
    """Every published period, newest first (the model's order), with who published it."""
    return PublishedReport.objects.select_related("published_by")


def publication_of(period) -> PublishedReport | None:
    """The publication of exactly this period, if it was published."""
    return PublishedReport.objects.filter(period_start=period.start, period_end=period.end).first()


def access_publication(published_id: int) -> PublishedReport:
    """One publication (M&E see them all); 404 for one that does not exist."""
    published = publications().filter(pk=published_id).first()
    if published is None:
        raise Http404("No such publication.")
    return published
