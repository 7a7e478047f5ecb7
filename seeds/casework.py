"""Believable demo casework: about 300 survivors over the last three financial years.

Everything is drawn from one `random.Random(seed)` and dated relative to `today`, so a given seed
and day always give the same records. Rows are bulk-inserted with their history rows
(`bulk_create_with_history`), each history row naming the Navigator who would have written it.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker
from simple_history.utils import bulk_create_with_history

from casework import choices as cw
from casework import models as m
from reporting.choices import Indicator, PreventionReach, ReturnSource, TrainingAudience
from reporting.models import AggregateReturn, AggregateReturnValue, PreventionSession, TrainingSession
from reporting.periods import financial_year, financial_year_of, half_year
from survivors import choices as sv
from survivors.models import REFERENCE_ALPHABET, ConsentRecord, Survivor, SurvivorExploitation, SurvivorIdentity

FAKER_LOCALES = {"GB": "en_GB", "RO": "ro_RO", "BD": "bn_BD", "IN": "hi_IN"}
# Navigators (usernames) who record each team's work.
TEAM_NAVIGATORS = {
    "Metropolitan Police": "navigator.gb",
    "Surrey Police": "navigator.gb2",
    "West Yorkshire Police": "navigator.gb3",
    "Bucharest brigade": "navigator.ro",
    "Constanța brigade": "navigator.ro2",
    "Jessore aftercare": "navigator.bd",
    "Dhaka aftercare": "navigator.bd2",
    "Benapole repatriation": "navigator.bd3",
}
TRANSFERRED_CASES = "transferred cases"
GB_TEAMS = ["Metropolitan Police", "Surrey Police", "West Yorkshire Police"]
RO_TEAMS = ["Bucharest brigade", "Constanța brigade"]
BD_TEAMS = ["Jessore aftercare", "Dhaka aftercare"]


@dataclass
class Rows:
    """Unsaved rows by model, inserted in dependency order; each row remembers who recorded it."""

    by_model: dict = field(default_factory=dict)

    def add(self, row, user, *, key=None):
        self.by_model.setdefault(key or type(row), []).append((row, user))
        return row


class DemoCasework:
    def __init__(self, *, seed: int, today: date, org: dict):
        self.rng = random.Random(seed)
        self.today = today
        self.org = org
        self.rows = Rows()
        self.fakers = {code: Faker(locale) for code, locale in FAKER_LOCALES.items()}
        for index, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed * 10 + index)
        self.references: set[str] = set()
        self.accused_count = 0
        # Case records begin three financial years back; the year before that is a legacy return.
        self.records_begin = financial_year(financial_year_of(today).start.year - 3).start

    # -- helpers ---------------------------------------------------------------------------------
    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def reference(self) -> str:
        while True:
            ref = "SV-" + "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(6))
            if ref not in self.references:
                self.references.add(ref)
                return ref

    def navigator(self, team_name):
        return self.org[TEAM_NAVIGATORS[team_name]]

    # -- survivors and cases ---------------------------------------------------------------------
    def survivor(self, *, citizenship: str, opened_on: date, user, child_share=0.2) -> Survivor:
        rng = self.rng
        is_child = rng.random() < child_share
        age = rng.randint(12, 17) if is_child else rng.randint(18, 52)
        birth_year = opened_on.year - age
        gender = rng.choices(
            [sv.Gender.FEMININE, sv.Gender.MASCULINE, sv.Gender.TRANSGENDER_FEMININE, sv.Gender.UNKNOWN], [55, 40, 2, 3]
        )[0]
        precision = rng.choice(
            [sv.BirthDatePrecision.EXACT, sv.BirthDatePrecision.YEAR, sv.BirthDatePrecision.ESTIMATED]
        )
        status = rng.choices([sv.TraffickingStatus.POSSIBLE, sv.TraffickingStatus.ACTUAL], [35, 65])[0]
        survivor = self.rows.add(
            Survivor(
                case_reference=self.reference(),
                gender=gender,
                citizenships=[citizenship],
                birth_year=birth_year,
                birth_date_precision=precision,
                age_at_exploitation=max(age - rng.randint(0, 2), 8),
                trafficking_status=status,
                status_decided_by=rng.choice(
                    [
                        sv.StatusDecidedBy.POLICE,
                        sv.StatusDecidedBy.COURT_OR_PROSECUTION,
                        sv.StatusDecidedBy.OTHER_GOVERNMENT,
                    ]
                )
                if status == sv.TraffickingStatus.ACTUAL
                else "",
                means_of_control=rng.sample(sv.MeansOfControl.values[:-1], rng.randint(1, 4)),
                recruiter_relation=rng.choice(sv.RecruiterRelation.values),
                registered_on=opened_on,
                registered_by=user,
            ),
            user,
        )
        faker = self.fakers.get(citizenship, self.fakers["GB"])
        first = faker.first_name_female() if gender == sv.Gender.FEMININE else faker.first_name_male()
        self.rows.add(
            SurvivorIdentity(
                survivor=survivor,
                legal_name=f"{first} {faker.last_name()}",
                aliases=faker.first_name() if rng.random() < 0.3 else "",
                date_of_birth=date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
                if precision == sv.BirthDatePrecision.EXACT
                else None,
                phone=faker.phone_number() if rng.random() < 0.8 else "",
                address=faker.address(),
            ),
            user,
        )
        types = rng.sample(
            [
                sv.ExploitationType.SEXUAL,
                sv.ExploitationType.FORCED_LABOUR,
                sv.ExploitationType.CRIMINAL,
                sv.ExploitationType.DOMESTIC_SERVITUDE,
                sv.ExploitationType.FORCED_BEGGING,
            ],
            rng.choices([1, 2], [80, 20])[0],
        )
        for kind in types:
            self.rows.add(
                SurvivorExploitation(
                    survivor=survivor,
                    type=kind,
                    sexual_subtype=rng.choice(sv.SexualExploitationSubtype.values)
                    if kind == sv.ExploitationType.SEXUAL
                    else "",
                    industry=rng.choice("ACFGIS") if kind == sv.ExploitationType.FORCED_LABOUR else "",
                    county_lines=kind == sv.ExploitationType.CRIMINAL and citizenship == "GB" and rng.random() < 0.6,
                ),
                user,
            )
        topics = [
            sv.ConsentTopic.SUPPORT_AND_DATA,
            sv.ConsentTopic.PURPOSE_EXPLAINED,
            sv.ConsentTopic.DATA_USE,
            sv.ConsentTopic.HOW_TO_WITHDRAW,
        ]
        for topic in topics:
            self.rows.add(
                ConsentRecord(survivor=survivor, topic=topic, given=True, recorded_on=opened_on, recorded_by=user), user
            )
        self.rows.add(
            ConsentRecord(
                survivor=survivor,
                topic=sv.ConsentTopic.SHARE_WITH_POLICE,
                given=rng.random() < 0.85,
                recorded_on=opened_on,
                recorded_by=user,
            ),
            user,
        )
        survivor._is_child = is_child
        return survivor

    def case(self, *, survivor, team_name, opened_on, end_by=None, transferred_from=None, rescue=True, closure=None):
        """A case with its whole story from `opened_on` until `end_by` (closure) or today."""
        rng, team, user = self.rng, self.org[team_name], self.navigator(team_name)
        # A continuing case points at one in the same insert, so it goes in a second batch.
        case = self.rows.add(
            m.Case(
                survivor=survivor, team=team, opened_on=opened_on, opened_by=user, transferred_from=transferred_from
            ),
            user,
            key=TRANSFERRED_CASES if transferred_from else None,
        )
        assignment = self.rows.add(m.CaseAssignment(case=case, navigator=user, started_on=opened_on), user)
        stages = [(opened_on, cw.Stage.CRISIS, "")]
        last_day = end_by or self.today

        if rescue and rng.random() < 0.6:
            support = rng.choices(cw.TeamSupportType.values, [30, 20, 35, 15])[0]
            self.rows.add(
                m.RemovalFromExploitation(case=case, occurred_on=opened_on, support_type=support, recorded_by=user),
                user,
            )

        # Reintegration stages, then (for some) graduation and closure.
        day = opened_on + timedelta(days=rng.randint(20, 60))
        for stage in (cw.Stage.RECOVERY, cw.Stage.REINTEGRATION, cw.Stage.STABLE):
            if day >= last_day:
                break
            stages.append((day, stage, ""))
            day += timedelta(days=rng.randint(120, 320))
        if closure:
            stages.append(closure)
        elif stages[-1][1] == cw.Stage.STABLE and day < last_day and rng.random() < 0.7:
            stages.append((min(day, last_day), cw.Stage.CLOSED, cw.ClosureReason.GRADUATED))
        elif rng.random() < 0.08 and opened_on + timedelta(days=90) < last_day:
            stages.append(
                (
                    self.day_between(opened_on + timedelta(days=60), last_day),
                    cw.Stage.CLOSED,
                    rng.choice(
                        [cw.ClosureReason.LOST_CONTACT, cw.ClosureReason.DECLINED, cw.ClosureReason.MOVED_OUT_OF_AREA]
                    ),
                )
            )
        stages.sort(key=lambda s: s[0])
        for day, stage, reason in stages:
            self.rows.add(
                m.StageChange(case=case, occurred_on=day, stage=stage, closure_reason=reason, recorded_by=user), user
            )
        final_day, final_stage, final_reason = stages[-1]
        case.stage = final_stage
        if final_stage == cw.Stage.CLOSED:
            case.closed_on, case.closure_reason = final_day, final_reason
            assignment.ended_on = final_day  # closing a case ends its assignments
            last_day = final_day
        case._last_day = last_day

        self.follow_ups(case, user, opened_on, last_day, is_open=final_stage != cw.Stage.CLOSED)
        day = opened_on + timedelta(days=rng.randint(1, 20))
        while day <= last_day:
            self.rows.add(
                m.SupportService(
                    case=case,
                    occurred_on=day,
                    service_type=rng.choice(cw.SupportServiceType.values[:-1]),
                    recorded_by=user,
                ),
                user,
            )
            day += timedelta(days=rng.randint(15, 60))
        self.care_and_assessments(case, user, opened_on, last_day)
        self.police_engagement(case, user, opened_on, last_day)
        if team.country_id == "GB":
            self.nrm(case, user, opened_on, last_day)
        if rng.random() < 0.03 and (last_day - opened_on).days > 120:
            self.rows.add(
                m.RetraffickingEvent(
                    case=case, occurred_on=self.day_between(opened_on + timedelta(days=90), last_day), recorded_by=user
                ),
                user,
            )
        if rng.random() < 0.3:
            self.criminal_justice(case, user, opened_on, last_day)
        return case

    def follow_ups(self, case, user, start, end, *, is_open):
        rng = self.rng
        day = start + timedelta(days=rng.randint(0, 5))
        while day <= end:
            gap = rng.randint(7, 28)
            reached = rng.random() < 0.85
            self.rows.add(
                m.FollowUp(
                    case=case,
                    occurred_on=day,
                    recorded_by=user,
                    mode=rng.choices(cw.FollowUpMode.values, [45, 35, 10, 10])[0],
                    outcome=cw.FollowUpOutcome.REACHED if reached else cw.FollowUpOutcome.NOT_REACHED,
                    purposes=rng.sample(cw.FollowUpPurpose.values[:-1], rng.randint(1, 3)) if reached else [],
                    duration_minutes=rng.choice([10, 15, 20, 30, 45, 60, 90]) if reached else None,
                    next_due_on=day + timedelta(days=gap) if is_open else None,
                ),
                user,
            )
            day += timedelta(days=gap + (rng.randint(0, 20) if rng.random() < 0.15 else 0))

    def care_and_assessments(self, case, user, start, end):
        rng = self.rng
        plan_start = start + timedelta(days=rng.randint(3, 14))
        if plan_start > end:
            return
        plan = self.rows.add(
            m.CarePlan(
                case=case, started_on=plan_start, next_review_on=plan_start + timedelta(days=rng.randint(60, 120))
            ),
            user,
        )
        for domain in rng.sample(cw.WellbeingDomain.values, 3):
            self.rows.add(
                m.CarePlanGoal(
                    care_plan=plan,
                    domain=domain,
                    goal=f"Agreed goal for {domain.replace('_', ' ')}",
                    status=rng.choice(cw.GoalStatus.values),
                ),
                user,
            )
        scores = {d: rng.randint(1, 2) for d in cw.WellbeingDomain.values}
        day = plan_start
        while day <= end:
            self.rows.add(m.WellbeingAssessment(case=case, occurred_on=day, recorded_by=user, **scores), user)
            scores = {d: min(4, max(1, s + rng.choices([-1, 0, 1], [10, 50, 40])[0])) for d, s in scores.items()}
            day += timedelta(days=rng.randint(75, 120))

    def police_engagement(self, case, user, start, end):
        rng = self.rng
        level = rng.choices([0, 1, 2], [15, 55, 30])[0]
        day = start + timedelta(days=rng.randint(0, 10))
        while day <= end:
            self.rows.add(m.PoliceEngagementEvent(case=case, occurred_on=day, level=level, recorded_by=user), user)
            if level >= 4 or rng.random() < 0.4:
                break
            day += timedelta(days=rng.randint(30, 200))
            if rng.random() < 0.06 and level > 0:
                if day <= end:
                    self.rows.add(
                        m.PoliceEngagementEvent(
                            case=case, occurred_on=day, level=0, is_withdrawal=True, recorded_by=user
                        ),
                        user,
                    )
                break
            level += 1

    def nrm(self, case, user, start, end):
        rng = self.rng
        if rng.random() < 0.1:
            path = [cw.NrmStatus.DUTY_TO_NOTIFY]
        else:
            path = [
                cw.NrmStatus.REFERRED,
                cw.NrmStatus.RG_PENDING,
                rng.choices([cw.NrmStatus.RG_POSITIVE, cw.NrmStatus.RG_NEGATIVE], [90, 10])[0],
            ]
            if path[-1] == cw.NrmStatus.RG_POSITIVE:
                path += [
                    cw.NrmStatus.RECOVERY_PERIOD,
                    cw.NrmStatus.CG_PENDING,
                    rng.choices([cw.NrmStatus.CG_POSITIVE, cw.NrmStatus.CG_NEGATIVE], [85, 15])[0],
                ]
                if path[-1] == cw.NrmStatus.CG_POSITIVE:
                    path += [cw.NrmStatus.MOVE_ON_SUPPORT]
        day = start + timedelta(days=rng.randint(0, 7))
        for status in path:
            if day > end:
                break
            self.rows.add(
                m.NrmEvent(
                    case=case,
                    occurred_on=day,
                    status=status,
                    recorded_by=user,
                    first_responder=case.team.name if status == cw.NrmStatus.REFERRED else "",
                    competent_authority=cw.CompetentAuthority.SCA if status == cw.NrmStatus.REFERRED else "",
                ),
                user,
            )
            day += timedelta(days=rng.randint(5, 90))

    def criminal_justice(self, case, user, start, end):
        rng = self.rng
        for _ in range(rng.choices([1, 2, 3], [60, 30, 10])[0]):
            self.accused_count += 1
            accused = self.rows.add(
                m.AccusedPerson(
                    reference=f"ACC-{case.team.country_id}-{self.accused_count:04d}",
                    recorded_by_team=case.team,
                    gender=rng.choice(["male", "male", "female"]),
                    citizenship=rng.choice(["GB", "RO", "BD", "AL", "VN"]),
                ),
                user,
            )
            arrested_on = self.day_between(start, min(end, start + timedelta(days=90)))
            support = rng.choices(cw.TeamSupportType.values, [35, 25, 30, 10])[0]
            self.rows.add(
                m.Arrest(case=case, accused=accused, occurred_on=arrested_on, support_type=support, recorded_by=user),
                user,
            )
            if rng.random() > 0.6:
                continue
            charged = arrested_on + timedelta(days=rng.randint(20, 120))
            if charged > self.today:
                continue
            prosecution = self.rows.add(
                m.Prosecution(
                    case=case,
                    accused=accused,
                    offence=rng.choice(
                        [
                            "Human trafficking",
                            "Holding a person in slavery or servitude",
                            "Controlling prostitution for gain",
                        ]
                    ),
                    support_kinds=rng.sample(cw.ProsecutionSupport.values, rng.randint(1, 3)),
                    charged_on=charged,
                    recorded_by=user,
                ),
                user,
            )
            trial = charged + timedelta(days=rng.randint(90, 400))
            if trial <= self.today:
                prosecution.trial_started_on = trial
                concluded = trial + timedelta(days=rng.randint(3, 60))
                if concluded <= self.today and rng.random() < 0.8:
                    prosecution.outcome = rng.choices(
                        [
                            cw.ProsecutionOutcome.CONVICTED,
                            cw.ProsecutionOutcome.ACQUITTED,
                            cw.ProsecutionOutcome.WITHDRAWN,
                        ],
                        [70, 20, 10],
                    )[0]
                    prosecution.outcome_on = concluded
                    if prosecution.outcome == cw.ProsecutionOutcome.CONVICTED:
                        prosecution.sentence = f"{rng.randint(2, 25)} years' imprisonment"
                        if concluded >= case.opened_on:
                            self.rows.add(
                                m.PoliceEngagementEvent(
                                    case=case, occurred_on=max(trial, start), level=4, recorded_by=user
                                ),
                                user,
                            )
            if prosecution.outcome == cw.ProsecutionOutcome.ONGOING:
                upcoming = self.today + timedelta(days=rng.randint(7, 90))
                self.rows.add(
                    m.CourtHearing(
                        prosecution=prosecution,
                        scheduled_for=upcoming,
                        kind=cw.CourtHearingKind.TRIAL
                        if prosecution.trial_started_on
                        else cw.CourtHearingKind.PRE_TRIAL,
                        survivor_attending=rng.random() < 0.5,
                    ),
                    user,
                )

    # -- the programme ---------------------------------------------------------------------------
    def build(self, survivors: int = 300):
        rng = self.rng
        window_end = self.today - timedelta(days=14)
        shares = {"GB": 0.33, "RO": 0.12, "BD": 0.35}
        gb_to_ro = max(1, survivors * 7 // 100)
        in_to_bd = max(1, survivors * 13 // 100)
        for code, share in shares.items():
            teams = {"GB": GB_TEAMS, "RO": RO_TEAMS, "BD": BD_TEAMS}[code]
            for _ in range(int(survivors * share)):
                team_name = rng.choice(teams)
                opened = self.day_between(self.records_begin, window_end)
                citizenship = (
                    code if code != "GB" or rng.random() < 0.4 else rng.choice(["GB", "AL", "VN", "RO", "ER", "SD"])
                )
                survivor = self.survivor(citizenship=citizenship, opened_on=opened, user=self.navigator(team_name))
                self.case(survivor=survivor, team_name=team_name, opened_on=opened)
        for _ in range(gb_to_ro):
            self.cross_border_gb_to_ro(window_end)
        for _ in range(in_to_bd):
            self.return_from_india(window_end)
        self.training_and_prevention()
        self.returns()
        return self

    def cross_border_gb_to_ro(self, window_end):
        """A Romanian survivor rescued in the UK, repatriated with consent and cared for in Romania."""
        rng = self.rng
        gb_team, ro_team = rng.choice(GB_TEAMS), rng.choice(RO_TEAMS)
        opened = self.day_between(self.records_begin, window_end - timedelta(days=200))
        gb_user = self.navigator(gb_team)
        survivor = self.survivor(citizenship="RO", opened_on=opened, user=gb_user, child_share=0.05)
        requested = opened + timedelta(days=rng.randint(20, 60))
        departed = requested + timedelta(days=rng.randint(20, 60))
        arrived = departed + timedelta(days=1)
        self.rows.add(
            ConsentRecord(
                survivor=survivor,
                topic=sv.ConsentTopic.SHARE_CROSS_BORDER,
                given=True,
                recorded_on=requested,
                recorded_by=gb_user,
            ),
            gb_user,
        )
        gb_case = self.case(
            survivor=survivor,
            team_name=gb_team,
            opened_on=opened,
            end_by=arrived,
            closure=(arrived, cw.Stage.CLOSED, cw.ClosureReason.MOVED_OUT_OF_AREA),
        )
        repatriation = self.rows.add(
            m.Repatriation(
                case=gb_case,
                sending_country_id="GB",
                receiving_country_id="RO",
                sending_team=gb_case.team,
                receiving_team=self.org[ro_team],
                is_child=survivor._is_child,
                stage=cw.RepatriationStage.ARRIVED,
                requested_on=requested,
                departed_on=departed,
                arrived_on=arrived,
            ),
            gb_user,
        )
        steps = [
            (requested, cw.RepatriationStage.REQUESTED),
            (requested + timedelta(days=5), cw.RepatriationStage.RISK_ASSESSMENT),
            (requested + timedelta(days=12), cw.RepatriationStage.TRAVEL_DOCUMENTS),
            (departed - timedelta(days=3), cw.RepatriationStage.PLANNED),
            (departed, cw.RepatriationStage.IN_TRANSIT),
            (arrived, cw.RepatriationStage.ARRIVED),
        ]
        for day, stage in steps:
            self.rows.add(
                m.RepatriationStep(repatriation=repatriation, stage=stage, occurred_on=day, recorded_by=gb_user),
                gb_user,
            )
        ro_case = self.case(
            survivor=survivor, team_name=ro_team, opened_on=arrived, transferred_from=gb_case, rescue=False
        )
        repatriation.receiving_case = ro_case

    def return_from_india(self, window_end):
        """A Bangladeshi survivor found in India by Vihaan and brought home to a Bangladesh team."""
        rng = self.rng
        team_name = "Benapole repatriation" if rng.random() < 0.4 else rng.choice(BD_TEAMS)
        user = self.navigator(team_name)
        requested = self.day_between(self.records_begin, window_end - timedelta(days=30))
        survivor = self.survivor(citizenship="BD", opened_on=requested, user=user, child_share=0.4)
        case = self.case(survivor=survivor, team_name=team_name, opened_on=requested, rescue=False)
        arrived = requested + timedelta(days=rng.randint(20, 150))
        done = arrived <= case._last_day
        repatriation = self.rows.add(
            m.Repatriation(
                case=case,
                sending_country_id="IN",
                receiving_country_id="BD",
                sending_partner=self.org["Vihaan"],
                receiving_team=case.team,
                is_child=survivor._is_child,
                requested_on=requested,
                stage=cw.RepatriationStage.ARRIVED if done else cw.RepatriationStage.TRAVEL_DOCUMENTS,
                departed_on=arrived if done else None,
                arrived_on=arrived if done else None,
            ),
            user,
        )
        self.rows.add(
            m.RepatriationStep(
                repatriation=repatriation, stage=cw.RepatriationStage.REQUESTED, occurred_on=requested, recorded_by=user
            ),
            user,
        )
        if done:
            self.rows.add(
                m.RepatriationStep(
                    repatriation=repatriation,
                    stage=cw.RepatriationStage.IN_TRANSIT,
                    occurred_on=arrived,
                    recorded_by=user,
                ),
                user,
            )
            self.rows.add(
                m.RepatriationStep(
                    repatriation=repatriation, stage=cw.RepatriationStage.ARRIVED, occurred_on=arrived, recorded_by=user
                ),
                user,
            )

    def training_and_prevention(self):
        rng = self.rng
        for team_name in TEAM_NAVIGATORS:
            team, user = self.org[team_name], self.navigator(team_name)
            day = self.records_begin + timedelta(days=rng.randint(0, 30))
            while day <= self.today:
                self.rows.add(
                    TrainingSession(
                        team=team,
                        held_on=day,
                        audience=rng.choice(TrainingAudience.values),
                        topic="Identifying victims of trafficking",
                        attendee_count=rng.randint(8, 60),
                        recorded_by=user,
                    ),
                    user,
                )
                if team.country_id == "BD" or rng.random() < 0.3:
                    self.rows.add(
                        PreventionSession(
                            team=team,
                            held_on=day + timedelta(days=rng.randint(0, 5))
                            if day + timedelta(days=5) <= self.today
                            else day,
                            reach=PreventionReach.DIRECT,
                            participants=rng.randint(15, 120),
                            description="Safe migration awareness",
                            recorded_by=user,
                        ),
                        user,
                    )
                if rng.random() < 0.1:
                    self.rows.add(
                        PreventionSession(
                            team=team,
                            held_on=day,
                            reach=PreventionReach.INDIRECT,
                            participants=rng.randint(1000, 20000),
                            description="Radio broadcast",
                            recorded_by=user,
                        ),
                        user,
                    )
                day += timedelta(days=rng.randint(20, 45))

    def returns(self):
        """Partner returns for every past half-year, and legacy returns for the year before records began."""
        rng, me = self.rng, self.org["me"]
        first_year = self.records_begin.year
        for partner_name, funded_from in (("LIFT International", first_year + 2), ("Vihaan", first_year)):
            partner = self.org[partner_name]
            for year in range(first_year, financial_year_of(self.today).start.year + 1):
                for half in (1, 2):
                    period = half_year(year, half)
                    if period.end >= self.today:
                        continue
                    ret = self.rows.add(
                        AggregateReturn(
                            source=ReturnSource.PARTNER,
                            partner=partner,
                            period_start=period.start,
                            period_end=period.end,
                            funded=year >= funded_from,
                            entered_by=me,
                        ),
                        me,
                    )
                    for indicator, low, high in (
                        (Indicator.VICTIMS_REMOVED, 2, 40),
                        (Indicator.SURVIVORS_CARED_FOR, 10, 60),
                        (Indicator.ACCUSED_ARRESTED, 0, 20),
                        (Indicator.PROFESSIONALS_TRAINED, 20, 300),
                    ):
                        self.rows.add(
                            AggregateReturnValue(
                                aggregate_return=ret, indicator=indicator, value=rng.randint(low, high)
                            ),
                            me,
                        )
        legacy = financial_year(first_year - 1)
        for code in ("GB", "RO", "BD"):
            ret = self.rows.add(
                AggregateReturn(
                    source=ReturnSource.LEGACY,
                    country=self.org[code],
                    period_start=legacy.start,
                    period_end=legacy.end,
                    entered_by=me,
                ),
                me,
            )
            for indicator in Indicator.values:
                self.rows.add(
                    AggregateReturnValue(aggregate_return=ret, indicator=indicator, value=rng.randint(5, 400)), me
                )

    def save(self):
        """Insert every row with its history, parents before children."""
        order = [
            Survivor,
            SurvivorIdentity,
            SurvivorExploitation,
            ConsentRecord,
            m.Case,
            TRANSFERRED_CASES,
            m.CaseAssignment,
            m.StageChange,
            m.RemovalFromExploitation,
            m.FollowUp,
            m.SupportService,
            m.CarePlan,
            m.CarePlanGoal,
            m.WellbeingAssessment,
            m.PoliceEngagementEvent,
            m.NrmEvent,
            m.RetraffickingEvent,
            m.AccusedPerson,
            m.Arrest,
            m.Prosecution,
            m.CourtHearing,
            m.Repatriation,
            m.RepatriationStep,
            TrainingSession,
            PreventionSession,
            AggregateReturn,
            AggregateReturnValue,
        ]
        assert set(order) >= set(self.rows.by_model), set(self.rows.by_model) - set(order)
        counts = {}
        for key in order:
            model = m.Case if key == TRANSFERRED_CASES else key
            pairs = self.rows.by_model.get(key, [])
            by_user = {}
            for row, user in pairs:
                by_user.setdefault(user.pk, (user, []))[1].append(row)
            for user, rows in by_user.values():
                bulk_create_with_history(rows, model, batch_size=2000, default_user=user)
            name = str(model._meta.verbose_name_plural)
            counts[name] = counts.get(name, 0) + len(pairs)
        self.grant_access()
        # Names were bulk-loaded: build their blind index (duplicate warnings, name search) as the services would.
        from survivors.services import name_index_rebuild

        name_index_rebuild()
        return counts

    def grant_access(self):
        """The object permissions case_open and case_assign would have granted, inserted in bulk."""
        from casework.models import CaseGroupObjectPermission, CaseUserObjectPermission
        from casework.services import case_permission_rows, case_permissions_by_name

        assigned = {}
        for assignment, _ in self.rows.by_model.get(m.CaseAssignment, []):
            if assignment.ended_on is None and assignment.case.closed_on is None:
                assigned.setdefault(assignment.case.pk, []).append(assignment.navigator)
        handed_over = {case.transferred_from.pk for case, _ in self.rows.by_model.get(TRANSFERRED_CASES, [])}
        rows, by_name = [], case_permissions_by_name()
        for key in (m.Case, TRANSFERRED_CASES):
            for case, _ in self.rows.by_model.get(key, []):
                rows += case_permission_rows(case, assigned.get(case.pk, []), by_name=by_name)
        # As in case_transfer: the sending side keeps only read access to a case it handed over.
        rows = [
            r
            for r in rows
            if not (
                isinstance(r, CaseGroupObjectPermission)
                and r.content_object.pk in handed_over
                and r.permission.codename == "change_case"
            )
        ]
        CaseGroupObjectPermission.objects.bulk_create([r for r in rows if isinstance(r, CaseGroupObjectPermission)])
        CaseUserObjectPermission.objects.bulk_create([r for r in rows if isinstance(r, CaseUserObjectPermission)])
