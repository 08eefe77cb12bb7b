"""Several replicas behind one upstream name: round robin over the ready ones.

A service may run as several processes (``scripts/stack.py run --replicas 2``, or several hosts
listed in ``GATEWAY_UPSTREAMS``). Each request asks its pool for the replicas in the order to try
them: the ready ones, starting one further along each time (round robin), then the ones marked
down, as a last resort, so a service whose every replica is "down" (its database is away) still
gives its own 503 problem rather than the gateway's.

A replica leaves the rotation when a connection to it is refused or breaks before any answer
(``mark_down``, by the proxy), or when its ``/readyz`` stops answering 200; it comes back when
``/readyz`` answers 200 again. Only upstreams with more than one replica are probed: with one
there is nothing to choose between, and Kubernetes' Services balance on their own.

A pool also remembers whether its service has ever answered this gateway (any request, the
readiness probes, or the one ``/healthz`` greeting each upstream gets at start): the dashboard
tells a service that stopped answering ("degraded") from one that was never there.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import aiohttp

log = logging.getLogger("clinic.gateway.upstream_pool")


@dataclass
class Replica:
    """One process of a service, and whether it is in the rotation."""

    url: str
    ready: bool = True


@dataclass
class UpstreamPool:
    """The replicas of one upstream name."""

    name: str
    replicas: tuple[Replica, ...]
    answered: bool = False
    _turn: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def of(cls, name: str, urls: Iterable[str]) -> UpstreamPool:
        """A pool of ``urls`` (trailing slashes dropped), all ready until shown otherwise."""
        return cls(name, tuple(Replica(url.rstrip("/")) for url in urls))

    def candidates(self) -> list[Replica]:
        """The replicas in the order to try: ready ones round robin, then the ones marked down."""
        count = len(self.replicas)
        start = next(self._turn) % count
        rotated = self.replicas[start:] + self.replicas[:start]
        return [r for r in rotated if r.ready] + [r for r in rotated if not r.ready]

    def mark_down(self, replica: Replica, reason: object) -> None:
        """Take ``replica`` out of the rotation until its ``/readyz`` answers 200."""
        if replica.ready and len(self.replicas) > 1:
            log.warning("%s replica %s out of rotation: %s", self.name, replica.url, reason)
            replica.ready = False

    def mark_answered(self) -> None:
        """A replica answered (whatever the status): the service is part of this installation."""
        self.answered = True

    def mark_ready(self, replica: Replica, ready: bool) -> None:
        """What a readiness probe found."""
        if ready != replica.ready:
            state = "back in rotation" if ready else "out of rotation: /readyz not 200"
            log.warning("%s replica %s %s", self.name, replica.url, state)
        replica.ready = ready

    @property
    def balanced(self) -> bool:
        """Whether there is more than one replica to choose between."""
        return len(self.replicas) > 1


class UpstreamPools:
    """Every upstream's pool, and the task that probes the balanced ones' readiness."""

    def __init__(
        self, upstreams: Mapping[str, tuple[str, ...]], *, probe_seconds: float, timeout: float
    ) -> None:
        self.pools = {name: UpstreamPool.of(name, urls) for name, urls in upstreams.items()}
        self._probe_seconds = probe_seconds
        self._timeout = timeout
        self._task: asyncio.Task[None] | None = None
        self._greeting: asyncio.Task[None] | None = None

    def __getitem__(self, name: str) -> UpstreamPool:
        return self.pools[name]

    def start_probing(
        self, session: aiohttp.ClientSession, greeting_session: aiohttp.ClientSession
    ) -> None:
        """Greet every upstream once; poll the balanced pools' ``/readyz`` every ``probe_seconds``.

        The greeting goes on connections that close after it (``greeting_session``): an idle
        pooled one would only be found stale by the first real request.
        """
        self._greeting = asyncio.create_task(self.greet(greeting_session), name="upstream-greeting")
        if self._task is None and any(pool.balanced for pool in self.pools.values()):
            self._task = asyncio.create_task(self._probe_forever(session), name="upstream-probe")

    async def stop_probing(self) -> None:
        """Cancel the probe and greeting tasks."""
        for task in (self._task, self._greeting):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._task = self._greeting = None

    async def greet(self, session: aiohttp.ClientSession) -> None:
        """Ask every replica's ``/healthz`` once, so a pool knows its service was there at start."""
        await asyncio.gather(
            *(
                self._greet(session, pool, replica)
                for pool in self.pools.values()
                for replica in pool.replicas
            )
        )

    async def _greet(
        self, session: aiohttp.ClientSession, pool: UpstreamPool, replica: Replica
    ) -> None:
        try:
            async with session.get(
                f"{replica.url}/healthz", timeout=aiohttp.ClientTimeout(total=self._timeout)
            ) as response:
                await response.read()
                pool.mark_answered()
        except (aiohttp.ClientError, TimeoutError):
            pass  # not there (yet): the pool learns it from the next answer, if any

    async def probe_once(self, session: aiohttp.ClientSession) -> None:
        """Ask every replica of every balanced pool whether it is ready, all at once."""
        probes = [
            self._probe(session, pool, replica)
            for pool in self.pools.values()
            if pool.balanced
            for replica in pool.replicas
        ]
        await asyncio.gather(*probes)

    async def _probe_forever(self, session: aiohttp.ClientSession) -> None:
        while True:
            await self.probe_once(session)
            await asyncio.sleep(self._probe_seconds)

    async def _probe(
        self, session: aiohttp.ClientSession, pool: UpstreamPool, replica: Replica
    ) -> None:
        try:
            async with session.get(
                f"{replica.url}/readyz", timeout=aiohttp.ClientTimeout(total=self._timeout)
            ) as response:
                await response.read()
                pool.mark_answered()
                pool.mark_ready(replica, response.status == 200)
        except (aiohttp.ClientError, TimeoutError):
            pool.mark_ready(replica, False)
