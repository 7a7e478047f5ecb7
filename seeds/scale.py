"""A national-programme-sized data set for benchmarks: `python manage.py seed_scale --survivors 100000`.

At 100,000 survivors: about 150,000 cases, 2,000,000 follow-ups, 500,000 other case events, 300
Navigators in 60 teams across GB, RO and BD (five to a team, with a lead per country and one M&E
user), training and prevention sessions, partner and legacy returns. Every count scales with
`--survivors`, the organisation too (at least two teams a country).

How it is built, and why:
- Everything comes from one `random.Random(seed)` in a fixed order and is dated relative to `today`
  over the last six financial years (1 Sep – 31 Aug), so a seed and a day always give the same rows,
  database ids included (ids are assigned here, from the table's current maximum).
- The organisation (countries, teams, users, roles, memberships) goes through `navigators.services`,
  as an administrator would create it. Everything else is written as text straight into PostgreSQL
  with `COPY` (psycopg 3): row by row through the ORM it would take hours.
- Object permissions are the rows `case_open`, `case_assign`, `case_stage_change` and the transfers
  leave behind (docs/access.md): the team's group and the country's group on every case, the
  assigned Navigators on open cases, and a handed-over case read-only for the side that handed it on.
- History: one "+" (created) row per bulk-loaded record, copied inside PostgreSQL from the loaded
  table (INSERT … SELECT), naming the Navigator who recorded it where the record says who; no
  change rows. `--no-history` leaves the history tables empty instead.
- Not generated: survivor identities, identity documents and the blind index of names (nothing at this
  scale reads them; every survivor still has a unique case reference), case requests, access records.
  Notes are left empty; the one free text written, care-plan goals, is encrypted as its field does it.
- Every CHECK and unique constraint holds (the database refuses anything else), and so do the models'
  own validation rules: no event in the future or before its case opened, closed cases closed by their
  latest stage change, one open case per survivor and team, cases handed on within or across borders
  linked by `transferred_from`.
"""

import math
import random
import time
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection

from casework import choices as cw
from casework import models as m
from casework import services as casework_services
from casework.services import ASSIGNED_PERMISSIONS, COUNTRY_PERMISSIONS, TEAM_PERMISSIONS
from dataprotection import roles
from navigators import services
from navigators.history import change_by
from navigators.models import Country, Partner, RoleGrant, Team, User
from reporting import models as rm
from reporting.choices import Indicator, PreventionReach, ReturnSource, TrainingAudience
from reporting.periods import financial_year, financial_year_of, half_year
from seeds.organisation import COUNTRIES, DEMO_PASSWORD, PARTNERS
from survivors import choices as sv
from survivors import models as sm
from survivors.encryption import EncryptedField, encrypt

BASE_SURVIVORS = 100_000
NAVIGATORS_PER_TEAM = 5
# Benchmark data has nobody to approve its roles: each is granted as the operator's bootstrap grants one.
BENCHMARK_DATA = "Benchmark data (seed_scale)."
FOLLOW_UPS_PER_SURVIVOR = 20
SUPPORT_SERVICES_PER_SURVIVOR = 0.6

# Teams at 100,000 survivors: most of the UK's forces, all 15 Romanian organised-crime brigades, and
# aftercare (with a few repatriation teams) across Bangladesh. Share: the share of first cases.
GB_FORCES = [
    "Avon and Somerset",
    "Bedfordshire",
    "Cambridgeshire",
    "Cheshire",
    "Cleveland",
    "Devon and Cornwall",
    "Durham",
    "Essex",
    "Greater Manchester",
    "Hampshire",
    "Hertfordshire",
    "Humberside",
    "Kent",
    "Lancashire",
    "Leicestershire",
    "Lincolnshire",
    "Merseyside",
    "Metropolitan",
    "Norfolk",
    "Northumbria",
    "Nottinghamshire",
    "South Yorkshire",
    "Sussex",
    "Thames Valley",
    "West Midlands",
]
RO_BRIGADES = [
    "Bucharest",
    "Alba Iulia",
    "Bacău",
    "Brașov",
    "Cluj",
    "Constanța",
    "Craiova",
    "Galați",
    "Iași",
    "Oradea",
    "Pitești",
    "Ploiești",
    "Suceava",
    "Târgu Mureș",
    "Timișoara",
]
BD_AFTERCARE = [
    "Dhaka",
    "Jessore",
    "Khulna",
    "Satkhira",
    "Narail",
    "Bagerhat",
    "Gopalganj",
    "Cox's Bazar",
    "Chittagong",
    "Sylhet",
    "Rajshahi",
    "Rangpur",
    "Barisal",
    "Mymensingh",
    "Comilla",
    "Narsingdi",
]
BD_REPATRIATION = ["Benapole", "Darshana", "Bhomra", "Sonamasjid"]
FIRST_CASE_SHARE = {"BD": 0.40, "GB": 0.36, "RO": 0.24}

FIRST_NAMES = {
    "GB": ["Amelia", "Oliver", "Grace", "Harry", "Sophie", "Jack", "Priya", "Daniel", "Chloe", "Samuel"],
    "RO": ["Ioana", "Andrei", "Maria", "Mihai", "Elena", "Alexandru", "Ana", "Cristian", "Diana", "Vlad"],
    "BD": ["Nusrat", "Rafiq", "Shirin", "Kamal", "Farzana", "Tanvir", "Ruma", "Hasan", "Sadia", "Imran"],
}
LAST_NAMES = {
    "GB": ["Carter", "Hughes", "Shah", "Okafor", "Evans", "Walsh", "Patel", "Morgan", "Reid", "Turner"],
    "RO": ["Popescu", "Ionescu", "Dumitru", "Stan", "Georgescu", "Matei", "Radu", "Stoica", "Nistor", "Barbu"],
    "BD": ["Akter", "Hasan", "Begum", "Rahman", "Islam", "Hossain", "Khatun", "Uddin", "Chowdhury", "Sarker"],
}
GB_CITIZENSHIPS = (["GB", "RO", "AL", "VN", "ER", "SD", "PL", "NG", "CN", "IN"], [30, 25, 14, 12, 4, 3, 4, 4, 2, 2])
OFFENCES = {
    "GB": ["Modern Slavery Act 2015 s.1", "Modern Slavery Act 2015 s.2"],
    "RO": ["Codul penal art. 210 (trafic de persoane)", "Codul penal art. 211 (trafic de minori)"],
    "BD": [
        "Prevention and Suppression of Human Trafficking Act 2012 s.6",
        "Prevention and Suppression of Human Trafficking Act 2012 s.7",
    ],
}

