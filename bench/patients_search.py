"""Patient search at 100,000 patients: p50/p95/p99 of ``GET /api/patients?search=`` via the gateway.

Needs a running stack (``bench/run.py`` starts one) and the patients database URL::

    uv run python bench/patients_search.py --gateway http://127.0.0.1:8000 \
        --identity http://127.0.0.1:8001 \
        --patients-db mysql+pymysql://root@127.0.0.1:3306/clinic_patients

Seeds realistic Spanish patients straight into the database, with their search-index rows
built by the service's own ``search.index.term_rows``/``trigram_rows`` (so it is the real
index, bulk-loaded in primary-key order), checks the API finds some of them, then times
random realistic queries per kind, sequentially on one keep-alive connection, after warm-up.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ApiClient, Target, insert_rows, login, loopback_target, print_latency_table
from mariadb_memory import buffer_pool
from patients_data import SpanishNames, patient

from clinic_patients.models import Patient, name_trigrams, search_terms
from clinic_patients.normalize import tokens
from clinic_patients.schemas import PatientCreate
from clinic_patients.search import index as search_index
from clinic_patients.service import patient_columns
from clinic_shared.db import create_engine_for

TARGETS_MS = {"one surname": 20.0, "prefix": 20.0, "two words": 20.0, "fuzzy": 50.0}
BATCH = 5000
Body = dict[str, object]


def seed(url: str, bodies: list[Body]) -> None:
    """Insert the patients and their index rows in bulk (rows built by the service's code)."""
    engine = create_engine_for(url, pool_size=1, max_overflow=0)
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.connect() as conn:
        present = conn.scalar(select(func.count()).select_from(Patient)) or 0
    if present >= len(bodies):
        print(f"{present} patients already seeded; reusing them")
        engine.dispose()
        return
    started = time.perf_counter()
    terms: list[tuple[object, ...]] = []
    words: set[str] = set()
    for start in range(0, len(bodies), BATCH):
        rows = []
        for body in bodies[start : start + BATCH]:
            data = PatientCreate.model_validate(body)
            name = search_index.IndexedName.of(data.first_name, data.last_name)
            patient_id = str(uuid.uuid4())
            rows.append(
                {
                    "id": patient_id,
                    **patient_columns(data),
                    "name_key": name.name_key,
                    "status": data.status,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            index_rows = search_index.term_rows(patient_id, name, data.status == "active")
            terms.extend(tuple(row.values()) for row in index_rows)
            words.update(name.words)
        with engine.begin() as conn:
            conn.execute(insert(Patient), rows)
    inserted = time.perf_counter()
    # In primary-key order, InnoDB only appends: several times faster than batch by batch.
    terms.sort()
    for start in range(0, len(terms), 20 * BATCH):
        with engine.begin() as conn:
            insert_rows(conn, search_terms, terms[start : start + 20 * BATCH])
    with engine.begin() as conn:
        search_index.add_words(conn, words)
        if conn.dialect.name == "mysql":
            conn.execute(
                text("ANALYZE TABLE patients, patient_search_terms, patient_name_trigrams")
            )
    print(
        f"seeded {len(bodies)} patients in {inserted - started:.0f}s and their "
        f"{len(terms)} index rows in {time.perf_counter() - inserted:.0f}s"
    )
    engine.dispose()


def registered_tax_ids(url: str) -> set[str]:
    """Tax ids already in the database (the demo patients): generated ones must differ."""
    engine = create_engine_for(url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(select(Patient.tax_id).where(Patient.tax_id.is_not(None))))
    finally:
        engine.dispose()


def index_size(url: str) -> str:
    """Rows and on-disk size of the search tables (MariaDB), per patient."""
    engine = create_engine_for(url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            patients = conn.scalar(select(func.count()).select_from(Patient)) or 1
            terms = conn.scalar(text("SELECT COUNT(*) FROM patient_search_terms")) or 0
            words = conn.scalar(text("SELECT COUNT(DISTINCT word) FROM patient_name_trigrams"))
            size = 0
            if conn.dialect.name == "mysql":
                size = conn.scalar(
                    text(
                        "SELECT SUM(data_length + index_length) FROM information_schema.tables "
                        "WHERE table_schema = DATABASE() AND table_name LIKE 'patient%%'"
                    )
                )
        return (
            f"index: {terms} term rows ({terms / patients:.1f} per patient), {words} distinct "
            f"words; patients + index on disk {int(size or 0) / 2**20:.0f} MiB "
            f"({int(size or 0) / patients:.0f} B per patient)"
        )
    finally:
        engine.dispose()


class Api:
    """``GET /api/patients`` on one keep-alive connection."""

    def __init__(self, target: Target, token: str) -> None:
        self.client = ApiClient(target, token)

    def search(self, query: str, fuzzy: bool) -> tuple[list[Body], float]:
        """The first page for ``query`` and the milliseconds it took."""
        params = {"search": query, "fuzzy": "true" if fuzzy else "false"}
        page, elapsed = self.client.get_json("/api/patients", params)
        assert isinstance(page, dict)
        members: list[Body] = page["member"]
        return members, elapsed


def check_found(api: Api, names: SpanishNames, bodies: list[Body]) -> None:
    """The API finds seeded patients by full name, and by a typo'd surname with fuzzy."""
    for body in names.rng.sample(bodies, 5):
        full_name = f"{body['firstName']} {body['lastName']}"
        members, _ = api.search(full_name, fuzzy=False)
        if not any(m["fullName"] == full_name for m in members):
            raise SystemExit(f"the API did not find seeded patient {full_name!r}")
    print("check: the API finds seeded patients by full name")


def queries(names: SpanishNames, bodies: list[Body]) -> dict[str, Callable[[], str]]:
    """Query makers per kind, drawn as a reception desk would type them."""
    rng = names.rng

    def styled(word: str) -> str:
        return rng.choice([word, word.lower(), " ".join(tokens(word)), word.upper()])

    def surname() -> str:
        return styled(names.surname())

    def prefix() -> str:
        word = names.surname() if rng.random() < 0.7 else names.first_name("female")
        return " ".join(tokens(word))[: rng.randint(3, 5)]

    def two_words() -> str:
        body = rng.choice(bodies)
        first = str(body["firstName"]).split()[0]
        last = str(body["lastName"]).split()[0]
        return styled(f"{first} {last}" if rng.random() < 0.5 else f"{last} {first}")

    def fuzzy() -> str:
        body = rng.choice(bodies)
        last = next(w for w in [*str(body["lastName"]).split(), "Martínez"] if len(w) >= 5)
        typo = names.typo(" ".join(tokens(last)))
        return typo if rng.random() < 0.7 else f"{str(body['firstName']).split()[0]} {typo}"

    return {"one surname": surname, "prefix": prefix, "two words": two_words, "fuzzy": fuzzy}


def measure(api: Api, make: Callable[[], str], fuzzy: bool, count: int, warmup: int) -> list[float]:
    """Latencies (ms) of ``count`` queries after ``warmup`` unmeasured ones."""
    samples = []
    for i in range(warmup + count):
        _, elapsed = api.search(make(), fuzzy)
        if i >= warmup:
            samples.append(elapsed)
    return samples


def main() -> int:
    """Seed, check, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--identity", default="http://127.0.0.1:8001", help="(unused)")
    parser.add_argument("--patients-db", required=True, help="the patients database URL")
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400, help="measured queries per kind")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--email", default="recepcion@demo.clinic")
    parser.add_argument("--password", default="demo1234")
    args = parser.parse_args()

    names = SpanishNames.seeded()
    names.tax_ids.update(registered_tax_ids(args.patients_db))
    bodies = [patient(names, date(2026, 11, 1)) for _ in range(args.patients)]
    seed(args.patients_db, bodies)
    print(index_size(args.patients_db))
    gateway = loopback_target("gateway", args.gateway)
    token, _ = login(gateway, args.email, args.password)
    api = Api(gateway, token)
    check_found(api, names, bodies)

    tables = [cast(Table, Patient.__table__), search_terms, name_trigrams]
    with buffer_pool(args.patients_db, tables):
        print(f"GET /api/patients?search=… via the gateway: {args.queries} queries per kind")
        samples = {
            kind: measure(api, make, kind == "fuzzy", args.queries, args.warmup)
            for kind, make in queries(names, bodies).items()
        }
    print_latency_table(samples, TARGETS_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
