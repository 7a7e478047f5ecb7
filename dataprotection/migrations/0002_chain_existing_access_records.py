"""Chain the access records written before the audit chain existed, oldest first, so that
verify_audit can require every access record to be in the chain."""

from django.db import migrations


def chain_existing(apps, schema_editor):
    from dataprotection.chain import chain_backfill  # pure: digests from the fields, on the models given

    chain_backfill(apps.get_model("survivors", "AccessRecord"), apps.get_model("dataprotection", "AuditChainLink"))


class Migration(migrations.Migration):
    dependencies = [
        ("dataprotection", "0001_initial"),
        ("survivors", "0007_encrypt_identity_and_notes"),
    ]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
