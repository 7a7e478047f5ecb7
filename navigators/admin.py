"""The organisation in the admin: users, countries, teams and partners, with their history.

Nothing here changes who may see a case (docs/access.md, "Granting a role"): no field or action writes
group membership, permissions, superuser or staff status, a role or a team membership. Roles are asked
for and revoked on the pages registered in dataprotection/admin.py and team moves on those of
casework/admin.py, each through its service, which keeps groups in step and leaves history (and, for
roles, the access trail). Django's Group page is gone: a group is a team's or a country's, and joining
one opens their cases.

Nor does anything here let an administrator become someone else: they set no one's password (people
reset their own, by e-mail), change no one's e-mail address (where that reset goes), and see no
authenticator secret or session key. allauth's own pages for addresses, authenticators and sessions
are replaced by read-only ones that leave those values out; a lost phone is the user action "Reset
two-factor authentication", through its service.
"""

from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from navigators import services
from navigators.models import Country, Partner, ReminderDigest, Team, User

admin.site.unregister(Group)


class HistoryWithoutRevert(SimpleHistoryAdmin):
    """Each version is shown, none is reverted to.

    simple-history's revert saves every field of the old version, shown on the form or not (a user's
    superuser flag, a revoked role), and asks no change permission: a POST to it is refused here.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryWithoutRevert):
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff"]
    # No groups, permissions or superuser box: access follows roles and teams, given by their services.
    # Staff and superuser status follow the administrator role (navigators.services.role_grant), so they
    # are shown, not edited. Fields a form does not have are ignored when posted.
    # No password either: Django's link from it sets anyone's password (refused below); and the
    # e-mail address, where a password reset is sent, is given when the account is made and changed
    # afterwards only by its owner (their own e-mail page, after typing their password again).
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "roles")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["is_staff", "is_superuser", "roles"]
    filter_horizontal = ()

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "email"] if obj is not None else fields

    def user_change_password(self, request, id, form_url=""):
        # Setting someone else's password is taking over their account (and, after a two-factor reset,
        # everything they may see). A forgotten password is reset by its owner from the sign-in page.
        raise PermissionDenied

    actions = ["reset_two_factor_authentication"]

    @admin.display(description=_("roles"))
    def roles(self, obj):
        held = ", ".join(str(grant) for grant in obj.role_grants.select_related("user", "country"))
        return held or _("None. Ask for a role under Role grant requests; a second person approves it.")

    @admin.action(description=_("Reset two-factor authentication (a lost phone) and sign out everywhere"))
    def reset_two_factor_authentication(self, request, queryset):
        for user in queryset:
            services.user_mfa_reset(acting_user=request.user, user=user)
        self.message_user(request, _("They set up a new authenticator app at their next sign-in."))

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: deleting would take roles away around their revocation, and the person's
        # name stays on the history and the access trail.
        return False

    def save_model(self, request, obj, form, change):
        # Unticking "active" signs the person out of every browser at once, not at their next sign-in.
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(acting_user=request.user, user=obj)
        else:
            super().save_model(request, obj, form, change)


def _created_as(obj, created):
    """Let the admin's messages and redirect use the row a service created in place of the form's."""
    obj.pk, obj.group = created.pk, created.group
    obj._state.adding, obj._state.db = False, created._state.db


@admin.register(Country)
class CountryAdmin(HistoryWithoutRevert):
    list_display = ["code", "name", "is_direct_work"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the key the country's cases and group hang from: a new code would be a new country.
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:  # with the group its leads join
            created = services.country_create(
                acting_user=request.user, code=obj.code, name=obj.name, is_direct_work=obj.is_direct_work
            )
            _created_as(obj, created)


@admin.register(Team)
class TeamAdmin(HistoryWithoutRevert):
    list_display = ["name", "country", "kind", "is_active"]
    list_filter = ["country", "kind", "is_active"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # A team's cases were shared with its country's leads when they opened: moving the team would
        # leave them with the old country's leads and out of the new one's sight.
        return ["country"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # With the group its members join.
        created = services.team_create(acting_user=request.user, name=obj.name, country=obj.country, kind=obj.kind)
        if not obj.is_active:
            created.is_active = False
            created.save()
        _created_as(obj, created)


@admin.register(Partner)
class PartnerAdmin(HistoryWithoutRevert):
    list_display = ["name", "country"]


@admin.register(ReminderDigest)
class ReminderDigestAdmin(HistoryWithoutRevert):
    """Read-only: which Navigator was sent the daily reminders on which day (no case is named here)."""

    list_display = ["sent_on", "navigator", "created_at"]
    list_filter = ["sent_on"]
    list_select_related = ["navigator"]
    search_fields = ["navigator__username"]
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ShownNotChanged(admin.ModelAdmin):
    """A sign-in record an administrator may look at, and neither write nor delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# allauth registers its pages from its own admin modules; load them first (whatever the order of
# INSTALLED_APPS) so that the pages below replace theirs.
import_module("allauth.account.admin")
import_module("allauth.mfa.admin")
import_module("allauth.usersessions.admin")
for model in (EmailAddress, Authenticator, UserSession):
    admin.site.unregister(model)


@admin.register(EmailAddress)
class EmailAddressAdmin(ShownNotChanged):
    """Each person's addresses: changed only by their owner (an address here is where a reset goes)."""

    list_display = ["email", "user", "primary", "verified"]
    list_filter = ["primary", "verified"]
    search_fields = ["email", "user__username"]
    fields = ["email", "user", "primary", "verified"]
    actions = None


@admin.register(Authenticator)
class AuthenticatorAdmin(ShownNotChanged):
    """Who has two-factor authentication, of which kind and since when; never the secret it holds."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__username"]
    fields = ["user", "type", "created_at", "last_used_at"]
    actions = None


@admin.register(UserSession)
class UserSessionAdmin(ShownNotChanged):
    """Where and when each person is signed in; never the session key, which would be the session itself."""

    list_display = ["user", "created_at", "last_seen_at", "ip", "user_agent"]
    search_fields = ["user__username", "ip"]
    fields = ["user", "created_at", "last_seen_at", "ip", "user_agent"]
    actions = None
