"""Shadow pairings, matching, session logs and reflections (see docs/architecture.md)."""
