"""The admin: the organisation and reporting inputs with their history, the access trail read-only, no case data."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests import factories

# What the admin holds: users, roles and teams (navigators) and the M&E inputs (reporting).
ADMIN_APPS = {"navigators", "reporting"}
# Written by the application and never edited, so shown read-only and without history of their own: a
# published table is frozen; an export job records who asked for what.
READ_ONLY = {"reporting.ExportJob", "reporting.PublishedReport"}
# Case data: never in the admin, which checks no object permission and writes no access record.
CASE_DATA_APPS = {"survivors", "casework"}


def factory_for(model):
    """The factory that builds `model`, so change and history pages have a row to show."""
    for value in vars(factories).values():
        meta = getattr(value, "_meta", None)
        if isinstance(value, type) and getattr(meta, "model", None) is model:
            return value
    return None


def our_models(app_labels):
    return sorted(
        (
            m
            for app in app_labels
            for m in apps.get_app_config(app).get_models()
            if not m.__name__.startswith("Historical") and not m.__name__.endswith("ObjectPermission")
        ),
        key=lambda m: m._meta.label,
    )


def test_every_organisation_and_reporting_model_is_in_the_admin_with_history():
    with_history = {m for m, model_admin in admin.site._registry.items() if isinstance(model_admin, SimpleHistoryAdmin)}

    missing = [
        m._meta.label for m in our_models(ADMIN_APPS) if m not in with_history and m._meta.label not in READ_ONLY
    ]

    assert missing == []


def test_no_case_data_model_is_in_the_admin_but_the_read_only_access_trail():
    registered = [m._meta.label for m in our_models(CASE_DATA_APPS) if m in admin.site._registry]

    assert registered == ["survivors.AccessRecord"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [m for m in our_models(ADMIN_APPS) if m._meta.label not in READ_ONLY], ids=lambda m: m._meta.label
)
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
    created = row.history.order_by("history_id").first()
    assert f"history/{created.history_id}/" in history.content.decode()
    version = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[row.pk, created.history_id])
    )
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
    assert (
        client.post(reverse("admin:survivors_accessrecord_delete", args=[record.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:survivors_accessrecord_add")).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(READ_ONLY))
def test_published_reports_and_export_jobs_are_shown_but_not_edited_in_the_admin(client, administrator, label):
    model = apps.get_model(label)
    row = factory_for(model)()
    client.force_login(administrator)
    opts = model._meta

    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    assert (
        client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert model.objects.filter(pk=row.pk).exists()
