"""Settings of data protection, read when used (so tests can override them) and checked loudly."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_RETENTION_YEARS = 7


def retention_years() -> int:
    """RETENTION_YEARS: how many years after their last case closed a survivor's record is anonymised (default 7)."""
    years = getattr(settings, "RETENTION_YEARS", DEFAULT_RETENTION_YEARS)
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ImproperlyConfigured(f"RETENTION_YEARS must be a whole number of years, 1 or more (got {years!r})")
    return years
