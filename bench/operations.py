"""The benchmarked operations, in the order of the table. Each module of `bench/ops/` registers its
operation when imported: the application's own path, its lower bound and, where there is one, the naive
approach (`register(Operation(...))`), or a figure that is not a time against a lower bound, such as
requests per second under load or peak memory (`register_measurement(Measurement(...))`).

Each function returns the answer in one form (the application's through `app_answer`), so the harness
can check that all three answered the same question.
"""

import importlib

ORDER = ["headline", "caseload", "dashboard", "case_page", "permissions", "follow_up_load", "extract"]

for _name in ORDER:
    try:
        importlib.import_module(f"bench.ops.{_name}")
    except ModuleNotFoundError as error:  # an operation not written yet; tests/test_bench.py lists them all
        if error.name != f"bench.ops.{_name}":
            raise
