"""Text folding shared by writes and searches, done in Python so every database agrees.

MariaDB's ``utf8mb4_unicode_ci`` would call 'García' and 'garcia' equal while SQLite would
not; folding here (and storing the folded forms in binary-collated columns) makes search and
ordering identical on both.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form: casefolded, NFKD, combining marks removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
