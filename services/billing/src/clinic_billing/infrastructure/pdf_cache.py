"""Rendered PDFs kept in memory, keyed by everything the page shows.

A render costs ~70 ms of CPU here (WeasyPrint lays out every line in Python), and the desk
often prints the same invoice twice in a minute (the paper copy, then the e-mail). An invoice's
page changes only with its own version (a payment, an edit of the draft) or the letterhead's
(the settings' version), so that pair is a complete key and nothing is ever stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from uuid import UUID

# (invoice id, invoice version, settings version)
PdfKey = tuple[UUID, int, int]
DEFAULT_ENTRIES = 128  # ~40 KB each: a few MB per process


class PdfCache:
    """A small thread-safe LRU of rendered PDFs."""

    def __init__(self, entries: int = DEFAULT_ENTRIES) -> None:
        self._entries = entries
        self._pdfs: OrderedDict[PdfKey, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: PdfKey, render: Callable[[], bytes]) -> bytes:
        """The cached PDF of ``key``, else ``render()`` (outside the lock) and keep it."""
        with self._lock:
            found = self._pdfs.get(key)
            if found is not None:
                self._pdfs.move_to_end(key)
                return found
        pdf = render()
        with self._lock:
            self._pdfs[key] = pdf
            self._pdfs.move_to_end(key)
            while len(self._pdfs) > self._entries:
                self._pdfs.popitem(last=False)
        return pdf
