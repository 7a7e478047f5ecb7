"""Granting a role (docs/access.md, "Granting a role"): an administrator asks, a second person approves.

Nobody asks for or approves their own role; a request gives nothing until it is approved; a data
protection lead approves any request, a country lead also one for a lead of their own country; a refused
request gives nothing; revoking ends the access at once. Every step is in the history and in the access
trail (chained), and the data protection lead lists them all.

The people are the `world` of conftest.py (its roles given by the mechanics directly), with a data
protection lead, `dpl`.
"""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from casework.access import cases_visible_to
from dataprotection import roles
from dataprotection.chain import chain_verify
from dataprotection.models import AuditChainLink
from navigators.models import RoleGrant, RoleGrantRequest, User
from survivors.models import AccessRecord
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
Role, Status, Action = RoleGrant.Role, RoleGrantRequest.Status, AccessRecord.Action


@pytest.fixture
def dpl(world):
    return make_user("dpl", role=Role.DATA_PROTECTION_LEAD)


def fresh(user):
    """The user as the next request reads them (roles and groups from the database, nothing cached)."""
    return User.objects.get(pk=user.pk)


def gb(world):
    return world["met"].country


def ask_lead_gb(world, user=None):
    """The administrator asks for `user` (M&E by default, who holds no case role) to lead GB."""
    return roles.role_grant_request(
        acting_user=world["admin"],
        user=user or world["me"],
        role=Role.COUNTRY_LEAD,
        country=gb(world),
        reason="New lead",
    )


def identity_status(client, user, case):
    client.force_login(user)
    return client.get(reverse("casework:case_identity", args=[case.pk])).status_code


def trail(user=None):
    records = AccessRecord.objects.filter(survivor__isnull=True).order_by("id")
    return list((records.filter(user=user) if user else records).values_list("action", flat=True))


# ---- asking ---------------------------------------------------------------------------------------


def test_nobody_asks_for_a_role_for_themselves(world):
    with pytest.raises(ValidationError):
        roles.role_grant_request(
            acting_user=world["admin"], user=world["admin"], role=Role.COUNTRY_LEAD, country=gb(world)
        )

    assert not RoleGrantRequest.objects.exists()


def test_only_an_administrator_asks_for_a_role(world):
    with pytest.raises(PermissionDenied):
        roles.role_grant_request(acting_user=world["lead"], user=world["me"], role=Role.COUNTRY_LEAD, country=gb(world))

    assert not RoleGrantRequest.objects.exists()


def test_superuser_status_without_the_administrator_role_asks_for_nothing(world):
    superuser = make_user("superuser.only", role=Role.MONITORING_EVALUATION)
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()

    with pytest.raises(PermissionDenied):
        roles.role_grant_request(acting_user=superuser, user=world["me"], role=Role.NAVIGATOR)


def test_a_pending_request_gives_nothing(client, world):
    ask_lead_gb(world)

    me = fresh(world["me"])
    assert not me.role_grants.filter(role=Role.COUNTRY_LEAD).exists()
    assert not me.groups.exists()
    assert world["case"] not in cases_visible_to(me)
    assert identity_status(client, me, world["case"]) == 404


# ---- deciding -------------------------------------------------------------------------------------


def test_the_data_protection_lead_approves_and_the_access_begins_at_once(client, world, dpl):
    assert identity_status(client, world["me"], world["case"]) == 404

    roles.role_grant_approve(acting_user=dpl, role_request=ask_lead_gb(world))

    assert identity_status(client, fresh(world["me"]), world["case"]) == 200


def test_the_requester_may_not_approve_even_holding_a_deciding_role(world):
    roles_of_admin = make_user("admin.and.dpl", role=Role.ADMINISTRATOR)
    RoleGrant.objects.create(user=roles_of_admin, role=Role.DATA_PROTECTION_LEAD)
    asked = roles.role_grant_request(acting_user=roles_of_admin, user=world["me"], role=Role.NAVIGATOR)

    with pytest.raises(PermissionDenied):
        roles.role_grant_approve(acting_user=fresh(roles_of_admin), role_request=asked)

    asked.refresh_from_db()
    assert asked.status == Status.PENDING
    assert not world["me"].role_grants.filter(role=Role.NAVIGATOR).exists()


def test_the_grantee_may_not_approve_their_own_request(client, world, dpl):
    asked = ask_lead_gb(world, user=dpl)

    with pytest.raises(PermissionDenied):
        roles.role_grant_approve(acting_user=dpl, role_request=asked)

    assert identity_status(client, fresh(dpl), world["case"]) == 404


