"""The entry state machine and the amendment rules (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clinic_records.domain import entries as rules
from clinic_records.domain.entries import EntryFields, NotTheAuthorError, Soap
from clinic_shared.errors import ConflictError, FieldError

TODAY = date(2027, 3, 29)
NOW = datetime(2027, 3, 29, 9, 0, tzinfo=UTC)
SOAP = Soap("Dolor lumbar", "Lasègue +", "Radiculopatía", "Ejercicio")


def _fields(**changes: object) -> EntryFields:
    values: dict[str, object] = {"type": "treatment", "entry_date": TODAY, "soap": SOAP}
    values.update(changes)
    return EntryFields(**values)  # type: ignore[arg-type]


def _draft() -> rules.Entry:
    return rules.new_entry("e1", "p1", "author", _fields(pain_vas=5), TODAY)


def test_a_new_entry_is_a_draft_of_its_author() -> None:
    entry = _draft()
    assert (entry.status, entry.author_id, entry.version, entry.is_signed) == (
        "draft",
        "author",
        1,
        False,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"entry_date": date(2027, 3, 30)}, "date"),
        ({"pain_vas": 11}, "painVas"),
        ({"pain_vas": -1}, "painVas"),
        ({"type": "surgery"}, "type"),
    ],
)
def test_bad_fields_name_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(FieldError) as caught:
        rules.new_entry("e1", "p1", "a", _fields(**changes), TODAY)
    assert caught.value.field == field


def test_pain_bounds_are_allowed() -> None:
    for vas in (0, 10):
        assert rules.new_entry("e", "p", "a", _fields(pain_vas=vas), TODAY).fields.pain_vas == vas


def test_only_the_author_edits_a_draft() -> None:
    entry = _draft()
    edited = rules.edited(entry, "author", _fields(pain_vas=3), TODAY)
    assert (edited.fields.pain_vas, edited.version) == (3, 2)
    with pytest.raises(NotTheAuthorError):
        rules.edited(entry, "someone", _fields(), TODAY)


def test_signing_stamps_signer_and_time_and_freezes_the_entry() -> None:
    done = rules.signed(_draft(), "author", NOW)
    assert (done.status, done.signed_by, done.signed_at, done.version) == (
        "signed",
        "author",
        NOW,
        2,
    )
    with pytest.raises(ConflictError):
        rules.edited(done, "author", _fields(), TODAY)
    with pytest.raises(ConflictError):
        rules.signed(done, "author", NOW)


def test_only_the_author_signs() -> None:
    with pytest.raises(NotTheAuthorError) as caught:
        rules.signed(_draft(), "someone", NOW)
    assert caught.value.status == 403


def test_an_empty_draft_cannot_be_signed() -> None:
    empty = rules.new_entry("e", "p", "a", _fields(soap=Soap(None, " ", None, None)), TODAY)
    with pytest.raises(FieldError):
        rules.signed(empty, "a", NOW)


def test_drafts_are_readable_by_their_author_only_and_signed_ones_by_all() -> None:
    rules.check_readable(_draft(), "author")
    with pytest.raises(NotTheAuthorError):
        rules.check_readable(_draft(), "someone")
    rules.check_readable(rules.signed(_draft(), "author", NOW), "someone")


def test_an_amendment_needs_a_signed_entry_and_keeps_the_original() -> None:
    with pytest.raises(ConflictError):
        rules.amendment(_draft(), "a1", "author", "Corrección", NOW)
    done = rules.signed(_draft(), "author", NOW)
    added = rules.amendment(done, "a1", "colleague", "Corrección: VAS 4", NOW)
    assert (added.entry_id, added.author_id, added.text) == ("e1", "colleague", "Corrección: VAS 4")
    after = rules.amended(done)
    assert (after.version, after.fields, after.status) == (3, done.fields, "signed")


def test_an_amendment_needs_text() -> None:
    done = rules.signed(_draft(), "author", NOW)
    with pytest.raises(FieldError):
        rules.amendment(done, "a1", "author", "   ", NOW)