CLOSED = cw.Stage.CLOSED
# Each step: the stage, how many days after the previous one it comes, and how often a case gets that far.
STAGE_STEPS = [
    (cw.Stage.RECOVERY, 20, 60, 0.6),
    (cw.Stage.REINTEGRATION, 120, 320, 0.4),
    (cw.Stage.STABLE, 120, 320, 0.5),
]
EARLY_CLOSURE_REASONS = (
    [
        cw.ClosureReason.LOST_CONTACT,
        cw.ClosureReason.DECLINED,
        cw.ClosureReason.MOVED_OUT_OF_AREA,
        cw.ClosureReason.TRANSFERRED,
        cw.ClosureReason.DECEASED,
        cw.ClosureReason.OTHER,
    ],
    [40, 20, 15, 15, 2, 8],
)


# ---- COPY buffers -------------------------------------------------------------------------------


class CopyTable:
    """Rows of one table as COPY text lines, with the ids handed out here.

    Values of encrypted columns (survivors.encryption: notes, care-plan goals) are stored as the field
    would store them, a Fernet token each; empty text stays empty, as the field keeps it.
    """

    def __init__(self, model, columns: list[str]):
        self.model = model
        self.table = model._meta.db_table
        self.columns = columns
        encrypted = {f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedField)}
        self.encrypted = [i for i, column in enumerate(columns) if column in encrypted]
        self.lines: list[str] = []
        self.count = 0
        self.first_id = self.next_id = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, *values) -> None:
        if self.encrypted:
            values = list(values)
            for i in self.encrypted:
                if values[i]:
                    values[i] = encrypt(values[i])
        self.lines.append("\t".join(_text(v) for v in values) + "\n")
        self.count += 1

    def add_line(self, line: str) -> None:
        """A line already in COPY text form (the hot paths format their own, leaving encrypted notes empty)."""
        self.lines.append(line)
        self.count += 1

    def flush(self, pg_cursor) -> None:
        if not self.lines:
            return
        with pg_cursor.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
            for start in range(0, len(self.lines), 20_000):
                copy.write("".join(self.lines[start : start + 20_000]))
        self.lines = []


