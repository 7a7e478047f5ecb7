"""The anonymised case-level extract: one CSV row per case open at some time in a period, for M&E's own
analysis. Nothing in it names or points at a person: no names, dates of birth, addresses, documents,
notes or other free text, case references, database ids, teams or Navigators. What could single
someone out is generalised (age bands, months, the team's country, rare citizenships as "other"), and
each row's key is a keyed hash of the case made with a key drawn for this extract and never kept, so
rows of two extracts cannot be joined. The columns and the reasons are in docs/extract.md.

The file is streamed: one SQL query read through a server-side cursor `CHUNK_SIZE` rows at a time,
each chunk written with `csv.writer` and sent before the next is fetched, so memory stays flat
whatever the number of cases.
"""

import hmac
import io
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from casework import models as cw
from dataprotection.services import access_record_export
from navigators.models import Team
from reporting.breakdowns import DIMENSIONS, UNKNOWN, _age_band_sql
from reporting.exports.cells import csv_writer
from reporting.figures import ReportPeriod
from survivors.models import Survivor, SurvivorExploitation

# Rows fetched from the server-side cursor and written per chunk of the response: large enough that
# the per-chunk cost vanishes, small enough that a chunk is a few hundred kilobytes.
CHUNK_SIZE = 2000
ROW_KEY_HEX_DIGITS = 16  # 64 bits: two of 150,000 rows share a key with odds of about 1 in a billion


@dataclass(frozen=True)
class Column:
    name: str
    description: str


COLUMNS = [
    Column(
        "row_key",
        _("A random-looking key for this row of this extract only; another extract gives the same case another key."),
    ),
    Column("country", _("Country of the team holding the case (ISO 3166-1 code).")),
    Column("opened_month", _("Month the case opened (YYYY-MM).")),
    Column("closed_month", _("Month the case closed (YYYY-MM); empty while it is open.")),
    Column("stage", _("Reintegration stage now: crisis, recovery, reintegration, stable or closed.")),
    Column("closure_reason", _("Why the case closed; empty while it is open.")),
    Column("sex", _("Gender as recorded (HTCDS values).")),
    Column("age_band_at_opening", _("Age band when the case opened, from the year of birth; 'unknown' without one.")),
    Column("age_band_at_exploitation", _("CTDC age band of the age when exploitation began.")),
    Column("minor_at_exploitation", _("'minor' (under 18), 'adult' or 'unknown', at the start of exploitation.")),
    Column(
        "citizenship",
        _(
            "First listed citizenship (ISO code); 'other' when fewer cases in the extract share it than the suppression threshold."
        ),
    ),
    Column("trafficking_status", _("Possible victim, actual victim or not a victim.")),
    Column("exploitation_types", _("Types of exploitation, separated by ';'; empty when none is recorded.")),
    Column("removed_from_exploitation", _("'yes' when a removal from exploitation is recorded on the case.")),
    Column(
        "support_received", _("'yes' when the case has a support service or a follow-up that reached the survivor.")
    ),
    Column(
        "police_engagement_highest",
        _("Highest police-engagement level reached, 0 to 4; empty without any engagement event."),
    ),
    Column(
        "police_engagement_current",
        _("Police-engagement level now (after any withdrawal), 0 to 4; empty without any event."),
    ),
    Column(
        "nrm_status",
        _("Latest step in the UK National Referral Mechanism; empty when none is recorded (always, outside GB)."),
    ),
    Column(
        "nrm_reasonable_grounds",
        _("Latest reasonable-grounds decision: pending, positive or negative; empty when none."),
    ),
    Column(
        "nrm_conclusive_grounds",
        _("Latest conclusive-grounds decision: pending, positive or negative; empty when none."),
    ),
    Column("repatriated", _("'yes' when a repatriation from or into this case arrived.")),
    Column("retrafficked", _("'yes' when a re-trafficking event is recorded on the case.")),
    Column("arrests", _("Number of arrests recorded on the case.")),
    Column("prosecutions", _("Number of prosecutions recorded on the case.")),
    Column("convictions", _("Number of those prosecutions that ended in a conviction.")),
]
HEADER = [column.name for column in COLUMNS]


