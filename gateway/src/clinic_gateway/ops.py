"""Operations: readiness of the upstreams, and the test-only database reset fan-out."""

from __future__ import annotations

import asyncio
import logging

import httpx
from fastapi import APIRouter, Response

from clinic_gateway.config import GatewaySettings
from clinic_gateway.state import State
from clinic_shared.app import ReadinessCheck
from clinic_shared.problems import ProblemError

RESET_PATH = "/api/test/reset-db"


def upstream_health_check(base_urls: tuple[str, ...], timeout: float) -> ReadinessCheck:
    """Readiness: one of the upstream's replicas answers 200 on ``/healthz``."""

    def check() -> None:
        failures: list[Exception] = []
        for base_url in base_urls:
            try:
                httpx.get(f"{base_url}/healthz", timeout=timeout).raise_for_status()
                return
            except httpx.HTTPError as exc:
                failures.append(exc)
        raise failures[-1]

    return check


def readiness_checks(settings: GatewaySettings) -> dict[str, ReadinessCheck]:
    """One check per upstream the route table uses."""
    return {
        name: upstream_health_check(settings.upstream_urls(name), settings.health_timeout)
        for name in settings.routed_upstreams
    }


log = logging.getLogger("clinic.gateway.ops")
test_router = APIRouter(tags=["test"])


@test_router.post(RESET_PATH, status_code=204)
async def reset_databases(state: State) -> Response:
    """Test mode only: every service empties its tables and the demo users are seeded again."""
    names = state.settings.routed_upstreams
    results = await asyncio.gather(
        *(
            state.upstreams.post(name, RESET_PATH, timeout=state.settings.reset_timeout)
            for name in names
        ),
        return_exceptions=True,
    )
    failed = [
        name
        for name, result in zip(names, results, strict=True)
        if isinstance(result, BaseException) or not 200 <= result < 300
    ]
    for name, result in zip(names, results, strict=True):
        if name in failed:
            # The reason must reach the log: a failed reset otherwise leaves nothing to debug.
            log.warning("reset of %s failed: %r", name, result)
    if failed:
        raise ProblemError(
            502, "Reset failed on: " + ", ".join(failed) + ".", extra={"failed": failed}
        )
    return Response(status_code=204)