def test_another_lead_of_the_country_approves_a_country_lead(client, world):
    roles.role_grant_approve(acting_user=world["lead"], role_request=ask_lead_gb(world))

    assert identity_status(client, fresh(world["me"]), world["case"]) == 200


def test_a_lead_of_another_country_may_not_approve_a_country_lead(world):
    asked = ask_lead_gb(world)

    with pytest.raises(PermissionDenied):
        roles.role_grant_approve(acting_user=world["other_lead"], role_request=asked)

    assert world["case"] not in cases_visible_to(fresh(world["me"]))


def test_a_country_lead_approves_no_other_role(world):
    asked = roles.role_grant_request(acting_user=world["admin"], user=world["me"], role=Role.DATA_PROTECTION_LEAD)

    with pytest.raises(PermissionDenied):
        roles.role_grant_approve(acting_user=world["lead"], role_request=asked)

    assert not world["me"].role_grants.filter(role=Role.DATA_PROTECTION_LEAD).exists()


def test_a_data_protection_lead_is_approved_by_another(world, dpl):
    asked = roles.role_grant_request(acting_user=world["admin"], user=world["me"], role=Role.DATA_PROTECTION_LEAD)

    roles.role_grant_approve(acting_user=dpl, role_request=asked)

    assert world["me"].role_grants.filter(role=Role.DATA_PROTECTION_LEAD).exists()


def test_a_refused_request_gives_nothing_and_is_not_approved_afterwards(world, dpl):
    asked = ask_lead_gb(world)
    roles.role_grant_refuse(acting_user=dpl, role_request=asked)

    with pytest.raises(ValidationError):
        roles.role_grant_approve(acting_user=world["lead"], role_request=asked)

    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == (Status.REFUSED, dpl)
    assert world["case"] not in cases_visible_to(fresh(world["me"]))


def test_the_grantee_may_not_refuse_for_the_decider(world, dpl):
    asked = ask_lead_gb(world)

    with pytest.raises(PermissionDenied):
        roles.role_grant_refuse(acting_user=world["me"], role_request=asked)

    asked.refresh_from_db()
    assert asked.status == Status.PENDING


# ---- revoking -------------------------------------------------------------------------------------


def test_revoking_ends_the_access_at_once(client, world, dpl):
    grant = roles.role_grant_approve(acting_user=dpl, role_request=ask_lead_gb(world))
    assert identity_status(client, fresh(world["me"]), world["case"]) == 200

    roles.role_grant_revoke(acting_user=world["admin"], grant=grant)

    me = fresh(world["me"])
    assert not me.groups.exists()
    assert identity_status(client, me, world["case"]) == 404
    record = RoleGrantRequest.objects.get()
    assert (record.status, record.revoked_by, record.grant) == (Status.REVOKED, world["admin"], None)


def test_only_an_administrator_or_the_data_protection_lead_revokes(world):
    grant = world["lead"].role_grants.get()

    with pytest.raises(PermissionDenied):
        roles.role_grant_revoke(acting_user=world["other_lead"], grant=grant)

    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_the_administrator_role_opens_the_admin_and_revoking_it_closes_it(world, dpl):
    asked = roles.role_grant_request(acting_user=world["admin"], user=world["me"], role=Role.ADMINISTRATOR)
    grant = roles.role_grant_approve(acting_user=dpl, role_request=asked)
    assert (fresh(world["me"]).is_staff, fresh(world["me"]).is_superuser) == (True, True)

    roles.role_grant_revoke(acting_user=dpl, grant=grant)

    assert (fresh(world["me"]).is_staff, fresh(world["me"]).is_superuser) == (False, False)


# ---- the record of each step ----------------------------------------------------------------------


def test_every_step_is_in_the_history_naming_who_took_it(world, dpl):
    grant = roles.role_grant_approve(acting_user=dpl, role_request=ask_lead_gb(world))
    roles.role_grant_revoke(acting_user=world["admin"], grant=grant)

    steps = RoleGrantRequest.objects.get().history.order_by("history_id")
    assert [(h.history_type, h.status, h.history_user) for h in steps] == [
        ("+", "pending", world["admin"]),
        ("~", "approved", dpl),
        ("~", "revoked", world["admin"]),
    ]
    held = RoleGrant.history.filter(id=grant.pk).order_by("history_id")
    assert [(h.history_type, h.history_user) for h in held] == [("+", dpl), ("-", world["admin"])]


