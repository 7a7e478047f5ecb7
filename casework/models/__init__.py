"""The models of casework, one module per subject; imported here so that Django and other apps
find them as `casework.models.<Model>`."""

from casework.models.care import (
    CarePlan,
    CarePlanGoal,
    FollowUp,
    NrmEvent,
    RemovalFromExploitation,
    RetraffickingEvent,
    SupportService,
    WellbeingAssessment,
)
from casework.models.cases import (
    Case,
    CaseAssignment,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseRequest,
    CaseUserObjectPermission,
    StageChange,
    check_event_date,
)
from casework.models.justice import AccusedPerson, Arrest, CourtHearing, PoliceEngagementEvent, Prosecution
from casework.models.repatriation import Repatriation, RepatriationStep

__all__ = [
    "check_event_date",
    "Case",
    "CaseAssignment",
    "CaseEvent",
    "StageChange",
    "CaseUserObjectPermission",
    "CaseGroupObjectPermission",
    "CaseRequest",
    "FollowUp",
    "SupportService",
    "CarePlan",
    "CarePlanGoal",
    "WellbeingAssessment",
    "NrmEvent",
    "RemovalFromExploitation",
    "RetraffickingEvent",
    "PoliceEngagementEvent",
    "AccusedPerson",
    "Arrest",
    "Prosecution",
    "CourtHearing",
    "Repatriation",
    "RepatriationStep",
]
