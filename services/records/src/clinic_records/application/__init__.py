"""Application layer of the records service."""
