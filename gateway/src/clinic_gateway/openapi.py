"""``/api/openapi.json`` (the merged document) and ``/api/docs`` (Swagger UI for it).

Swagger UI's files are vendored in ``swagger_ui/`` at a pinned version and served by the gateway
itself (no CDN): the page has no inline script, so its CSP is the gateway's ``script-src 'self'``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from clinic_gateway.state import State
from clinic_shared.problems import ProblemError

router = APIRouter(prefix="/api", include_in_schema=False)
MERGED_OPENAPI_PATH = "/api/openapi.json"
SWAGGER_UI_VERSION = "5.36.0"
SWAGGER_UI_DIR = Path(__file__).resolve().parent / "swagger_ui"
DOCS_ASSET_PREFIX = "/api/docs/assets"
# The only files served (name -> media type); anything else under the prefix is a 404.
SWAGGER_UI_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-init.js": "text/javascript; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
DOCS_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Clinic API</title>
<link rel="icon" type="image/png" href="{DOCS_ASSET_PREFIX}/favicon-32x32.png">
<link rel="stylesheet" href="{DOCS_ASSET_PREFIX}/swagger-ui.css?v={SWAGGER_UI_VERSION}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{DOCS_ASSET_PREFIX}/swagger-ui-bundle.js?v={SWAGGER_UI_VERSION}"></script>
<script src="{DOCS_ASSET_PREFIX}/swagger-init.js?v={SWAGGER_UI_VERSION}"></script>
</body>
</html>
"""


@router.get("/openapi.json")
async def merged_openapi(request: Request, state: State) -> JSONResponse:
    """The OpenAPI document of every service behind the gateway, merged."""
    document = await state.openapi.document(request.app.openapi())
    return JSONResponse(document)


@router.get("/docs")
def api_docs() -> HTMLResponse:
    """Swagger UI for the merged document (same-origin assets only)."""
    return HTMLResponse(DOCS_PAGE, headers={"Cache-Control": "no-cache"})


@router.get("/docs/assets/{name}")
def api_docs_asset(name: str) -> FileResponse:
    """One of Swagger UI's vendored files."""
    media_type = SWAGGER_UI_ASSETS.get(name)
    if media_type is None:
        raise ProblemError(404, f"No API resource at {DOCS_ASSET_PREFIX}/{name}.")
    return FileResponse(
        SWAGGER_UI_DIR / name,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=86400"},
    )
