"""Writes to survivor records. Each takes `acting_user`, runs in one transaction and leaves history.

Every write validates with `full_clean()` first, so bad input raises ValidationError (field by field)
and nothing is saved. The blind index of names is written here, with the names, and nowhere else.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navigators.history import change_by
from navigators.versioning import EditConflict, FieldChange, check_version
from survivors import blind_index
from survivors.choices import BirthDatePrecision
from survivors.models import (
    ConsentRecord,
    IdentityDocument,
    PossibleDuplicate,
    Survivor,
    SurvivorExploitation,
    SurvivorIdentity,
    SurvivorNameToken,
)

# What an edit of the survivor's details may change (the exploitation types are rows of their own).
DETAIL_FIELDS = [
    "gender",
    "citizenships",
    "birth_year",
    "birth_date_precision",
    "age_at_exploitation",
    "trafficking_status",
    "status_decided_by",
    "means_of_control",
    "recruiter_relation",
]
IDENTITY_FIELDS = ["legal_name", "aliases", "date_of_birth", "phone", "email", "address", "safe_contact_notes"]


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _name_index_write(survivor: Survivor, identity: SurvivorIdentity) -> None:
    """Replace the survivor's blind-index rows with those of the identity's names (legal name and aliases)."""
    SurvivorNameToken.objects.filter(survivor=survivor).delete()
    digests = blind_index.name_digests(blind_index.identity_names(identity.legal_name, identity.aliases))
    # Derived rows without history: bulk_create is right here (the identity's own save has its history).
    SurvivorNameToken.objects.bulk_create(
        [SurvivorNameToken(survivor=survivor, kind=kind, digest=digest) for kind, digest in sorted(digests)]
    )


def _birth_year_from_date(details: dict, identity: dict) -> None:
    """An exact date of birth gives the year of birth (and says it is exact) when the year was left empty."""
    born = identity.get("date_of_birth")
    if not born or born > timezone.localdate():
        return  # a date in the future is the identity's error to report, not the year's
    if details.get("birth_year") in (None, ""):
        details["birth_year"] = born.year
        if details.get("birth_date_precision") in (None, "", BirthDatePrecision.UNKNOWN):
            details["birth_date_precision"] = BirthDatePrecision.EXACT
    elif int(details["birth_year"]) != born.year:
        raise ValidationError({"birth_year": _("The year of birth is not the year of the date of birth.")})


def survivor_register(
    *,
    acting_user,
    identity: dict,
    exploitations: list[dict] = (),
    identity_documents: list[dict] = (),
    case_reference: str | None = None,
    **details,
) -> Survivor:
    """Register a survivor with their identity record and exploitation types; all or nothing."""
    with change_by(acting_user):
        _birth_year_from_date(details, identity)
        survivor = Survivor(registered_by=acting_user, **details)
        if case_reference:
            survivor.case_reference = case_reference
        identity_row = SurvivorIdentity(**identity)
        # Both checked before either is saved, so the form shows every mistake at once.
        errors = {}
        for row, exclude in ((survivor, None), (identity_row, ["survivor"])):
            try:
                row.full_clean(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        survivor.save()
        identity_row.survivor = survivor
        _save(identity_row)
        for row in [SurvivorExploitation(survivor=survivor, **e) for e in exploitations]:
            _save(row)
        for row in [IdentityDocument(survivor=survivor, **d) for d in identity_documents]:
            _save(row)
        _name_index_write(survivor, identity_row)
        return survivor


def _exploitation_types_at(survivor: Survivor, version: int) -> list[str]:
    """The survivor's exploitation types as they were at `version` of the survivor, from the rows' history.

    Registering and each edit write the exploitation rows just after the survivor's row of the new
    version, so the types at `version` are those written before the survivor's next version.
    """
    later = survivor.history.filter(version__gt=version).order_by("history_date").first()
    rows = SurvivorExploitation.history.filter(survivor_id=survivor.pk).order_by("history_date", "history_id")
    if later is not None:
        rows = rows.filter(history_date__lt=later.history_date)
    current = {}
    for row in rows:
        if row.history_type == "-":
            current.pop(row.id, None)
        else:
            current[row.id] = row.get_type_display()
    return sorted(current.values())


def _exploitation_rows_write(survivor: Survivor, exploitations: list[dict]) -> None:
    """Make the survivor's exploitation rows those given: changed rows saved, missing ones deleted, new ones added."""
    existing = {row.type: row for row in survivor.exploitations.all()}
    wanted = {e["type"]: e for e in exploitations}
    for kind, row in existing.items():
        if kind not in wanted:
            row.delete()  # one by one, not QuerySet.delete(), so the removal is in the history
    for kind, values in wanted.items():
        row = existing.get(kind) or SurvivorExploitation(survivor=survivor, type=kind)
        defaults = {"sexual_subtype": "", "industry": "", "county_lines": False, "cuckooing": False}
        changed = row.pk is None
        for field, value in {**defaults, **values}.items():
            if getattr(row, field) != value:
                setattr(row, field, value)
                changed = True
        if changed:
            _save(row)


