"""What the gateway's routes share, held on ``app.state.gateway``, and its dependency aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, Request

from clinic_gateway.config import GatewaySettings
from clinic_gateway.edge_auth import EdgeAuthenticator
from clinic_gateway.openapi_merge import OpenApiAggregator
from clinic_gateway.proxy import Upstreams
from clinic_gateway.routing import RouteTable
from clinic_gateway.spa import Spa
from clinic_shared.auth import OptionalBearer, Principal


@dataclass
class GatewayState:
    """The gateway's collaborators, built once per app."""

    settings: GatewaySettings
    route_table: RouteTable
    upstreams: Upstreams
    edge_auth: EdgeAuthenticator
    spa: Spa
    openapi: OpenApiAggregator


def gateway_state(request: Request) -> GatewayState:
    """The app's ``GatewayState``."""
    return cast(GatewayState, request.app.state.gateway)


async def edge_user(request: Request, _bearer: OptionalBearer) -> Principal:
    """The caller of a gateway-owned route, verified like proxied calls (401 otherwise)."""
    # ``_bearer`` only makes the OpenAPI document show the bearer scheme on these routes.
    state = gateway_state(request)
    return await state.edge_auth.authenticate(request.headers.get("authorization"))


State = Annotated[GatewayState, Depends(gateway_state)]
EdgeUser = Annotated[Principal, Depends(edge_user)]
