"""Locales the SPA speaks: negotiation (cookie, Accept-Language, default) and the translations."""

from __future__ import annotations

import json
from pathlib import Path

SUPPORTED_LOCALES = ("es", "en")
DEFAULT_LOCALE = "es"
LOCALE_COOKIE = "locale"

Translations = dict[str, dict[str, str]]


def _accept_language_preferences(header: str) -> list[tuple[float, int, str]]:
    preferences: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, *params = (part.strip() for part in item.split(";"))
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            # Negative position: at equal quality the earlier tag sorts first.
            preferences.append((quality, -position, tag.split("-")[0].lower()))
    return sorted(preferences, reverse=True)


def negotiate_locale(cookie: str | None, accept_language: str | None) -> str:
    """The request's locale: the ``locale`` cookie, else Accept-Language, else Spanish."""
    if cookie and cookie.strip().lower() in SUPPORTED_LOCALES:
        return cookie.strip().lower()
    for _quality, _position, language in _accept_language_preferences(accept_language or ""):
        if language in SUPPORTED_LOCALES:
            return language
    return DEFAULT_LOCALE


def load_translations(folder: Path) -> Translations:
    """Every supported locale's strings, from ``<folder>/<locale>.json``."""
    loaded: Translations = {}
    for locale in SUPPORTED_LOCALES:
        path = folder / f"{locale}.json"
        strings = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(strings, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in strings.items()
        ):
            raise ValueError(f"{path} must map string keys to strings")
        loaded[locale] = strings
    return loaded
