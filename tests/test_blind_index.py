"""The blind index of names: keyed hashes of words and of their sound, matched in SQL without the names."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from survivors import blind_index
from survivors.models import Survivor, SurvivorNameToken
from survivors.selectors import possible_duplicates, survivors_matching_name
from survivors.services import name_index_rebuild, survivor_identity_update, survivor_register
from tests import factories


def register(name, *, birth_year=1990, citizenships=("BD",), aliases=""):
    return survivor_register(
        acting_user=None,
        identity={"legal_name": name, "aliases": aliases},
        birth_year=birth_year,
        citizenships=list(citizenships),
    )


def duplicates_of(name, *, birth_year=1990, citizenships=("BD",)):
    return list(possible_duplicates(names=[name], birth_year=birth_year, citizenships=citizenships))


# Normalising: Latin letters, lower case, no punctuation, words.


def test_diacritics_and_hyphens_become_plain_words():
    assert blind_index.name_tokens("Ștefan-Ionescu") == ["stefan", "ionescu"]


def test_apostrophes_are_dropped_and_initials_left_out():
    assert blind_index.name_tokens("Seán O'Brien, J.") == ["sean", "obrien"]


def test_bengali_script_is_transliterated_to_latin():
    assert blind_index.name_tokens("মোহাম্মদ রহমান") == ["mohammd", "rhman"]


def test_spellings_that_sound_alike_share_a_phonetic_digest_but_not_an_exact_one():
    mohammed, muhammad = blind_index.token_digests("mohammed"), blind_index.token_digests("muhammad")

    assert {kind for kind, _ in mohammed & muhammad} == {blind_index.PHONETIC}


def test_a_word_and_a_code_with_the_same_letters_do_not_collide():
    assert blind_index.digest(blind_index.EXACT, "rmn") != blind_index.digest(blind_index.PHONETIC, "rmn")


def test_digests_depend_on_the_key():
    before = blind_index.digest(blind_index.EXACT, "rahman")
    with override_settings(BLIND_INDEX_KEY="another-key-entirely"):
        after = blind_index.digest(blind_index.EXACT, "rahman")

    assert before != after


def test_digests_are_hmac_sha256_hex():
    assert re.fullmatch(r"[0-9a-f]{64}", blind_index.digest(blind_index.EXACT, "rahman"))


# Writing the index.


def test_registering_writes_a_row_per_word_and_per_sound_of_every_name(db):
    survivor = register("Mohammed Rahman", aliases="Rahman Bhai")

    kinds = sorted(SurvivorNameToken.objects.filter(survivor=survivor).values_list("kind", flat=True))
    # Words: mohammed, rahman, bhai; sounds: MHMT, RMN, BH.
    assert kinds == ["exact"] * 3 + ["phonetic"] * 3


def test_the_token_table_holds_no_name_in_plain_text(db):
    register("Ioana Popescu", citizenships=["RO"], aliases="Ioana Popa")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM survivors_survivornametoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row).lower()

    for word in ["ioana", "popescu", "popa", "in", "ppsk", "pp"]:
        assert not re.search(rf"\b{word}\b", stored)


def test_changing_the_names_rebuilds_the_index(db):
    survivor = register("Mohammed Rahman")

    survivor_identity_update(acting_user=None, survivor=survivor, version=1, legal_name="Karim Uddin", aliases="")

    assert duplicates_of("Mohammed Rahman") == []
    assert duplicates_of("Karim Uddin") == [survivor]


def test_rebuilding_with_a_new_key_keeps_matching(db):
    survivor = register("Mohammed Rahman")

    with override_settings(BLIND_INDEX_KEY="a-rotated-key"):
        assert duplicates_of("Muhammad Rahman") == []  # the old digests are useless under the new key
        assert name_index_rebuild() == 1
        assert duplicates_of("Muhammad Rahman") == [survivor]


# Matching possible duplicates.


def test_a_phonetic_variant_born_within_two_years_with_a_shared_citizenship_matches(db):
    survivor = register("Mohammed Rahman", birth_year=1990, citizenships=["BD"])

    assert duplicates_of("Muhammad Rahman", birth_year=1992, citizenships=["GB", "BD"]) == [survivor]


def test_an_alias_matches_too(db):
    survivor = register("Karim Uddin", aliases="Mohammed Karim")

    assert duplicates_of("Muhammad Hossain") == [survivor]


def test_born_more_than_two_years_apart_is_not_a_match(db):
    register("Mohammed Rahman", birth_year=1990)

    assert duplicates_of("Muhammad Rahman", birth_year=1993) == []


def test_no_citizenship_in_common_is_not_a_match(db):
    register("Mohammed Rahman", citizenships=["BD"])

    assert duplicates_of("Muhammad Rahman", citizenships=["IN"]) == []


def test_a_different_name_is_not_a_match(db):
    register("Mohammed Rahman")

    assert duplicates_of("Karim Uddin") == []


def test_without_a_year_of_birth_nothing_can_be_matched(db):
    register("Mohammed Rahman")

    assert duplicates_of("Mohammed Rahman", birth_year=None) == []


def test_the_match_query_carries_digests_not_names(db):
    register("Mohammed Rahman")

    with CaptureQueriesContext(connection) as queries:
        assert len(duplicates_of("Muhammad Rahman")) == 1

    sql = " ".join(query["sql"] for query in queries.captured_queries).lower()
    assert "muhammad" not in sql
    assert "rahman" not in sql
    assert blind_index.digest(blind_index.PHONETIC, "RMN") in sql


# The caseload's name search.


def test_name_search_finds_spellings_that_sound_alike(db):
    survivor = register("Mohammed Rahman")
    register("Mohammed Karim")

    assert list(survivors_matching_name("muhammad rahman")) == [survivor]


def test_name_search_finds_a_romanian_name_typed_without_diacritics(db):
    survivor = register("Ștefan Ionescu", citizenships=["RO"])

    assert list(survivors_matching_name("Stefan")) == [survivor]


def test_name_search_needs_a_word(db):
    register("Mohammed Rahman")

    assert list(survivors_matching_name(" - ")) == []


def test_survivors_without_an_identity_are_never_matched(db):
    factories.SurvivorFactory(citizenships=["BD"], birth_year=1990)

    assert duplicates_of("Mohammed Rahman") == []
    assert Survivor.objects.count() == 1


@pytest.mark.parametrize("word", ["", "a", "  "])
def test_blank_names_give_no_digests(word):
    assert blind_index.name_digests([word]) == set()
