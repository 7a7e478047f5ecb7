"""Figures for people to read: thousands separators (never in CSV or JSON)."""

from django import template

register = template.Library()


@register.filter
def thousands(value):
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
