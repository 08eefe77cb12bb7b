"""Two edits of one patient sent at the same moment with the same If-Match: one 200, one 412.

The requests truly race (``clinic_shared.testing.race``: warm connections, a barrier), unlike
``test_the_loser_of_two_concurrent_edits_gets_412``, which sends them one after the other.
"""

from __future__ import annotations

from typing import Any

import pytest

from clinic_shared.testing.race import app_engine, race

pytestmark = pytest.mark.integration


def test_two_simultaneous_edits_with_one_version_one_wins(api: Any) -> None:
    created = api.created()
    occupations = ["Pintora", "Escultora"]
    bodies = [{**api.editable(created), "occupation": job} for job in occupations]
    calls = [lambda body=body: api.put(created["id"], body, '"1"') for body in bodies]

    responses = race(calls, engines=[app_engine(api.client)])

    assert sorted(r.status_code for r in responses) == [200, 412], [r.text for r in responses]
    winner = next(
        job for job, r in zip(occupations, responses, strict=True) if r.status_code == 200
    )
    loser = next(r for r in responses if r.status_code == 412)
    assert loser.json()["currentVersion"] == 2
    final = api.get(created["id"])
    assert final.headers["etag"] == '"2"'
    assert final.json()["occupation"] == winner
