"""The access matrix: every URL pattern of the project, for every kind of person, GET and POST.

Each cell of MATRIX is the status code that person gets. The test fails when a URL pattern exists that
the table does not list, so a new view cannot ship without its row, and it reports every wrong cell
at once. Each request runs in a transaction rolled back afterwards, so no cell changes another.

Columns, in order (see the `world` fixture in conftest.py):
  anon      not signed in
  asgn      the Navigator assigned to the case
  team      a Navigator of the case's team, not assigned
  othT      a Navigator of another team in the same country
  othC      a Navigator in another country
  lead      the lead of the case's country
  othL      the lead of another country
  me        M&E
  admin     an administrator (staff, superuser), with no case role
"""

import copy
import re
from datetime import date

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reporting.exports.jobs import ExportRequest
from reporting.headline import period_for_label
from reporting.models import ExportJob
from reporting.publishing import period_publish
from reporting.tasks import export_request
from tests import factories

ROLES = ["anon", "assigned", "same_team", "other_team", "other_country", "lead", "other_lead", "me", "admin"]

# A GET-only page answers 405 to a POST, whoever asks, before anything else is looked at.
NO_POST = "405 405 405 405 405 405 405 405 405"
# A POST-only action answers 405 to a GET in the same way.
NO_GET = NO_POST
# Admin pages: everyone but an administrator is sent to sign in (the admin login hands over to allauth).
STAFF = "302 302 302 302 302 302 302 302 200"
STAFF_REFUSED = "302 302 302 302 302 302 302 302 403"
STAFF_MISSING = "302 302 302 302 302 302 302 302 404"
STAFF_REDIRECT = "302 302 302 302 302 302 302 302 302"
# Signed-in pages open to everyone with an account.
SIGNED_IN = "302 200 200 200 200 200 200 200 200"
# M&E's pages: M&E alone; everyone else signed in is refused, administrators and country leads included.
ME_ONLY = "302 403 403 403 403 403 403 200 403"
# A role none of the columns holds (the data protection lead's pages): every signed-in person is refused.
NOBODY = "302 403 403 403 403 403 403 403 403"

