"""ISO 3166-1 alpha-2 codes: the only country codes stored anywhere ("UK" is only a label for GB)."""

import pycountry
from django.core.exceptions import ValidationError

COUNTRY_CHOICES = sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])
_CODES = {code for code, _ in COUNTRY_CHOICES}


def validate_country_code(value: str) -> None:
    if value not in _CODES:
        raise ValidationError("%(value)s is not an ISO 3166-1 alpha-2 country code.", params={"value": value})


def validate_country_codes(values) -> None:
    for value in values or []:
        validate_country_code(value)
    if values and len(set(values)) != len(values):
        raise ValidationError("Each citizenship may be listed once.")
