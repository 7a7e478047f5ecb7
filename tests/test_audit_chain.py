"""The tamper-evident audit chain: every access record, erasure and retention run is chained in the
transaction that writes it, and verify_audit names the first link that no longer holds."""

import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test import RequestFactory

from dataprotection.chain import GENESIS, chain_append, chain_verify, link_hash, record_digest
from dataprotection.models import AuditChainLink
from dataprotection.services import access_record, access_record_export
from survivors.models import AccessRecord
from tests import factories


def verify_audit() -> str:
    """verify_audit's output when it passes; CommandError (exit 1) when it does not."""
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def looks(navigator):
    """Three looks at three survivors, through the service the pages use."""
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    return [
        access_record(user=navigator, survivor=factories.SurvivorFactory(), action="viewed", request=request)
        for _ in range(3)
    ]


def test_each_access_record_gets_the_next_link(looks):
    links = list(AuditChainLink.objects.order_by("sequence"))

    assert [(link.sequence, link.kind, link.record_id) for link in links] == [
        (n + 1, "access", r.pk) for n, r in enumerate(looks)
    ]


def test_each_link_hashes_the_one_before_it_with_its_records_digest(looks):
    first, second, third = AuditChainLink.objects.order_by("sequence")

    assert first.previous_hash == GENESIS
    assert (second.previous_hash, third.previous_hash) == (first.hash, second.hash)
    assert all(link.hash == link_hash(link.previous_hash, link.record_digest) for link in (first, second, third))
    assert first.record_digest == record_digest("access", looks[0])


def test_the_digest_covers_ids_action_and_moment_but_not_the_address(looks):
    record = looks[0]
    before = record_digest("access", record)

    record.ip_address = "192.0.2.99"
    assert record_digest("access", record) == before
    record.action = "exported"
    assert record_digest("access", record) != before


@pytest.fixture
def me_user(db):
    return factories.UserFactory(username="me.chain")


def test_an_exports_access_record_is_chained_too(me_user):
    record = access_record_export(user=me_user, subject="headline report 21/22 H1 (csv)")

    assert AuditChainLink.objects.filter(kind="access", record_id=record.pk).exists()


def test_no_access_record_without_its_link(navigator, monkeypatch):
    """The record and its link are one transaction: if chaining fails, there is no record either."""

    def broken(**kwargs):
        raise RuntimeError("the chain is unavailable")

    monkeypatch.setattr("dataprotection.services.chain_append", broken)
    with pytest.raises(RuntimeError):
        access_record(user=navigator, survivor=factories.SurvivorFactory(), action="viewed")

    assert AccessRecord.objects.count() == 0


def test_chain_append_refuses_to_run_outside_the_records_transaction(looks, monkeypatch):
    monkeypatch.setattr("dataprotection.chain.connection", SimpleNamespace(in_atomic_block=False))

    with pytest.raises(RuntimeError, match="inside the transaction"):
        chain_append(kind="access", record=looks[0])


def test_links_cannot_be_changed_or_deleted_through_the_application(looks):
    link = AuditChainLink.objects.first()
    link.hash = "f" * 64

    with pytest.raises(PermissionError):
        link.save()
    with pytest.raises(PermissionError):
        link.delete()
    with pytest.raises(PermissionError):
        AuditChainLink.objects.filter(pk=link.pk).update(hash="f" * 64)
    with pytest.raises(PermissionError):
        AuditChainLink.objects.all().delete()

    assert AuditChainLink.objects.get(pk=link.pk).hash != "f" * 64


def test_verify_audit_passes_an_intact_chain(looks):
    output = verify_audit()

    assert "3 links verified." in output
    assert AuditChainLink.objects.order_by("-sequence").first().hash in output


def test_verify_audit_passes_an_empty_chain(db):
    assert "0 links verified." in verify_audit()


def test_an_access_record_changed_in_sql_is_named_by_its_link(looks):
    raw("UPDATE survivors_accessrecord SET action = 'exported' WHERE id = %s", [looks[1].pk])

    with pytest.raises(
        CommandError, match=rf"(?i)link 2 \(access record {looks[1].pk}\): the record was changed"
    ) as failure:
        verify_audit()
    assert failure.value.returncode == 1


