"""Races that truly race: warm connections, a barrier, N calls at once, every result kept.

A "simultaneous" test that opens a fresh database connection per request does not race: the
connects alone spread the requests 60–110 ms apart, so code without its lock passes by luck.
``race`` first opens (and returns to the pool) as many connections as there are racers, then
holds every racer at a ``threading.Barrier`` and lets them all go at once::

    statuses = race([lambda: api.book(**body) for body in bodies], engines=[engine])

The results come back in the order of ``calls``; an exception in any call is raised again
(after every racer has finished), so a test never hides a failing racer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Engine

T = TypeVar("T")

BARRIER_TIMEOUT_SECONDS = 30.0


def warm(engine: Engine, count: int) -> int:
    """Open ``count`` connections on ``engine`` and return them to its pool; returns how many
    the pool keeps (never more than its size: overflow connections are closed on return)."""
    size = getattr(engine.pool, "size", None)
    kept = min(count, size()) if callable(size) else count
    connections = [engine.connect() for _ in range(kept)]
    for connection in connections:
        connection.close()
    return kept


def app_engine(client: Any) -> Engine:
    """The SQLAlchemy engine of a service app behind a ``TestClient`` (``app.state.services``)."""
    engine: Engine = client.app.state.services.engine
    return engine


def race(
    calls: Sequence[Callable[[], T]],
    *,
    engines: Iterable[Engine] = (),
    timeout: float = BARRIER_TIMEOUT_SECONDS,
) -> list[T]:
    """Run every call at the same moment, each in its own thread, after warming ``engines``.

    Returns the results in the order of ``calls``.
    """
    if len(calls) < 2:
        raise ValueError("a race needs at least two racers")
    for engine in engines:
        warm(engine, len(calls))
    start = threading.Barrier(len(calls), timeout=timeout)

    def run(call: Callable[[], T]) -> T:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result() for future in futures]


def race_statuses(
    calls: Sequence[Callable[[], Any]],
    *,
    engines: Iterable[Engine] = (),
    timeout: float = BARRIER_TIMEOUT_SECONDS,
) -> list[int]:
    """``race`` over calls answering HTTP responses; returns their status codes, sorted."""
    responses = race(calls, engines=engines, timeout=timeout)
    return sorted(int(response.status_code) for response in responses)
