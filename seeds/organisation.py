"""The demo charity's fixed shape: countries, teams, partners and demo users."""

from datetime import date

from casework import services as casework_services
from dataprotection import roles
from navigators import services
from navigators.history import change_by
from navigators.models import Country, Partner, RoleGrant, Team, User
from navigators.sessions import has_authenticator_app

DEMO_PASSWORD = "survivor-demo-2026"
# Development only: every demo login shares this authenticator-app secret (two-factor authentication is
# compulsory). Printed by seed_demo; `manage.py demo_code` shows its current code. Never for real accounts.
DEMO_TOTP_SECRET = "DEVDEMOSECRETNOTFORREALACCOUNTS2"

COUNTRIES = [
    ("GB", "United Kingdom", True),
    ("RO", "Romania", True),
    ("BD", "Bangladesh", True),
    ("TH", "Thailand", False),
    ("IN", "India", False),
]

TEAMS = [
    ("Metropolitan Police", "GB", Team.Kind.POLICE),
    ("Surrey Police", "GB", Team.Kind.POLICE),
    ("West Yorkshire Police", "GB", Team.Kind.POLICE),
    ("Bucharest brigade", "RO", Team.Kind.ORGANISED_CRIME_BRIGADE),
    ("Constanța brigade", "RO", Team.Kind.ORGANISED_CRIME_BRIGADE),
    ("Jessore aftercare", "BD", Team.Kind.AFTERCARE),
    ("Dhaka aftercare", "BD", Team.Kind.AFTERCARE),
    ("Benapole repatriation", "BD", Team.Kind.REPATRIATION),
]

PARTNERS = [("LIFT International", "TH"), ("Vihaan", "IN")]

# username, first name, last name, role, team (Navigators) or country (leads)
USERS = [
    ("navigator.gb", "Grace", "Okafor", RoleGrant.Role.NAVIGATOR, "Metropolitan Police"),
    ("navigator.gb2", "Tom", "Hughes", RoleGrant.Role.NAVIGATOR, "Surrey Police"),
    ("navigator.gb3", "Priya", "Shah", RoleGrant.Role.NAVIGATOR, "West Yorkshire Police"),
    ("navigator.ro", "Ioana", "Popescu", RoleGrant.Role.NAVIGATOR, "Bucharest brigade"),
    ("navigator.ro2", "Mihai", "Ionescu", RoleGrant.Role.NAVIGATOR, "Constanța brigade"),
    ("navigator.bd", "Nusrat", "Akter", RoleGrant.Role.NAVIGATOR, "Jessore aftercare"),
    ("navigator.bd2", "Rafiq", "Hasan", RoleGrant.Role.NAVIGATOR, "Dhaka aftercare"),
    ("navigator.bd3", "Shirin", "Begum", RoleGrant.Role.NAVIGATOR, "Benapole repatriation"),
    ("lead.gb", "Helen", "Carter", RoleGrant.Role.COUNTRY_LEAD, "GB"),
    ("lead.ro", "Andrei", "Dumitru", RoleGrant.Role.COUNTRY_LEAD, "RO"),
    ("lead.bd", "Farhana", "Rahman", RoleGrant.Role.COUNTRY_LEAD, "BD"),
    ("me", "Sam", "Evans", RoleGrant.Role.MONITORING_EVALUATION, None),
    ("admin", "Alex", "Morgan", RoleGrant.Role.ADMINISTRATOR, None),
    ("dpl", "Jordan", "Reid", RoleGrant.Role.DATA_PROTECTION_LEAD, None),
]

# Granted without a second person when the demo is seeded (there is nobody yet to approve them).
BOOTSTRAPPED = {
    RoleGrant.Role.DATA_PROTECTION_LEAD: "data protection lead",
    RoleGrant.Role.ADMINISTRATOR: "administrator",
}

# The logins printed by the run command (the extra Navigators only fill the teams).
DEMO_LOGINS = [
    "navigator.gb",
    "navigator.gb2",
    "navigator.ro",
    "navigator.bd",
    "lead.gb",
    "lead.ro",
    "lead.bd",
    "me",
    "admin",
    "dpl",
]


def organisation_seed(*, members_since: date) -> dict:
    """Create (or find) countries, teams, partners and demo users; returns them by name."""
    created = {}
    with change_by(None):
        for code, name, direct in COUNTRIES:
            created[code] = Country.objects.filter(code=code).first() or services.country_create(
                acting_user=None, code=code, name=name, is_direct_work=direct
            )
        for name, code, kind in TEAMS:
            created[name] = Team.objects.filter(name=name).first() or services.team_create(
                acting_user=None, name=name, country=created[code], kind=kind
            )
        for name, code in PARTNERS:
            created[name], _ = Partner.objects.get_or_create(name=name, defaults={"country_id": code})
        joined = []
        for username, first, last, role, where in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=first, last_name=last, email=f"{username}@example.org")
                user.set_password(DEMO_PASSWORD)
                user.save()
                joined.append((user, role, where))
            if not has_authenticator_app(user):
                services.totp_enrol(acting_user=None, user=user, secret=DEMO_TOTP_SECRET)
            created[username] = user
        # As in the charity: the first data protection lead and administrator are granted without a second
        # person (the operator's `role_bootstrap`); every other role is asked for by the administrator and
        # approved by the data protection lead, so the demo's role grants page shows both.
        joined.sort(key=lambda joiner: joiner[1] not in BOOTSTRAPPED)
        for user, role, where in joined:
            country = created[where] if role == RoleGrant.Role.COUNTRY_LEAD else None
            if role in BOOTSTRAPPED:
                roles.role_grant_bootstrap(
                    acting_user=None, user=user, role=role, reason=f"Demo data: the first {BOOTSTRAPPED[role]}."
                )
            else:
                asked = roles.role_grant_request(
                    acting_user=created["admin"], user=user, role=role, country=country, reason="Demo data."
                )
                roles.role_grant_approve(acting_user=created["dpl"], role_request=asked)
            if role == RoleGrant.Role.NAVIGATOR:
                casework_services.membership_change(
                    acting_user=created["admin"], user=user, team=created[where], started_on=members_since
                )
    return created
