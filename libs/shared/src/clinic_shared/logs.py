"""JSON log lines carrying the service name and the request id."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

from clinic_shared.request_id import current_request_id


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, service, logger, message, requestId, exception."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as JSON."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
            "requestId": getattr(record, "request_id", None) or current_request_id(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class _ServiceLogHandler(logging.StreamHandler[TextIO]):
    """The handler ``configure_logging`` installs (so a second call replaces only it)."""


def configure_logging(service: str, level: str = "INFO", as_json: bool = True) -> None:
    """Route the root logger (and uvicorn's) to stderr in the chosen format."""
    handler = _ServiceLogHandler(sys.stderr)
    if as_json:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.addFilter(_RequestIdFilter())
        handler.setFormatter(
            logging.Formatter(f"%(asctime)s {service} %(levelname)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    # Other handlers stay (pytest's caplog among them); only our previous one is replaced.
    others = [h for h in root.handlers if not isinstance(h, _ServiceLogHandler)]
    root.handlers[:] = [*others, handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # Access lines duplicate our metrics and drown the useful lines; keep them at WARNING.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