def test_every_step_is_in_the_access_trail_and_the_audit_chain(world, dpl):
    grant = roles.role_grant_approve(acting_user=dpl, role_request=ask_lead_gb(world))
    roles.role_grant_revoke(acting_user=world["admin"], grant=grant)
    refused = roles.role_grant_request(acting_user=world["admin"], user=world["same_team"], role=Role.ADMINISTRATOR)
    roles.role_grant_refuse(acting_user=dpl, role_request=refused)

    records = list(AccessRecord.objects.order_by("id"))
    assert [(r.action, r.user) for r in records] == [
        (Action.ROLE_REQUESTED, world["admin"]),
        (Action.ROLE_APPROVED, dpl),
        (Action.ROLE_REVOKED, world["admin"]),
        (Action.ROLE_REQUESTED, world["admin"]),
        (Action.ROLE_REFUSED, dpl),
    ]
    lead_request = RoleGrantRequest.objects.get(role=Role.COUNTRY_LEAD)
    assert records[0].subject == f"role grant request {lead_request.pk}: Country lead (GB) for me"
    # They name a staff member and a role, never a survivor or a case.
    assert all(r.survivor_id is None and r.case_id is None for r in records)
    assert AuditChainLink.objects.filter(kind="access", record_id__in=[r.pk for r in records]).count() == 5
    assert chain_verify().ok


def test_a_grant_without_a_second_person_is_recorded_as_such(world):
    roles.role_grant_bootstrap(acting_user=None, user=world["me"], role=Role.DATA_PROTECTION_LEAD, reason="First DPL")

    record = RoleGrantRequest.objects.get()
    assert (record.status, record.is_bootstrap, record.requested_by, record.decided_by) == (
        Status.APPROVED,
        True,
        None,
        None,
    )
    assert trail(world["me"]) == [Action.ROLE_BOOTSTRAPPED]


def test_a_grant_without_a_second_person_says_why(world):
    with pytest.raises(ValidationError):
        roles.role_grant_bootstrap(acting_user=None, user=world["me"], role=Role.DATA_PROTECTION_LEAD, reason=" ")

    assert not world["me"].role_grants.filter(role=Role.DATA_PROTECTION_LEAD).exists()


# ---- the operator's command for the first data protection lead -------------------------------------


def test_the_operator_grants_the_first_data_protection_lead(world):
    call_command("role_bootstrap", "me", role="data_protection_lead", reason="Board decision of 3 March")

    assert world["me"].role_grants.filter(role=Role.DATA_PROTECTION_LEAD).exists()
    assert RoleGrantRequest.objects.get().is_bootstrap


def test_the_command_refuses_once_someone_holds_the_role(world, dpl):
    with pytest.raises(CommandError, match="already holds"):
        call_command("role_bootstrap", "me", role="data_protection_lead", reason="Another")

    assert not world["me"].role_grants.filter(role=Role.DATA_PROTECTION_LEAD).exists()


def test_the_command_grants_no_case_role(world):
    with pytest.raises(CommandError):
        call_command("role_bootstrap", "me", role="country_lead", reason="No")

    assert not RoleGrantRequest.objects.exists()


# ---- team moves follow the Navigator role ---------------------------------------------------------


def test_nobody_moves_themselves_into_a_team(world):
    from casework import services as casework

    with pytest.raises(PermissionDenied):
        casework.membership_change(acting_user=world["other_team"], user=world["other_team"], team=world["met"])

    assert world["case"] not in cases_visible_to(fresh(world["other_team"]))


def test_only_a_navigator_joins_a_team(world):
    from casework import services as casework

    with pytest.raises(ValidationError):
        casework.membership_change(acting_user=world["lead"], user=world["admin"], team=world["met"])

    assert not fresh(world["admin"]).groups.exists()


# ---- only the approval gives a role ---------------------------------------------------------------


