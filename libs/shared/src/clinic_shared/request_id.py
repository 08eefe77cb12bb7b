"""Per-request context that must reach log lines and emitted events."""

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The X-Request-ID of the request being served, if any."""
    return request_id_var.get()
