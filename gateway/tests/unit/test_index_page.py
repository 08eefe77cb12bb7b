"""Rendering index.html: where the bootstrap script goes, its escaping and its CSP hash."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from clinic_gateway.index_page import bootstrap_script, render_index, script_json

TEMPLATE = (
    '<!doctype html><html lang="en" class="h-full"><head><meta charset="UTF-8">'
    '<script type="module" src="/assets/index-abc.js"></script></head>'
    '<body><div id="root"></div></body></html>'
)


def _inline_script(html: str) -> str:
    match = re.search(r"<script>(.*?)</script>", html, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_script_goes_before_head_end_and_lang_follows_locale() -> None:
    html = render_index(TEMPLATE, "es", {"app.title": "Clínica"}).html.decode()
    assert html.index("<script>window.APP_LOCALE") < html.index("</head>")
    assert '<html lang="es" class="h-full">' in html
    assert 'window.APP_LOCALE="es";' in html
    assert "Clínica" in html
    assert '<script type="module" src="/assets/index-abc.js"></script>' in html


def test_html_without_lang_gets_one_and_without_head_still_gets_the_script() -> None:
    with_lang = render_index("<html><head></head><body></body></html>", "en", {}).html.decode()
    assert with_lang.startswith('<html lang="en">')
    headless = render_index("<div id=root></div>", "en", {}).html.decode()
    assert headless.startswith("<script>window.APP_LOCALE")


def test_translations_cannot_close_the_script_element() -> None:
    hostile = {"x": "</script><script>alert(1)</script><!-- & \u2028 \u2029"}
    html = render_index(TEMPLATE, "en", hostile).html.decode()
    assert html.count("</script>") == 2  # the injected script's and the module script's own
    assert "<!--" not in html
    assert "\u2028" not in html
    assert "\u2029" not in html
    script = _inline_script(html)
    payload = script.split("window.APP_TRANSLATIONS=", 1)[1].rstrip(";")
    assert json.loads(payload) == hostile


def test_script_json_round_trips() -> None:
    value = {"a": "<b>&\"'", "ñ": "ü"}
    assert json.loads(script_json(value)) == value


def test_csp_hash_covers_exactly_the_injected_script() -> None:
    rendered = render_index(TEMPLATE, "en", {"k": "v"})
    script = _inline_script(rendered.html.decode())
    assert script == bootstrap_script("en", {"k": "v"})
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert rendered.script_source == f"'sha256-{digest}'"
