"""One module per benchmarked operation; each registers itself with `bench.harness.register` (or
`register_measurement`) when imported. `bench.operations` imports them in the table's order."""
