"""An administrator can browse every model in the admin, with its change history."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests import factories

def factory_for(model):
    """The factory that builds `model`, so change and history pages have a row to show."""
    for value in vars(factories).values():
        meta = getattr(value, "_meta", None)
        if isinstance(value, type) and getattr(meta, "model", None) is model:
            return value
    return None


# Append-only audit records: no change history of their own, and read-only in the admin.
APPEND_ONLY = {"survivors.AccessRecord"}


def registered_models():
    ours = {"navigators", "survivors", "casework", "reporting"}
    return sorted(
        (m for m in admin.site._registry if m._meta.app_label in ours and m._meta.label not in APPEND_ONLY),
        key=lambda m: m._meta.label,
    )


def test_every_case_data_model_is_in_the_admin_with_history():
    labels = {m._meta.label for m, model_admin in admin.site._registry.items() if isinstance(model_admin, SimpleHistoryAdmin)}
    for app in ("survivors", "casework", "reporting", "navigators"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model.__name__.endswith("ObjectPermission"):
                continue
            if model._meta.label in APPEND_ONLY:
                continue
            assert model._meta.label in labels, f"{model._meta.label} is not in the admin with its history"


@pytest.mark.django_db
@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_admin_lists_shows_and_keeps_history_for(client, administrator, model):
    factory = factory_for(model)
    assert factory is not None, f"no factory for {model._meta.label}"
    row = factory()
    client.force_login(administrator)
    opts = model._meta

    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])).status_code == 200
    history = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[row.pk]))
    assert history.status_code == 200
    [created] = row.history.all()
    assert f"history/{created.history_id}/" in history.content.decode()
    version = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[row.pk, created.history_id]))
    assert version.status_code == 200


@pytest.mark.django_db
def test_admin_sends_anonymous_visitors_to_the_allauth_sign_in(client):
    response = client.get(reverse("admin:index"), follow=True)

    first_stop, _ = response.redirect_chain[-1]
    assert first_stop.startswith(reverse("account_login"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_access_trail_is_read_only_in_the_admin(client, administrator):
    record = factories.AccessRecordFactory()
    client.force_login(administrator)

    assert client.get(reverse("admin:survivors_accessrecord_changelist")).status_code == 200
    assert client.get(reverse("admin:survivors_accessrecord_change", args=[record.pk])).status_code == 200
    assert client.post(reverse("admin:survivors_accessrecord_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:survivors_accessrecord_add")).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()
