"""/metrics of a real app (app factory + MariaDB + Redis), its collectors, and the request id
carried from a request into its event and the consumer's log lines; then the alert rules and
the Grafana dashboard in deploy/observability checked against what the app really exposes."""

from __future__ import annotations

import json
import logging
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml
from fastapi import APIRouter, FastAPI, Request
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, MetaData, Table, insert

from clinic_shared.app import create_service_app
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.clock import utcnow
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.deadline import DeadlineRunner, SourceTimeoutError
from clinic_shared.events import (
    EventConsumer,
    EventEnvelope,
    OutboxWriter,
    add_event,
    new_envelope,
    outbox_table,
    processed_events_table,
    to_fields,
)
from clinic_shared.idempotency import IdempotencyStore, idempotency_table
from clinic_shared.logs import JsonFormatter
from clinic_shared.metrics import ConsumerStreams, OutboxSource, QueriedMetrics, StreamsSource
from clinic_shared.metrics_pools import DatabasePoolCollector
from clinic_shared.request_id import current_request_id
from clinic_shared.services import ServiceParts
from clinic_shared.settings import ServiceSettings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[4]
OBSERVABILITY = ROOT / "deploy" / "observability"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


# --- a small service: one route emitting an event, a consumer of its own stream --------------


@dataclass
class Service:
    name: str
    stream: str
    parts: ServiceParts
    outbox: Table
    processed: Table
    applied: list[tuple[str | None, str | None]] = field(default_factory=list)
    fail: bool = False


def _service(database_url: str, name: str, stream: str) -> Service:
    engine = create_engine_for(database_url)
    metadata = MetaData()
    outbox = outbox_table(metadata)
    processed = processed_events_table(metadata)
    idempotency = idempotency_table(metadata)
    metadata.create_all(engine)
    parts = ServiceParts(
        engine=engine,
        sessions=make_session_factory(engine),
        events=OutboxWriter(outbox, stream, name),
        idempotency=IdempotencyStore(engine, idempotency),
    )
    return Service(name, stream, parts, outbox, processed)


router = APIRouter()


@router.post("/api/things/{thing_id}", status_code=201)
def make_thing(thing_id: int, request: Request) -> dict[str, int]:
    parts: ServiceParts = request.app.state.services
    with parts.new_session() as session, session.begin():
        add_event(
            session,
            parts.events.table,
            stream=parts.events.stream,
            type="thing.made",
            data={"thingId": thing_id},
            producer=parts.events.producer,
        )
    return {"id": thing_id}


@router.get("/api/things/{thing_id}")
def read_thing(thing_id: int) -> dict[str, int]:
    if thing_id == 500:
        raise RuntimeError("a bug")
    return {"id": thing_id}


def _app(service: Service, redis_url: str) -> FastAPI:
    settings = ServiceSettings(
        service_name=service.name,
        app_env="test",
        database_url="sqlite://",  # unused: the parts carry the engine
        redis_url=redis_url,
        outbox_poll_seconds=0.2,
        log_json=False,
    )
    handler_log = logging.getLogger("metrics_test.handler")

    def on_thing(_session: Any, envelope: EventEnvelope) -> None:
        if service.fail:
            raise ValueError("this payload is refused")
        service.applied.append((envelope.correlation_id, current_request_id()))
        handler_log.warning("applied thing %s", envelope.data["thingId"])

    def consumer() -> EventConsumer:
        return EventConsumer(
            service=service.name,
            redis_url=redis_url,
            session_factory=service.parts.sessions,
            processed_table=service.processed,
            streams=[service.stream],
            handlers={"thing.made": on_thing},
            max_deliveries=1,
            reclaim_idle_ms=200,
            block_ms=100,
            first_retry_delay=0.1,
            watch_interval=0.2,
        )

    verifier = JwtVerifier(JwksCache(lambda: {"keys": []}), issuer="i", audience="a")
    return create_service_app(
        settings,
        title="Metrics test",
        routers=[router],
        services=service.parts,
        consumer=consumer,
        verifier=verifier,
    )


@pytest.fixture
def service(
    database_url_factory: Callable[[str], str], redis_client: redis.Redis
) -> Iterator[Service]:
    suffix = uuid.uuid4().hex[:10]
    made = _service(database_url_factory("metrics"), f"svc{suffix}", f"things.t{suffix}")
    yield made
    made.parts.engine.dispose()
    redis_client.delete(made.stream, f"dead.{made.name}")


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(text: str, name: str, **labels: str) -> float | None:
    return _samples(text).get((name, frozenset(labels.items())))


