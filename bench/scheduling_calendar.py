"""The calendar at a million appointments: week view, free slots and booking through the gateway.

Needs a running stack (``bench/run.py`` starts one) and the scheduling database URL::

    uv run python bench/scheduling_calendar.py --gateway http://127.0.0.1:8000 \
        --identity http://127.0.0.1:8001 \
        --scheduling-db mysql+pymysql://root@127.0.0.1:3306/clinic_scheduling

Seeds 200 practitioners (with the usual hours), 20,000 patients and two years of their
appointments (about 1,070,000 rows, see ``scheduling_data``) straight into the database:
read models and hours with multi-row INSERTs, appointments with LOAD DATA LOCAL INFILE in
primary-key order. Checks the API answers what was seeded, then times, sequentially on one
keep-alive connection after a warm-up, random practitioners' random weeks of the two years:
the calendar's ``GET /api/appointments?start&end&practitionerId``, ``GET /api/schedule/week``
and ``GET /api/appointments/free-slots``; then books into free time of future weeks with
concurrent clients (``POST /api/appointments``), counting 409s (someone was faster) apart.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ApiClient, insert_rows, login, loopback_target, print_latency_table
from mariadb_memory import buffer_pool
from patients_data import SpanishNames
from scheduling_booking import Bookings, free_slot_candidates
from scheduling_data import (
    Clinic,
    Draw,
    Params,
    appointment_lines,
    new_clinic,
    patient_rows,
    practitioner_rows,
    working_period_rows,
)

from clinic_scheduling.infrastructure.tables import (
    appointments,
    patients,
    practitioners,
    working_periods,
)

TARGETS_MS = {"week: /api/appointments": 20.0, "week: /api/schedule/week": 20.0,
              "free slots (week, 45 min)": 30.0}  # fmt: skip
SEED = 2026
BATCH = 5000


def seed(url: str, clinic: Clinic, rng: random.Random) -> None:
    """Load the read models, hours and appointments unless this clinic is already there."""
    # LOAD DATA LOCAL needs the client to allow it too (the server has it on by default).
    engine = create_engine(url, connect_args={"local_infile": True})
    if engine.dialect.name != "mysql":
        raise SystemExit("the scheduling benchmark seeds MariaDB/MySQL only")
    with engine.connect() as conn:
        known = practitioners.c.id == clinic.practitioner_ids[0]
        if conn.scalar(select(func.count()).select_from(practitioners).where(known)):
            rows = conn.scalar(select(func.count()).select_from(appointments))
            print(f"{rows} appointments already seeded; reusing them")
            engine.dispose()
            return
    started = time.perf_counter()
    names = SpanishNames.seeded(SEED)
    with engine.begin() as conn:
        insert_rows(conn, practitioners, practitioner_rows(clinic, names))
        people = patient_rows(clinic, names)
        for start in range(0, len(people), BATCH):
            insert_rows(conn, patients, people[start : start + BATCH])
        insert_rows(conn, working_periods, [(None, *row) for row in working_period_rows(clinic)])
    lines = sorted(appointment_lines(clinic, rng))  # by id: InnoDB then only appends
    generated = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", encoding="utf-8") as data:
        data.writelines(lines)
        data.flush()
        columns = ", ".join(appointments.c.keys())
        with engine.begin() as conn:
            # Both off, InnoDB loads an empty table in bulk (sorted index builds): 6x faster.
            conn.exec_driver_sql("SET SESSION unique_checks = 0, foreign_key_checks = 0")
            # The path is our own temporary file; LOAD DATA takes no parameter for it.
            conn.exec_driver_sql(
                f"LOAD DATA LOCAL INFILE '{data.name}' INTO TABLE appointments "
                f"CHARACTER SET utf8mb4 ({columns})"
            )
    loaded = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text("ANALYZE TABLE appointments, practitioners, patients, working_periods"))
        count = conn.scalar(select(func.count()).select_from(appointments))
    print(
        f"seeded {len(clinic.practitioner_ids)} practitioners, {len(people)} patients and "
        f"{count} appointments over {clinic.weeks} weeks in {time.perf_counter() - started:.0f}s "
        f"(rows generated in {generated - started:.0f}s, LOAD DATA {loaded - generated:.0f}s)"
    )
    engine.dispose()


def utc_naive(moment: str) -> datetime:
    """An ISO moment with offset as the naive UTC the DATETIME columns hold."""
    return datetime.fromisoformat(moment).astimezone(UTC).replace(tzinfo=None)


def check_seeded(api: ApiClient, url: str, draw: Draw) -> None:
    """The week call answers exactly what the database holds for that practitioner and week."""
    engine = create_engine(url)
    with engine.connect() as conn:
        for _ in range(5):
            params = draw.week_params()
            body, _ = api.get_json("/api/appointments", params)
            assert isinstance(body, dict)
            expected = conn.scalar(
                select(func.count())
                .select_from(appointments)
                .where(
                    appointments.c.practitioner_id == params["practitionerId"],
                    appointments.c.starts_at < utc_naive(params["end"]),
                    appointments.c.ends_at > utc_naive(params["start"]),
                )
            )
            if len(body["member"]) != expected or not expected:
                raise SystemExit(
                    f"{params}: the API answered {len(body['member'])}, not {expected}"
                )
    engine.dispose()
    print("check: the week call answers what was seeded")


Kind = tuple[str, str, Callable[[], Params]]


def measure(api: ApiClient, kinds: list[Kind], count: int, warmup: int) -> dict[str, list[float]]:
    """Latencies (ms) per kind: ``count`` GETs each after ``warmup`` unmeasured rounds.

    The kinds take turns, so a burst of load elsewhere on the machine hits them all alike.
    """
    samples: dict[str, list[float]] = {label: [] for label, _, _ in kinds}
    for i in range(warmup + count):
        for label, path, make in kinds:
            _, elapsed = api.get_json(path, make())
            if i >= warmup:
                samples[label].append(elapsed)
    return samples


def load_average() -> str:
    """The machine's 1-minute load average: the figures mean little on a busy machine."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def main() -> int:
    """Seed, check, measure and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--identity", default="http://127.0.0.1:8001", help="(unused)")
    parser.add_argument("--scheduling-db", required=True, help="the scheduling database URL")
    parser.add_argument("--practitioners", type=int, default=200)
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--weeks", type=int, default=104, help="weeks of appointments")
    parser.add_argument("--queries", type=int, default=400, help="measured GETs per kind")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=1600)
    parser.add_argument("--clients", type=int, default=8, help="concurrent booking clients")
    parser.add_argument("--email", default="recepcion@demo.clinic")
    parser.add_argument("--password", default="demo1234")
    args = parser.parse_args()

    rng = random.Random(SEED)
    clinic = new_clinic(rng, args.practitioners, args.patients, args.weeks, date.today())
    seed(args.scheduling_db, clinic, rng)
    gateway = loopback_target("gateway", args.gateway)
    token, _ = login(gateway, args.email, args.password)
    api = ApiClient(gateway, token)
    draw = Draw(clinic, random.Random(SEED + 1))
    check_seeded(api, args.scheduling_db, draw)

    with buffer_pool(args.scheduling_db, [appointments, patients, practitioners]):
        measure_and_book(api, draw, clinic, args, lambda: ApiClient(gateway, token))
    return 0


def measure_and_book(
    api: ApiClient,
    draw: Draw,
    clinic: Clinic,
    args: argparse.Namespace,
    new_client: Callable[[], ApiClient],
) -> None:
    """The latency tables of the three calendar reads, then booking throughput."""
    print(f"random practitioners' random weeks via the gateway: {args.queries} GETs per kind, "
          f"taking turns, after {args.warmup} warm-up rounds")  # fmt: skip
    kinds: list[Kind] = [
        ("week: /api/appointments", "/api/appointments", draw.week_params),
        ("week: /api/schedule/week", "/api/schedule/week", draw.grid_params),
        ("free slots (week, 45 min)", "/api/appointments/free-slots", draw.slot_params),
    ]
    load_before = load_average()
    samples = measure(api, kinds, args.queries, args.warmup)
    print_latency_table(samples, TARGETS_MS, label_width=27)
    cores = os.cpu_count()
    print(f"load average (1 min, {cores} cores): {load_before} before, {load_average()} after")

    candidates = free_slot_candidates(api, draw, args.bookings + args.warmup)
    api.close()
    bookings = Bookings(candidates, clinic.patient_ids, SEED)
    seconds = bookings.run(new_client, args.clients, args.warmup)
    if bookings.errors:
        raise SystemExit(f"{len(bookings.errors)} bookings failed, e.g. {bookings.errors[0]}")
    done = len(bookings.booked)
    print(
        f"POST /api/appointments, {args.clients} clients into free 45-minute slots of future "
        f"weeks: {done} booked in {seconds:.1f}s = {done / seconds:.0f} bookings/s; "
        f"409 (slot or patient taken meanwhile): {len(bookings.conflicts)}"
    )
    print_latency_table({"booking (201)": bookings.booked}, {}, label_width=27)


if __name__ == "__main__":
    sys.exit(main())
