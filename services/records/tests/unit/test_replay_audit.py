"""What a replayed answer is audited as: the kind of clinical content its stored body holds."""

from __future__ import annotations

import json
from typing import Any

from clinic_records.infrastructure.replay_audit import ReplayedContent, replayed_content
from clinic_shared.idempotency import StoredResponse


def _stored(body: Any) -> StoredResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return StoredResponse(201, {"content-type": "application/json"}, raw)


def test_each_kind_of_answer_is_named_by_the_field_only_it_has() -> None:
    entry = {"id": "e-1", "patientId": "p-1", "authorId": "u-1", "subjective": "Dolor"}
    episode = {"id": "ep-1", "patientId": "p-1", "retainUntil": None, "entries": [entry]}
    measure = {"id": "m-1", "patientId": "p-1", "instrument": "NDI", "takenBy": "u-1"}
    assert replayed_content(_stored(entry)) == ReplayedContent("record.replayed", "p-1", "e-1")
    assert replayed_content(_stored(episode)) == ReplayedContent("episode.replayed", "p-1", "ep-1")
    assert replayed_content(_stored(measure)) == ReplayedContent("measure.replayed", "p-1", "m-1")


def test_an_unknown_answer_about_a_patient_is_still_audited_and_others_are_not() -> None:
    # Failing safe: a shape added later is audited under a generic name, never skipped.
    other = replayed_content(_stored({"patientId": "p-1", "id": 7}))
    assert other == ReplayedContent("answer.replayed", "p-1", None)
    for body in (b"", b"not json", [], {"status": "ok"}, {"patientId": None}):
        assert replayed_content(_stored(body)) is None
