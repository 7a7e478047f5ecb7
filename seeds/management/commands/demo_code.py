import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from seeds.organisation import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Development only: the demo logins' current authenticator code (they share one demo secret)."

    def handle(self, *args, **options):
        now, period = int(time.time()), app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(f"{code}  (for {period - now % period} more seconds; each code signs in once per login)")
