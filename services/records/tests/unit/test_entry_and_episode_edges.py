"""The edges of the entry and episode rules that mutation testing found unpinned.

Versions grow by exactly one from any version (the ETag a stale edit is refused by), the
bounds are exact (the last allowed character, today, the opening day), ids and statuses are
compared by value — an id or a status read back from the database is an equal but different
object — and the records stay frozen.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from clinic_records.domain import entries, episodes
from clinic_records.domain.entries import AMENDMENT_MAX_CHARS, EntryFields, NotTheAuthorError, Soap
from clinic_records.domain.episodes import EpisodeFields
from clinic_shared.errors import ConflictError, FieldError

TODAY = date(2027, 3, 29)
NOW = datetime(2027, 3, 29, 9, 0, tzinfo=UTC)


def _read_back(text: str) -> str:
    """An equal string that is another object, as a value read from storage is."""
    return "".join(list(text))


def _entry(version: int = 1, author: str = "m-author", status: str = "draft") -> entries.Entry:
    fields = EntryFields("treatment", TODAY, Soap("Dolor lumbar", None, None, None))
    entry = entries.new_entry("e1", "p1", author, fields, TODAY)
    return dataclasses.replace(entry, version=version, status=status)


def _episode(version: int = 1) -> episodes.Episode:
    fields = EpisodeFields("pr1", "Lumbalgia", "lumbar", TODAY - timedelta(days=10))
    return dataclasses.replace(episodes.new_episode("ep1", "p1", fields, TODAY), version=version)


@pytest.mark.parametrize("version", [1, 2, 5, 8])
def test_every_change_of_an_entry_adds_exactly_one_to_its_version(version: int) -> None:
    draft = _entry(version)
    fields = dataclasses.replace(draft.fields, pain_vas=3)
    assert entries.edited(draft, "m-author", fields, TODAY).version == version + 1
    assert entries.signed(draft, "m-author", NOW).version == version + 1
    assert entries.amended(_entry(version, status="signed")).version == version + 1


@pytest.mark.parametrize("version", [1, 2, 5, 8])
def test_every_change_of_an_episode_adds_exactly_one_to_its_version(version: int) -> None:
    episode = _episode(version)
    fields = dataclasses.replace(episode.fields, reason="Lumbalgia crónica")
    assert episodes.edited(episode, fields, TODAY).version == version + 1
    assert episodes.discharged(episode, "Alta", TODAY).version == version + 1


def test_a_status_read_back_from_storage_is_still_signed() -> None:
    entry = _entry(status=_read_back("signed"))
    assert entry.is_signed
    with pytest.raises(ConflictError):
        entries.edited(entry, "m-author", entry.fields, TODAY)


def test_the_author_is_recognised_by_value_whatever_the_object() -> None:
    draft = _entry(author="m-author")
    same_author = _read_back("m-author")
    assert entries.edited(draft, same_author, draft.fields, TODAY).version == 2
    assert entries.signed(draft, same_author, NOW).is_signed
    entries.check_readable(draft, same_author)


@pytest.mark.parametrize("other", ["a-lower", "z-higher"])
def test_anyone_else_is_refused_whether_their_id_sorts_before_or_after(other: str) -> None:
    draft = _entry(author="m-author")
    with pytest.raises(NotTheAuthorError):
        entries.edited(draft, other, draft.fields, TODAY)
    with pytest.raises(NotTheAuthorError):
        entries.signed(draft, other, NOW)
    with pytest.raises(NotTheAuthorError):
        entries.check_readable(draft, other)


def test_an_amendment_may_be_exactly_as_long_as_the_limit_and_no_longer() -> None:
    signed = _entry(status="signed")
    assert AMENDMENT_MAX_CHARS == 20_000
    at_limit = entries.amendment(signed, "a1", "m-author", "x" * AMENDMENT_MAX_CHARS, NOW)
    assert len(at_limit.text) == AMENDMENT_MAX_CHARS
    with pytest.raises(FieldError) as refused:
        entries.amendment(signed, "a1", "m-author", "x" * (AMENDMENT_MAX_CHARS + 1), NOW)
    assert refused.value.field == "text"


def test_an_entry_may_be_dated_today_or_any_day_before_but_not_tomorrow() -> None:
    for day in (TODAY, TODAY - timedelta(days=1), date(2020, 1, 1), date(*TODAY.timetuple()[:3])):
        entries.check_fields(EntryFields("note", day, Soap("x")), TODAY)
    with pytest.raises(FieldError):
        entries.check_fields(EntryFields("note", TODAY + timedelta(days=1), Soap("x")), TODAY)


def test_an_episode_may_open_today_and_be_discharged_on_the_day_it_opened() -> None:
    opened_today = EpisodeFields("pr1", "Cervicalgia", None, date(*TODAY.timetuple()[:3]))
    episode = episodes.new_episode("ep2", "p1", opened_today, TODAY)
    same_day = date(*TODAY.timetuple()[:3])
    assert episodes.discharged(episode, "Alta", same_day).discharged_on == TODAY
    with pytest.raises(FieldError) as refused:
        episodes.discharged(episode, "Alta", TODAY - timedelta(days=1))
    assert refused.value.field == "dischargedOn"
    with pytest.raises(FieldError):
        episodes.new_episode("ep3", "p1", dataclasses.replace(opened_today,
                             opened_on=TODAY + timedelta(days=1)), TODAY)  # fmt: skip


def test_a_discharge_after_the_opening_day_is_accepted() -> None:
    episode = _episode()
    assert episodes.discharged(episode, "Alta", TODAY).discharged_on == TODAY


@pytest.mark.parametrize(
    "record",
    [
        _entry(),
        Soap("x"),
        EntryFields("note", TODAY, Soap("x")),
        entries.Amendment("a1", "e1", "m-author", "texto", NOW),
        _episode(),
        EpisodeFields("pr1", "Lumbalgia", None, TODAY),
    ],
    ids=lambda record: type(record).__name__,
)
def test_the_records_are_frozen(record: object) -> None:
    field = dataclasses.fields(record)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, field, None)
