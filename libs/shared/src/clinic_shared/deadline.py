"""Blocking calls waited for at most a deadline, for what is queried at scrape time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class SourceTimeoutError(TimeoutError):
    """A metrics source did not answer before its deadline."""


class _Call(Generic[T]):
    """One blocking call running in a daemon thread."""

    def __init__(self, call: Callable[[], T], name: str) -> None:
        self.done = threading.Event()
        self._outcome: tuple[bool, Any] | None = None
        self._call = call
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            self._outcome = (True, self._call())
        except BaseException as exc:  # handed to whoever waits
            self._outcome = (False, exc)
        finally:
            self.done.set()

    def result(self) -> T:
        assert self._outcome is not None
        ok, value = self._outcome
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]


class DeadlineRunner(Generic[T]):
    """Run a blocking call in a daemon thread and wait for it at most ``timeout`` seconds.

    A call still running past its deadline is left to finish on its own (its own limits end
    it: the pool's and the statement's timeouts). Until it does, no other is started: later
    runs wait for that one (a concurrent scrape shares its answer) instead of piling up
    threads and connections behind a frozen server.
    """

    def __init__(self, name: str, timeout: float) -> None:
        self._name = name
        self._timeout = timeout
        self._lock = threading.Lock()
        self._current: _Call[T] | None = None

    def run(self, call: Callable[[], T]) -> T:
        """``call()``'s result, or :class:`SourceTimeoutError`; its exception is re-raised."""
        with self._lock:
            current = self._current
            if current is None or current.done.is_set():
                current = self._current = _Call(call, f"metrics-{self._name}")
        if not current.done.wait(self._timeout):
            raise SourceTimeoutError(f"{self._name}: no answer within {self._timeout}s")
        return current.result()
