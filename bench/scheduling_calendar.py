"""The calendar at a million appointments (or ten): week view, free slots, booking via the gateway.

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
``GET /api/appointments/{id}`` of random seeded appointments is timed too.

A group of clinics' ten years (about 10.7 million rows; README, "Benchmarks")::

    uv run --frozen python bench/run.py scheduling_calendar -- --practitioners 400 \
        --patients 200000 --weeks 520 --past-weeks 468 --calm-load 2 --partition-by-year

``--partition-by-year`` then rebuilds the table partitioned by year of ``starts_at`` and times
the same requests again, then once more rebuilt as migrated: the pass after a rebuild is not
the first, so the third tells the layout's cost from the rebuild's
(docs/adr/0011-appointments-not-partitioned-by-year.md).
"""

from __future__ import annotations

import argparse
import heapq
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import IO

from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ApiClient, insert_rows, login, loopback_target, print_latency_table
from mariadb_memory import BENCH_BUFFER_POOL, MIB, buffer_pool, disk_reads, warm
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

from clinic_scheduling.domain.appointments import MAX_DURATION
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
# Lines sorted in memory at a time (~0.3 GB of str): ten million at once would hold ~3 GB.
CHUNK_LINES = 1_000_000
TABLES = [appointments, patients, practitioners]


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
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", encoding="utf-8") as data:
        write_sorted(appointment_lines(clinic, rng), data)  # by id: InnoDB then only appends
        data.flush()
        generated = time.perf_counter()
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
        f"(rows made and sorted in {generated - started:.0f}s, LOAD DATA {loaded - generated:.0f}s)"
    )
    engine.dispose()


def write_sorted(lines: Iterator[str], into: IO[str]) -> None:
    """Write ``lines`` in order without holding them all: sorted runs in temporary files, merged.

    Every line starts with its 36-character id, so the lines' order is the ids' order.
    """
    with ExitStack() as runs:
        files = []
        while chunk := sorted(islice(lines, CHUNK_LINES)):
            run = runs.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
            run.writelines(chunk)
            run.seek(0)
            files.append(run)
            del chunk  # before the next chunk is read, not after
        into.writelines(heapq.merge(*files))


def pool_size(url: str) -> int:
    """A buffer pool that holds the scheduling tables with a quarter to spare, 1 GiB at least.

    As the million-row clinic's server holds its calendar in memory, so would the group's:
    random weeks of ten years would otherwise measure the disk, with or without partitions.
    """
    engine = create_engine(url)
    with engine.connect() as conn:
        size = conn.exec_driver_sql(
            "SELECT SUM(data_length + index_length) FROM information_schema.tables "
            "WHERE table_schema = DATABASE()"
        ).scalar_one()
    engine.dispose()
    gib = 1024 * MIB
    return max(BENCH_BUFFER_POOL, math.ceil(int(size) * 1.25 / gib) * gib)


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


def sample_ids(url: str, count: int) -> list[str]:
    """Ids of ``count`` random seeded appointments (the first id after a random one)."""
    rng = random.Random(SEED + 2)
    engine = create_engine(url)
    with engine.connect() as conn:
        after = [f"{rng.getrandbits(128):032x}" for _ in range(count)]
        first = select(appointments.c.id).order_by(appointments.c.id).limit(1)
        ids = [conn.scalar(first.where(appointments.c.id >= key)) for key in after]
    engine.dispose()
    return [found for found in ids if found is not None]


def by_year(clinic: Clinic) -> str:
    """The ALTER that partitions appointments by RANGE of the year of ``starts_at``, one a year.

    MariaDB wants the partitioning column in every unique key, so the primary key becomes
    (id, starts_at): the database no longer keeps ids unique by themselves, and a lookup by id
    alone has to look in every partition.
    """
    first = clinic.first_monday.year
    last = (clinic.first_monday + timedelta(weeks=clinic.weeks)).year
    years = [f"PARTITION p{y} VALUES LESS THAN ({y + 1})" for y in range(first, last + 1)]
    return (
        "DROP PRIMARY KEY, ADD PRIMARY KEY (id, starts_at) "
        f"PARTITION BY RANGE (YEAR(starts_at)) ({', '.join(years)}, "
        "PARTITION pmax VALUES LESS THAN MAXVALUE)"
    )


UNPARTITION = "DROP PRIMARY KEY, ADD PRIMARY KEY (id) REMOVE PARTITIONING"


def rebuild(url: str, alter: str, layout: str) -> None:
    """ALTER TABLE appointments (it copies the table), then read the copy into the pool."""
    started = time.perf_counter()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ALTER TABLE appointments {alter}")  # our own text, no input
        conn.exec_driver_sql("ANALYZE TABLE appointments")
        warm(conn, TABLES)  # the copy's pages, as the first pass had the original's
    engine.dispose()
    print(f"appointments rebuilt {layout} in {time.perf_counter() - started:.0f}s")


