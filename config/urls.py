from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin signs in through allauth like everyone else (MFA and lockout apply there too).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Survivor casework administration"

urlpatterns = [
    path("", include("navigators.urls")),
    path("accounts/", include("allauth.urls")),
    path("cases/", include("casework.urls")),
    path("", include("survivors.urls")),
    path("reports/", include("reporting.urls")),
    path("data-protection/", include("dataprotection.urls")),
    path("admin/", admin.site.urls),
]
