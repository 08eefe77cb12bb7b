"""The catch-all: proxy what the route table covers, 404 other API paths, else the SPA."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from clinic_gateway.routing import is_api_path, is_public
from clinic_gateway.spa import serve_spa
from clinic_gateway.state import gateway_state
from clinic_shared.middleware import METRICS_ROUTE_KEY
from clinic_shared.problems import ProblemError

PROXIED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def dispatch(request: Request) -> Response:
    """Route one request that no gateway-owned route answered."""
    state = gateway_state(request)
    path: str = request.scope["path"]
    upstream = state.route_table.match(path)
    # The request metrics' route label: the catch-all's template would lump everything together.
    if upstream is not None:
        request.scope[METRICS_ROUTE_KEY] = f"proxy:{upstream}"
        if not is_public(path, state.settings.public_paths):
            await state.edge_auth.authenticate(request.headers.get("authorization"))
        return await state.upstreams.forward(request, upstream)
    if is_api_path(path):
        request.scope[METRICS_ROUTE_KEY] = "unmatched"
        raise ProblemError(404, f"No API resource at {path}.")
    request.scope[METRICS_ROUTE_KEY] = "spa"
    return serve_spa(state.spa, request)
