"""What an erasure does to every field of the project: the one place it is decided.

Every concrete field of every model of the project apps is here as one of
- **erased**: the row is deleted (and the value blanked in every history row), or the value is blanked,
  replaced by "[erased]", generalised, or replaced by a random pseudonym;
- **kept**, with the reason: what the counting rules (../shared/spec/indicators.md) need, as anonymous
  facts (dates, categories, counts), the anonymous key (the random case reference, the ids), who on
  the staff did what, and the access trail and audit chain (they record who looked, never what);
- **not personal**: a model about staff or the organisation, or an aggregate.

dataprotection.services.erase_survivor is driven by these rules: it applies every "erased" rule to
the survivor's rows, live and in the history tables, and nothing else. A historical model
(simple-history) copies its model's fields, so each copy has the rule of the field it copies; its
bookkeeping fields are in HISTORY. tests/test_erasure_rules.py fails on a field of the project that
is not here, and on a name here that is no longer a field.
"""

from dataclasses import dataclass

from django.db.models import F, Q

from dataprotection.selectors import is_history_model

PROJECT_APPS = ("navigators", "survivors", "casework", "dataprotection", "reporting")

ERASED_TEXT = "[erased]"

ERASED, KEPT, NOT_PERSONAL = "erased", "kept", "not personal"
# How a value is erased.
DELETED = "deleted"  # the live row is deleted; the value is blanked in every history row of it
BLANKED = "blanked"  # '' for text, None otherwise
MARKED = (
    "marked"  # replaced by "[erased]" where there was a value (some notes are required, and a reader sees one went)
)
GENERALISED = "generalised"  # set to `value` (a constant, or an expression of the row), where `changes` says it differs
PSEUDONYM = "pseudonym"  # replaced by a new random reference (unique fields)


@dataclass(frozen=True)
class Rule:
    verdict: str  # ERASED, KEPT or NOT_PERSONAL
    how: str = ""  # for ERASED: DELETED, BLANKED, MARKED, GENERALISED or PSEUDONYM
    reason: str = ""  # for KEPT and NOT_PERSONAL: why, in one line
    value: object = None  # for GENERALISED
    changes: Q | None = None  # for GENERALISED to an expression: the rows it changes

    @property
    def erases(self) -> bool:
        return self.verdict == ERASED


def kept(reason: str) -> Rule:
    return Rule(KEPT, reason=reason)


def not_personal(reason: str) -> Rule:
    return Rule(NOT_PERSONAL, reason=reason)


def generalised(value, *, changes: Q | None = None) -> Rule:
    return Rule(ERASED, GENERALISED, value=value, changes=changes)


def each(rule: Rule, names: str) -> dict[str, Rule]:
    """The same rule for each of the space-separated field names."""
    return dict.fromkeys(names.split(), rule)


ROW_DELETED = Rule(ERASED, DELETED)
BLANK = Rule(ERASED, BLANKED)
MARK = Rule(ERASED, MARKED)
NEW_PSEUDONYM = Rule(ERASED, PSEUDONYM)

ID = not_personal("the row's number: says nothing of anyone")
# Raised by the erasure where it changes a row, so an edit form opened before it cannot write back what it showed.
VERSION = not_personal("an edit counter (navigators.versioning)")
STAFF = kept("who on the staff recorded or decided it: accountability, not the survivor")
RECORDED_AT = kept("when it was typed in: a moment, no more")
DAY = kept("the day that places it in a reporting period (indicators.md)")
CASE = kept("the case it belongs to: the anonymous key the counts group by")
CATEGORY = kept("a coded category of a dated event: identifies no one, and the case's timeline reads it")
ORGANISATION = not_personal("the organisation: its countries, teams, partners and people")
STAFF_MODEL = not_personal("a member of staff, or their place in the organisation")
ACCESS_GRANT = not_personal("who on the staff may reach the record (django-guardian): no value of the survivor")
AGGREGATE = not_personal("figures of a whole period or the bookkeeping of one: counts, never a survivor's row")

# A case event's fields (casework.models.cases.CaseEvent), then its own.
EVENT = {"id": ID, "case": CASE, "occurred_on": DAY, "recorded_by": STAFF, "recorded_at": RECORDED_AT}

