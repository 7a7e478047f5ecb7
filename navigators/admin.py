from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from navigators import services
from navigators.models import (
    Country,
    Partner,
    ReminderDigest,
    RoleGrant,
    Team,
    TeamMembership,
    User,
)


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["team"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    inlines = [RoleGrantInline, MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]

    actions = ["reset_two_factor_authentication"]

    @admin.action(description=_("Reset two-factor authentication (a lost phone) and sign out everywhere"))
    def reset_two_factor_authentication(self, request, queryset):
        for user in queryset:
            services.user_mfa_reset(acting_user=request.user, user=user)
        self.message_user(request, _("They set up a new authenticator app at their next sign-in."))

    def save_model(self, request, obj, form, change):
        # Unticking "active" signs the person out of every browser at once, not at their next sign-in.
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(acting_user=request.user, user=obj)
        else:
            super().save_model(request, obj, form, change)


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "is_direct_work"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "kind", "is_active"]
    list_filter = ["country", "kind", "is_active"]
    search_fields = ["name"]


@admin.register(TeamMembership)
class TeamMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "team", "started_on", "ended_on"]
    list_filter = ["team__country", "team"]
    list_select_related = ["user", "team"]


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "country"]
    list_filter = ["role", "country"]
    list_select_related = ["user", "country"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country"]


@admin.register(ReminderDigest)
class ReminderDigestAdmin(SimpleHistoryAdmin):
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POSTed version without asking has_change_permission: refuse it here.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
