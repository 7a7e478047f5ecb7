"""Benchmarks: each operation's application path against its SQL lower bound and its naive version.

`python -m bench` (or `make bench`); the harness is bench/harness.py, the operations bench/operations.py,
the benchmark database bench/database.py. What is measured and the latest figures: docs/benchmarks.md.
"""
