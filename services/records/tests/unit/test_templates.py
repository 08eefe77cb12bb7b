"""Every entry type has its sections in Spanish and English."""

from __future__ import annotations

from clinic_records.domain.entries import ENTRY_TYPES
from clinic_records.domain.templates import template, templates


def test_every_type_has_both_languages() -> None:
    for kind in ENTRY_TYPES:
        assert template(kind, "es") != template(kind, "en") or kind == "note"
    assert template("assessment", "en").subjective.startswith("Main complaint")  # type: ignore[union-attr]
    assert [kind for kind, _ in templates(None, "es")] == list(ENTRY_TYPES)
