# Benchmarks (docs/benchmarks.md). scripts/bench installs what is missing first (as scripts/test does),
# so this works from a fresh clone.
PYTHON ?= .venv/bin/python
SURVIVORS ?= 100000

.PHONY: bench bench-quick seed-scale

# Every operation against its lower bound and naive version, on database bench_$(SURVIVORS)
# (created and loaded with seed_scale the first time); writes the table into docs/benchmarks.md.
bench:
	scripts/bench --survivors $(SURVIVORS)

# A tiny run (500 survivors) to see that the harness works; prints only.
bench-quick:
	scripts/bench --quick

# Load the large data set into the database manage.py uses (it must have no survivors yet).
seed-scale:
	$(PYTHON) manage.py seed_scale --survivors $(SURVIVORS)
