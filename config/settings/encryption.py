"""Keys for identity details and notes encrypted at rest (issue 6)."""

ENCRYPTION_APPS: list[str] = []
