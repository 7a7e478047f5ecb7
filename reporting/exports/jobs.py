"""Export jobs: M&E asks for an export, a Celery task (reporting.tasks.export_build) builds the file
into the ExportJob row, the requester downloads it. Asking and downloading are each a line of the
access trail naming what was exported, never its figures."""

import logging
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dataprotection.services import access_record_export
from reporting.breakdowns import SURVIVOR_INDICATORS, check_dimensions, survivor_breakdown
from reporting.exports import FORMATS, export_file
from reporting.figures import ReportPeriod
from reporting.models import ExportJob

logger = logging.getLogger(__name__)

KIND = "headline_report"
Status = ExportJob.Status


@dataclass(frozen=True)
class BreakdownRequest:
    indicator: str
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class ExportRequest:
    """What M&E asked for; stored as the job's `parameters` (plain JSON) and read back by the task."""

    period: ReportPeriod
    format: str
    suppress_headline: bool = False
    breakdowns: tuple[BreakdownRequest, ...] = ()
    threshold: int | None = None  # the setting when asked, so a rebuilt file is the same file

    def __post_init__(self):
        if self.format not in FORMATS:
            raise ValueError(f"An export is {', '.join(FORMATS)}, not {self.format!r}.")
        for breakdown in self.breakdowns:
            check_dimensions(breakdown.dimensions)
            if breakdown.indicator not in SURVIVOR_INDICATORS:
                raise ValueError(f"Breakdowns are of survivor indicators, not {breakdown.indicator!r}.")

    def parameters(self) -> dict:
        return {
            "period": self.period.as_dict(),
            "format": self.format,
            "suppress_headline": self.suppress_headline,
            "breakdowns": [{"indicator": b.indicator, "dimensions": list(b.dimensions)} for b in self.breakdowns],
            "threshold": self.threshold,
        }

    @classmethod
    def from_parameters(cls, data: dict) -> "ExportRequest":
        period = data["period"]
        return cls(
            period=ReportPeriod(
                period["label"], date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
            ),
            format=data["format"],
            suppress_headline=bool(data.get("suppress_headline")),
            breakdowns=tuple(
                BreakdownRequest(b["indicator"], tuple(b["dimensions"])) for b in data.get("breakdowns", [])
            ),
            threshold=data.get("threshold"),
        )

    @property
    def period_name(self) -> str:
        return self.period.label or f"{self.period.start.isoformat()} to {self.period.end.isoformat()}"

    @property
    def subject(self) -> str:
        """How the access trail names the export: 'headline report 21/22 H1 (xlsx)'."""
        parts = [f"headline report {self.period_name}"]
        if self.suppress_headline:
            parts.append("suppressed")
        parts += [f"breakdown of {b.indicator} by {' × '.join(b.dimensions)}" for b in self.breakdowns]
        return f"{', '.join(parts)} ({self.format})"[:160]

    @property
    def file_stem(self) -> str:
        """'headline-21-22-H1', 'headline-2021-10-01-to-2021-12-31'."""
        return "headline-" + self.period_name.replace("/", "-").replace(" ", "-")


def export_job_create(*, acting_user, export: ExportRequest, request=None) -> ExportJob:
    """Record what M&E asked for and write its line of the access trail (`reporting.tasks.export_request`
    also queues the build)."""
    if export.threshold is None:
        export = replace(export, threshold=settings.REPORTING_SUPPRESSION_THRESHOLD)
    with transaction.atomic():
        job = ExportJob.objects.create(requested_by=acting_user, kind=KIND, parameters=export.parameters())
        access_record_export(user=acting_user, subject=f"{export.subject} #{job.pk} requested", request=request)
    return job


def _advance(job_id: int, **fields) -> int:
    """Save progress (committed at once, so the job page sees it) unless another run has finished the job."""
    return ExportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(**fields)


def export_job_build(job_id: int) -> str:
    """Build the job's file; its status afterwards. A job already done or failed is left as it is, so a
    task delivered twice (acks_late) changes nothing; one still running (a worker lost) is built again."""
    claimed = ExportJob.objects.filter(pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.RUNNING, progress=5, error=""
    )
    if not claimed:
        return ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or "missing"
    from reporting.headline import headline_report

    parameters = ExportJob.objects.filter(pk=job_id).values_list("parameters", flat=True).get()
    try:
        export = ExportRequest.from_parameters(parameters)
        report = headline_report(export.period)
        _advance(job_id, progress=40)
        breakdowns = []
        for done, wanted in enumerate(export.breakdowns, start=1):
            breakdowns.append(
                survivor_breakdown(
                    wanted.indicator,
                    export.period,
                    wanted.dimensions,
                    countries=report.countries,
                    threshold=export.threshold,
                )
            )
            _advance(job_id, progress=40 + 45 * done // len(export.breakdowns))
        built = export_file(
            report,
            export.format,
            name=export.file_stem,
            suppress=export.suppress_headline,
            breakdowns=breakdowns,
            threshold=export.threshold,
        )
    except Exception as error:
        # The log has the traceback; the page gets a line without figures from the data.
        logger.exception("Export %s failed", job_id)
        message = (
            str(error) if isinstance(error, (ValueError, KeyError)) else "an unexpected error (see the worker's log)"
        )
        _advance(
            job_id,
            status=Status.FAILED,
            error=f"The export could not be built: {message}"[:500],
            finished_at=timezone.now(),
        )
        return Status.FAILED
    _advance(
        job_id,
        status=Status.DONE,
        progress=100,
        filename=built.filename,
        content_type=built.content_type,
        content=built.content,
        finished_at=timezone.now(),
    )
    return Status.DONE


def export_job_downloaded(*, user, job: ExportJob, request=None) -> None:
    """The download's line of the access trail."""
    export = ExportRequest.from_parameters(job.parameters)
    access_record_export(user=user, subject=f"{export.subject} #{job.pk} downloaded", request=request)
