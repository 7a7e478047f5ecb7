from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by administrators: nobody signs themselves up to a survivor database."""

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        # Failed passwords are counted by django-axes alone (lockout per username and address,
        # config/settings/auth.py); allauth's second, differently keyed count would only confuse
        # the person locked out. allauth still limits guesses at the code asked after the password.
        pass


class EncryptedSecretsMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted (Fernet, settings.MFA_ENCRYPTION_KEYS).

    The first key encrypts; every key decrypts, so a new key can be put first and the old ones
    dropped once `manage.py mfa_reencrypt` has rewritten every secret with it.
    """

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Two-factor authentication is compulsory: nobody switches their authenticator app off. A lost
        # phone is reset by an administrator (docs/security.md); the person enrols again at sign-in.
        return authenticator.type != Authenticator.Type.TOTP


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])
