from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def home(request):
    grants = request.user.role_grants.select_related("country")
    teams = [m.team for m in request.user.memberships.filter(ended_on__isnull=True).select_related("team__country")]
    return render(request, "home.html", {"grants": grants, "teams": teams})
