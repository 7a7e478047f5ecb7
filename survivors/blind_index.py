"""A blind index of survivors' names: keyed hashes that can be matched in SQL without the names.

Names will be encrypted at rest, so they cannot be compared in the database. Instead each name is cut
into normalised tokens ("Ștefan-Ionescu" gives "stefan" and "ionescu"; Bengali script is transliterated
to Latin first), and each token is stored as two HMAC-SHA256 digests: of the token itself and of its
Metaphone code, so that "Mohammed" and "Muhammad" share a digest. Without the key, a digest says
nothing about the name; with a different key every digest changes, so changing BLIND_INDEX_KEY means
rebuilding the index (`manage.py blind_index_rebuild`).
"""

import hashlib
import hmac
import re
from collections.abc import Iterable

import jellyfish
from anyascii import anyascii
from django.conf import settings

EXACT = "exact"
PHONETIC = "phonetic"

# Hyphens, slashes and the like separate names ("Popescu-Ionescu"); other marks (O'Brien, St.) are dropped.
_SEPARATORS = re.compile(r"[\s\-_/,;:+&]+")
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9 ]")
# One letter is an initial: it would match half the register.
_SHORTEST_TOKEN = 2


def name_tokens(name: str) -> list[str]:
    """The name in Latin letters, lower-cased, without punctuation, cut into words (initials left out)."""
    latin = anyascii(name or "").lower()
    words = _NOT_LETTER_OR_DIGIT.sub("", _SEPARATORS.sub(" ", latin)).split()
    return [word for word in words if len(word) >= _SHORTEST_TOKEN]


def phonetic_code(token: str) -> str:
    """The token's Metaphone code ('' for tokens with no sound to code, such as numbers)."""
    return jellyfish.metaphone(token)


def digest(kind: str, value: str) -> str:
    """HMAC-SHA256 of one token or code under BLIND_INDEX_KEY; the kind is hashed in, so kinds never collide."""
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def token_digests(token: str) -> set[tuple[str, str]]:
    """(kind, digest) of a token and of its phonetic code."""
    digests = {(EXACT, digest(EXACT, token))}
    code = phonetic_code(token)
    if code:
        digests.add((PHONETIC, digest(PHONETIC, code)))
    return digests


def name_digests(names: Iterable[str]) -> set[tuple[str, str]]:
    """(kind, digest) of every token of every name given (a legal name and its aliases)."""
    return {pair for name in names for token in name_tokens(name) for pair in token_digests(token)}


def identity_names(legal_name: str, aliases: str) -> list[str]:
    """The names an identity is known by: the legal name and each alias (one per line)."""
    return [legal_name or "", *(aliases or "").splitlines()]
