"""mailroom."""
