"""Episode rules: open, edit while open, discharge once (pure)."""

from __future__ import annotations

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
