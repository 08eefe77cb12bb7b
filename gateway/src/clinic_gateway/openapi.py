"""``/api/openapi.json`` (the merged document) and ``/api/docs`` (Swagger UI for it)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from clinic_gateway.index_page import csp_script_hash
from clinic_gateway.security import content_security_policy
from clinic_gateway.state import State

router = APIRouter(prefix="/api", include_in_schema=False)
MERGED_OPENAPI_PATH = "/api/openapi.json"
SWAGGER_CDN = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@router.get("/openapi.json")
async def merged_openapi(request: Request, state: State) -> JSONResponse:
    """The OpenAPI document of every service behind the gateway, merged."""
    document = await state.openapi.document(request.app.openapi())
    return JSONResponse(document)


@router.get("/docs")
def api_docs() -> HTMLResponse:
    """Swagger UI for the merged document."""
    page = get_swagger_ui_html(openapi_url=MERGED_OPENAPI_PATH, title="Clinic API")
    html = bytes(page.body).decode("utf-8")
    inline_hashes = [csp_script_hash(script) for script in _INLINE_SCRIPT.findall(html)]
    page.headers["Content-Security-Policy"] = content_security_policy(
        script_sources=[SWAGGER_CDN, *inline_hashes],
        style_sources=[SWAGGER_CDN],
        img_sources=["https://fastapi.tiangolo.com"],
    )
    return page
