"""The patients service: the patient registry, its search index and its events."""