#                                        anon asgn team othT othC lead othL me   admin
MATRIX = {
    "home": (SIGNED_IN, NO_POST),
    # The caseload's filters are POSTed (no name in a URL): the same page as a GET.
    "casework:case_list": (SIGNED_IN, SIGNED_IN),
    "casework:case_detail": ("302 200 200 404 404 200 404 404 404", NO_POST),
    "casework:case_identity": ("302 200 403 404 404 200 404 404 404", NO_POST),
    "casework:case_history": ("302 200 200 404 404 200 404 404 404", NO_POST),
    # Adding and editing a case's records: those who may change the case; 404 for everyone who may not see it.
    "casework:record_new": ("302 200 200 404 404 200 404 404 404", "302 200 200 404 404 200 404 404 404"),
    "casework:case_open": ("302 200 200 404 404 200 404 404 404", "302 200 200 404 404 200 404 404 404"),
    "casework:care_plan_edit": ("302 200 200 404 404 200 404 404 404", "302 200 200 404 404 200 404 404 404"),
    "casework:prosecution_edit": ("302 200 200 404 404 200 404 404 404", "302 200 200 404 404 200 404 404 404"),
    "casework:repatriation_advance": ("302 200 200 404 404 200 404 404 404", "302 200 200 404 404 200 404 404 404"),
    "survivors:survivor_access_trail": ("302 404 404 404 404 200 404 404 200", NO_POST),
    "survivors:user_access_trail": ("302 403 403 403 403 403 403 403 200", NO_POST),
    # Registering: Navigators with a team and country leads (M&E and administrators hold no case role).
    "survivors:survivor_register": ("302 200 200 200 200 200 200 403 403", "302 200 200 200 200 200 200 403 403"),
    "survivors:survivor_edit": ("302 200 200 404 404 200 404 404 404", "302 200 200 404 404 200 404 404 404"),
    "survivors:survivor_identity_edit": ("302 200 403 404 404 200 404 404 404", "302 200 403 404 404 200 404 404 404"),
    "survivors:survivor_consent": ("302 200 200 404 404 200 404 404 404", "302 200 200 404 404 200 404 404 404"),
    # The country lead's pages: 403 for everyone else; a case or request they cannot see is 404 as ever.
    "casework:lead_dashboard": ("302 403 403 403 403 200 200 403 403", NO_POST),
    "casework:request_list": ("302 403 403 403 403 200 200 403 403", NO_POST),
    "casework:request_approve": ("405 405 405 405 405 405 405 405 405", "302 403 403 404 404 302 404 404 404"),
    "casework:request_return": ("405 405 405 405 405 405 405 405 405", "302 403 403 404 404 200 404 404 404"),
    "casework:case_reassign": ("302 403 403 404 404 200 404 404 404", "302 403 403 404 404 200 404 404 404"),
    # Asking the lead to close or transfer a case: those who may change it.
    "casework:closure_request": ("302 200 200 404 404 200 404 404 404", "302 200 200 404 404 200 404 404 404"),
    "casework:transfer_request": ("302 200 200 404 404 200 404 404 404", "302 200 200 404 404 200 404 404 404"),
    # M&E's headline pages (reporting.access.me_required). Publishing is a POST; an empty one goes back to the table.
    "reporting:headline": (ME_ONLY, NO_POST),
    "reporting:trends": (ME_ONLY, NO_POST),
    "reporting:publish": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 403 403 302 403"),
    "reporting:published_list": (ME_ONLY, NO_POST),
    "reporting:published_detail": (ME_ONLY, NO_POST),
    # Exports: M&E only; a job is its requester's (here M&E's own, built and ready to download).
    "reporting:export_new": (ME_ONLY, ME_ONLY),
    "reporting:export_detail": (ME_ONLY, NO_POST),
    "reporting:export_download": (ME_ONLY, NO_POST),
    # The anonymised case-level extract: M&E only (an empty POST is the form with errors; a valid one streams the CSV).
    "reporting:case_extract": (ME_ONLY, ME_ONLY),
    # Training, prevention and aggregate returns: M&E enter and correct them (an empty POST is a form with errors).
    "reporting:training_session_list": (ME_ONLY, NO_POST),
    "reporting:training_session_new": (ME_ONLY, ME_ONLY),
    "reporting:training_session_edit": (ME_ONLY, ME_ONLY),
    "reporting:prevention_session_list": (ME_ONLY, NO_POST),
    "reporting:prevention_session_new": (ME_ONLY, ME_ONLY),
    "reporting:prevention_session_edit": (ME_ONLY, ME_ONLY),
    "reporting:aggregate_return_list": (ME_ONLY, NO_POST),
    "reporting:aggregate_return_new": (ME_ONLY, ME_ONLY),
    "reporting:aggregate_return_edit": (ME_ONLY, ME_ONLY),
    # The data protection lead's pages (dataprotection.access.dpl_required): nobody in this world holds the
    # role, so every signed-in person is refused, administrators included.
    "dataprotection:home": (NOBODY, NO_POST),
    "dataprotection:survivor": (NOBODY, NO_POST),
    "dataprotection:subject_access": (NOBODY, NO_POST),
    "dataprotection:subject_access_json": (NOBODY, NO_POST),
    "dataprotection:legal_hold_set": (NO_GET, NOBODY),
    "dataprotection:legal_hold_lift": (NO_GET, NOBODY),
    "dataprotection:erase": (NO_GET, NOBODY),
    "dataprotection:possible_duplicates": (NOBODY, NO_POST),
    "dataprotection:possible_duplicate_decide": (NO_GET, NOBODY),
    # Every role request and what became of it: the data protection lead's list (nobody here holds the role).
    "dataprotection:role_grants": (NOBODY, NO_POST),
    # Role requests waiting for a second person: the data protection lead decides any, a country lead one
    # for a lead of their own country (the things' request is for a GB lead, so the RO lead gets 404).
    "role_requests": ("302 403 403 403 403 200 200 403 403", NO_POST),
    "role_request_approve": (NO_GET, "302 403 403 403 403 302 404 403 403"),
    "role_request_refuse": (NO_GET, "302 403 403 403 403 302 404 403 403"),
    # allauth: sign-in, sign-out and password pages. Signed-in people are sent on from the sign-in page.
    "account_login": ("200 302 302 302 302 302 302 302 302", "200 302 302 302 302 302 302 302 302"),
    "account_logout": ("302 200 200 200 200 200 200 200 200", "302 302 302 302 302 302 302 302 302"),
    "account_inactive": ("200 200 200 200 200 200 200 200 200", NO_POST),
    # Sign-up is closed: accounts are made by administrators.
    "account_signup": ("200 302 302 302 302 302 302 302 302", "200 302 302 302 302 302 302 302 302"),
    "account_reauthenticate": ("302 200 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200 200"),
    "account_email": ("302 200 200 200 200 200 200 200 200", "302 302 302 302 302 302 302 302 302"),
    "account_email_verification_sent": ("200 200 200 200 200 200 200 200 200", NO_POST),
    "account_confirm_email": ("200 200 200 200 200 200 200 200 200", "404 404 404 404 404 404 404 404 404"),
    "account_change_password": ("302 200 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200 200"),
    "account_set_password": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    "account_reset_password": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "account_reset_password_done": ("200 200 200 200 200 200 200 200 200", NO_POST),
    "account_reset_password_from_key": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "account_reset_password_from_key_done": ("200 200 200 200 200 200 200 200 200", NO_POST),
    "account_confirm_login_code": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    # Two-factor authentication (allauth.mfa): everyone's own page; the code asked at sign-in needs a
    # password just typed (otherwise back to sign in). Changing anything asks for the password again
    # first (302 to reauthenticate: force_login records no recent password).
    "mfa_index": (SIGNED_IN, "302 405 405 405 405 405 405 405 405"),
    "mfa_authenticate": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    "mfa_reauthenticate": ("302 200 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200 200"),
    "mfa_activate_totp": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    "mfa_deactivate_totp": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    "mfa_view_recovery_codes": ("302 302 302 302 302 302 302 302 302", "302 405 405 405 405 405 405 405 405"),
    "mfa_generate_recovery_codes": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    "mfa_download_recovery_codes": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    # Each person's own sessions (allauth.usersessions): listed, and the others ended by a POST.
    "usersessions_list": (SIGNED_IN, "302 302 302 302 302 302 302 302 302"),
    # The admin's own pages.
    "admin:index": (STAFF, STAFF),
    # Signed in without staff status: refused, not sent round the sign-in again.
    "admin:login": ("302 403 403 403 403 403 403 403 302", "302 403 403 403 403 403 403 403 200"),
    "admin:logout": ("302 302 302 302 302 302 302 302 405", STAFF),
    "admin:password_change": (STAFF, STAFF),
    "admin:password_change_done": (STAFF, "302 302 302 302 302 302 302 302 405"),
    "admin:autocomplete": (STAFF_REFUSED, "302 302 302 302 302 302 302 302 405"),
    "admin:jsi18n": (STAFF, "302 302 302 302 302 302 302 302 405"),
    "admin:view_on_site": (STAFF_MISSING, STAFF_MISSING),
    "admin:app_list": (STAFF, STAFF),
    # Django's UserAdmin names its set-password page after auth.User, whatever the user model. Nobody sets
    # another person's password: that would be their account (people reset their own, by e-mail).
    "admin:auth_user_password_change": (STAFF_REFUSED, STAFF_REFUSED),
    "admin/(?P<url>.*)$": (STAFF_MISSING, STAFF_MISSING),
}

