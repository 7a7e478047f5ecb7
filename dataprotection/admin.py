"""Roles in the admin: asked for, listed and revoked through dataprotection.roles (docs/access.md).

Registered here rather than in navigators/admin.py because each of these writes leaves a line of the
access trail, which only dataprotection writes. Nothing here gives a role: an administrator asks for one
for someone else, and a second person approves it on /role-requests/ (a data protection lead, or for a
country lead another lead of that country). Revoking takes effect at once.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from dataprotection import roles
from navigators.admin import HistoryWithoutRevert
from navigators.models import RoleGrant, RoleGrantRequest


class RoleGrantRequestForm(forms.ModelForm):
    """Asking for a role: refused on the form as the service would refuse it (for oneself, not an administrator)."""

    acting_user = None  # set by RoleGrantRequestAdmin.get_form

    class Meta:
        model = RoleGrantRequest
        fields = ["user", "role", "country", "reason"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            roles.role_grant_request_check(
                acting_user=self.acting_user, user=cleaned["user"], role=cleaned["role"], country=cleaned.get("country")
            )
        except ValidationError as error:
            self.add_error(None, error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return cleaned


@admin.register(RoleGrantRequest)
class RoleGrantRequestAdmin(HistoryWithoutRevert):
    """Ask for a role (the add page) and see every request and what became of it; nothing is edited here."""

    list_display = [
        "user",
        "role",
        "country",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "revoked_by",
        "revoked_at",
    ]
    list_filter = ["status", "role", "country"]
    list_select_related = ["user", "country", "requested_by", "decided_by", "revoked_by"]
    search_fields = ["user__username"]
    readonly_fields = [
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "revoked_by",
        "revoked_at",
        "grant",
        "is_bootstrap",
    ]

    def get_fields(self, request, obj=None):
        asked = ["user", "role", "country", "reason"]
        return asked if obj is None else asked + self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("RoleGrantRequestForm", (RoleGrantRequestForm,), {"acting_user": request.user})
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False  # decided on /role-requests/ by a second person, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        asked = roles.role_grant_request(
            acting_user=request.user,
            user=obj.user,
            role=obj.role,
            country=obj.country,
            reason=obj.reason,
            request=request,
        )
        obj.pk, obj.requested_by, obj.requested_at = asked.pk, asked.requested_by, asked.requested_at
        obj._state.adding, obj._state.db = False, asked._state.db

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request, _("Asked. The role is held once a second person approves it on their role requests page.")
        )
        return super().response_add(request, obj, post_url_continue)


@admin.register(RoleGrant)
class RoleGrantAdmin(HistoryWithoutRevert):
    """The roles held now. Never added, changed or deleted here: asked for under role grant requests,
    revoked by the action, which ends the access at once and keeps the record."""

    list_display = ["user", "role", "country"]
    list_filter = ["role", "country"]
    list_select_related = ["user", "country"]
    search_fields = ["user__username"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected roles (access ends at once)"))
    def revoke(self, request, queryset):
        try:
            for grant in queryset:
                roles.role_grant_revoke(acting_user=request.user, grant=grant, request=request)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, _("Revoked. The access they gave has ended."))