def _wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# --- the app's /metrics -----------------------------------------------------------------------


def test_requests_are_counted_under_their_route_template_and_status(
    service: Service, redis_url: str
) -> None:
    with TestClient(_app(service, redis_url), raise_server_exceptions=False) as client:
        client.get("/api/things/101")
        client.get("/api/things/202")
        client.get("/api/things/500")
        client.get("/api/nowhere/303")
        text = client.get("/metrics").text

    template = "/api/things/{thing_id}"
    assert _value(text, "http_requests_total", method="GET", route=template, status="200") == 2
    assert _value(text, "http_requests_total", method="GET", route=template, status="500") == 1
    assert _value(text, "http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert _value(text, "http_request_duration_seconds_count", method="GET", route=template) == 3
    for raw in ("/api/things/101", "/api/things/500", "/api/nowhere/303"):
        assert raw not in text


def test_the_request_id_travels_into_the_event_and_the_consumers_log_lines(
    service: Service, redis_url: str
) -> None:
    lines = StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter(service.name))
    handler_log = logging.getLogger("metrics_test.handler")
    handler_log.addHandler(handler)
    try:
        with TestClient(_app(service, redis_url)) as client:
            answer = client.post("/api/things/7", headers={"X-Request-ID": "req-trace-7"})
            _wait_for(lambda: bool(service.applied))
            text = client.get("/metrics").text
    finally:
        handler_log.removeHandler(handler)

    assert answer.status_code == 201
    assert answer.headers["x-request-id"] == "req-trace-7"
    # The envelope carries it (correlationId) and the handler runs with it as its request id.
    assert service.applied == [("req-trace-7", "req-trace-7")]
    (line,) = [json.loads(raw) for raw in lines.getvalue().splitlines()]
    assert line["message"] == "applied thing 7"
    assert line["requestId"] == "req-trace-7"
    # And the consumer is caught up: nothing unread, nothing pending, nothing dead.
    labels = {"stream": service.stream, "group": service.name}
    assert _value(text, "clinic_events_consumer_lag", **labels) == 0
    assert _value(text, "clinic_events_consumer_pending", **labels) == 0
    assert _value(text, "clinic_events_consumer_lag_seconds", **labels) == 0
    assert _value(text, "clinic_events_dead_stream_length", stream=f"dead.{service.name}") == 0
    assert _value(text, "clinic_metrics_source_up", source="redis") == 1
    assert _value(text, "clinic_metrics_source_up", source="outbox") == 1
    assert _value(text, "clinic_db_pool_size", pool="primary") is not None
    _assert_valid_exposition(text)


def test_an_envelope_without_correlation_id_is_still_applied(
    service: Service, redis_url: str, redis_client: redis.Redis
) -> None:
    old = new_envelope("thing.made", {"thingId": 1}, "older-producer")
    fields = json.loads(old.to_json())
    del fields["correlationId"]  # written before the field existed
    redis_client.xadd(service.stream, {"envelope": json.dumps(fields)})

    with TestClient(_app(service, redis_url)):
        _wait_for(lambda: bool(service.applied))

    assert service.applied == [(None, None)]


def test_an_old_outbox_row_shows_as_backlog_and_age_while_redis_is_down(
    service: Service,
) -> None:
    envelope = new_envelope("thing.made", {"thingId": 3}, service.name)
    with service.parts.engine.begin() as conn:
        conn.execute(
            insert(service.outbox).values(
                event_id=envelope.id,
                stream=service.stream,
                event_type=envelope.type,
                payload=envelope.to_json(),
                created_at=utcnow() - timedelta(seconds=90),
                attempts=0,
            )
        )

    # The relay cannot publish it and the consumer waits for Redis; the scrape still answers.
    with TestClient(_app(service, UNREACHABLE_REDIS)) as client:
        started = time.monotonic()
        response = client.get("/metrics")
        elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < 3
    text = response.text
    assert _value(text, "clinic_outbox_pending") == 1
    age = _value(text, "clinic_outbox_oldest_pending_age_seconds")
    assert age is not None
    assert 89 <= age < 120
    assert _value(text, "clinic_metrics_source_up", source="outbox") == 1
    assert _value(text, "clinic_metrics_source_up", source="redis") == 0
    assert "clinic_events_consumer_lag{" not in text


