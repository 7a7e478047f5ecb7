"""Case data is not in the Django admin; moving Navigators between teams is.

Administrators manage users, roles and teams and read the access trail; they see no case data unless
they also hold a case role (issue 3), and then only through the case pages, which check object
permissions and write the access trail. The admin checks neither, so no casework model is registered.

Team memberships (a navigators model) are registered here because joining or leaving a team is
`casework.services.membership_change`: it keeps the team's group in step and ends assignments outside
the new team. The page offers nothing else: a membership is never edited or deleted by hand.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from casework import services
from navigators.admin import HistoryWithoutRevert
from navigators.models import TeamMembership


class MoveForm(forms.ModelForm):
    """Moving a Navigator into a team: refused on the form as the service would refuse it."""

    acting_user = None  # set by TeamMembershipAdmin.get_form

    class Meta:
        model = TeamMembership
        fields = ["user", "team", "started_on"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.membership_change_check(acting_user=self.acting_user, user=cleaned["user"], team=cleaned["team"])
        except ValidationError as error:
            self.add_error(None, error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return cleaned


@admin.register(TeamMembership)
class TeamMembershipAdmin(HistoryWithoutRevert):
    list_display = ["user", "team", "started_on", "ended_on"]
    list_filter = ["team__country", "team"]
    list_select_related = ["user", "team"]
    search_fields = ["user__username", "team__name"]
    actions = ["leave_team"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("MoveForm", (MoveForm,), {"acting_user": request.user})
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False  # a move is a new membership; the old one ends by itself

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The add page moves the Navigator: their other memberships end, and with them that team's access.
        moved = services.membership_change(
            acting_user=request.user, user=obj.user, team=obj.team, started_on=obj.started_on
        )
        obj.pk, obj._state.adding, obj._state.db = moved.pk, False, moved._state.db

    @admin.action(description=_("Take them out of their team (access to its cases ends at once)"))
    def leave_team(self, request, queryset):
        for user in {membership.user for membership in queryset.filter(ended_on__isnull=True)}:
            services.membership_change(acting_user=request.user, user=user, team=None)
        self.message_user(request, _("They are out of their team."), messages.SUCCESS)