def _text(value) -> str:
    """A value in COPY text format. Generated text never holds a tab, newline or backslash."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, list):
        return "{" + ",".join(value) + "}"
    return str(value)


# ---- the plan of the survivors' journeys ---------------------------------------------------------


@dataclass(slots=True)
class TeamInfo:
    id: int
    name: str
    country: str
    kind: str
    group_id: int
    navigators: list[int]


@dataclass(slots=True)
class CasePlan:
    id: int
    survivor_id: int
    team: TeamInfo
    opened: int  # date ordinals throughout: arithmetic on ints is cheap
    navigator: int
    first: bool
    transferred_from: int | None = None
    stages: list = field(default_factory=list)  # (day, stage, closure reason)
    closed: int | None = None
    closure_reason: str = ""
    handed_on: str = ""  # "", "in_country" or "cross_border": the side that handed the case on keeps read access
    retrafficked: bool = False
    repatriation: tuple | None = None  # cross-border: (requested, departed, arrived, receiving team)
    from_india: bool = False


class ScaleSeed:
    """Builds the data set; `run()` loads it and returns the row counts by table."""

    def __init__(self, *, survivors: int, seed: int, today: date, history: bool = True, log=None):
        self.n_survivors = survivors
        self.scale = survivors / BASE_SURVIVORS
        self.rng = random.Random(seed)
        self.today = today
        self.t_today = today.toordinal()
        self.history = history
        self.log = log or (lambda message: None)
        self.begin = financial_year(financial_year_of(today).start.year - 5).start
        self.t_begin = self.begin.toordinal()
        # Every date as text, by ordinal: formatting is the hot path of two million follow-ups.
        first = self.t_begin - 400
        self.day_text = {o: date.fromordinal(o).isoformat() for o in range(first, self.t_today + 800)}
        self.cases: list[CasePlan] = []
        self.child: dict[int, bool] = {}  # survivor id: a child when exploited (for repatriations)
        self.started = time.monotonic()

    # -- helpers -----------------------------------------------------------------------------------
    def d(self, ordinal: int) -> str:
        return self.day_text[ordinal]

    def at(self, ordinal: int, n: int) -> str:
        """A moment on that day, for recorded_at and created_at: office hours, spread by the row's id."""
        return f"{self.day_text[ordinal]} {9 + n % 9:02d}:{n * 7 % 60:02d}:00+00"

    def between(self, start: int, end: int) -> int:
        return start + self.rng.randint(0, max(0, end - start))

    def opening_day(self) -> int:
        """A day in the window, more of them recent: the programme grows (density rising 1 → 2.5)."""
        a, u = 1.5, self.rng.random()
        x = (-1 + math.sqrt(1 + 2 * a * u * (1 + a / 2))) / a
        return self.t_begin + int(x * (self.t_today - self.t_begin))

    def tick(self, what: str) -> None:
        self.log(f"{time.monotonic() - self.started:7.1f}s  {what}")

    # -- the organisation (through the services) ---------------------------------------------------
    def organisation(self) -> None:
        rng = self.rng
        since = date(self.begin.year - 1, 9, 1)
        password = make_password(DEMO_PASSWORD)  # hashed once: 300 slow hashes would take minutes
        with change_by(None):
            countries = {}
            for code, name, direct in COUNTRIES:
                countries[code] = Country.objects.filter(code=code).first() or services.country_create(
                    acting_user=None, code=code, name=name, is_direct_work=direct
                )
            self.partners = {}
            for name, code in PARTNERS:
                self.partners[name], _ = Partner.objects.get_or_create(name=name, defaults={"country_id": code})
            wanted = {
                "GB": [(f"{force} Police", Team.Kind.POLICE) for force in GB_FORCES],
                "RO": [(f"{city} organised-crime brigade", Team.Kind.ORGANISED_CRIME_BRIGADE) for city in RO_BRIGADES],
                "BD": [(f"{place} aftercare", Team.Kind.AFTERCARE) for place in BD_AFTERCARE]
                + [(f"{place} repatriation", Team.Kind.REPATRIATION) for place in BD_REPATRIATION],
            }
            self.teams: dict[str, list[TeamInfo]] = {}
            self.users = []
            for code, teams in wanted.items():
                count = max(2, round(len(teams) * self.scale))
                if code == "BD":  # keep at least one repatriation team among the first ones
                    chosen = (
                        teams[: max(1, count - max(1, round(4 * self.scale)))]
                        + teams[len(BD_AFTERCARE) :][: max(1, round(4 * self.scale))]
                    )
                else:
                    chosen = teams[:count]
                self.teams[code] = []
                for index, (name, kind) in enumerate(chosen):
                    team = services.team_create(acting_user=None, name=name, country=countries[code], kind=kind)
                    navigators = []
                    for k in range(NAVIGATORS_PER_TEAM):
                        user = self.user(f"navigator.{code.lower()}.{index + 1:02d}.{k + 1}", code, password)
                        roles.role_grant_bootstrap(
                            acting_user=None, user=user, role=RoleGrant.Role.NAVIGATOR, reason=BENCHMARK_DATA
                        )
                        casework_services.membership_change(acting_user=None, user=user, team=team, started_on=since)
                        navigators.append(user.pk)
                    self.teams[code].append(TeamInfo(team.pk, name, code, kind, team.group_id, navigators))
            self.leads = {}
            for code in ("GB", "RO", "BD"):
                lead = self.user(f"lead.{code.lower()}", code, password)
                roles.role_grant_bootstrap(
                    acting_user=None,
                    user=lead,
                    role=RoleGrant.Role.COUNTRY_LEAD,
                    country=countries[code],
                    reason=BENCHMARK_DATA,
                )
                self.leads[code] = lead.pk
            self.me = self.user("me", "GB", password)
            roles.role_grant_bootstrap(
                acting_user=None, user=self.me, role=RoleGrant.Role.MONITORING_EVALUATION, reason=BENCHMARK_DATA
            )
        self.country_group = {code: countries[code].group_id for code in ("GB", "RO", "BD")}
        # Team sizes differ: a few big forces and brigades carry more cases than the rest.
        self.team_weights = {code: [rng.choice([1, 1, 1.5, 2]) for _ in teams] for code, teams in self.teams.items()}

    def user(self, username: str, country: str, password: str) -> User:
        first, last = self.rng.choice(FIRST_NAMES[country]), self.rng.choice(LAST_NAMES[country])
        user = User(
            username=username, first_name=first, last_name=last, email=f"{username}@example.org", password=password
        )
        user.save()
        self.users.append(user)
        return user

    def team_in(self, country: str, *, not_team: TeamInfo | None = None, kind: str | None = None) -> TeamInfo:
        teams, weights = self.teams[country], self.team_weights[country]
        while True:
            team = self.rng.choices(teams, weights)[0]
            if team is not not_team and (kind is None or team.kind == kind):
                return team

    # -- survivors and their cases (pass 1) ---------------------------------------------------------
    def plan(self) -> None:
        rng = self.rng
        t = self.tables
        references = set()
        codes = list(FIRST_CASE_SHARE)
        shares = list(FIRST_CASE_SHARE.values())
        for _ in range(self.n_survivors):
            survivor_id = t["survivor"].new_id()
            country = rng.choices(codes, shares)[0]
            if country == "GB":
                citizenship = rng.choices(*GB_CITIZENSHIPS)[0]
            else:
                citizenship = country
            team = self.team_in(country)
            opened = self.opening_day()
            from_india = country == "BD" and rng.random() < 0.06
            if from_india:  # found in India by Vihaan and brought home: a repatriation team or aftercare
                team = self.team_in("BD", kind=Team.Kind.REPATRIATION) if rng.random() < 0.5 else team
            cases = self.journey(survivor_id, citizenship, team, opened)
            cases[0].from_india = from_india
            self.survivor_rows(survivor_id, citizenship, cases[0], references)
        self.tick(f"planned {len(self.cases):,} cases for {self.n_survivors:,} survivors")

    def journey(self, survivor_id: int, citizenship: str, team: TeamInfo, opened: int) -> list[CasePlan]:
        """A survivor's cases one after another: each ends before the next starts (a handover on the same day)."""
        rng = self.rng
        wanted = rng.choices([1, 2, 3], [38, 49, 13])[0]
        cases: list[CasePlan] = []
        previous = None
        day = opened
        while True:
            case = CasePlan(
                id=self.tables["case"].new_id(),
                survivor_id=survivor_id,
                team=team,
                opened=day,
                navigator=rng.choice(team.navigators),
                first=previous is None,
            )
            if previous is not None and previous.handed_on:
                case.transferred_from = previous.id
            if previous is not None and not previous.handed_on and rng.random() < 0.25:
                case.retrafficked = True  # came back to the programme after being trafficked again
            self.cases.append(case)
            cases.append(case)
            if len(cases) >= wanted or not self.hand_on(case, citizenship):
                self.last_case_story(case)
                return cases
            previous = case
            if case.handed_on == "cross_border":
                team, day = case.repatriation[3], case.closed
            elif case.handed_on == "in_country":
                team, day = self.team_in(team.country, not_team=team), case.closed
            else:  # closed, and a new case later, with the same team or another of the country
                day = case.closed + rng.randint(30, 500)
                if day > self.t_today:
                    return cases
                team = team if rng.random() < 0.6 else self.team_in(team.country, not_team=team)

    def hand_on(self, case: CasePlan, citizenship: str) -> bool:
        """Close `case` so that another follows it; False (nothing changed) when there is no time left for it."""
        rng = self.rng
        if case.team.country == "GB" and citizenship == "RO" and rng.random() < 0.7:
            requested = case.opened + rng.randint(20, 90)
            departed = requested + rng.randint(20, 60)
            arrived = departed + rng.randint(0, 2)
            if arrived > self.t_today - 5:
                return False
            receiving = self.team_in("RO")
            case.handed_on = "cross_border"
            case.repatriation = (requested, departed, arrived, receiving)
            self.stages_until(case, arrived, cw.ClosureReason.MOVED_OUT_OF_AREA)
            return True
        closes = case.opened + rng.randint(45, 540)
        if closes > self.t_today - 5:
            return False
        if rng.random() < 0.45 and len(self.teams[case.team.country]) > 1:
            case.handed_on = "in_country"
            self.stages_until(case, closes, cw.ClosureReason.MOVED_OUT_OF_AREA)
        else:
            self.stages_until(case, closes, rng.choices(*EARLY_CLOSURE_REASONS)[0])
        return True

    def stage_path(self, case: CasePlan, until: int) -> list:
        """Crisis at the opening, then recovery, reintegration and stable as time allows (before `until`)."""
        rng = self.rng
        stages = [(case.opened, cw.Stage.CRISIS, "")]
        day = case.opened
        for stage, low, high, share in STAGE_STEPS:
            day += rng.randint(low, high)
            if day >= until or rng.random() > share:
                break
            stages.append((day, stage, ""))
        return stages

    def stages_until(self, case: CasePlan, closes: int, reason: str) -> None:
        case.stages = self.stage_path(case, closes) + [(closes, CLOSED, reason)]
        case.closed, case.closure_reason = closes, reason

    def last_case_story(self, case: CasePlan) -> None:
        """The survivor's latest case: still open today, or closed (graduated, or for another reason)."""
        rng = self.rng
        stages = self.stage_path(case, self.t_today + 1)
        r = rng.random()
        closes, reason = None, ""
        if stages[-1][1] == cw.Stage.STABLE and r < 0.75:
            closes, reason = stages[-1][0] + rng.randint(60, 300), cw.ClosureReason.GRADUATED
        elif r < 0.62:
            closes, reason = case.opened + rng.randint(30, 900), rng.choices(*EARLY_CLOSURE_REASONS)[0]
        if closes is not None and closes <= self.t_today:
            stages = [s for s in stages if s[0] < closes] + [(closes, CLOSED, reason)]
            case.closed, case.closure_reason = closes, reason
        case.stages = stages

    def survivor_rows(self, survivor_id: int, citizenship: str, first: CasePlan, references: set) -> None:
        rng, t = self.rng, self.tables
        while True:
            reference = "SV-" + "".join(rng.choices(sm.REFERENCE_ALPHABET, k=6))
            if reference not in references:
                references.add(reference)
                break
        is_child = rng.random() < (0.35 if first.team.country == "BD" else 0.15)
        opened_year = date.fromordinal(first.opened).year
        age = rng.randint(12, 17) if is_child else rng.randint(18, 55)
        status = rng.choices([sv.TraffickingStatus.POSSIBLE, sv.TraffickingStatus.ACTUAL], [35, 65])[0]
        decided = (
            rng.choice([sv.StatusDecidedBy.POLICE, sv.StatusDecidedBy.COURT_OR_PROSECUTION, sv.StatusDecidedBy.NGO])
            if status == sv.TraffickingStatus.ACTUAL
            else ""
        )
        gender = rng.choices(
            [sv.Gender.FEMININE, sv.Gender.MASCULINE, sv.Gender.TRANSGENDER_FEMININE, sv.Gender.UNKNOWN], [55, 40, 2, 3]
        )[0]
        t["survivor"].add(
            survivor_id,
            reference,
            gender,
            [citizenship],
            opened_year - age,
            rng.choice([sv.BirthDatePrecision.EXACT, sv.BirthDatePrecision.YEAR, sv.BirthDatePrecision.ESTIMATED]),
            max(8, age - rng.randint(0, 2)),
            status,
            decided,
            rng.sample(sv.MeansOfControl.values[:-1], rng.randint(1, 3)),
            rng.choice(sv.RecruiterRelation.values),
            self.d(first.opened),
            first.navigator,
            self.at(first.opened, survivor_id),
            1,
        )
        kinds = [
            sv.ExploitationType.SEXUAL,
            sv.ExploitationType.FORCED_LABOUR,
            sv.ExploitationType.CRIMINAL,
            sv.ExploitationType.DOMESTIC_SERVITUDE,
            sv.ExploitationType.FORCED_BEGGING,
        ]
        for kind in rng.sample(kinds, rng.choices([1, 2], [80, 20])[0]):
            t["exploitation"].add(
                t["exploitation"].new_id(),
                survivor_id,
                kind,
                rng.choice(sv.SexualExploitationSubtype.values) if kind == sv.ExploitationType.SEXUAL else "",
                rng.choice("ACFGIS") if kind == sv.ExploitationType.FORCED_LABOUR else "",
                kind == sv.ExploitationType.CRIMINAL and first.team.country == "GB" and rng.random() < 0.5,
                False,
            )
        t["consent"].add(
            t["consent"].new_id(),
            survivor_id,
            sv.ConsentTopic.SUPPORT_AND_DATA,
            True,
            self.d(first.opened),
            first.navigator,
            "",
        )
        self.child[survivor_id] = is_child

    # -- everything that happens on a case (pass 2) --------------------------------------------------
    def follow_up_payloads(self) -> list[str]:
        """Mode, outcome, purposes and duration of a follow-up: drawn from a fixed pool of 4,096 mixes."""
        rng, payloads = self.rng, []
        for _ in range(4096):
            reached = rng.random() < 0.85
            mode = rng.choices(cw.FollowUpMode.values, [45, 35, 10, 10])[0]
            if reached:
                purposes = "{" + ",".join(rng.sample(cw.FollowUpPurpose.values[:-1], rng.randint(1, 3))) + "}"
                text = f"{mode}\treached\t{purposes}\t{rng.choice([10, 15, 20, 30, 45, 60, 90])}"
            else:
                text = f"{mode}\tnot_reached\t{{}}\t\\N"
            payloads.append(text)
        return payloads

    def events(self) -> None:
        rng, t = self.rng, self.tables
        total_days = sum((c.closed if c.closed is not None else self.t_today) - c.opened + 1 for c in self.cases)
        self.follow_up_gap = total_days / (FOLLOW_UPS_PER_SURVIVOR * self.n_survivors)
        self.service_gap = total_days / (SUPPORT_SERVICES_PER_SURVIVOR * self.n_survivors)
        self.payloads = self.follow_up_payloads()
        for index, case in enumerate(self.cases):
            end = case.closed if case.closed is not None else self.t_today
            self.case_rows(case)
            self.assignments(case, end)
            self.follow_ups(case, end)
            self.support(case, end)
            self.care(case, end)
            self.engagement(case, end)
            if case.team.country == "GB" and rng.random() < 0.12:
                self.nrm(case, end)
            if case.first and rng.random() < (0.3 if case.team.country != "BD" else 0.06):
                support = rng.choices(cw.TeamSupportType.values, [30, 20, 35, 15])[0]
                t["removal"].add(
                    t["removal"].new_id(),
                    case.id,
                    self.d(case.opened),
                    case.navigator,
                    self.at(case.opened, case.id),
                    support,
                    "",
                )
            if case.retrafficked or (rng.random() < 0.004 and end - case.opened > 120):
                day = case.opened if case.retrafficked else self.between(case.opened + 90, end)
                t["retrafficking"].add(
                    t["retrafficking"].new_id(), case.id, self.d(day), case.navigator, self.at(day, case.id), ""
                )
            if rng.random() < 0.035:
                self.criminal_justice(case, end)
            if case.repatriation:
                self.cross_border_repatriation(case)
            elif case.from_india:
                self.return_from_india(case, end)
            self.permissions(case)
            if index % 20_000 == 19_999:
                self.flush()
        self.tick("generated the case events")

    def case_rows(self, case: CasePlan) -> None:
        t = self.tables
        stage = case.stages[-1][1]
        t["case"].add(
            case.id,
            case.survivor_id,
            case.team.id,
            self.d(case.opened),
            stage,
            None if case.closed is None else self.d(case.closed),
            case.closure_reason,
            case.transferred_from,
            case.navigator,
            self.at(case.opened, case.id),
        )
        for day, stage, reason in case.stages:
            sid = t["stage"].new_id()
            t["stage"].add_line(
                f"{sid}\t{case.id}\t{self.day_text[day]}\t{case.navigator}\t{self.at(day, sid)}\t{stage}\t{reason}\t\n"
            )

    def assignments(self, case: CasePlan, end: int) -> None:
        """One Navigator from the opening; on one case in ten another took over (a reassignment)."""
        rng, t = self.rng, self.tables
        team_navigators = case.team.navigators
        ended = None if case.closed is None else self.d(case.closed)
        if end - case.opened > 60 and rng.random() < 0.1 and len(team_navigators) > 1:
            before = rng.choice([n for n in team_navigators if n != case.navigator])
            handover = self.between(case.opened + 30, end - 1)
            t["assignment"].add(t["assignment"].new_id(), case.id, before, self.d(case.opened), self.d(handover))
            t["assignment"].add(t["assignment"].new_id(), case.id, case.navigator, self.d(handover), ended)
        else:
            t["assignment"].add(t["assignment"].new_id(), case.id, case.navigator, self.d(case.opened), ended)

    def follow_ups(self, case: CasePlan, end: int) -> None:
        rng, table, payloads, day_text = self.rng, self.tables["follow_up"], self.payloads, self.day_text
        gap = self.follow_up_gap
        if end - case.opened > 900 and rng.random() < 0.002:
            gap = 2.0  # a few intensive cases (contact every other day): case pages with hundreds of events
        low, high = max(1, int(gap * 0.5)), max(2, int(gap * 1.5))
        day = case.opened + rng.randint(0, high // 2)
        navigator, case_id, lines, count = case.navigator, case.id, table.lines, 0
        while day <= end:
            due = day + rng.randint(low, high)
            following = due + (rng.randint(1, 14) if rng.random() < 0.2 else 0)  # some happen late
            due = day_text[due] if (following <= end or case.closed is None) else r"\N"
            table.next_id += 1
            fid = table.next_id - 1
            lines.append(
                f"{fid}\t{case_id}\t{day_text[day]}\t{navigator}\t{day_text[day]} {9 + fid % 9:02d}:{fid * 7 % 60:02d}:00+00"
                f"\t{payloads[fid & 4095]}\t\t{due}\n"
            )
            day = following
            count += 1
        table.count += count

    def support(self, case: CasePlan, end: int) -> None:
        rng, t = self.rng, self.tables["service"]
        day = case.opened + int(rng.expovariate(1 / self.service_gap))
        while day <= end:
            sid = t.new_id()
            t.add_line(
                f"{sid}\t{case.id}\t{self.day_text[day]}\t{case.navigator}\t{self.at(day, sid)}\t"
                f"{rng.choice(cw.SupportServiceType.values[:-1])}\t\n"
            )
            day += 1 + int(rng.expovariate(1 / self.service_gap))

    def care(self, case: CasePlan, end: int) -> None:
        """A care plan from the recovery stage, reviewed every three months; assessments on a third of plans."""
        rng, t = self.rng, self.tables
        recovery = next((day for day, stage, _ in case.stages if stage == cw.Stage.RECOVERY), None)
        if recovery is None:
            return
        plan_id = t["care_plan"].new_id()
        reviews = (min(end, self.t_today) - recovery) // 91
        last_review = recovery + reviews * 91 if reviews else None
        next_review = (last_review or recovery) + rng.choice([90, 91, 92, 120])
        t["care_plan"].add(
            plan_id,
            case.id,
            self.d(recovery),
            self.d(next_review),
            None if last_review is None else self.d(last_review),
            "",
            1,
        )
        for domain in rng.sample(cw.WellbeingDomain.values, 2):
            t["goal"].add(
                t["goal"].new_id(),
                plan_id,
                domain,
                f"Agreed goal: {domain.replace('_', ' ')}",
                rng.choice(cw.GoalStatus.values),
                None,
            )
        if rng.random() < 0.18:
            scores = [rng.randint(1, 2) for _ in range(6)]
            day = recovery
            while day <= end:
                aid = t["assessment"].new_id()
                t["assessment"].add(aid, case.id, self.d(day), case.navigator, self.at(day, aid), *scores)
                scores = [min(4, max(1, s + rng.choices([-1, 0, 1], [10, 55, 35])[0])) for s in scores]
                day += rng.randint(150, 300)

    def engagement(self, case: CasePlan, end: int) -> None:
        rng, t = self.rng, self.tables["engagement"]
        if rng.random() > (0.17 if case.team.country != "BD" else 0.05):
            return
        level = rng.choices([0, 1, 2], [15, 55, 30])[0]
        day = case.opened + rng.randint(0, 20)
        while day <= end:
            eid = t.new_id()
            t.add(eid, case.id, self.d(day), case.navigator, self.at(day, eid), level, False, "")
            if level >= 4 or rng.random() < 0.45:
                return
            day += rng.randint(30, 200)
            if rng.random() < 0.07 and level > 0:
                if day <= end:
                    eid = t.new_id()
                    t.add(eid, case.id, self.d(day), case.navigator, self.at(day, eid), 0, True, "")
                return
            level += 1

    def nrm(self, case: CasePlan, end: int) -> None:
        rng, t = self.rng, self.tables["nrm"]
        path = [
            cw.NrmStatus.REFERRED,
            cw.NrmStatus.RG_PENDING,
            cw.NrmStatus.RG_POSITIVE,
            cw.NrmStatus.CG_PENDING,
            rng.choices([cw.NrmStatus.CG_POSITIVE, cw.NrmStatus.CG_NEGATIVE], [85, 15])[0],
        ]
        day = case.opened + rng.randint(0, 7)
        for status in path[: rng.randint(1, 5)]:
            if day > end:
                return
            nid = t.new_id()
            referred = status == cw.NrmStatus.REFERRED
            t.add(
                nid,
                case.id,
                self.d(day),
                case.navigator,
                self.at(day, nid),
                status,
                case.team.name if referred else "",
                cw.CompetentAuthority.SCA if referred else "",
                "",
            )
            day += rng.randint(5, 120)

    def criminal_justice(self, case: CasePlan, end: int) -> None:
        """Arrests of one or two accused; some are charged, tried and convicted, acquitted or still waiting."""
        rng, t, today = self.rng, self.tables, self.t_today
        country = case.team.country
        for _ in range(rng.choices([1, 2], [75, 25])[0]):
            accused = t["accused"].new_id()
            arrested = self.between(case.opened, min(end, case.opened + 120))
            t["accused"].add(
                accused,
                f"ACC-{country}-{accused:07d}",
                rng.choice(["male", "male", "female"]),
                rng.choice(["GB", "RO", "BD", "AL", "VN", "IN"]),
                case.team.id,
                self.at(arrested, accused),
            )
            aid = t["arrest"].new_id()
            t["arrest"].add(
                aid,
                case.id,
                self.d(arrested),
                case.navigator,
                self.at(arrested, aid),
                accused,
                rng.choices(cw.TeamSupportType.values, [35, 25, 30, 10])[0],
                "",
            )
            charged = arrested + rng.randint(20, 120)
            if rng.random() > 0.45 or charged > today:
                continue
            trial = charged + rng.randint(60, 400) if rng.random() < 0.7 else None
            if trial is not None and trial > today:
                trial = None
            outcome, outcome_on = cw.ProsecutionOutcome.ONGOING, None
            if trial is not None:
                decided = trial + rng.randint(3, 60)
                if decided <= today and rng.random() < 0.8:
                    outcome = rng.choices([cw.ProsecutionOutcome.CONVICTED, cw.ProsecutionOutcome.ACQUITTED], [70, 30])[
                        0
                    ]
                    outcome_on = decided
            elif rng.random() < 0.3:
                decided = charged + rng.randint(30, 300)
                if decided <= today:
                    outcome, outcome_on = cw.ProsecutionOutcome.WITHDRAWN, decided
            kinds = rng.sample(cw.ProsecutionSupport.values, rng.randint(1, 3))
            pid = t["prosecution"].new_id()
            t["prosecution"].add(
                pid,
                case.id,
                accused,
                rng.choice(OFFENCES[country]),
                kinds,
                self.d(charged),
                None if trial is None else self.d(trial),
                outcome,
                None if outcome_on is None else self.d(outcome_on),
                f"{rng.randint(2, 12)} years" if outcome == cw.ProsecutionOutcome.CONVICTED else "",
                case.navigator,
                self.at(charged, pid),
                1,
            )
            hearings = [(charged + rng.randint(1, 14), cw.CourtHearingKind.FIRST_HEARING)]
            if trial is not None:
                hearings.append((trial, cw.CourtHearingKind.TRIAL))
                if outcome_on is not None:
                    hearings.append((outcome_on, cw.CourtHearingKind.VERDICT))
                elif rng.random() < 0.8:  # the next date, which may lie ahead
                    hearings.append((today + rng.randint(-20, 120), cw.CourtHearingKind.TRIAL))
            elif outcome == cw.ProsecutionOutcome.ONGOING:
                hearings.append((today + rng.randint(7, 200), cw.CourtHearingKind.PRE_TRIAL))
            for day, kind in hearings:
                t["hearing"].add(
                    t["hearing"].new_id(), pid, self.d(max(day, case.opened)), kind, rng.random() < 0.3, ""
                )

    def repatriation_rows(
        self,
        case: CasePlan,
        *,
        sending: tuple,
        receiving: tuple,
        steps: list,
        stage: str,
        requested: int,
        departed,
        arrived,
        receiving_case,
        is_child: bool,
    ) -> None:
        t = self.tables
        rid = t["repatriation"].new_id()
        (s_country, s_team, s_partner), (r_country, r_team, r_partner) = sending, receiving
        t["repatriation"].add(
            rid,
            case.id,
            s_country,
            r_country,
            s_team,
            s_partner,
            r_team,
            r_partner,
            is_child,
            stage,
            self.d(requested),
            None if departed is None else self.d(departed),
            None if arrived is None else self.d(arrived),
            receiving_case,
            1,
        )
        for day, step in steps:
            t["step"].add(t["step"].new_id(), rid, step, self.d(day), "", case.navigator)

    def cross_border_repatriation(self, case: CasePlan) -> None:
        """A Romanian survivor found in the UK goes home with consent; the Romanian team's case follows on."""
        requested, departed, arrived, receiving = case.repatriation
        t = self.tables
        t["consent"].add(
            t["consent"].new_id(),
            case.survivor_id,
            sv.ConsentTopic.SHARE_CROSS_BORDER,
            True,
            self.d(requested),
            case.navigator,
            "",
        )
        receiving_case = self.next_case_of[case.id]
        steps = [
            (requested, cw.RepatriationStage.REQUESTED),
            (requested + 5, cw.RepatriationStage.RISK_ASSESSMENT),
            (requested + 12, cw.RepatriationStage.TRAVEL_DOCUMENTS),
            (max(requested + 12, departed - 3), cw.RepatriationStage.PLANNED),
            (departed, cw.RepatriationStage.IN_TRANSIT),
            (arrived, cw.RepatriationStage.ARRIVED),
        ]
        self.repatriation_rows(
            case,
            sending=("GB", case.team.id, None),
            receiving=("RO", receiving.id, None),
            steps=steps,
            stage=cw.RepatriationStage.ARRIVED,
            requested=requested,
            departed=departed,
            arrived=arrived,
            receiving_case=receiving_case,
            is_child=self.child[case.survivor_id],
        )

    def return_from_india(self, case: CasePlan, end: int) -> None:
        """A Bangladeshi survivor found in India by Vihaan and brought home to this case's team."""
        rng = self.rng
        requested = case.opened
        arrived = requested + rng.randint(20, 150)
        steps = [(requested, cw.RepatriationStage.REQUESTED)]
        if arrived <= end:
            steps += [(arrived, cw.RepatriationStage.IN_TRANSIT), (arrived, cw.RepatriationStage.ARRIVED)]
            stage, departed = cw.RepatriationStage.ARRIVED, arrived
        elif rng.random() < 0.2 or case.closed is not None:
            day = self.between(requested, end)
            steps.append((day, cw.RepatriationStage.CANCELLED))
            stage, departed, arrived = cw.RepatriationStage.CANCELLED, None, None
        else:
            steps.append((self.between(requested, end), cw.RepatriationStage.TRAVEL_DOCUMENTS))
            stage, departed, arrived = cw.RepatriationStage.TRAVEL_DOCUMENTS, None, None
        self.repatriation_rows(
            case,
            sending=("IN", None, self.partners["Vihaan"].pk),
            receiving=("BD", case.team.id, None),
            steps=steps,
            stage=stage,
            requested=requested,
            departed=departed,
            arrived=arrived,
            receiving_case=None,
            is_child=self.child[case.survivor_id],
        )

    def permissions(self, case: CasePlan) -> None:
        """What case_open, case_assign, case_stage_change and the handovers leave (docs/access.md)."""
        group, user, p = self.tables["group_perm"], self.tables["user_perm"], self.permission_ids
        keep_change_team = not case.handed_on
        keep_change_country = case.handed_on != "cross_border"
        for name in TEAM_PERMISSIONS:
            if name != "casework.change_case" or keep_change_team:
                group.add_line(f"{group.new_id()}\t{p[name]}\t{case.team.group_id}\t{case.id}\n")
        country_group = self.country_group[case.team.country]
        for name in COUNTRY_PERMISSIONS:
            if name != "casework.change_case" or keep_change_country:
                group.add_line(f"{group.new_id()}\t{p[name]}\t{country_group}\t{case.id}\n")
        if case.closed is None:  # closing a case ends its assignments, and with them the Navigator's own access
            for name in ASSIGNED_PERMISSIONS:
                user.add_line(f"{user.new_id()}\t{p[name]}\t{case.navigator}\t{case.id}\n")

    # -- training, prevention and returns --------------------------------------------------------------
    def sessions(self) -> None:
        rng, t = self.rng, self.tables
        for code, teams in self.teams.items():
            for team in teams:
                day = self.t_begin + rng.randint(0, 30)
                while day <= self.t_today:
                    navigator = rng.choice(team.navigators)
                    t["training"].add(
                        t["training"].new_id(),
                        team.id,
                        self.d(day),
                        rng.choice(TrainingAudience.values),
                        "Identifying and supporting victims of trafficking",
                        rng.randint(8, 60),
                        navigator,
                    )
                    if code == "BD" or rng.random() < 0.3:
                        held = min(self.t_today, day + rng.randint(0, 5))
                        t["prevention"].add(
                            t["prevention"].new_id(),
                            team.id,
                            self.d(held),
                            PreventionReach.DIRECT,
                            rng.randint(15, 120),
                            "Safe migration awareness",
                            navigator,
                        )
                    if rng.random() < 0.08:
                        t["prevention"].add(
                            t["prevention"].new_id(),
                            team.id,
                            self.d(day),
                            PreventionReach.INDIRECT,
                            rng.randint(1000, 20000),
                            "Radio broadcast",
                            navigator,
                        )
                    day += rng.randint(20, 45)

    def returns(self) -> None:
        """Partner returns for every past half-year, and legacy returns for the year before records began."""
        rng, t, me = self.rng, self.tables, self.me.pk
        first_year = self.begin.year
        for name, funded_from in (("LIFT International", first_year + 2), ("Vihaan", first_year)):
            for year in range(first_year, financial_year_of(self.today).start.year + 1):
                for half in (1, 2):
                    period = half_year(year, half)
                    if period.end >= self.today:
                        continue
                    rid = t["return"].new_id()
                    t["return"].add(
                        rid,
                        ReturnSource.PARTNER,
                        self.partners[name].pk,
                        None,
                        period.start,
                        period.end,
                        year >= funded_from,
                        "",
                        me,
                    )
                    for indicator, low, high in (
                        (Indicator.VICTIMS_REMOVED, 2, 40),
                        (Indicator.SURVIVORS_CARED_FOR, 10, 60),
                        (Indicator.ACCUSED_ARRESTED, 0, 20),
                        (Indicator.PROFESSIONALS_TRAINED, 20, 300),
                    ):
                        t["return_value"].add(
                            t["return_value"].new_id(),
                            rid,
                            indicator,
                            round(rng.randint(low, high) * max(1, self.scale * 10)),
                        )
        legacy = financial_year(first_year - 1)
        for code in ("GB", "RO", "BD"):
            rid = t["return"].new_id()
            t["return"].add(rid, ReturnSource.LEGACY, None, code, legacy.start, legacy.end, False, "", me)
            for indicator in Indicator.values:
                t["return_value"].add(
                    t["return_value"].new_id(), rid, indicator, round(rng.randint(5, 400) * max(1, self.scale * 10))
                )

    # -- loading ---------------------------------------------------------------------------------------
    TABLES = {
        "survivor": (
            sm.Survivor,
            (
                "id case_reference gender citizenships birth_year birth_date_precision age_at_exploitation "
                "trafficking_status status_decided_by means_of_control recruiter_relation registered_on "
                "registered_by_id created_at version"
            ),
        ),
        "exploitation": (sm.SurvivorExploitation, "id survivor_id type sexual_subtype industry county_lines cuckooing"),
        "consent": (sm.ConsentRecord, "id survivor_id topic given recorded_on recorded_by_id notes"),
        "case": (
            m.Case,
            "id survivor_id team_id opened_on stage closed_on closure_reason transferred_from_id opened_by_id created_at",
        ),
        "assignment": (m.CaseAssignment, "id case_id navigator_id started_on ended_on"),
        "stage": (m.StageChange, "id case_id occurred_on recorded_by_id recorded_at stage closure_reason notes"),
        "follow_up": (
            m.FollowUp,
            "id case_id occurred_on recorded_by_id recorded_at mode outcome purposes duration_minutes notes next_due_on",
        ),
        "service": (m.SupportService, "id case_id occurred_on recorded_by_id recorded_at service_type notes"),
        "care_plan": (m.CarePlan, "id case_id started_on next_review_on last_reviewed_on summary version"),
        "goal": (m.CarePlanGoal, "id care_plan_id domain goal status target_on"),
        "assessment": (
            m.WellbeingAssessment,
            (
                "id case_id occurred_on recorded_by_id recorded_at safety legal_protection "
                "mental_wellbeing economic_empowerment social_support physical_wellbeing"
            ),
        ),
        "engagement": (
            m.PoliceEngagementEvent,
            "id case_id occurred_on recorded_by_id recorded_at level is_withdrawal notes",
        ),
        "nrm": (
            m.NrmEvent,
            "id case_id occurred_on recorded_by_id recorded_at status first_responder competent_authority notes",
        ),
        "removal": (m.RemovalFromExploitation, "id case_id occurred_on recorded_by_id recorded_at support_type notes"),
        "retrafficking": (m.RetraffickingEvent, "id case_id occurred_on recorded_by_id recorded_at notes"),
        "accused": (m.AccusedPerson, "id reference gender citizenship recorded_by_team_id created_at"),
        "arrest": (m.Arrest, "id case_id occurred_on recorded_by_id recorded_at accused_id support_type notes"),
        "prosecution": (
            m.Prosecution,
            (
                "id case_id accused_id offence support_kinds charged_on trial_started_on outcome "
                "outcome_on sentence recorded_by_id created_at version"
            ),
        ),
        "hearing": (m.CourtHearing, "id prosecution_id scheduled_for kind survivor_attending notes"),
        "repatriation": (
            m.Repatriation,
            (
                "id case_id sending_country_id receiving_country_id sending_team_id sending_partner_id "
                "receiving_team_id receiving_partner_id is_child stage requested_on departed_on "
                "arrived_on receiving_case_id version"
            ),
        ),
        "step": (m.RepatriationStep, "id repatriation_id stage occurred_on notes recorded_by_id"),
        "group_perm": (m.CaseGroupObjectPermission, "id permission_id group_id content_object_id"),
        "user_perm": (m.CaseUserObjectPermission, "id permission_id user_id content_object_id"),
        "training": (rm.TrainingSession, "id team_id held_on audience topic attendee_count recorded_by_id"),
        "prevention": (rm.PreventionSession, "id team_id held_on reach participants description recorded_by_id"),
        "return": (
            rm.AggregateReturn,
            "id source partner_id country_id period_start period_end funded notes entered_by_id",
        ),
        "return_value": (rm.AggregateReturnValue, "id aggregate_return_id indicator value"),
    }

    def prepare_tables(self, cursor) -> None:
        self.tables = {}
        for key, (model, columns) in self.TABLES.items():
            table = CopyTable(model, columns.split())
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table.table}")
            table.first_id = table.next_id = cursor.fetchone()[0]
            self.tables[key] = table

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush(self.pg_cursor)

    def link_handovers(self) -> None:
        """Which case follows which (the receiving case of a cross-border repatriation)."""
        self.next_case_of = {}
        for case in self.cases:
            if case.transferred_from is not None:
                self.next_case_of[case.transferred_from] = case.id

    def write_history(self, cursor) -> None:
        for _key, table in self.tables.items():
            history = getattr(table.model, "history", None)
            if history is None or table.count == 0:
                continue
            columns = [f.column for f in table.model._meta.concrete_fields]
            names = {f.column for f in table.model._meta.concrete_fields}
            when = next((c for c in ("recorded_at", "created_at") if c in names), "now()")
            who = next(
                (c for c in ("recorded_by_id", "opened_by_id", "registered_by_id", "entered_by_id") if c in names),
                "NULL",
            )
            cols = ", ".join(columns)
            cursor.execute(
                f"INSERT INTO {history.model._meta.db_table} ({cols}, history_date, history_change_reason, history_type, history_user_id) "
                f"SELECT {cols}, {when}, NULL, '+', {who} FROM {table.table} WHERE id >= %s",
                [table.first_id],
            )

    def run(self) -> dict[str, int]:
        """Build and load everything in the caller's transaction; returns the row counts by table."""
        self.organisation()
        self.tick(f"organisation: {sum(len(t) for t in self.teams.values())} teams, {len(self.users)} users")
        self.permission_ids = {
            f"casework.{p.codename}": p.pk
            for p in Permission.objects.filter(content_type__app_label="casework", content_type__model="case")
        }
        with connection.cursor() as cursor:
            self.pg_cursor = cursor.connection.cursor()
            self.prepare_tables(cursor)
            self.plan()
            self.link_handovers()
            self.events()
            self.sessions()
            self.returns()
            self.flush()
            self.tick("loaded every table with COPY")
            for table in self.tables.values():
                if table.count:
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table.table}', 'id'), {table.next_id - 1})")
            if self.history:
                self.write_history(cursor)
                self.tick("wrote one '+' history row per record")
            # Deferred foreign keys are checked here, not at commit, so that the time is counted in this step.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.tick("checked every foreign key")
        return {table.table: table.count for table in self.tables.values()}
