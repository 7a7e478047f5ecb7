"""Identity details and case notes encrypted at rest: model fields that keep a Fernet token in the column.

In Python a value is plain (text, or a date); in the database each one is a Fernet token (AES-128-CBC
with HMAC-SHA256, from `cryptography`) in a text column, made with the first of FIELD_ENCRYPTION_KEYS
and read with any of them (MultiFernet), so a key is rotated by putting a new one first and running
`manage.py rotate_encryption_keys` (docs/security.md). simple-history copies the field classes into the
historical models, so the history tables hold the same tokens.

Empty text is stored as empty text: whether a note was written is no secret worth hiding, and the
database's own checks ("a returned request says why") keep working. Nothing else can be asked of these
columns in SQL, not equality, not a search: every lookup but `isnull` and "is empty" is refused. Names
are matched through their blind index (survivors/blind_index.py) instead.
"""

import functools
from collections.abc import Callable, Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import connection as default_connection
from django.db import models, transaction
from django.db.models.lookups import Exact

from navigators import plausible


class DecryptionError(Exception):
    """A stored value that no key in FIELD_ENCRYPTION_KEYS opens."""


@functools.lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    return MultiFernet([Fernet(key) for key in keys]), Fernet(keys[0])


def _fernet() -> MultiFernet:
    """Every key, the first to encrypt. Looked up on each use (cached per key list), so a changed setting counts at once."""
    return _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))[0]


def _newest_fernet() -> Fernet:
    return _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))[1]


def encrypt(text: str) -> str:
    """A Fernet token of `text` under the first key; '' stays ''."""
    if text == "":
        return ""
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The text of a token made with any of the keys; '' stays ''."""
    if token == "":
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(
            "a stored value opens with no key in FIELD_ENCRYPTION_KEYS (was its key removed before "
            "rotate_encryption_keys re-encrypted it, or is the column still plain text?)"
        ) from None


class _IsEmpty(Exact):
    """`= ''` and nothing more: whether there is a value can be asked in SQL, what it is cannot."""

    def get_prep_lookup(self):
        if not (self.rhs is None or (isinstance(self.rhs, str) and self.rhs == "")):  # None becomes isnull
            raise FieldError(_refusal(self.lhs.output_field, "exact"))
        return super().get_prep_lookup()


def _refusal(field, lookup: str) -> str:
    return (
        f"{field.model.__name__}.{field.name} is encrypted: the database cannot compare or search it "
        f"(lookup {lookup!r}); only isnull and = '' work"
    )


class EncryptedField:
    """Mixin for a model field: the plain value in Python, a Fernet token in a text column."""

    def get_internal_type(self):
        return "TextField"  # a token is longer than the value; max_length is checked on the plain value

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _IsEmpty
        raise FieldError(_refusal(self, lookup_name))

    def get_transform(self, lookup_name):
        return None  # no __year, __lower and the like: they would run on the token

    def get_prep_value(self, value):
        value = super().get_prep_value(value)  # the plain value as the parent field would store it
        if value is None:
            return None
        return encrypt(self.value_to_text(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        try:
            text = decrypt(value)
        except DecryptionError as error:
            raise DecryptionError(f"{self.model._meta.db_table}.{self.column}: {error}") from None
        return self.to_python(text) if text else self.empty_value_from_db()

    def value_to_text(self, value) -> str:
        return value

    def empty_value_from_db(self):
        return ""


class EncryptedTextField(EncryptedField, models.TextField):
    pass


class EncryptedCharField(EncryptedField, models.CharField):
    pass


class EncryptedEmailField(EncryptedField, models.EmailField):
    pass


class EncryptedDateField(EncryptedField, models.DateField):
    """A date kept as its ISO text, encrypted; the column is text, so it cannot be compared in SQL."""

    def value_to_text(self, value) -> str:
        return value.isoformat()

    def empty_value_from_db(self):
        return None


# ---- rewriting whole tables: the data migration that first encrypts, and key rotation ----------


def encrypted_columns(models_: Iterable[type[models.Model]]) -> list[tuple[type[models.Model], list]]:
    """Each model (live or historical) with encrypted fields, and those fields."""
    found = []
    for model in models_:
        if model._meta.abstract or model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedField)]
        if fields:
            found.append((model, fields))
    return found


def rewrite_columns(
    model, fields, change: Callable[[str], str | None], *, batch_size: int = 500, connection=None
) -> tuple[int, int]:
    """Pass every non-empty value of `fields` through `change` (None: leave it), in batches of rows.

    Raw SQL on the columns, so no value goes through the field (and no history row is written: the
    data does not change, only its encryption). Each batch is one transaction with its rows locked,
    so a save made meanwhile by the application is never overwritten with the value read before it.
    Returns (rows read, values rewritten).
    """
    connection = connection or default_connection
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [quote(f.column) for f in fields]
    select = f"SELECT {pk}, {', '.join(columns)} FROM {table}"
    first_batch = f"{select} ORDER BY {pk} LIMIT %s FOR UPDATE"
    next_batch = f"{select} WHERE {pk} > %s ORDER BY {pk} LIMIT %s FOR UPDATE"
    update = f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} WHERE {pk} = %s"
    last, rows_read, rewritten = None, 0, 0
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if last is None:
                cursor.execute(first_batch, [batch_size])
            else:
                cursor.execute(next_batch, [last, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return rows_read, rewritten
            last = rows[-1][0]
            rows_read += len(rows)
            updates = []
            for key, *values in rows:
                new_values = [(change(v) if v else None) for v in values]
                if any(new is not None for new in new_values):
                    updates.append(
                        [v if new is None else new for v, new in zip(values, new_values, strict=True)] + [key]
                    )
                    rewritten += sum(new is not None for new in new_values)
            if updates:
                cursor.executemany(update, updates)


def reencrypt(token: str) -> str | None:
    """The token under the first key, or None when it is already under the first key."""
    try:
        _newest_fernet().decrypt(token.encode())
        return None  # a rotation run again after a stop does not redo what it did
    except InvalidToken:
        pass
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(
            "a stored value opens with no key in FIELD_ENCRYPTION_KEYS: list the key it was written "
            "with after the new one, run the rotation, and only then remove the old key"
        ) from None


def encrypted_note(verbose_name, **options) -> EncryptedTextField:
    """A free-text note, encrypted at rest, at most `plausible.NOTE_MAX_LENGTH` characters (the form's
    textarea carries the limit too)."""
    validators = [plausible.note_length(), *options.pop("validators", [])]
    return EncryptedTextField(verbose_name, validators=validators, max_length=plausible.NOTE_MAX_LENGTH, **options)