def _yes_no(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 'yes' ELSE 'no' END"


def _latest(column: str, where: str = "") -> str:
    """The value of the case's latest event (by day, then by when it was recorded), among `where`."""
    only = f" FILTER (WHERE {where})" if where else ""
    return f"(array_agg({column} ORDER BY occurred_on DESC, id DESC){only})[1]"


def _exists(model, condition: str = "") -> str:
    return f"EXISTS (SELECT 1 FROM {model._meta.db_table} e WHERE e.case_id = c.id{f' AND {condition}' if condition else ''})"


def case_extract_sql(period: ReportPeriod, *, threshold: int) -> tuple[str, dict]:
    """The one query: the case id, then one value per column after the row key, in HEADER's order.

    The survivor is `s`, as in reporting.breakdowns, whose groupings (sex, CTDC age bands, minor or
    adult) are reused as they are. Event tables are aggregated once each and joined by hash, which is
    cheaper than a lookup per case when most cases are extracted.
    """
    opening_age = "(extract(year FROM c.opened_on)::int - s.birth_year)"  # within a year: only the year is read
    first_citizenship = "s.citizenships[1]"
    reached = _exists(cw.FollowUp, "e.outcome = 'reached'")
    sql = f"""
        SELECT c.id,
               t.country_id,
               to_char(c.opened_on, 'YYYY-MM'),
               to_char(c.closed_on, 'YYYY-MM'),
               c.stage,
               c.closure_reason,
               {DIMENSIONS["sex"].sql},
               {_age_band_sql(opening_age)},
               {DIMENSIONS["age_band"].sql},
               {DIMENSIONS["minor"].sql},
               CASE WHEN {first_citizenship} IS NULL THEN '{UNKNOWN}'
                    WHEN count(*) OVER (PARTITION BY {first_citizenship}) < %(threshold)s THEN 'other'
                    ELSE {first_citizenship} END,
               s.trafficking_status,
               x.types,
               {_yes_no(_exists(cw.RemovalFromExploitation))},
               {_yes_no(f"{_exists(cw.SupportService)} OR {reached}")},
               engagement.highest,
               engagement.current,
               nrm.latest,
               substr(nrm.reasonable_grounds, 4),
               substr(nrm.conclusive_grounds, 4),
               {
        _yes_no(
            f"{_exists(cw.Repatriation, 'e.arrived_on IS NOT NULL')} OR EXISTS "
            f"(SELECT 1 FROM {cw.Repatriation._meta.db_table} r WHERE r.receiving_case_id = c.id AND r.arrived_on IS NOT NULL)"
        )
    },
               {_yes_no(_exists(cw.RetraffickingEvent))},
               COALESCE(arrests.n, 0),
               COALESCE(prosecutions.n, 0),
               COALESCE(prosecutions.convicted, 0)
        FROM {cw.Case._meta.db_table} c
        JOIN {Team._meta.db_table} t ON t.id = c.team_id
        JOIN {Survivor._meta.db_table} s ON s.id = c.survivor_id
        LEFT JOIN (
            SELECT survivor_id, string_agg(type, ';' ORDER BY type) AS types
            FROM {SurvivorExploitation._meta.db_table} GROUP BY survivor_id
        ) x ON x.survivor_id = s.id
        LEFT JOIN (
            SELECT case_id, max(level) AS highest, {_latest("level")} AS current
            FROM {cw.PoliceEngagementEvent._meta.db_table} GROUP BY case_id
        ) engagement ON engagement.case_id = c.id
        LEFT JOIN (
            SELECT case_id, {_latest("status")} AS latest,
                   {_latest("status", "status IN ('rg_pending', 'rg_positive', 'rg_negative')")} AS reasonable_grounds,
                   {_latest("status", "status IN ('cg_pending', 'cg_positive', 'cg_negative')")} AS conclusive_grounds
            FROM {cw.NrmEvent._meta.db_table} GROUP BY case_id
        ) nrm ON nrm.case_id = c.id
        LEFT JOIN (
            SELECT case_id, count(*) AS n FROM {cw.Arrest._meta.db_table} GROUP BY case_id
        ) arrests ON arrests.case_id = c.id
        LEFT JOIN (
            SELECT case_id, count(*) AS n, count(*) FILTER (WHERE outcome = 'convicted') AS convicted
            FROM {cw.Prosecution._meta.db_table} GROUP BY case_id
        ) prosecutions ON prosecutions.case_id = c.id
        WHERE c.opened_on <= %(end)s AND (c.closed_on IS NULL OR c.closed_on >= %(start)s)
        -- Never in id or date order: the position of a row would link it to the same case in another
        -- extract. By country and month for the reader, at random within them.
        ORDER BY t.country_id, to_char(c.opened_on, 'YYYY-MM'), random()
    """
    return sql, {"start": period.start, "end": period.end, "threshold": threshold}


def new_row_key() -> bytes:
    """The key of one extract's row keys: random, held in memory while the extract is written, never stored."""
    return secrets.token_bytes(32)


def keyed_rows(rows: Iterable[tuple], key: bytes) -> Iterator[list]:
    """Each row with its case id replaced by HMAC-SHA256(key, case id), cut to ROW_KEY_HEX_DIGITS."""
    for case_id, *values in rows:
        yield [hmac.digest(key, case_id.to_bytes(8, "big"), "sha256").hex()[:ROW_KEY_HEX_DIGITS], *values]


def case_extract_csv(
    period: ReportPeriod, *, threshold: int | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[str]:
    """The extract as CSV text, one chunk per `chunk_size` rows (the header comes with the first).

    Nothing runs until the first chunk is asked for. The server-side cursor is closed when the last
    chunk has been sent, or when the download stops early (the generator is closed).
    """
    threshold = settings.REPORTING_SUPPRESSION_THRESHOLD if threshold is None else threshold
    sql, params = case_extract_sql(period, threshold=threshold)
    key = new_row_key()
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    # A named (server-side) cursor: PostgreSQL keeps the result and hands over `chunk_size` rows per
    # FETCH; a plain cursor would load every row into this process first. Inside a transaction, because
    # outside one the cursor is declared WITH HOLD and PostgreSQL copies the whole result aside before
    # the first row (at 150,000 cases the first chunk came after about 7 s instead of 4). A download
    # stopped early closes the generator: the cursor is closed and the read-only transaction rolled back.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            writer.writerows(keyed_rows(rows, key))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():  # no case at all: the header alone
        yield buffer.getvalue()


def case_extract_subject(period: ReportPeriod) -> str:
    """How the access trail names the extract: 'anonymised case extract 21/22 H1 (csv)'."""
    name = period.label or f"{period.start.isoformat()} to {period.end.isoformat()}"
    return f"anonymised case extract {name} (csv)"


def case_extract_filename(period: ReportPeriod) -> str:
    """'cases-21-22-H1.csv', 'cases-2021-10-01-to-2021-12-31.csv'."""
    name = period.label or f"{period.start.isoformat()} to {period.end.isoformat()}"
    return "cases-" + name.replace("/", "-").replace(" ", "-") + ".csv"


def case_extract_response(period: ReportPeriod, *, threshold: int | None = None) -> StreamingHttpResponse:
    """The extract as a download, streamed; writes nothing (case_extract_downloaded records it)."""
    response = StreamingHttpResponse(
        case_extract_csv(period, threshold=threshold), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{case_extract_filename(period)}"'
    return response


def case_extract_downloaded(*, user, period: ReportPeriod, request=None) -> None:
    """The download's line of the access trail: what was extracted, never a survivor or a figure."""
    access_record_export(user=user, subject=case_extract_subject(period), request=request)
