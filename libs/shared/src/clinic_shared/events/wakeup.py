"""In-process wake-up calls from committing sessions to the relays of an outbox table."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Table

log = logging.getLogger(__name__)

Waker = Callable[[], None]

_lock = threading.Lock()
_wakers: dict[Table, list[Waker]] = {}


def register_waker(table: Table, waker: Waker) -> Callable[[], None]:
    """Call ``waker`` whenever a transaction that added events to ``table`` commits."""
    with _lock:
        _wakers.setdefault(table, []).append(waker)

    def unregister() -> None:
        with _lock:
            wakers = _wakers.get(table, [])
            if waker in wakers:
                wakers.remove(waker)
            if not wakers:
                _wakers.pop(table, None)

    return unregister


def notify(table: Table) -> None:
    """Wake every relay registered for ``table`` (cheap: it only sets their events)."""
    with _lock:
        wakers = list(_wakers.get(table, ()))
    for waker in wakers:
        try:
            waker()
        except Exception:
            # The commit already happened; a broken waker must not surface as a failed request.
            log.exception("outbox waker failed for table %s", table.name)