def explain(url: str, draw: Draw, appointment_id: str) -> None:
    """The table's size; EXPLAIN PARTITIONS of a week's range read (as ``find`` builds it) and
    of a read by id, with the rows each really read (ANALYZE's r_rows)."""
    params = draw.week_params()
    start, end = utc_naive(params["start"]), utc_naive(params["end"])
    week = (
        "SELECT * FROM appointments WHERE practitioner_id = %s AND ends_at > %s "
        "AND starts_at > %s AND starts_at < %s ORDER BY starts_at, id"
    )
    queries = {
        "week": (week, (params["practitionerId"], start, start - MAX_DURATION, end)),
        "by id": ("SELECT * FROM appointments WHERE id = %s", (appointment_id,)),
    }
    engine = create_engine(url)
    with engine.connect() as conn:
        data, indexes = conn.exec_driver_sql(
            "SELECT SUM(data_length), SUM(index_length) FROM information_schema.partitions "
            "WHERE table_schema = DATABASE() AND table_name = 'appointments'"
        ).one()
        print(f"appointments: {data / 2**30:.2f} GiB of rows, {indexes / 2**30:.2f} GiB of indexes")
        for name, (sql, values) in queries.items():
            plan = conn.exec_driver_sql(f"EXPLAIN PARTITIONS {sql}", values).mappings().one()
            analyzed = conn.exec_driver_sql(f"ANALYZE {sql}", values).mappings().one()
            shown = ("partitions", "type", "key", "key_len", "rows", "Extra")
            print(f"EXPLAIN {name}: " + ", ".join(f"{k}={plan[k]}" for k in shown)
                  + f"; r_rows={analyzed['r_rows']}")  # fmt: skip
    engine.dispose()


def wait_for_calm(limit: float | None, patience: float = 1800) -> None:
    """Wait (at most ``patience`` s) for the 1-minute load average to fall under ``limit``.

    Seeding leaves MariaDB flushing for a while and others share the machine: a tail measured
    meanwhile would be theirs.
    """
    deadline = time.monotonic() + patience
    while limit is not None and os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        time.sleep(15)


Kind = tuple[str, Callable[[], tuple[str, Params]]]


def measure(api: ApiClient, kinds: list[Kind], count: int, warmup: int) -> dict[str, list[float]]:
    """Latencies (ms) per kind: ``count`` GETs each after ``warmup`` unmeasured rounds.

    The kinds take turns, so a burst of load elsewhere on the machine hits them all alike.
    """
    samples: dict[str, list[float]] = {label: [] for label, _ in kinds}
    for i in range(warmup + count):
        for label, make in kinds:
            _, elapsed = api.get_json(*make())
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
    parser.add_argument("--past-weeks", type=int, help="weeks before this one (half of --weeks)")
    parser.add_argument("--queries", type=int, default=400, help="measured GETs per kind")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=1600)
    parser.add_argument("--clients", type=int, default=8, help="concurrent booking clients")
    parser.add_argument("--email", default="recepcion@demo.clinic")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--buffer-pool-mib", type=int, help="default: the tables fit in it")
    parser.add_argument("--calm-load", type=float, help="wait (30 min at most) for a load below")
    parser.add_argument(
        "--partition-by-year", action="store_true", help="then partition and time it again"
    )
    args = parser.parse_args()

    url = args.scheduling_db
    rng = random.Random(SEED)
    today = date.today()
    clinic = new_clinic(rng, args.practitioners, args.patients, args.weeks, today, args.past_weeks)
    seed(url, clinic, rng)
    gateway = loopback_target("gateway", args.gateway)
    token, _ = login(gateway, args.email, args.password)
    ids = sample_ids(url, 200)
    pool = args.buffer_pool_mib * MIB if args.buffer_pool_mib else pool_size(url)

    with buffer_pool(url, TABLES, pool):
        passes = [("", "")]
        if args.partition_by_year:
            # The last pass follows a rebuild too: what the layout costs, not the rebuild.
            passes = [("as migrated", ""), ("partitioned by year", by_year(clinic)),
                      ("as migrated again", UNPARTITION)]  # fmt: skip
        for name, alter in passes:
            if alter:
                rebuild(url, alter, name)
            if name:
                print(f"--- appointments {name} ---")
            wait_for_calm(args.calm_load)  # before connecting: the gateway drops idle ones
            api = ApiClient(gateway, token)
            # The same practitioners, weeks and ids in every pass.
            draw = Draw(clinic, random.Random(SEED + 1))
            check_seeded(api, url, draw)
            explain(url, Draw(clinic, random.Random(SEED + 3)), ids[0])
            measure_and_book(api, draw, clinic, args, lambda: ApiClient(gateway, token), ids)
    return 0


def measure_and_book(
    api: ApiClient,
    draw: Draw,
    clinic: Clinic,
    args: argparse.Namespace,
    new_client: Callable[[], ApiClient],
    ids: list[str],
) -> None:
    """The latency tables of the three calendar reads and of one by id, then booking."""
    print(f"random practitioners' random weeks via the gateway: {args.queries} GETs per kind, "
          f"taking turns, after {args.warmup} warm-up rounds")  # fmt: skip
    picks = random.Random(SEED + 4)
    kinds: list[Kind] = [
        ("week: /api/appointments", lambda: ("/api/appointments", draw.week_params())),
        ("week: /api/schedule/week", lambda: ("/api/schedule/week", draw.grid_params())),
        ("free slots (week, 45 min)",
         lambda: ("/api/appointments/free-slots", draw.slot_params())),
        # What partitioning would slow down: the id alone names no partition.
        ("one: /api/appointments/{id}", lambda: (f"/api/appointments/{picks.choice(ids)}", {})),
    ]  # fmt: skip
    engine = create_engine(args.scheduling_db)
    with engine.connect() as conn:
        load_before, reads_before = load_average(), disk_reads(conn)
        samples = measure(api, kinds, args.queries, args.warmup)
        reads = disk_reads(conn) - reads_before
    engine.dispose()
    print_latency_table(samples, TARGETS_MS, label_width=27)
    cores = os.cpu_count()
    print(f"load average (1 min, {cores} cores): {load_before} before, {load_average()} after; "
          f"MariaDB read {reads} pages from disk meanwhile")  # fmt: skip

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
