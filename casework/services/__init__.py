"""Writes to casework, one module per subject. Each takes `acting_user`, runs in one transaction and
leaves history; every write validates with `full_clean()` first, so bad input raises ValidationError
(field by field) and nothing is saved. Callers use `from casework import services` and `services.<name>`."""

from casework.services.care import (
    assessment_record,
    care_plan_save,
    follow_up_log,
    nrm_event_record,
    removal_record,
    retrafficking_record,
    support_service_record,
)
from casework.services.cases import (
    ASSIGNED_PERMISSIONS,
    COUNTRY_PERMISSIONS,
    TEAM_PERMISSIONS,
    assignment_end,
    assignments_end_outside_team,
    case_assign,
    case_open,
    case_permission_rows,
    case_permissions_by_name,
    case_stage_change,
    membership_change,
    survivor_register_with_case,
)
from casework.services.justice import (
    accused_find_or_register,
    accused_register,
    arrest_record,
    court_hearing_schedule,
    police_engagement_record,
    prosecution_record,
    prosecution_update,
)
from casework.services.repatriation import (
    case_transfer,
    repatriation_advance,
    repatriation_hand_over,
    repatriation_plan,
)
from casework.services.requests import (
    case_reassign,
    case_request_approve,
    case_request_return,
    case_transfer_within_country,
    closure_request,
    transfer_request,
)

__all__ = [
    "TEAM_PERMISSIONS",
    "COUNTRY_PERMISSIONS",
    "ASSIGNED_PERMISSIONS",
    "case_open",
    "case_permissions_by_name",
    "case_permission_rows",
    "case_assign",
    "assignment_end",
    "assignments_end_outside_team",
    "case_stage_change",
    "membership_change",
    "survivor_register_with_case",
    "follow_up_log",
    "support_service_record",
    "assessment_record",
    "nrm_event_record",
    "retrafficking_record",
    "removal_record",
    "care_plan_save",
    "police_engagement_record",
    "accused_register",
    "accused_find_or_register",
    "court_hearing_schedule",
    "arrest_record",
    "prosecution_record",
    "prosecution_update",
    "repatriation_plan",
    "repatriation_advance",
    "repatriation_hand_over",
    "case_transfer",
    "case_reassign",
    "case_transfer_within_country",
    "closure_request",
    "transfer_request",
    "case_request_approve",
    "case_request_return",
]
