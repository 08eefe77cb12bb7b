"""The SPA's ``index.html`` with the request's locale and translations inlined (seed ADR-005)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass

_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<html\b([^>]*)>", re.IGNORECASE)
_LANG_ATTR = re.compile(r"""\blang\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
# Inside <script> only these can end the element or confuse the parser; JSON allows escaping them.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: object) -> str:
    """JSON safe to embed in an inline ``<script>`` (no ``</script>`` or ``<!--`` can appear)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_SCRIPT_UNSAFE.get(char, char) for char in text)


def bootstrap_script(locale: str, strings: dict[str, str]) -> str:
    """The inline script defining ``window.APP_LOCALE`` and ``window.APP_TRANSLATIONS``."""
    return (
        f"window.APP_LOCALE={script_json(locale)};window.APP_TRANSLATIONS={script_json(strings)};"
    )


def csp_script_hash(script: str) -> str:
    """The CSP source (``'sha256-…'``) allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@dataclass(frozen=True)
class RenderedIndex:
    """``index.html`` for one locale and the CSP source its inline script needs."""

    html: bytes
    script_source: str


def _with_lang(html: str, locale: str) -> str:
    match = _HTML_TAG.search(html)
    if match is None:
        return html
    attributes = match.group(1)
    if _LANG_ATTR.search(attributes):
        attributes = _LANG_ATTR.sub(f'lang="{locale}"', attributes, count=1)
    else:
        attributes = f' lang="{locale}"{attributes}'
    return html[: match.start()] + f"<html{attributes}>" + html[match.end() :]


def render_index(template: str, locale: str, strings: dict[str, str]) -> RenderedIndex:
    """``template`` with ``<html lang>`` set and the bootstrap script placed before ``</head>``."""
    script = bootstrap_script(locale, strings)
    tag = f"<script>{script}</script>"
    html = _with_lang(template, locale)
    head_end = _HEAD_END.search(html)
    if head_end is None:
        html = tag + html
    else:
        html = html[: head_end.start()] + tag + html[head_end.start() :]
    return RenderedIndex(html=html.encode("utf-8"), script_source=csp_script_hash(script))