RULES: dict[str, dict[str, Rule]] = {
    # ---- navigators: staff and the organisation --------------------------------------------------
    "navigators.User": each(
        STAFF_MODEL,
        "id password last_login is_superuser username first_name last_name email is_staff is_active date_joined",
    ),
    "navigators.User_groups": each(STAFF_MODEL, "id user group"),
    "navigators.User_user_permissions": each(STAFF_MODEL, "id user permission"),
    "navigators.Country": each(ORGANISATION, "code name is_direct_work group"),
    "navigators.Team": each(ORGANISATION, "id name country kind is_active group"),
    "navigators.TeamMembership": each(STAFF_MODEL, "id user team started_on ended_on"),
    "navigators.RoleGrant": each(STAFF_MODEL, "id user role country"),
    "navigators.RoleGrantRequest": each(
        STAFF_MODEL,
        "id user role country reason status requested_by requested_at decided_by decided_at revoked_by revoked_at"
        " grant is_bootstrap",
    ),
    "navigators.Partner": each(ORGANISATION, "id name country"),
    "navigators.ReminderDigest": each(STAFF_MODEL, "id navigator sent_on created_at"),
    # ---- survivors --------------------------------------------------------------------------------
    "survivors.Survivor": {
        "id": kept("the key every case, event, tombstone and access record points to"),
        "case_reference": kept("the anonymous key: random ('SV-7K3M9Q'), says nothing of the person"),
        "gender": kept("the breakdowns by sex (indicators.md, 'Small numbers')"),
        # The breakdowns read the first listed citizenship only (reporting.breakdowns).
        "citizenships": generalised(F("citizenships__0_1"), changes=Q(citizenships__len__gt=1)),
        # Counting needs the age at exploitation only; the year of birth narrows who someone is.
        "birth_year": generalised(None),
        "birth_date_precision": generalised("unknown"),
        "age_at_exploitation": kept("the age bands and minor/adult of the breakdowns"),
        "trafficking_status": generalised("possible"),
        "status_decided_by": generalised(""),
        "means_of_control": generalised([]),
        "recruiter_relation": generalised("unknown"),
        "registered_on": kept("a date of the record, not of the person"),
        "registered_by": STAFF,
        "created_at": RECORDED_AT,
        "version": VERSION,
    },
    "survivors.SurvivorExploitation": {
        "id": ID,
        "survivor": kept("whose exploitation it was: the breakdown by exploitation type"),
        "type": kept("the breakdown by exploitation type"),
        "sexual_subtype": generalised(""),
        "industry": generalised(""),
        "county_lines": generalised(False),
        "cuckooing": generalised(False),
    },
    "survivors.SurvivorIdentity": {
        "id": ID,
        "survivor": kept("whose identity was deleted: the history rows say that one existed, when and by whom"),
        **each(ROW_DELETED, "legal_name aliases date_of_birth phone email address safe_contact_notes"),
        "version": VERSION,
    },
    # Derived from the names; deleted with them (there is no history of it).
    "survivors.SurvivorNameToken": each(ROW_DELETED, "id survivor kind digest"),
    "survivors.IdentityDocument": {
        "id": ID,
        "survivor": kept("whose document was deleted: the history rows say that one existed"),
        "kind": kept("a category (passport, identity card…) of a deleted document"),
        **each(ROW_DELETED, "number issuing_country expires_on"),
        "held_by_survivor": kept("yes or no, of a deleted document"),
    },
    "survivors.PossibleDuplicate": {
        "id": ID,
        "survivor": kept("the pair under review: two case references, no value of either survivor"),
        "match": kept("the pair under review: two case references, no value of either survivor"),
        "found_at": RECORDED_AT,
        "status": CATEGORY,
        "decided_by": STAFF,
        "decided_at": RECORDED_AT,
    },
    "survivors.ConsentRecord": {
        "id": ID,
        "survivor": kept("whose consent it was: that consent was asked and answered"),
        "topic": CATEGORY,
        "given": CATEGORY,
        "recorded_on": DAY,
        "recorded_by": STAFF,
        "notes": MARK,
    },
    "survivors.SurvivorUserObjectPermission": each(ACCESS_GRANT, "id permission user content_object"),
    "survivors.SurvivorGroupObjectPermission": each(ACCESS_GRANT, "id permission group content_object"),
    # The access trail: who looked at which record, when and from where; never what it holds.
    "survivors.AccessRecord": {
        "id": ID,
        "user": kept("the access trail: who looked"),
        "at": kept("the access trail: when"),
        "survivor": kept("the access trail: whose record (by its anonymous key)"),
        "subject": kept("the access trail: what was exported, by its name, never its data"),
        "case": kept("the access trail: through which case"),
        "action": kept("the access trail: viewed, exported or printed"),
        "ip_address": kept("the access trail: the staff member's connection, not the survivor's"),
    },
    # ---- casework ---------------------------------------------------------------------------------
    "casework.Case": {
        "id": CASE,
        "survivor": kept("whose case: the survivor is counted once across their cases"),
        "team": kept("the country the case counts for"),
        "opened_on": DAY,
        "stage": CATEGORY,
        "closed_on": DAY,
        "closure_reason": CATEGORY,
        "transferred_from": kept("the case this one continues: cross-border cases are one survivor"),
        "opened_by": STAFF,
        "created_at": RECORDED_AT,
    },
    "casework.CaseAssignment": {
        "id": ID,
        "case": CASE,
        "navigator": STAFF,
        "started_on": kept("when the Navigator's assignment started: staff bookkeeping"),
        "ended_on": kept("when it ended: staff bookkeeping"),
    },
    "casework.StageChange": {
        **EVENT,
        "stage": kept("survivors graduated (indicators.md)"),
        "closure_reason": CATEGORY,
        "notes": MARK,
    },
    "casework.CaseUserObjectPermission": each(ACCESS_GRANT, "id permission user content_object"),
    "casework.CaseGroupObjectPermission": each(ACCESS_GRANT, "id permission group content_object"),
    "casework.CaseRequest": {
        "id": ID,
        "case": CASE,
        "kind": CATEGORY,
        "requested_by": STAFF,
        "requested_on": DAY,
        "notes": MARK,
        "closure_reason": CATEGORY,
        "closes_on": DAY,
        "to_team": kept("the team a transfer went to: the organisation"),
        "status": CATEGORY,
        "decided_by": STAFF,
        "decided_at": RECORDED_AT,
        "decision_note": MARK,  # required on a returned request: "[erased]", never empty
        "new_case": kept("the receiving team's case: the same survivor, counted once"),
    },
    "casework.FollowUp": {
        **EVENT,
        "mode": CATEGORY,
        "outcome": kept("a follow-up that reached the survivor is a support instance (indicators.md)"),
        "purposes": CATEGORY,
        "duration_minutes": kept("a number of minutes: says nothing of who"),
        "notes": MARK,
        "next_due_on": DAY,
    },
    "casework.SupportService": {**EVENT, "service_type": CATEGORY, "notes": MARK},
    "casework.CarePlan": {
        "id": ID,
        "case": CASE,
        "started_on": DAY,
        "next_review_on": DAY,
        "last_reviewed_on": DAY,
        "summary": MARK,
        "version": VERSION,
    },
    "casework.CarePlanGoal": {
        "id": ID,
        "care_plan": kept("the plan it belongs to"),
        "domain": CATEGORY,
        "goal": MARK,
        "status": CATEGORY,
        "target_on": DAY,
    },
    "casework.WellbeingAssessment": {
        **EVENT,
        "mental_wellbeing": kept("wellbeing improved (indicators.md, outcomes)"),
        **each(
            kept("a score from 1 to 4 of the dated assessment: a category"),
            "safety legal_protection economic_empowerment social_support physical_wellbeing",
        ),
    },
    "casework.NrmEvent": {
        **EVENT,
        "status": CATEGORY,
        "first_responder": MARK,  # often a named officer or a local office: who met the survivor
        "competent_authority": CATEGORY,
        "notes": MARK,
    },
    "casework.RetraffickingEvent": {**EVENT, "notes": MARK},
    "casework.RemovalFromExploitation": {
        **EVENT,
        "support_type": kept("victims removed counts intelligence, tactical advice or direct assistance"),
        "notes": MARK,
    },
    "casework.PoliceEngagementEvent": {
        **EVENT,
        "level": kept("the police-engagement milestones (indicators.md, outcomes)"),
        "is_withdrawal": CATEGORY,
        "notes": MARK,
    },
    # The accused is counted (distinct accused persons), by id. Their reference is typed by staff and
    # may be a police or court reference that leads back to the case: replaced when only this
    # survivor's records name them; kept when another survivor's do (it is theirs too).
    "casework.AccusedPerson": {
        "id": kept("accused persons are counted distinct, by this id"),
        "reference": NEW_PSEUDONYM,
        "gender": kept("the accused's, a category"),
        "citizenship": kept("the accused's, a category"),
        "recorded_by_team": kept("the organisation"),
        "created_at": RECORDED_AT,
    },
    "casework.Arrest": {
        **EVENT,
        "accused": kept("accused arrested counts distinct accused persons"),
        "support_type": kept("accused arrested counts intelligence, tactical advice or direct assistance"),
        "notes": MARK,
    },
    "casework.Prosecution": {
        "id": ID,
        "case": CASE,
        "accused": kept("prosecutions and convictions count distinct accused persons"),
        # Free text; with a court and a date it can be matched to public court records and the press.
        "offence": MARK,
        "support_kinds": kept("a prosecution supported (indicators.md)"),
        "charged_on": DAY,
        "trial_started_on": DAY,
        "outcome": kept("exploiters convicted; an ongoing prosecution holds the record"),
        "outcome_on": DAY,
        "sentence": MARK,
        "recorded_by": STAFF,
        "created_at": RECORDED_AT,
        "version": VERSION,
    },
    "casework.CourtHearing": {
        "id": ID,
        "prosecution": kept("the prosecution it belongs to"),
        "scheduled_for": DAY,
        "kind": CATEGORY,
        "survivor_attending": CATEGORY,
        "notes": MARK,
    },
    "casework.Repatriation": {
        "id": kept("survivors repatriated counts distinct repatriations, by this id"),
        "case": CASE,
        **each(
            kept("the country, team or partner a repatriation counts for"),
            "sending_country receiving_country sending_team sending_partner receiving_team receiving_partner",
        ),
        "is_child": kept("minor or adult: a category the breakdowns publish anyway"),
        "stage": kept("a repatriation completed (indicators.md)"),
        "requested_on": DAY,
        "departed_on": DAY,
        "arrived_on": DAY,
        "receiving_case": kept("the receiving team's case: the same survivor, counted once"),
        "version": VERSION,
    },
    "casework.RepatriationStep": {
        "id": ID,
        "repatriation": kept("the repatriation it belongs to"),
        "stage": CATEGORY,
        "occurred_on": DAY,
        "notes": MARK,
        "recorded_by": STAFF,
    },
    # ---- dataprotection ---------------------------------------------------------------------------
    "dataprotection.LegalHold": {
        "id": ID,
        "survivor": kept("that the record was held, and by whom: the process"),
        # Written by staff about the survivor's case (a court order, a claim): as a note.
        "reason": MARK,
        "set_by": STAFF,
        "set_at": RECORDED_AT,
        "lifted_by": STAFF,
        "lifted_at": RECORDED_AT,
    },
    # The tombstone is chained in the audit chain (its digest covers every field): changing it breaks the chain.
    "dataprotection.Erasure": {
        "id": ID,
        "survivor": kept("the tombstone: whose record was erased, by its anonymous key"),
        "erased_at": kept("the tombstone: when"),
        "erased_by": kept("the tombstone: by whom"),
        "reason": kept("the tombstone: why; in the audit chain. The lead is asked to write no names in it"),
        "removed": kept("the tombstone: counts by kind of data, never the data"),
    },
    "dataprotection.RetentionRun": each(AGGREGATE, "id run_on ran_at cutoff anonymised held"),
    "dataprotection.AuditChainLink": each(
        not_personal("the audit chain: kinds, ids and hashes of records, never their contents"),
        "id sequence kind record_id record_digest previous_hash hash created_at",
    ),
    # ---- reporting --------------------------------------------------------------------------------
    "reporting.TrainingSession": each(ORGANISATION, "id team held_on audience topic attendee_count recorded_by"),
    "reporting.PreventionSession": each(ORGANISATION, "id team held_on reach participants description recorded_by"),
    "reporting.AggregateReturn": each(
        AGGREGATE, "id source partner country period_start period_end funded notes entered_by"
    ),
    "reporting.AggregateReturnValue": each(AGGREGATE, "id aggregate_return indicator value"),
    # Frozen published figures: counts of a period, which an erasure must not change.
    "reporting.PublishedReport": each(
        AGGREGATE, "id label period_start period_end rules_version fingerprint table published_by published_at notes"
    ),
    # A built export holds the headline table and its breakdowns (the only kind, reporting.exports.jobs),
    # breakdowns always small-number suppressed: counts, never a row of a survivor. The case-level
    # extract is streamed to the browser and never stored.
    "reporting.ExportJob": each(
        AGGREGATE,
        "id requested_by kind parameters status progress filename content_type content error created_at finished_at",
    ),
}

# The fields simple-history adds to every historical model.
HISTORY = {
    "history_id": ID,
    "history_date": kept("when the change was made"),
    "history_type": kept("created, changed or deleted"),
    "history_user": STAFF,
    # Free text a change may carry (the services set none): blanked with the notes.
    "history_change_reason": BLANK,
}


def rule_for(model, name: str) -> Rule | None:
    """The rule of a field of a model (live or historical); None when it is not classified."""
    if is_history_model(model):
        if name in HISTORY:
            return HISTORY[name]
        model = model.instance_type
    return RULES.get(model._meta.label, {}).get(name)


def rules_of(model) -> dict[str, Rule]:
    """Every classified field of a live model and its rule."""
    return RULES.get(model._meta.label, {})


def erased_fields(model) -> dict[str, Rule]:
    return {name: rule for name, rule in rules_of(model).items() if rule.erases}


def deletes_rows(model) -> bool:
    """Whether the erasure deletes the model's live rows (their history rows stay, blanked)."""
    return any(rule.how == DELETED for rule in rules_of(model).values())