def survivor_update(
    *, acting_user, survivor: Survivor, version: int | None, exploitations: list[dict] | None = None, **changes
) -> Survivor:
    """Change the survivor's details (and, with `exploitations`, their exploitation types).

    With `version` (the one the editor started from), a save made meanwhile by someone else raises
    EditConflict naming their changes, instead of being overwritten.
    """
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"survivor_update cannot change {', '.join(sorted(unknown))}")
    with change_by(acting_user):
        survivor = Survivor.objects.select_for_update().get(pk=survivor.pk)
        try:
            check_version(survivor, version, changes)
        except EditConflict as conflict:
            if exploitations is None:
                raise
            before, after = (
                _exploitation_types_at(survivor, int(version)),
                _exploitation_types_at(survivor, survivor.version),
            )
            if before == after:
                raise
            change = FieldChange(str(_("exploitation types")), ", ".join(before), ", ".join(after))
            raise EditConflict(
                changes=[*conflict.changes, change], version=conflict.version, changed_by=conflict.changed_by
            ) from None
        for field, value in changes.items():
            setattr(survivor, field, value)
        survivor.version += 1
        _save(survivor)
        if exploitations is not None:  # after the new version's history row, as at registration
            _exploitation_rows_write(survivor, exploitations)
        return survivor


def survivor_identity_update(*, acting_user, survivor: Survivor, version: int | None, **changes) -> SurvivorIdentity:
    """Change (or first write) who the survivor is; the blind index of their names is rebuilt with it.

    `version` is the one the editor started from (0 for an identity not yet written): a save made
    meanwhile by someone else raises EditConflict naming their changes, instead of being overwritten.
    """
    unknown = set(changes) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"survivor_identity_update cannot change {', '.join(sorted(unknown))}")
    with change_by(acting_user):
        # The survivor's row is locked too, so two people writing a first identity cannot both create one.
        survivor = Survivor.objects.select_for_update().get(pk=survivor.pk)
        identity = SurvivorIdentity.objects.select_for_update().filter(survivor=survivor).first()
        if identity is None:
            identity = SurvivorIdentity(survivor=survivor)
        else:
            check_version(identity, version, changes)
            identity.version += 1
        for field, value in changes.items():
            setattr(identity, field, value)
        _save(identity)
        _name_index_write(survivor, identity)
        return identity


def name_index_rebuild(*, acting_user=None, survivors=None) -> int:
    """Rebuild the blind index of every survivor's names (after a new BLIND_INDEX_KEY, or bulk-loaded data).

    Returns how many identities were indexed.
    """
    identities = SurvivorIdentity.objects.select_related("survivor")
    if survivors is not None:
        identities = identities.filter(survivor__in=survivors)
    count = 0
    with change_by(acting_user):
        for identity in identities.iterator():
            _name_index_write(identity.survivor, identity)
            count += 1
    return count


def consent_record(
    *, acting_user, survivor: Survivor, topic: str, given: bool, recorded_on: date, notes: str = ""
) -> ConsentRecord:
    """Record a dated yes or no to one consent question; earlier answers stay as history."""
    with change_by(acting_user):
        consent = ConsentRecord(
            survivor=survivor, topic=topic, given=given, recorded_on=recorded_on, recorded_by=acting_user, notes=notes
        )
        return _save(consent)


def possible_duplicates_record(*, acting_user, survivor: Survivor, matches) -> list[PossibleDuplicate]:
    """Put each of `matches` (survivors the registering user may not see) up for the data protection
    lead's review beside the survivor just registered; nobody else is told."""
    with change_by(acting_user):
        return [_save(PossibleDuplicate(survivor=survivor, match=match)) for match in matches]


def possible_duplicate_decide(*, acting_user, review: PossibleDuplicate, status: str) -> PossibleDuplicate:
    """The data protection lead's answer to a possible duplicate: the same person (the records are linked
    from then on) or different people. Decided once."""
    with change_by(acting_user):
        review = PossibleDuplicate.objects.select_for_update().get(pk=review.pk)
        if review.status != PossibleDuplicate.Status.OPEN:
            raise ValidationError(_("This possible duplicate was already decided."))
        review.status, review.decided_by, review.decided_at = status, acting_user, timezone.now()
        return _save(review)


def linked_survivors(survivor: Survivor) -> list[Survivor]:
    """The survivors the data protection lead confirmed to be the same person as `survivor`."""
    pairs = PossibleDuplicate.objects.filter(status=PossibleDuplicate.Status.SAME_PERSON).filter(
        Q(survivor=survivor) | Q(match=survivor)
    )
    ids = {pk for pair in pairs.values_list("survivor_id", "match_id") for pk in pair} - {survivor.pk}
    return list(Survivor.objects.filter(pk__in=ids).order_by("case_reference"))
