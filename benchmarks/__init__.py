"""Benchmarks and evaluations of Studiobook (``make bench``, ``make eval``)."""
