from allauth.account.adapter import DefaultAccountAdapter


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by administrators: nobody signs themselves up to a survivor database."""

    def is_open_for_signup(self, request):
        return False
