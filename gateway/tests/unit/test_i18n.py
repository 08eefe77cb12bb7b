"""Locale negotiation and the translation files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clinic_gateway.config import CHECKOUT_TRANSLATIONS_DIR
from clinic_gateway.i18n import (
    DEFAULT_LOCALE,
    SUPPORTED_LOCALES,
    load_translations,
    negotiate_locale,
)


@pytest.mark.parametrize(
    ("cookie", "accept_language", "expected"),
    [
        (None, None, "es"),
        ("en", None, "en"),
        ("EN", None, "en"),
        ("en", "es-ES,es;q=0.9", "en"),
        ("es", "en-US,en;q=0.9", "es"),
        ("fr", "en-US,en;q=0.9", "en"),
        ("", "en", "en"),
        (None, "en-GB,en;q=0.9,es;q=0.8", "en"),
        (None, "es;q=0.4, en;q=0.9", "en"),
        (None, "en;q=0.5, es", "es"),
        (None, "fr-FR, de;q=0.9", "es"),
        (None, "fr-FR, de;q=0.9, en;q=0.1", "en"),
        (None, "en;q=0, es;q=0.1", "es"),
        (None, "en;q=0", "es"),
        (None, "*", "es"),
        (None, "en;q=abc, es;q=0.2", "es"),
        (None, ",,;q=1, en", "en"),
    ],
)
def test_cookie_then_accept_language_then_spanish(
    cookie: str | None, accept_language: str | None, expected: str
) -> None:
    assert negotiate_locale(cookie, accept_language) == expected


def test_spanish_is_the_default() -> None:
    assert DEFAULT_LOCALE == "es"
    assert SUPPORTED_LOCALES == ("es", "en")


def test_every_locale_has_the_same_keys() -> None:
    translations = load_translations(CHECKOUT_TRANSLATIONS_DIR)
    assert set(translations) == set(SUPPORTED_LOCALES)
    assert set(translations["es"]) == set(translations["en"])


def test_no_string_is_empty_and_placeholders_match() -> None:
    translations = load_translations(CHECKOUT_TRANSLATIONS_DIR)
    for key, spanish in translations["es"].items():
        english = translations["en"][key]
        assert spanish.strip(), key
        assert english.strip(), key
        assert set(re.findall(r"\{\w+\}", spanish)) == set(re.findall(r"\{\w+\}", english)), key


def test_login_page_strings_exist_in_both_languages() -> None:
    translations = load_translations(CHECKOUT_TRANSLATIONS_DIR)
    assert translations["es"]["language.label"] == "Idioma"
    assert translations["en"]["language.label"] == "Language"
    for key in ("app.title", "login.email", "login.password", "login.submit", "nav.logout"):
        assert translations["es"][key] != ""
        assert translations["en"][key] != ""


def test_translations_come_from_the_folder_given(tmp_path: Path) -> None:
    for locale in SUPPORTED_LOCALES:
        (tmp_path / f"{locale}.json").write_text(json.dumps({"app.title": locale}))
    assert load_translations(tmp_path) == {"es": {"app.title": "es"}, "en": {"app.title": "en"}}


def test_a_file_that_is_not_flat_strings_is_refused(tmp_path: Path) -> None:
    (tmp_path / "es.json").write_text(json.dumps({"app": {"title": "Clínica"}}))
    (tmp_path / "en.json").write_text(json.dumps({"app.title": "Clinic"}))
    with pytest.raises(ValueError, match=r"es\.json must map string keys to strings"):
        load_translations(tmp_path)
