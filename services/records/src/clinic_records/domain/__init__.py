"""Domain layer of the records service."""
