"""Entrypoints layer of the records service."""