def calls_of(names: set[str]) -> list[str]:
    """Every module of the project (tests and migrations aside) calling a function of these names."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"tests", ".venv", ".data"} or "migrations" in relative.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in names:
                    found.append(str(relative))
    return sorted(set(found))


def test_only_the_approval_and_the_bootstrap_call_the_mechanics_of_a_role():
    assert calls_of({"role_grant", "role_revoke"}) == ["dataprotection/roles.py"]


def test_only_the_operator_command_and_the_seeds_grant_without_a_second_person():
    assert calls_of({"role_grant_bootstrap"}) == [
        "dataprotection/management/commands/role_bootstrap.py",
        "seeds/organisation.py",
        "seeds/scale.py",
    ]


# ---- the pages ------------------------------------------------------------------------------------


def test_a_country_lead_sees_the_requests_they_may_decide(client, world):
    for_gb = ask_lead_gb(world)
    roles.role_grant_request(acting_user=world["admin"], user=world["same_team"], role=Role.ADMINISTRATOR)
    client.force_login(world["lead"])

    response = client.get(reverse("role_requests"))

    assert [r.pk for r in response.context["pending"]] == [for_gb.pk]


def test_approving_on_the_page_gives_the_role(client, world):
    asked = ask_lead_gb(world)
    client.force_login(world["lead"])

    response = client.post(reverse("role_request_approve", args=[asked.pk]))

    assert response.status_code == 302
    assert identity_status(client, fresh(world["me"]), world["case"]) == 200


def test_refusing_on_the_page_gives_nothing(client, world, dpl):
    asked = ask_lead_gb(world)
    client.force_login(dpl)

    response = client.post(reverse("role_request_refuse", args=[asked.pk]))

    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Status.REFUSED
    assert world["case"] not in cases_visible_to(fresh(world["me"]))


def test_a_request_for_oneself_is_not_on_the_page_and_cannot_be_approved_there(client, world):
    asked = roles.role_grant_request(acting_user=world["admin"], user=world["lead"], role=Role.ADMINISTRATOR)
    client.force_login(world["lead"])

    assert client.post(reverse("role_request_approve", args=[asked.pk])).status_code == 404
    asked.refresh_from_db()
    assert asked.status == Status.PENDING


@pytest.fixture
def log_page(client, dpl):
    client.force_login(dpl)
    client.get(reverse("dataprotection:role_grants"))  # sessions and caches warmed, as on a second visit
    return client


def test_the_data_protection_lead_lists_every_request_and_what_became_of_it(log_page, world, dpl):
    grant = roles.role_grant_approve(acting_user=dpl, role_request=ask_lead_gb(world))
    roles.role_grant_revoke(acting_user=world["admin"], grant=grant)
    refused = roles.role_grant_request(acting_user=world["admin"], user=world["same_team"], role=Role.ADMINISTRATOR)
    roles.role_grant_refuse(acting_user=dpl, role_request=refused)
    pending = roles.role_grant_request(acting_user=world["admin"], user=world["other_team"], role=Role.ADMINISTRATOR)

    response = log_page.get(reverse("dataprotection:role_grants"))

    assert response.status_code == 200
    assert [(r.user, r.status) for r in response.context["requests"]] == [
        (world["other_team"], Status.PENDING),
        (world["same_team"], Status.REFUSED),
        (world["me"], Status.REVOKED),
    ]
    revoked = RoleGrantRequest.objects.get(user=world["me"])
    assert cell(response, pending, "Status") == "Waiting for approval"
    assert cell(response, refused, "Status") == "Refused"
    assert cell(response, refused, "Decided").startswith(f"{dpl}, ")
    assert cell(response, revoked, "Status") == "Revoked"
    assert cell(response, revoked, "Asked").startswith(f"{world['admin']}, ")
    assert cell(response, revoked, "Decided").startswith(f"{dpl}, ")
    assert cell(response, revoked, "Revoked").startswith(f"{world['admin']}, ")


def cell(response, role_request, label) -> str:
    """The text of one cell of a request's row on the page."""
    row = response.content.decode().split(f'<tr id="role-request-{role_request.pk}">')[1].split("</tr>")[0]
    return row.split(f'data-label="{label}">')[1].split("</td>")[0].strip()


def requests_for(world, count):
    people = [make_user(f"newcomer.{n}", role=Role.MONITORING_EVALUATION) for n in range(count)]
    for person in people:
        roles.role_grant_request(acting_user=world["admin"], user=person, role=Role.NAVIGATOR)


@pytest.mark.parametrize("count", [1, 8])
def test_the_list_costs_the_same_queries_for_one_request_or_many(log_page, world, count, django_assert_num_queries):
    requests_for(world, count)

    # The session, the signed-in user, the lead's role (dpl_required), the navigation's roles, and the
    # requests with everyone they name in one query.
    with django_assert_num_queries(5):
        response = log_page.get(reverse("dataprotection:role_grants"))

    assert len(response.context["requests"]) == count