def _assert_valid_exposition(text: str) -> None:
    # Prometheus refuses a scrape that declares one family twice.
    declared = re.findall(r"^# TYPE (\S+)", text, flags=re.MULTILINE)
    assert len(declared) == len(set(declared)), sorted(declared)
    if shutil.which("promtool"):
        result = subprocess.run(
            ["promtool", "check", "metrics"],
            input=text,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


# --- the sources and collectors alone, with exact figures ------------------------------------


def _collect(collector: Any) -> str:
    registry = CollectorRegistry()
    registry.register(collector)
    return generate_latest(registry).decode()


def test_streams_source_reports_lag_pending_age_and_dead_letters(
    redis_url: str, redis_client: redis.Redis, unique_name: Callable[[str], str]
) -> None:
    stream, group = unique_name("metrics.lag"), f"g{uuid.uuid4().hex[:8]}"
    dead = unique_name(f"dead.{group}")
    envelope = to_fields(new_envelope("thing.made", {}, "p"))
    two_minutes_ago = int(time.time() * 1000) - 120_000
    redis_client.xadd(stream, envelope, id=f"{two_minutes_ago}-0")
    for _ in range(3):
        redis_client.xadd(stream, envelope)
    redis_client.xgroup_create(stream, group, id="0")
    # One entry read and never acknowledged (a failing handler): pending 1, three unread.
    redis_client.xreadgroup(group, "worker", {stream: ">"}, count=1)
    for _ in range(2):
        redis_client.xadd(dead, {"error": "refused"})
    watched = ConsumerStreams(group, (stream, unique_name("metrics.never")), dead)
    source = StreamsSource(redis_url, lambda: watched)
    try:
        text = _collect(QueriedMetrics([source]))
    finally:
        source.close()

    labels = {"stream": stream, "group": group}
    assert _value(text, "clinic_events_consumer_lag", **labels) == 3
    assert _value(text, "clinic_events_consumer_pending", **labels) == 1
    age = _value(text, "clinic_events_consumer_lag_seconds", **labels)
    assert age is not None
    assert 119 <= age < 150  # the pending entry, two minutes old
    assert _value(text, "clinic_events_dead_stream_length", stream=dead) == 2
    assert _value(text, "clinic_metrics_source_up", source="redis") == 1
    # A stream nothing was published to yet is left out, not an error.
    assert text.count("clinic_events_consumer_pending{") == 1


def test_lag_seconds_is_the_oldest_unread_entry_when_nothing_is_pending(
    redis_url: str, redis_client: redis.Redis, unique_name: Callable[[str], str]
) -> None:
    stream, group = unique_name("metrics.unread"), f"g{uuid.uuid4().hex[:8]}"
    redis_client.xgroup_create(stream, group, id="0", mkstream=True)
    redis_client.xadd(stream, {"envelope": "{}"}, id=f"{int(time.time() * 1000) - 30_000}-0")
    source = StreamsSource(redis_url, lambda: ConsumerStreams(group, (stream,), f"dead.{group}"))
    try:
        text = _collect(QueriedMetrics([source]))
    finally:
        source.close()

    age = _value(text, "clinic_events_consumer_lag_seconds", stream=stream, group=group)
    assert age is not None
    assert 29 <= age < 60
    assert _value(text, "clinic_events_consumer_lag", stream=stream, group=group) == 1


def test_streams_source_reports_redis_down_without_failing() -> None:
    source = StreamsSource(
        UNREACHABLE_REDIS, lambda: ConsumerStreams("g", ("s",), "dead.g"), timeout=0.5
    )
    text = _collect(QueriedMetrics([source]))

    assert _value(text, "clinic_metrics_source_up", source="redis") == 0
    assert "clinic_events_consumer_lag" not in text


def test_a_frozen_redis_is_reported_down_within_the_deadline() -> None:
    # A server that accepts connections and never answers: a hung Redis.
    with socket.create_server(("127.0.0.1", 0)) as frozen:
        port = frozen.getsockname()[1]
        source = StreamsSource(
            f"redis://127.0.0.1:{port}/0",
            lambda: ConsumerStreams("g", ("s",), "dead.g"),
            timeout=0.3,
        )
        started = time.monotonic()
        try:
            text = _collect(QueriedMetrics([source]))
        finally:
            source.close()
        elapsed = time.monotonic() - started

    assert elapsed < 1.5  # one round trip's timeout, no retries
    assert _value(text, "clinic_metrics_source_up", source="redis") == 0


def test_outbox_source_reports_an_unreachable_database_without_failing() -> None:
    engine = create_engine_for("mysql+pymysql://root@127.0.0.1:1/nothing")
    try:
        text = _collect(QueriedMetrics([OutboxSource(engine, outbox_table(MetaData()))]))
    finally:
        engine.dispose()

    assert _value(text, "clinic_metrics_source_up", source="outbox") == 0
    assert "clinic_outbox_pending" not in text


def test_a_frozen_source_answers_within_its_deadline_and_is_not_queried_twice() -> None:
    release = threading.Event()
    calls: list[int] = []

    def frozen() -> int:
        calls.append(1)
        release.wait(10)
        return 1

    runner: DeadlineRunner[int] = DeadlineRunner("frozen", timeout=0.2)
    started = time.monotonic()
    with pytest.raises(SourceTimeoutError):
        runner.run(frozen)
    with pytest.raises(SourceTimeoutError):
        runner.run(frozen)  # the first is still stuck: wait for it again, start nothing
    assert time.monotonic() - started < 1
    release.set()

    def answers() -> bool:
        try:
            return runner.run(lambda: 2) == 2
        except SourceTimeoutError:
            return False  # the frozen call has not returned yet

    _wait_for(answers, seconds=2)
    assert calls == [1]


def test_concurrent_runs_share_one_call() -> None:
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return len(calls)

    runner: DeadlineRunner[int] = DeadlineRunner("shared", timeout=2)
    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(runner.run(slow))) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [1, 1]
    assert calls == [1]
    assert runner.run(slow) == 2  # a finished call is not reused: the next run queries again


