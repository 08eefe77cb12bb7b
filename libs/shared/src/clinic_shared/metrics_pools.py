"""Prometheus gauges of a service's SQLAlchemy pools, read when it is scraped (no query).

``create_service_app`` registers :class:`DatabasePoolCollector` over every engine of the
service's composition root (:func:`engines_of`), next to the queried sources of
:mod:`clinic_shared.metrics`: ``clinic_db_pool_size``, ``…_max_overflow``, ``…_connections``,
``…_checked_out`` and ``…_overflow``, each labelled by ``pool`` (``primary``, ``audit``…).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine

# pool_stats() key: (metric, help text)
_GAUGES = {
    "size": ("clinic_db_pool_size", "Connections the pool keeps open"),
    "max_overflow": (
        "clinic_db_pool_max_overflow",
        "Connections the pool may open beyond its size",
    ),
    "open": ("clinic_db_pool_connections", "Connections open now"),
    "checked_out": (
        "clinic_db_pool_checked_out",
        "Connections in use by a request, a relay or a consumer",
    ),
    "overflow": ("clinic_db_pool_overflow", "Connections open beyond the pool's size"),
}


class DatabasePoolCollector(Collector):
    """The SQLAlchemy pools of a service (``pool`` label: ``primary``, ``audit``, ``replica``…)."""

    def __init__(self, engines: Mapping[str, Engine]) -> None:
        self._engines = dict(engines)

    def describe(self) -> list[Metric]:
        """Nothing up front."""
        return []

    def collect(self) -> Iterator[Metric]:
        """Pool size, open and checked-out connections and the overflow in use, per pool."""
        families = {
            key: GaugeMetricFamily(name, documentation, labels=["pool"])
            for key, (name, documentation) in _GAUGES.items()
        }
        for name, engine in self._engines.items():
            stats = pool_stats(engine)
            if stats is None:
                continue  # a pool without counters (SQLite's): nothing to say
            for key, family in families.items():
                family.add_metric([name], stats[key])
        yield from families.values()


def engines_of(parts: object) -> dict[str, Engine]:
    """A service's engines by pool name: ``engine`` is ``primary``, ``audit_engine`` ``audit``…

    Every :class:`~sqlalchemy.Engine` attribute of its composition root, so an engine a service
    adds (records' audit writers, a read replica) is measured without anyone registering it.
    """
    if dataclasses.is_dataclass(parts):
        attributes = {f.name: getattr(parts, f.name, None) for f in dataclasses.fields(parts)}
    else:
        attributes = dict(getattr(parts, "__dict__", {}))
    found: dict[str, Engine] = {}
    for attribute, value in sorted(attributes.items()):
        if isinstance(value, Engine):
            name = attribute.removesuffix("_engine").removesuffix("engine") or "primary"
            found.setdefault(name, value)
    return found


def pool_stats(engine: Engine) -> dict[str, int] | None:
    """``size``, ``max_overflow``, ``open``, ``checked_out`` and ``overflow`` of a QueuePool."""
    pool: Any = engine.pool
    needed = ("size", "checkedout", "checkedin", "overflow")
    if not all(callable(getattr(pool, attr, None)) for attr in needed):
        return None
    try:
        size, out, idle, overflow = (
            int(pool.size()),
            int(pool.checkedout()),
            int(pool.checkedin()),
            int(pool.overflow()),
        )
    except Exception:  # a pool whose counters do not apply (no queue): nothing to say
        return None
    return {
        "size": size,
        "max_overflow": max(0, int(getattr(pool, "_max_overflow", 0))),
        "open": out + idle,
        "checked_out": out,
        # QueuePool counts from -size: negative while fewer than ``size`` are open.
        "overflow": max(0, overflow),
    }
