"""Loading ``records_data``'s clinic into the records database, fast enough to do often.

Drawing five million sealed entries costs about ten CPU minutes, so the lines are drawn by
two processes, chunk by chunk, into files under ``var/bench/records-data/<clinic>/`` (the
clinic's values, the code that draws it and the stack's development key name the folder: a
later run on the same day with the same key loads the same files and skips the drawing),
while this process has the server LOAD DATA the chunks already drawn.
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import astuple
from pathlib import Path

from records_data import (
    Lines,
    RecordsClinic,
    audit_lines,
    history_lines,
    patient_lines,
    practitioner_lines,
)
from sqlalchemy import Engine, Table, func, select, text

from clinic_records.infrastructure.tables import (
    amendments,
    entries,
    episodes,
    patients,
    practitioners,
    read_audit,
)

CHUNK_PATIENTS = 4000
HISTORY_TABLES = (episodes, entries, amendments)


def cache_dir(root: Path, clinic: RecordsClinic) -> Path:
    """The folder of this clinic's lines (a new one when the clinic or the drawing changes)."""
    digest = hashlib.sha256(repr(astuple(clinic)).encode())
    digest.update((Path(__file__).parent / "records_data.py").read_bytes())
    return root / digest.hexdigest()[:16]


def _write(path: Path, lines: list[str]) -> None:
    partial = path.with_suffix(".partial")
    partial.write_text("".join(lines), encoding="utf-8")
    partial.rename(path)  # only whole files count as drawn


def draw_chunk(clinic: RecordsClinic, first: int, folder: Path) -> list[Path]:
    """Write the history lines of one chunk of patients (unless already there)."""
    paths = [folder / f"{first:07d}.{table.name}.tsv" for table in HISTORY_TABLES]
    if not all(path.exists() for path in paths):
        lines: Lines = history_lines(clinic, first, min(clinic.patients, first + CHUNK_PATIENTS))
        for path, rows in zip(
            paths, (lines.episodes, lines.entries, lines.amendments), strict=True
        ):
            _write(path, rows)
    return paths


def draw_audit(clinic: RecordsClinic, count: int, folder: Path) -> Path:
    """Write the past years' read audit (unless already there)."""
    path = folder / f"audit-{count}.tsv"
    if not path.exists():
        _write(path, list(audit_lines(clinic, count)))
    return path


def load_file(engine: Engine, table: Table, path: Path) -> None:
    """LOAD DATA one file into ``table`` (AUTO_INCREMENT ids left to the server)."""
    if path.stat().st_size == 0:
        return
    columns = [c.name for c in table.columns if not (c.autoincrement is True and c.name == "id")]
    with engine.begin() as conn:
        conn.exec_driver_sql("SET SESSION unique_checks = 0, foreign_key_checks = 0")
        # The path is our own file; LOAD DATA takes no parameter for it.
        conn.exec_driver_sql(
            f"LOAD DATA LOCAL INFILE '{path}' INTO TABLE {table.name} "
            f"CHARACTER SET utf8mb4 ({', '.join(columns)})"
        )


def seed(engine: Engine, clinic: RecordsClinic, audit_rows: int, root: Path) -> None:
    """Draw (or find) the clinic's lines and load them all."""
    started = time.perf_counter()
    folder = cache_dir(root, clinic)
    folder.mkdir(parents=True, exist_ok=True)
    cached = any(folder.glob("*.entries.tsv"))
    small = folder / "staff-and-patients"
    small.mkdir(exist_ok=True)
    for table, lines in (
        (patients, patient_lines(clinic)),
        (practitioners, practitioner_lines(clinic)),
    ):
        path = small / f"{table.name}.tsv"
        if not path.exists():
            _write(path, list(lines))
        load_file(engine, table, path)
    with ProcessPoolExecutor(min(2, os.cpu_count() or 1)) as pool:
        audit: Future[Path] = pool.submit(draw_audit, clinic, audit_rows, folder)
        chunks = [
            pool.submit(draw_chunk, clinic, first, folder)
            for first in range(0, clinic.patients, CHUNK_PATIENTS)
        ]
        for chunk in chunks:  # in order, each as soon as it is drawn
            for table, path in zip(HISTORY_TABLES, chunk.result(), strict=True):
                load_file(engine, table, path)
        load_file(engine, read_audit, audit.result())
    with engine.begin() as conn:
        conn.execute(text("ANALYZE TABLE patients, episodes, entries, amendments, read_audit"))
    how = "loaded from " if cached else "drawn into "
    print(f"seeded in {time.perf_counter() - started:.0f}s ({how}{folder}): {table_counts(engine)}")


def table_counts(engine: Engine) -> str:
    """Rows per table, and the data + index size."""
    with engine.connect() as conn:
        counts = {
            t.name: conn.scalar(select(func.count()).select_from(t))
            for t in (patients, episodes, entries, amendments, read_audit)
        }
        size = conn.scalar(
            text(
                "SELECT SUM(data_length + index_length) FROM information_schema.tables "
                "WHERE table_schema = DATABASE()"
            )
        )
    return ", ".join(f"{n} {c:,}" for n, c in counts.items()) + f"; {int(size) / 2**30:.1f} GiB"