def test_pool_collector_counts_checked_out_connections(
    database_url_factory: Callable[[str], str],
) -> None:
    engine: Engine = create_engine_for(database_url_factory("pool"), pool_size=3)
    try:
        with engine.connect(), engine.connect():
            busy = _collect(DatabasePoolCollector({"primary": engine}))
        idle = _collect(DatabasePoolCollector({"primary": engine}))
    finally:
        engine.dispose()

    assert _value(busy, "clinic_db_pool_size", pool="primary") == 3
    assert _value(busy, "clinic_db_pool_checked_out", pool="primary") == 2
    assert _value(busy, "clinic_db_pool_connections", pool="primary") == 2
    assert _value(busy, "clinic_db_pool_overflow", pool="primary") == 0
    assert (_value(busy, "clinic_db_pool_max_overflow", pool="primary") or 0) >= 0
    assert _value(idle, "clinic_db_pool_checked_out", pool="primary") == 0
    assert _value(idle, "clinic_db_pool_connections", pool="primary") == 2


# --- deploy/observability: alert rules and dashboard use only exposed metrics ----------------

# Aggregations, functions and keywords: not metric names.
PROMQL_WORDS = {
    *("sum", "min", "max", "avg", "count", "count_values", "stddev", "stdvar", "topk"),
    *("bottomk", "quantile", "group", "rate", "irate", "increase", "delta", "idelta"),
    *("deriv", "changes", "resets", "time", "vector", "scalar", "abs", "histogram_quantile"),
    *("clamp_min", "clamp_max", "clamp", "absent", "absent_over_time", "max_over_time"),
    *("min_over_time", "avg_over_time", "sum_over_time", "last_over_time", "label_replace"),
    *("label_join", "sort", "sort_desc", "round", "ceil", "floor", "and", "or", "unless"),
    *("bool", "by", "without", "on", "ignoring", "group_left", "group_right", "offset"),
    *("inf", "nan"),
}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (label matchers, ranges, groupings removed)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)  # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges
    expr = re.sub(
        r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr
    )  # groupings
    expr = re.sub(r"\$\w+", "", expr)  # Grafana variables
    words = set(re.findall(r"(?<![\w.])[A-Za-z_:][\w:]*", expr))
    return {w for w in words if w.lower() not in PROMQL_WORDS}


def test_metric_names_finds_the_names_and_only_them() -> None:
    expr = (
        'sum by (service, status) (rate(http_requests_total{status=~"5..",route="/a/{id}"}[5m]))'
        " / on (service) clinic_typo_total > 0.05 and up == 0"
    )
    assert metric_names(expr) == {"http_requests_total", "clinic_typo_total", "up"}


