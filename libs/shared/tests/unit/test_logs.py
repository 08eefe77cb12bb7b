"""JSON log lines and configure_logging."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from clinic_shared.logs import JsonFormatter, configure_logging
from clinic_shared.request_id import request_id_var


def _record(message: str, *args: object, exc_info: bool = False) -> logging.LogRecord:
    return logging.getLogger("clinic.tests").makeRecord(
        "clinic.tests",
        logging.WARNING,
        __file__,
        1,
        message,
        args,
        sys.exc_info() if exc_info else None,
    )


@pytest.fixture
def request_id() -> Iterator[str]:
    token = request_id_var.set("req-42")
    yield "req-42"
    request_id_var.reset(token)


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_line_has_service_level_message_and_request_id(request_id: str) -> None:
    line = JsonFormatter("patients").format(_record("saved %s for %s", "García", 7))

    entry = json.loads(line)
    assert entry["service"] == "patients"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "clinic.tests"
    assert entry["message"] == "saved García for 7"
    assert entry["requestId"] == request_id
    assert entry["time"].endswith("+00:00")
    assert "García" in line  # readable, not \\u escaped
    assert "\n" not in line


def test_json_line_outside_a_request_has_null_request_id() -> None:
    entry = json.loads(JsonFormatter("patients").format(_record("tick")))

    assert entry["requestId"] is None
    assert "exception" not in entry


def test_json_line_carries_the_exception() -> None:
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        record = _record("failed", exc_info=True)

    entry = json.loads(JsonFormatter("patients").format(record))

    assert "ValueError: bad" in entry["exception"]
    assert "Traceback" in entry["exception"]


def test_configure_logging_json_writes_one_json_object_per_line(
    restore_root_logging: None, request_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)

    configure_logging("billing", "info", as_json=True)
    logging.getLogger("clinic.billing").info("invoice %s issued", "F-1")
    logging.getLogger("clinic.billing").debug("not shown at INFO")

    [entry] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert entry["message"] == "invoice F-1 issued"
    assert entry["service"] == "billing"
    assert entry["requestId"] == request_id


def test_configure_logging_text_shows_the_request_id(
    restore_root_logging: None, request_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)

    configure_logging("billing", "INFO", as_json=False)
    logging.getLogger("clinic.billing").warning("slow query")

    assert " billing WARNING [req-42] slow query" in stream.getvalue()


def test_configure_logging_twice_installs_one_handler(
    restore_root_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)

    configure_logging("billing")
    configure_logging("billing")
    logging.getLogger("clinic.billing").warning("once")

    assert len(stream.getvalue().splitlines()) == 1


def test_configure_logging_keeps_other_handlers(
    restore_root_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    # Every create_service_app() calls configure_logging: it must not blind pytest's caplog.
    configure_logging("billing")
    logging.getLogger("clinic.billing").warning("still captured")

    assert [r.getMessage() for r in caplog.records] == ["still captured"]


def test_uvicorn_access_lines_are_quietened(restore_root_logging: None) -> None:
    configure_logging("billing")

    assert logging.getLogger("uvicorn.access").level == logging.WARNING
    assert logging.getLogger("uvicorn.error").propagate
