"""M&E's headline pages: the table of a period, the trends over the half-years, publishing a period
and its restatement. Counts only: nothing here names or links to a survivor."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from navigators.forms import add_service_errors
from reporting import headline, publishing
from reporting.access import me_required
from reporting.indicators import HEADLINE_BY_ID, SECTIONS
from reporting.periods import TREND_HALF_YEARS
from reporting.report import selectors
from reporting.report.forms import PeriodForm, PublishForm


def _table_rows(report, to_date=None):
    """The indicators grouped under the published table's headings, each with its to-date total."""
    groups = {}
    for row in report.indicators:
        section = HEADLINE_BY_ID[row.id].section
        by_partner = {p.partner: p for p in row.partners}
        groups.setdefault(section, []).append(
            {
                "row": row,
                "countries": [row.by_country[code] for code in report.countries],
                "partners": [by_partner.get(name) for name in report.partner_names],
                "to_date": to_date.indicator(row.id).direct_total if to_date else None,
            }
        )
    return [{"title": SECTIONS[key], "rows": rows} for key, rows in groups.items()]


@require_GET
@never_cache
@me_required
def headline_table(request):
    form = PeriodForm(request.GET or None)
    context = {"form": form, "nav": "headline"}
    if form.is_bound and form.is_valid():
        period = form.period
        report = headline.headline_report(period)
        to_date = headline.headline_report(headline.period_to_date(period.end), with_outcomes=False)
        context.update(
            report=report,
            sections=_table_rows(report, to_date),
            to_date_label=to_date.period.end,
            published=selectors.publication_of(period),
            can_publish=period.label is not None and period.end < timezone.localdate(),
            publish_form=PublishForm(initial={"start": period.start, "end": period.end}),
            any_overlap=any(row.legacy_overlap for row in report.indicators),
        )
    return render(request, "reporting/headline.html", context)


@require_GET
@never_cache
@me_required
def trends(request):
    halves = headline.half_years_up_to(timezone.localdate(), TREND_HALF_YEARS)
    charts = []
    for indicator_id, points in headline.indicator_trends(halves).items():
        top = max((value for _period, value in points), default=0) or 1
        charts.append(
            {
                "indicator": HEADLINE_BY_ID[indicator_id],
                "width": 10 * len(points),
                "points": [
                    {
                        "label": period.label,
                        "value": value,
                        "x": 10 * n + 1,
                        "height": (h := round(100 * value / top)),
                        "y": 100 - h,
                    }
                    for n, (period, value) in enumerate(points)
                ],
            }
        )
    return render(request, "reporting/trends.html", {"charts": charts, "nav": "trends"})


@require_POST
@me_required
def publish(request):
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            published = publishing.period_publish(
                acting_user=request.user, period=form.period, notes=form.cleaned_data["notes"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(period)s is published; its table is frozen.") % {"period": published.label})
            return redirect("reporting:published_detail", published.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(_headline_url(form))


def _headline_url(form) -> str:
    """Back to the table of the period the publish form was about."""
    url = reverse("reporting:headline")
    start, end = form.data.get("start", ""), form.data.get("end", "")
    return f"{url}?{urlencode({'start': start, 'end': end})}" if start and end else url


@require_GET
@never_cache
@me_required
def published_list(request):
    return render(
        request,
        "reporting/published_list.html",
        {
            "publications": selectors.publications(),
            "nav": "published",
        },
    )


@require_GET
@never_cache
@me_required
def published_detail(request, published_id: int):
    published = selectors.access_publication(published_id)
    return render(
        request,
        "reporting/published_detail.html",
        {
            "published": published,
            "restatement": publishing.restatement(published),
            "nav": "published",
            "table": published.table,
            "country_codes": list(published.table["indicators"][0]["by_country"]),
        },
    )