@pytest.fixture(scope="module")
def exposed(database_url_factory: Callable[[str], str], redis_url: str) -> set[str]:
    """Every sample name a real app exposes once it served, emitted, consumed and parked."""
    suffix = uuid.uuid4().hex[:10]
    made = _service(database_url_factory("exposed"), f"svc{suffix}", f"things.t{suffix}")
    try:
        with TestClient(_app(made, redis_url)) as client:
            client.post("/api/things/1")
            _wait_for(lambda: bool(made.applied))
            made.fail = True
            client.post("/api/things/2")
            dead = redis.Redis.from_url(redis_url)
            _wait_for(lambda: dead.xlen(f"dead.{made.name}") == 1)
            names = {name for name, _ in _samples(client.get("/metrics").text)}
            dead.delete(made.stream, f"dead.{made.name}")
            dead.close()
    finally:
        made.parts.engine.dispose()
    return names | {"up", "scrape_duration_seconds"}  # added by Prometheus to every target


def test_the_app_exposes_every_metric_the_issue_asks_for(exposed: set[str]) -> None:
    assert {
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "clinic_outbox_pending",
        "clinic_outbox_oldest_pending_age_seconds",
        "clinic_events_consumer_lag",
        "clinic_events_consumer_pending",
        "clinic_events_consumer_lag_seconds",
        "clinic_events_dead_stream_length",
        "clinic_events_dead_lettered_total",
        "clinic_db_pool_checked_out",
        "clinic_db_pool_size",
        "clinic_db_pool_overflow",
        "clinic_metrics_source_up",
    } <= exposed


def test_alert_rules_name_only_exposed_metrics_and_cover_the_issue(exposed: set[str]) -> None:
    document = yaml.safe_load((OBSERVABILITY / "alerts.yaml").read_text())
    rules = [rule for group in document["groups"] for rule in group["rules"]]
    assert rules
    assert all(group["name"] for group in document["groups"])
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", rule["alert"]), rule
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert rule["annotations"]["runbook_url"].startswith("docs/operations.md#"), rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule.get("for", "0s")), rule["alert"]
        assert _balanced(rule["expr"]), rule["alert"]
        names = metric_names(rule["expr"])
        assert names, rule["alert"]
        assert names <= exposed, (rule["alert"], names - exposed)
    by_name = {rule["alert"]: rule for rule in rules}
    assert re.search(
        r"clinic_outbox_oldest_pending_age_seconds\)? > 60$", by_name["ClinicOutboxStuck"]["expr"]
    )
    assert "clinic_events_consumer_lag" in by_name["ClinicConsumerLagging"]["expr"]
    assert "clinic_events_dead_stream_length" in by_name["ClinicDeadLetters"]["expr"]
    assert 'status=~"5.."' in by_name["ClinicHigh5xxRate"]["expr"]


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_accepts_the_rules_and_their_unit_tests_pass() -> None:
    # alerts.test.yaml feeds series to the rules: each alert fires when it should, not before.
    for command in (("check", "rules", "alerts.yaml"), ("test", "rules", "alerts.test.yaml")):
        result = subprocess.run(
            ["promtool", *command],
            cwd=OBSERVABILITY,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_panels_query_only_exposed_metrics(exposed: set[str]) -> None:
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    queried: set[str] = set()
    for panel in panels:
        assert panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert _balanced(target["expr"]), panel["title"]
            names = metric_names(target["expr"])
            assert names, panel["title"]
            assert names <= exposed, (panel["title"], names - exposed)
            queried |= names
    assert len({p["id"] for p in panels}) == len(panels)
    for wanted in (
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "clinic_outbox_pending",
        "clinic_outbox_oldest_pending_age_seconds",
        "clinic_events_consumer_lag",
        "clinic_events_consumer_pending",
        "clinic_events_dead_stream_length",
        "clinic_db_pool_checked_out",
    ):
        assert wanted in queried, wanted


def test_the_scrape_config_loads_the_alert_rules() -> None:
    config = yaml.safe_load((OBSERVABILITY / "prometheus.yml").read_text())
    assert "alerts.yaml" in config["rule_files"]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    # The gateway's /metrics answers only the scrape token; the services' only the network.
    assert jobs["clinic-gateway"]["authorization"]["credentials_file"]
    assert all(job["metrics_path"] == "/metrics" for job in jobs.values())


def _balanced(expr: str) -> bool:
    closing = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for char in re.sub(r'"(?:[^"\\]|\\.)*"', "", expr):
        if char in "([{":
            stack.append(char)
        elif char in closing and (not stack or stack.pop() != closing[char]):
            return False
    return not stack
