"""`seed_demo` is deterministic: the same seed and day give the same data, another seed does not."""

import pytest
from django.core.management import call_command

from casework.models import Case
from survivors.models import Survivor
from tests.test_seed_demo import seed


def fingerprint():
    """What a person would see of the seeded data, without database ids or insert times."""
    return sorted(
        Case.objects.values_list("survivor__case_reference", "team__name", "opened_on", "stage", "closed_on")
    ), sorted(Survivor.objects.values_list("case_reference", "identity__legal_name", "birth_year", "gender"))


@pytest.mark.django_db(transaction=True)
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    call_command("flush", interactive=False, verbosity=0)  # seed_demo adds casework only to an empty database
    seed(survivors=30, seed=11)
    first = fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    seed(survivors=30, seed=11)
    again = fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    seed(survivors=30, seed=12)
    other = fingerprint()

    assert again == first
    assert other != first
