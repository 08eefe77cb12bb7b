"""Patient search by name (any order, prefixes, typos) or by tax id, phone or email prefix.

The registry's use cases call :func:`search_patient_ids`; the rest is how it works:

- ``plan``: what the search text asks for and how matches rank (pure);
- ``query``: reading a page of matches from the index with as few rows as it needs;
- ``sql``: the statements, built once per shape and reused with new parameters;
- ``index``: the index rows of each patient, kept in step on every write, and the rebuild;
- ``fuzzy``: typo tolerance (trigram bounds and a banded edit distance).
"""

from __future__ import annotations

from clinic_patients.search.query import search_patient_ids

__all__ = ["search_patient_ids"]
