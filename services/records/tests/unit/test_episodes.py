"""Episode rules: open, edit while open, discharge once (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from clinic_records.domain import episodes as rules
from clinic_records.domain.episodes import EpisodeFields
from clinic_shared.errors import ConflictError, FieldError

TODAY = date(2027, 3, 29)
FIELDS = EpisodeFields("pr1", "Lumbalgia mecánica", "lumbar", date(2027, 3, 1))


def test_discharge_closes_the_episode_once() -> None:
    episode = rules.new_episode("ep1", "p1", FIELDS, TODAY)
    done = rules.discharged(episode, "Objetivos alcanzados", TODAY)
    assert (done.is_open, done.discharged_on, done.version) == (False, TODAY, 2)
    with pytest.raises(ConflictError):
        rules.discharged(done, "otra vez", TODAY)
    with pytest.raises(ConflictError):
        rules.edited(done, FIELDS, TODAY)


def test_bad_fields() -> None:
    with pytest.raises(FieldError) as caught:
        rules.new_episode("e", "p", EpisodeFields("pr", " ", None, TODAY), TODAY)
    assert caught.value.field == "reason"
    with pytest.raises(FieldError) as caught:
        rules.new_episode("e", "p", EpisodeFields("pr", "x", None, date(2027, 4, 1)), TODAY)
    assert caught.value.field == "openedOn"


# Retention: Ley 41/2002 art. 17.1, five years from the discharge, counted date to date.


@pytest.mark.parametrize(
    ("discharged_on", "kept_until"),
    [
        (date(2027, 3, 29), date(2032, 3, 29)),
        (date(2026, 12, 31), date(2031, 12, 31)),
        (date(2027, 1, 1), date(2032, 1, 1)),
        # 29 February: 2033 has none, so the term ends on the last day of February.
        (date(2028, 2, 29), date(2033, 2, 28)),
        # Five years on is itself a leap year: 28 February stays 28 February.
        (date(2027, 2, 28), date(2032, 2, 28)),
        (date(2027, 3, 1), date(2032, 3, 1)),
    ],
)
def test_retention_is_five_years_after_the_discharge(discharged_on: date, kept_until: date) -> None:
    assert rules.retain_until(discharged_on) == kept_until
    episode = rules.new_episode("ep1", "p1", FIELDS, TODAY)
    closed = replace(episode, discharged_on=discharged_on, discharge_reason="Alta")
    assert closed.retain_until == kept_until


def test_an_open_episode_has_no_retention_date_yet() -> None:
    episode = rules.new_episode("ep1", "p1", FIELDS, TODAY)
    assert (rules.retain_until(None), episode.retain_until) == (None, None)
    assert rules.RETENTION_YEARS == 5
    done = rules.discharged(episode, "Objetivos alcanzados", TODAY)
    assert done.retain_until == date(2032, 3, 29)
