"""The catch-all: proxy what the route table covers, 404 other API paths, else the SPA."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from clinic_gateway.routing import is_api_path, is_public
from clinic_gateway.spa import serve_spa
from clinic_gateway.state import gateway_state
from clinic_shared.problems import ProblemError

PROXIED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def dispatch(request: Request) -> Response:
    """Route one request that no gateway-owned route answered."""
    state = gateway_state(request)
    path: str = request.scope["path"]
    upstream = state.route_table.match(path)
    if upstream is not None:
        if not is_public(path, state.settings.public_paths):
            await state.edge_auth.authenticate(request.headers.get("authorization"))
        return await state.upstreams.forward(request, upstream)
    if is_api_path(path):
        raise ProblemError(404, f"No API resource at {path}.")
    return serve_spa(state.spa, request)
