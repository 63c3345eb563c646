"""Defaults every stage and command shares, defined once."""

SAMPLES = 20_000  # Monte Carlo samples per model: percentiles steady to about a percent
SEED = 0  # the same map and seed give the same numbers on every machine
