"""Edits that never silently overwrite each other.

Each editable record carries a `version`. An edit form sends back the version it was drawn from; the
service locks the row and, if someone saved in between, raises `EditConflict` naming what they changed
(from the history row of the version the editor started from), instead of overwriting it. The editor's
form keeps what they typed and now carries the newer version: saving again is a deliberate choice.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: object
    after: object


class EditConflict(ValidationError):
    """The record changed since the editor opened it; `changes` says how, `version` is the current one."""

    def __init__(self, *, changes: list[FieldChange], version: int, changed_by=None):
        self.changes, self.version, self.changed_by = changes, version, changed_by
        super().__init__(
            _(
                "Someone else saved this record while you were editing it. Check their changes below, "
                "then save again to keep yours."
            ),
            code="edit_conflict",
        )


def _display(instance, field):
    value = getattr(instance, field.attname)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def changes_since(instance, version: int, fields) -> list[FieldChange]:
    """What changed in `fields` between the history row of `version` and the live `instance`."""
    then = instance.history.filter(version=version).order_by("-history_id").first()
    if then is None:
        return []
    changes = []
    for name in fields:
        field = instance._meta.get_field(name)
        before, after = _display(then, field), _display(instance, field)
        if before != after:
            changes.append(FieldChange(str(field.verbose_name), before, after))
    return changes


def check_version(instance, expected_version, fields) -> None:
    """Raise EditConflict unless `instance` (locked by the caller) is still at `expected_version`.

    The check and the save that follows are one step only because the caller read `instance` with
    `select_for_update()` inside its transaction: a second editor's read waits for the first one's
    commit and then sees the raised version (tests/test_reliability.py races two editors 200 times).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("check_version needs the row read with select_for_update() inside the service's transaction")
    if expected_version is None or int(expected_version) == instance.version:
        return
    latest = instance.history.order_by("-history_id").first()
    raise EditConflict(
        changes=changes_since(instance, int(expected_version), fields),
        version=instance.version,
        changed_by=getattr(latest, "history_user", None),
    )
