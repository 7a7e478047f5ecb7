from django.apps import AppConfig


class NavigatorsConfig(AppConfig):
    name = "navigators"
    verbose_name = "Navigators, teams and countries"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from navigators.sessions import session_begin

        # Bookkeeping of the session itself (its start, for the 12-hour limit), at the one moment
        # every way of signing in shares; no business rule hangs on it.
        user_logged_in.connect(session_begin, dispatch_uid="navigators.session_begin")
