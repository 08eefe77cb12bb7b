"""Booking through the gateway with concurrent clients, into free slots found beforehand."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from common import ApiClient
from scheduling_data import Draw


def free_slot_candidates(api: ApiClient, draw: Draw, wanted: int) -> list[tuple[str, str]]:
    """(practitionerId, startsAt) of free 45-minute slots in random future weeks."""
    found: list[tuple[str, str]] = []
    while len(found) < wanted:
        params = draw.slot_params(future_only=True)
        body, _ = api.get_json("/api/appointments/free-slots", params)
        assert isinstance(body, dict)
        slots = body["member"]
        for slot in draw.rng.sample(slots, min(4, len(slots))):
            found.append((params["practitionerId"], slot["startsAt"]))
    draw.rng.shuffle(found)  # concurrent clients then book for different practitioners mostly
    return found[:wanted]


class Bookings:
    """Concurrent clients booking the candidates; latencies of 201s and a count of 409s."""

    def __init__(
        self, candidates: list[tuple[str, str]], patient_ids: list[str], seed: int
    ) -> None:
        self.seed = seed
        self.candidates = candidates
        self.patient_ids = patient_ids
        self.lock = threading.Lock()
        self.booked: list[float] = []
        self.conflicts: list[float] = []
        self.errors: list[str] = []

    def _next(self) -> tuple[str, str] | None:
        with self.lock:
            return self.candidates.pop() if self.candidates else None

    def _book(self, api: ApiClient, rng: random.Random) -> tuple[int, bytes, float] | None:
        candidate = self._next()
        if candidate is None:
            return None
        practitioner_id, starts_at = candidate
        body = {"practitionerId": practitioner_id, "patientId": rng.choice(self.patient_ids),
                "type": "follow_up", "startsAt": starts_at}  # fmt: skip
        return api.call("POST", "/api/appointments", body=body)

    def client(self, api: ApiClient, rng: random.Random) -> None:
        """Book until no candidate is left, recording each answer."""
        while (answer := self._book(api, rng)) is not None:
            status, payload, elapsed = answer
            with self.lock:
                if status == 201:
                    self.booked.append(elapsed)
                elif status == 409:
                    self.conflicts.append(elapsed)
                else:
                    self.errors.append(f"{status} {payload[:200]!r}")

    def run(self, make_api: Callable[[], ApiClient], clients: int, warmup: int) -> float:
        """Book ``warmup`` unmeasured, then the rest with ``clients`` threads; the seconds."""
        apis = [make_api() for _ in range(clients)]
        rng = random.Random(self.seed - 1)
        for _ in range(warmup):
            self._book(apis[0], rng)
        threads = [threading.Thread(target=self.client, args=(api, random.Random(self.seed + n)))
                   for n, api in enumerate(apis)]  # fmt: skip
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        for api in apis:
            api.close()
        return elapsed
