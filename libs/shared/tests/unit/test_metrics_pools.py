"""The database pools a service's /metrics measures, found on its composition root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import Engine, create_engine

from clinic_shared.metrics_pools import DatabasePoolCollector, engines_of


@dataclass(frozen=True)
class Parts:
    engine: Engine
    audit_engine: Engine
    name: str = "not an engine"


def test_every_engine_of_the_parts_is_a_pool_named_after_it(tmp_path: Path) -> None:
    primary = create_engine(f"sqlite:///{tmp_path / 'a.sqlite'}", pool_size=4, max_overflow=1)
    audit = create_engine(f"sqlite:///{tmp_path / 'b.sqlite'}", pool_size=2, max_overflow=0)
    try:
        assert engines_of(Parts(primary, audit)) == {"primary": primary, "audit": audit}
        registry = CollectorRegistry()
        registry.register(DatabasePoolCollector(engines_of(Parts(primary, audit))))
        with primary.connect():
            text = generate_latest(registry).decode()
    finally:
        primary.dispose()
        audit.dispose()

    assert 'clinic_db_pool_size{pool="primary"} 4.0' in text
    assert 'clinic_db_pool_max_overflow{pool="primary"} 1.0' in text
    assert 'clinic_db_pool_checked_out{pool="primary"} 1.0' in text
    assert 'clinic_db_pool_size{pool="audit"} 2.0' in text
    assert 'clinic_db_pool_checked_out{pool="audit"} 0.0' in text


def test_a_pool_without_counters_is_left_out() -> None:
    memory = create_engine("sqlite://")  # SingletonThreadPool: no size, no overflow
    try:
        registry = CollectorRegistry()
        registry.register(DatabasePoolCollector({"primary": memory}))
        text = generate_latest(registry).decode()
    finally:
        memory.dispose()

    assert 'pool="primary"' not in text