def test_an_access_record_moved_in_time_is_named(looks):
    raw("UPDATE survivors_accessrecord SET at = at - interval '1 day' WHERE id = %s", [looks[0].pk])

    with pytest.raises(CommandError, match="(?i)link 1 .*the record was changed"):
        verify_audit()


def test_a_deleted_access_record_is_named(looks):
    raw("DELETE FROM survivors_accessrecord WHERE id = %s", [looks[2].pk])

    with pytest.raises(CommandError, match="(?i)link 3 .*the record is missing"):
        verify_audit()


def test_a_deleted_link_is_named(looks):
    raw("DELETE FROM dataprotection_auditchainlink WHERE sequence = 2")

    with pytest.raises(CommandError, match="Link 2 is missing: link 3 follows link 1"):
        verify_audit()


def test_the_last_link_deleted_leaves_its_record_unchained_and_named(looks):
    raw("DELETE FROM dataprotection_auditchainlink WHERE sequence = 3")

    with pytest.raises(CommandError, match=f"Access record {looks[2].pk} is not in the chain"):
        verify_audit()


def test_a_link_whose_digest_was_rewritten_is_named(looks):
    raw("UPDATE dataprotection_auditchainlink SET record_digest = %s WHERE sequence = 2", ["0" * 64])

    with pytest.raises(CommandError, match="(?i)link 2 .*its hash does not match"):
        verify_audit()


def test_a_link_rewritten_whole_breaks_the_next_one(looks):
    """Rewriting a link consistently (its digest and hash) still breaks the link after it."""
    record = looks[1]
    raw("UPDATE survivors_accessrecord SET action = 'exported' WHERE id = %s", [record.pk])
    record.refresh_from_db()
    first = AuditChainLink.objects.get(sequence=1)
    digest = record_digest("access", record)
    raw(
        "UPDATE dataprotection_auditchainlink SET record_digest = %s, hash = %s WHERE sequence = 2",
        [digest, link_hash(first.hash, digest)],
    )

    with pytest.raises(CommandError, match="(?i)link 3 .*does not follow link 2"):
        verify_audit()


def test_an_access_record_written_around_the_chain_is_named(looks):
    unchained = factories.AccessRecordFactory()  # straight into the table, as raw SQL would

    with pytest.raises(CommandError, match=f"Access record {unchained.pk} is not in the chain"):
        verify_audit()


def test_erasures_and_retention_runs_are_chained_and_verified(looks):
    erasure, run = factories.ErasureFactory(), factories.RetentionRunFactory()

    assert AuditChainLink.objects.filter(kind="erasure", record_id=erasure.pk).exists()
    assert AuditChainLink.objects.filter(kind="retention", record_id=run.pk).exists()
    assert "5 links verified." in verify_audit()


def test_an_erasure_changed_in_sql_is_named(looks):
    erasure = factories.ErasureFactory()
    raw("UPDATE dataprotection_erasure SET removed = '{}'::jsonb WHERE id = %s", [erasure.pk])

    with pytest.raises(CommandError, match=rf"(?i)link 4 \(erasure {erasure.pk}\): the record was changed"):
        verify_audit()


def test_verification_reads_the_chain_in_batches(looks, django_assert_max_num_queries):
    factories.ErasureFactory()
    # Per batch of links: the links, then the records of each kind present; then one query per kind for
    # records never chained. Four links in batches of two: 2 × (1 + up to 2) + 1 empty batch read + 3.
    with django_assert_max_num_queries(2 * 3 + 1 + 3):
        report = chain_verify(batch_size=2)

    assert (report.ok, report.verified) == (True, 4)


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_do_not_fork_the_chain():
    """Two threads writing access records at once: the advisory lock keeps one chain, numbered 1…N."""
    user, survivor = factories.UserFactory(username="concurrent"), factories.SurvivorFactory()
    errors = []

    def write(n):
        try:
            for _ in range(n):
                with transaction.atomic():
                    record = AccessRecord.objects.create(user=user, survivor=survivor, action="viewed")
                    chain_append(kind="access", record=record)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(10,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert list(AuditChainLink.objects.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, 21))
    assert chain_verify().ok
