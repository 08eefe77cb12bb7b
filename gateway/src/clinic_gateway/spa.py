"""Serving the built SPA: hashed assets cached for good, ``index.html`` per locale, deep links."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from clinic_gateway.i18n import LOCALE_COOKIE, Translations, negotiate_locale
from clinic_gateway.index_page import RenderedIndex, render_index
from clinic_gateway.security import content_security_policy
from clinic_shared.problems import ProblemError

IMMUTABLE = "public, max-age=31536000, immutable"
ASSETS_DIR = "assets/"

NOT_BUILT_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Clinic — the web app is not built yet</title></head>
<body>
<h1>The web app is not built yet</h1>
<p>The gateway and the API are running, but <code>frontend/dist</code> does not exist.
Build the single-page app with:</p>
<pre>make frontend</pre>
<p>or</p>
<pre>npm --prefix frontend ci &amp;&amp; npm --prefix frontend run build</pre>
<p>then reload this page. The API documentation is at <a href="/api/docs">/api/docs</a>.</p>
</body>
</html>
"""


class Spa:
    """The build in ``dist``: its files, and ``index.html`` rendered once per locale."""

    def __init__(self, dist: Path, translations: Translations) -> None:
        self._dist = dist
        self._translations = translations
        self._rendered: dict[str, RenderedIndex] = {}
        self._rendered_from: int | None = None

    @property
    def built(self) -> bool:
        """Whether ``index.html`` exists (checked per request: a build may land while running)."""
        return (self._dist / "index.html").is_file()

    def index(self, locale: str) -> RenderedIndex:
        """``index.html`` for ``locale``, re-rendered whenever the file changes."""
        path = self._dist / "index.html"
        modified = path.stat().st_mtime_ns
        if modified != self._rendered_from:
            self._rendered = {}
            self._rendered_from = modified
        rendered = self._rendered.get(locale)
        if rendered is None:
            template = path.read_text(encoding="utf-8")
            rendered = render_index(template, locale, self._translations[locale])
            self._rendered[locale] = rendered
        return rendered

    def file(self, relative: str) -> Path | None:
        """A regular file inside the build (never outside it), or None."""
        root = self._dist.resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate


def index_response(spa: Spa, request: Request) -> Response:
    """``index.html`` in the request's locale, never cached, allowing only its own inline script."""
    locale = negotiate_locale(
        request.cookies.get(LOCALE_COOKIE), request.headers.get("accept-language")
    )
    rendered = spa.index(locale)
    return HTMLResponse(
        rendered.html,
        headers={
            "Cache-Control": "no-cache",
            "Vary": "Cookie, Accept-Language",
            "Content-Security-Policy": content_security_policy([rendered.script_source]),
        },
    )


def serve_spa(spa: Spa, request: Request) -> Response:
    """A file of the build, else ``index.html`` (deep links); a plain how-to page until built."""
    if request.method not in ("GET", "HEAD"):
        raise ProblemError(405, headers={"Allow": "GET, HEAD"})
    if not spa.built:
        return HTMLResponse(NOT_BUILT_PAGE, headers={"Cache-Control": "no-cache"})
    relative = request.url.path.lstrip("/")
    if relative in ("", "index.html"):
        return index_response(spa, request)
    found = spa.file(relative)
    if found is not None:
        cache = IMMUTABLE if relative.startswith(ASSETS_DIR) else "no-cache"
        return FileResponse(found, headers={"Cache-Control": cache})
    if relative.startswith(ASSETS_DIR):
        # A stale hashed name: HTML in place of a script would only confuse the browser.
        raise ProblemError(404, "No such asset.")
    return index_response(spa, request)
