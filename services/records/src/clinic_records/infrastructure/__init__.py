"""Infrastructure layer of the records service."""