# The models in the admin and what an administrator may do with them: (GET, POST) per admin page.
# Case data is not among them (tests/test_admin.py); the access trail is read-only.
EDITABLE = {
    "changelist": (STAFF, STAFF),
    "add": (STAFF, STAFF),
    "change": (STAFF, STAFF),
    "delete": (STAFF, STAFF),
    "history": (STAFF, STAFF),
    "simple_history": (STAFF, STAFF),
    "object_redirect": (STAFF_REDIRECT, STAFF_REDIRECT),
}
WITHOUT_HISTORY = {page: cells for page, cells in EDITABLE.items() if page != "simple_history"}
# People, countries, teams and partners: edited, but their history is never reverted (a revert saves
# fields the form does not show, such as a user's superuser flag). Users are deactivated, not deleted.
ORGANISATION = {**EDITABLE, "simple_history": (STAFF, STAFF_REFUSED)}
USERS = {**ORGANISATION, "delete": (STAFF_REFUSED, STAFF_REFUSED)}
# Roles are asked for (a request's add page; an empty POST is the form with errors) and revoked by an
# action of the roles' list; team moves are the memberships' add page. Nothing is edited or deleted.
SERVICE_ONLY = {
    **ORGANISATION,
    "change": (STAFF, STAFF_REFUSED),
    "delete": (STAFF_REFUSED, STAFF_REFUSED),
}
ROLES_HELD = {**SERVICE_ONLY, "add": (STAFF_REFUSED, STAFF_REFUSED)}
READ_ONLY = {
    **WITHOUT_HISTORY,
    "add": (STAFF_REFUSED, STAFF_REFUSED),
    "change": (STAFF, STAFF_REFUSED),
    "delete": (STAFF_REFUSED, STAFF_REFUSED),
}
# django-axes' records: written by sign-ins only; every field is read-only, so a POST to a row changes
# nothing and returns to the list. Deleting an access attempt lifts that lockout.
AXES = {**WITHOUT_HISTORY, "add": (STAFF_REFUSED, STAFF_REFUSED), "change": (STAFF, STAFF_REDIRECT)}
ADMIN_MODELS = {
    # Django's Group page is not registered: joining a team's or a country's group opens its cases.
    # allauth's sign-in records (no simple-history), shown and never written: an address is where a
    # password reset goes, an authenticator holds a secret, a session key is the session itself.
    "account.emailaddress": READ_ONLY,
    "navigators.user": USERS,
    "navigators.country": ORGANISATION,
    "navigators.team": ORGANISATION,
    "navigators.teammembership": SERVICE_ONLY,
    "navigators.rolegrant": ROLES_HELD,
    "navigators.rolegrantrequest": SERVICE_ONLY,
    "navigators.partner": ORGANISATION,
    "reporting.trainingsession": EDITABLE,
    "reporting.preventionsession": EDITABLE,
    "reporting.aggregatereturn": EDITABLE,
    "reporting.aggregatereturnvalue": EDITABLE,
    # Written by the application and never edited: a published table is frozen; an export job says who asked.
    "reporting.publishedreport": READ_ONLY,
    "reporting.exportjob": READ_ONLY,
    "survivors.accessrecord": READ_ONLY,
    # Which Navigator was sent the daily reminders when: kept with its history, never edited.
    "navigators.reminderdigest": {**READ_ONLY, "simple_history": (STAFF, STAFF_REFUSED)},
    # Two-factor authentication is reset by the user action (its service), not by deleting a row here.
    # Deleting a django-axes access attempt lifts a lockout.
    "mfa.authenticator": READ_ONLY,
    "usersessions.usersession": READ_ONLY,
    "axes.accessattempt": AXES,
    "axes.accesslog": AXES,
    "axes.accessfailurelog": AXES,
}
for label, pages in ADMIN_MODELS.items():
    app_label, model_name = label.split(".")
    for page, cells in pages.items():
        key = (
            f"admin/{app_label}/{model_name}/<path:object_id>/"
            if page == "object_redirect"
            else f"admin:{app_label}_{model_name}_{page}"
        )
        MATRIX[key] = cells


