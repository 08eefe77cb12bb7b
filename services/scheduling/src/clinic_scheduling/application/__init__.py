"""Use cases: each runs in one transaction holding the domain change and its outbox rows."""
