"""python manage.py role_bootstrap USERNAME --role data_protection_lead --reason "…": the very first holder of a role.

Every role is approved by a second person; the first data protection lead (who approves the rest) and
the first administrator (who asks for them) have nobody to approve them. The operator, who runs the
server, grants them here, once: the command refuses while an active person already holds the role. The
grant is recorded as made without a second person, in the history and the access trail.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dataprotection.roles import role_grant_bootstrap
from navigators.models import RoleGrant, User

# The roles that can be bootstrapped: the two every other grant needs.
FIRST_ROLES = [RoleGrant.Role.DATA_PROTECTION_LEAD, RoleGrant.Role.ADMINISTRATOR]


class Command(BaseCommand):
    help = "Grant the first data protection lead or administrator, who have nobody to approve them (once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[str(role) for role in FIRST_ROLES])
        parser.add_argument("--reason", required=True, help="Why, e.g. the board's decision of 3 March.")

    def handle(self, *args, username, role, reason, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is called {username}.")
        if RoleGrant.objects.filter(role=role, user__is_active=True).exists():
            raise CommandError(
                f"Someone already holds the role {role}: ask an administrator to request it, and have it approved."
            )
        try:
            role_grant_bootstrap(acting_user=None, user=user, role=role, reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{username} holds the role {role}, granted without a second person (recorded).")
