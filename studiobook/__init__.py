"""Studiobook process-level glue: configuration (a leaf every package may read) and the `studiobook` command."""
