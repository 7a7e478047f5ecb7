from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from navigators.selectors import is_administrator
from survivors.selectors import access_records_by_user, access_records_for_survivor, access_survivor_trail


@require_GET
@login_required
@never_cache
def survivor_access_trail(request, survivor_id):
    """Who looked at this survivor's record, and when: for their country lead and administrators."""
    survivor = access_survivor_trail(request.user, survivor_id)
    records = access_records_for_survivor(survivor)[:500]
    return render(request, "survivors/access_trail.html", {"subject": survivor.case_reference, "records": records})


@require_GET
@login_required
@never_cache
def user_access_trail(request, user_id):
    """What one user looked at: for administrators."""
    if not is_administrator(request.user):
        raise PermissionDenied("Only administrators read a user's access trail.")
    person = get_object_or_404(get_user_model(), pk=user_id)
    records = access_records_by_user(person)[:500]
    return render(request, "survivors/access_trail.html", {"subject": person.username, "records": records, "by_user": True})
