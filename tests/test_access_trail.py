"""The access trail: one line per look at a survivor's data, and nothing can change or remove it."""

import pytest
from django.test import RequestFactory

from dataprotection.services import access_record
from survivors.models import AccessRecord
from tests import factories


@pytest.fixture
def record(navigator):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.9")
    return access_record(
        user=navigator, survivor=factories.SurvivorFactory(), action="viewed_identity", request=request
    )


def test_records_who_what_and_the_connections_own_address(record, navigator):
    assert (record.user, record.action, record.ip_address) == (navigator, "viewed_identity", "10.1.2.3")


def test_a_record_cannot_be_changed(record):
    record.action = "viewed"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        AccessRecord.objects.filter(pk=record.pk).update(action="viewed")

    assert AccessRecord.objects.get(pk=record.pk).action == "viewed_identity"


def test_a_record_cannot_be_deleted(record):
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        AccessRecord.objects.all().delete()

    assert AccessRecord.objects.filter(pk=record.pk).exists()
