"""Celery tasks of data protection: the nightly retention run."""
