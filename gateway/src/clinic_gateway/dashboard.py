"""``GET /api/dashboard/stats``: every context's numbers in one answer, never failing on one.

A context that is not deployed (no upstream configured, or nothing listening where it would be
and it has never answered this gateway, not at start and not since: ``UpstreamPool.answered``)
is listed under ``notDeployed``, not ``degraded``: the SPA warns about what stopped answering,
not about what a clinic chose not to run.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from fastapi import APIRouter, Request
from pydantic import ConfigDict

from clinic_gateway.proxy import UpstreamForbiddenError, UpstreamUnavailableError
from clinic_gateway.state import EdgeUser, GatewayState, State
from clinic_shared.openapi import problem_responses
from clinic_shared.schemas import CamelModel

log = logging.getLogger("clinic.gateway.dashboard")
router = APIRouter(prefix="/api/dashboard", tags=["dashboard"])
STATS_PATH = "/stats"
FIXED_COUNTERS = ("totalPatients", "totalAppointments", "totalInvoices")


class DashboardStats(CamelModel):
    """The fixed counters (null when their context did not answer) plus any a context adds."""

    model_config = ConfigDict(extra="allow")

    total_patients: int | None = None
    total_appointments: int | None = None
    total_invoices: int | None = None
    degraded: list[str]
    not_deployed: list[str] = []


class ContextNotDeployedError(Exception):
    """The context is not part of this installation (as far as the gateway can tell)."""


def _refused_connection(error: UpstreamUnavailableError) -> bool:
    # Connection refused or an unknown host: nothing runs there (a timeout or a 5xx is "down").
    return isinstance(error.__cause__, aiohttp.ClientConnectorError)


async def _context_stats(state: GatewayState, context: str, authorization: str | None) -> Any:
    if context not in state.settings.upstreams:
        raise ContextNotDeployedError(f"{context} has no upstream configured")
    headers = {"Authorization": authorization} if authorization else {}
    try:
        numbers = await state.upstreams.get_json(
            context, STATS_PATH, timeout=state.settings.dashboard_timeout, headers=headers
        )
    except UpstreamUnavailableError as error:
        if not state.upstreams.pools[context].answered and _refused_connection(error):
            raise ContextNotDeployedError(str(error)) from error
        raise
    except UpstreamForbiddenError:
        # Not the caller's business (a practitioner and billing's figures): no numbers, and
        # not "degraded" either, since the context is up.
        return {}
    if not isinstance(numbers, dict):
        raise UpstreamUnavailableError(f"{context} stats are not a JSON object")
    return numbers


def _acceptable(context: str, key: str, value: Any) -> bool:
    if key in ("degraded", "notDeployed"):
        return False
    if key in FIXED_COUNTERS and (isinstance(value, bool) or not isinstance(value, int)):
        log.warning("dashboard: %s sent a non-integer %s: %r", context, key, value)
        return False
    return True


def merge_stats(answers: dict[str, Any]) -> DashboardStats:
    """Merge each context's answer (a dict, or the exception it raised) into one document."""
    merged: dict[str, Any] = {}
    degraded: list[str] = []
    not_deployed: list[str] = []
    for context, answer in answers.items():
        if isinstance(answer, dict):
            merged.update({k: v for k, v in answer.items() if _acceptable(context, k, v)})
        elif isinstance(answer, ContextNotDeployedError):
            not_deployed.append(context)
        else:
            log.warning("dashboard: %s did not answer: %s", context, answer)
            degraded.append(context)
    return DashboardStats.model_validate(
        {**merged, "degraded": degraded, "notDeployed": not_deployed}
    )


# The edge checks the token itself (no declared security scheme), so its answers are named here.
@router.get("/stats", response_model=DashboardStats, responses=problem_responses(401, 503))
async def dashboard_stats(request: Request, state: State, _user: EdgeUser) -> DashboardStats:
    """Counters from every context, asked in parallel; those that did not answer are listed."""
    contexts = state.settings.dashboard_contexts
    authorization = request.headers.get("authorization")
    answers = await asyncio.gather(
        *(_context_stats(state, context, authorization) for context in contexts),
        return_exceptions=True,
    )
    return merge_stats(dict(zip(contexts, answers, strict=True)))
