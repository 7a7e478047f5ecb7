# Benchmarks (docs/benchmarks.md). The virtualenv comes from scripts/run or scripts/test.
PYTHON ?= .venv/bin/python
SURVIVORS ?= 100000

.PHONY: bench bench-quick seed-scale

# Every operation against its lower bound and naive version, on database bench_$(SURVIVORS)
# (created and loaded with seed_scale the first time); writes the table into docs/benchmarks.md.
bench:
	$(PYTHON) -m bench --survivors $(SURVIVORS)

# A tiny run (500 survivors) to see that the harness works; prints only.
bench-quick:
	$(PYTHON) -m bench --quick

# Load the large data set into the database manage.py uses (it must have no survivors yet).
seed-scale:
	$(PYTHON) manage.py seed_scale --survivors $(SURVIVORS)