def url_patterns(patterns=None, prefix="", namespace=""):
    """(key, pattern, route) for every URL pattern: its name, namespaced, or its route when it has none."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            key = f"{namespace}:{pattern.name}".strip(":") if pattern.name else route
            yield key, pattern, route


def url_for(key, route, things):
    """A URL for one pattern, filled with the world's own objects."""
    if key == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    if key.endswith("<path:object_id>/"):
        app_label, model_name = key.split("/")[1:3]
        return f"/admin/{app_label}/{model_name}/{things['admin_rows'][f'{app_label}.{model_name}'].pk}/"
    if key == "admin:auth_user_password_change":
        return reverse(key, args=[things["assigned"].pk])
    label = next((label for label in ADMIN_MODELS if key.startswith(f"admin:{label.replace('.', '_')}_")), None)
    if label and re.search(r"_(change|delete|history)$", key):
        row = things["admin_rows"][label]
        args = (
            [row.pk, row.history.order_by("history_id").first().history_id]
            if key.endswith("_simple_history")
            else [row.pk]
        )
        return reverse(key, args=args)
    values = {
        "case_id": things["case"].pk,
        "kind": "follow-up",
        "prosecution_id": things["prosecution"].pk,
        "repatriation_id": things["repatriation"].pk,
        "survivor_id": things["case"].survivor_id,
        "user_id": things["assigned"].pk,
        "app_label": "navigators",
        "content_type_id": 1,
        "object_id": 1,
        "key": "no-such-key",
        "uidb36": "zz",
        "review_id": 1,
    }
    values["request_id"] = things["case_request"].pk
    values["role_request_id"] = things["admin_rows"]["navigators.rolegrantrequest"].pk
    values |= {
        "training_session_id": things["admin_rows"]["reporting.trainingsession"].pk,
        "prevention_session_id": things["admin_rows"]["reporting.preventionsession"].pk,
        "return_id": things["admin_rows"]["reporting.aggregatereturn"].pk,
        "source": "partner",
        "published_id": things["published"].pk,
        "job_id": things["export_job"].pk,
    }
    names = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\(\?P<(\w+)>", route))
    return reverse(key, kwargs={name: values[name] for name in names})


@pytest.fixture
def things(world):
    rows = {
        "navigators.rolegrantrequest": factories.RoleGrantRequestFactory(
            user=world["same_team"], role="country_lead", country=world["met"].country, requested_by=world["admin"]
        ),
        "account.emailaddress": factories.EmailAddressFactory(user=world["assigned"]),
        "navigators.user": world["assigned"],
        "navigators.country": world["met"].country,
        "navigators.team": world["met"],
        "navigators.teammembership": world["assigned"].memberships.get(),
        "navigators.rolegrant": world["assigned"].role_grants.get(),
        "navigators.partner": factories.PartnerFactory(),
        "reporting.trainingsession": factories.TrainingSessionFactory(),
        "reporting.preventionsession": factories.PreventionSessionFactory(),
        "reporting.aggregatereturnvalue": factories.AggregateReturnValueFactory(),
        "reporting.publishedreport": factories.PublishedReportFactory(
            label="19/20 H1", period_start=date(2019, 9, 1), period_end=date(2020, 2, 29)
        ),  # 21/22 H1 is published below
        "reporting.exportjob": factories.ExportJobFactory(),
        "survivors.accessrecord": factories.AccessRecordFactory(survivor=world["case"].survivor),
        "navigators.reminderdigest": factories.ReminderDigestFactory(navigator=world["assigned"]),
        "mfa.authenticator": world["assigned"].authenticator_set.get(type="totp"),
        "usersessions.usersession": factories.UserSessionFactory(user=world["assigned"]),
        "axes.accessattempt": factories.AccessAttemptFactory(),
        "axes.accesslog": factories.AccessLogFactory(),
        "axes.accessfailurelog": factories.AccessFailureLogFactory(),
    }
    rows["reporting.aggregatereturn"] = rows["reporting.aggregatereturnvalue"].aggregate_return
    world = {**world, "case_request": factories.CaseRequestFactory(case=world["case"], requested_by=world["assigned"])}
    case_records = {
        "prosecution": factories.ProsecutionFactory(case=world["case"]),
        "repatriation": factories.RepatriationFactory(case=world["case"]),
    }
    h1 = period_for_label("21/22 H1")
    export_job = export_request(acting_user=world["me"], export=ExportRequest(h1, "csv"))
    ExportJob.objects.filter(pk=export_job.pk).update(
        status=ExportJob.Status.DONE, content=b"indicator,value\n", filename="headline.csv", content_type="text/csv"
    )
    reports = {"published": period_publish(acting_user=world["me"], period=h1), "export_job": export_job}
    return {**world, **case_records, **reports, "admin_rows": rows}


def signed_in_clients(things) -> dict:
    """One client per person, signed in once; each request starts from the cookies of that sign-in."""
    clients = {}
    for who in ROLES:
        client = Client()
        if who != "anon":
            client.force_login(things[who])
        clients[who] = (client, copy.deepcopy(client.cookies))
    return clients


def answer(url, method, who, clients):
    client, cookies = clients[who]
    client.cookies = copy.deepcopy(cookies)  # a sign-out answered before leaves this person signed in here
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    return response.status_code


def test_every_url_pattern_has_its_row():
    keys = {key for key, _, _ in url_patterns()}

    assert sorted(keys - MATRIX.keys()) == [], "URL patterns with no row in the access matrix"
    assert sorted(MATRIX.keys() - keys) == [], "rows of the access matrix for URL patterns that no longer exist"


def test_every_admin_model_has_its_rows():
    registered = {model._meta.label_lower for model in admin.site._registry}

    assert registered == ADMIN_MODELS.keys()


def test_access_matrix(things):
    clients = signed_in_clients(things)
    wrong = []
    for key, _, route in url_patterns():
        url = url_for(key, route, things)
        for method, expected in zip(("GET", "POST"), MATRIX[key], strict=True):
            for who, code in zip(ROLES, expected.split(), strict=True):
                got = answer(url, method, who, clients)
                if got != int(code):
                    wrong.append(f"{method} {url} as {who}: {got}, the table says {code}")

    assert wrong == [], "\n".join(wrong)
