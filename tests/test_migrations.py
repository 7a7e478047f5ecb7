"""The migrations are the schema: they agree with the models, and each file can be read."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
APPS = ["navigators", "survivors", "casework", "dataprotection", "reporting"]


@pytest.mark.django_db
def test_the_models_need_no_migration_the_project_does_not_have():
    out = StringIO()
    try:
        call_command("makemigrations", *APPS, check=True, dry_run=True, stdout=out)
    except SystemExit:
        pytest.fail(f"The models changed without a migration:\n{out.getvalue()}")


@pytest.mark.parametrize("app", APPS)
def test_every_migration_file_can_be_read_whole(app):
    sizes = {path.name: len(path.read_text().splitlines()) for path in (ROOT / app / "migrations").glob("0*.py")}
    assert sizes, f"{app} has no migrations"
    assert {name: lines for name, lines in sizes.items() if lines > 600} == {}
