from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from navigators.adapters import EncryptedSecretsMFAAdapter

# The encrypted values allauth keeps in Authenticator.data, by type.
ENCRYPTED = {Authenticator.Type.TOTP: ["secret"], Authenticator.Type.RECOVERY_CODES: ["seed"]}


class Command(BaseCommand):
    help = (
        "Re-encrypt every authenticator-app secret and recovery-code seed with the first of "
        "MFA_ENCRYPTION_KEYS. Run after putting a new key first; then the old keys can be removed."
    )

    def handle(self, *args, **options):
        adapter = EncryptedSecretsMFAAdapter()
        count = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().filter(type__in=ENCRYPTED).order_by("pk"):
                for field in ENCRYPTED[authenticator.type]:
                    authenticator.data[field] = adapter.encrypt(adapter.decrypt(authenticator.data[field]))
                authenticator.save(update_fields=["data"])
                count += 1
        self.stdout.write(f"Re-encrypted {count} authenticators with the first key.")
