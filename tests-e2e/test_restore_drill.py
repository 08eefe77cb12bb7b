"""The restore drill (issue 15): seed, work, back up, drop every schema, restore, start again.

The session's stack (``conftest.stack``: throw-away schemas ``e2e_<run>_*``) is used through the
gateway: a patient created, two sessions completed and invoiced (the Verifactu
chain gets records), a clinical note signed and read (the read audit gets rows). The records
triggers are given the DEFINER of a user this server does not have, as compose's ``records``
user is on a restored-to server. Then ``scripts/backup.py`` backs the schemas up, every schema
is dropped, a corrupted copy and an occupied target are refused, the backup is restored, and:
every table holds the same rows (``CHECKSUM TABLE`` and counts), the read audit is the same row
for row and still append-only, and a fresh start of the services on the restored schemas (no
migration, no seed) verifies the invoice chain and serves the data. The stack is running
again afterwards, on the restored schemas, for the tests that follow.
"""

from __future__ import annotations

import gzip
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pymysql
import pytest
from sqlalchemy import make_url

import backup
from e2e_helpers import login
from stack import Stack

GHOST_DEFINER = "`drill_ghost`@`%`"  # a user the test server does not have


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _eventually(probe: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _past_weekday_at_ten_utc(weekdays_back: int) -> datetime:
    """10:00 UTC on the n-th weekday before today: two n, two days, whatever today is (counting
    calendar days instead, 3 and 4 back from a Tuesday both fell on the Friday, and clashed)."""
    day = datetime.now(UTC).date()
    while weekdays_back:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            weekdays_back -= 1
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def _work(client: httpx.Client) -> dict[str, str]:
    """What a clinic's day leaves behind; the ids the checks after the restore look for."""
    desk = _bearer(login(client, "recepcion@demo.clinic"))
    created = client.post(
        "/api/patients", headers=desk, json={"firstName": "Ana", "lastName": "Restaurada"}
    )
    assert created.status_code == 201, created.text
    patient = client.get("/api/patients", headers=desk, params={"search": "garcia nunez"})
    patient_id = patient.json()["member"][0]["id"]
    laura = next(
        p
        for p in client.get("/api/practitioners", headers=desk).json()["member"]
        if p["fullName"] == "Laura Martínez"
    )
    invoices = []
    for weekdays_back in (3, 4):
        booking = {"practitionerId": laura["id"], "patientId": patient_id, "type": "follow_up",
                   "startsAt": _past_weekday_at_ten_utc(weekdays_back).isoformat()}  # fmt: skip
        booked = client.post("/api/appointments", headers=desk, json=booking)
        assert booked.status_code == 201, booked.text
        appointment = booked.json()
        completed = client.put(
            f"/api/appointments/{appointment['id']}",
            headers={**desk, "If-Match": booked.headers["etag"]},
            json={**booking, "status": "completed", "endsAt": appointment["endsAt"]},
        )
        assert completed.status_code == 200, completed.text

        def billable(appointment_id: str = appointment["id"]) -> bool:
            answer = client.get(
                "/api/billable-sessions", headers=desk,
                params={"patientId": patient_id, "uninvoiced": "true"},
            )  # fmt: skip
            return any(s["appointmentId"] == appointment_id for s in answer.json()["member"])

        assert _eventually(billable), "the completed session never became billable"
        draft = client.post(
            "/api/invoices", headers=desk,
            json={"series": "F", "patientId": patient_id, "sessionIds": [appointment["id"]]},
        )  # fmt: skip
        assert draft.status_code == 201, draft.text
        issued = client.post(
            f"/api/invoices/{draft.json()['id']}/issue",
            headers={**desk, "If-Match": draft.headers["etag"]},
        )
        assert issued.status_code == 200, issued.text
        invoices.append(issued.json()["number"])

    physio = _bearer(login(client, "fisio@demo.clinic"))
    note = {"patientId": patient_id, "type": "treatment",
            "date": _past_weekday_at_ten_utc(3).date().isoformat(),
            "subjective": "Mejor tras la restauración", "painVas": 3}  # fmt: skip
    draft_note = client.post("/api/records", headers=physio, json=note)
    assert draft_note.status_code == 201, draft_note.text
    signed = client.post(
        f"/api/records/{draft_note.json()['id']}/sign",
        headers={**physio, "If-Match": draft_note.headers["etag"]},
    )
    assert signed.status_code == 200, signed.text
    read = client.get(f"/api/records/{draft_note.json()['id']}", headers=physio)
    assert read.status_code == 200  # an audited read
    return {"patient": patient_id, "note": draft_note.json()["id"], "invoices": ",".join(invoices)}


class Server:
    """Root on the test server (the drill's schemas only)."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)

    def connect(self, database: str | None = None) -> pymysql.connections.Connection[Any]:
        return pymysql.connect(
            host=self.url.host or "127.0.0.1", port=self.url.port or 3306,
            user=self.url.username or "root", password=self.url.password or "",
            database=database, autocommit=True,
        )  # fmt: skip

    def snapshot(self, schemas: list[str]) -> dict[str, tuple[int, int]]:
        """``schema.table`` -> (rows, CHECKSUM TABLE) for every table of ``schemas``."""
        found: dict[str, tuple[int, int]] = {}
        with self.connect() as conn, conn.cursor() as cursor:
            for schema in schemas:
                cursor.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                    (schema,),
                )
                for (table,) in cursor.fetchall():
                    cursor.execute(f"SELECT COUNT(*) FROM `{schema}`.`{table}`")
                    (rows,) = cursor.fetchone()
                    cursor.execute(f"CHECKSUM TABLE `{schema}`.`{table}`")
                    found[f"{schema}.{table}"] = (rows, cursor.fetchone()[1])
        return found

    def rows(self, schema: str, sql: str) -> list[tuple[Any, ...]]:
        with self.connect(schema) as conn, conn.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    def triggers(self, schema: str) -> list[tuple[Any, ...]]:
        return self.rows(
            schema,
            "SELECT trigger_name, definer FROM information_schema.triggers "
            f"WHERE trigger_schema = '{schema}' ORDER BY trigger_name",
        )


@pytest.fixture
def server(stack: Stack) -> Server:
    """Root on the server the session's stack keeps its schemas on."""
    assert stack.database_server is not None
    return Server(stack.database_server)


def _quiescent(server: Server, schemas: list[str]) -> dict[str, tuple[int, int]]:
    """Wait until every outbox is published and two snapshots a second apart agree."""
    deadline = time.monotonic() + 20
    previous = server.snapshot(schemas)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        current = server.snapshot(schemas)
        pending = sum(
            server.rows(s, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")[0][0]
            for s in schemas
            if f"{s}.outbox" in current
        )
        if current == previous and pending == 0:
            return current
        previous = current
    raise AssertionError("the clinic never went quiet")


def _ghost_definer_on_the_records_triggers(server: Server, schema: str) -> None:
    """Re-create the append-only triggers as compose's migration (the records user) leaves them."""
    with server.connect(schema) as conn, conn.cursor() as cursor:
        for event in ("update", "delete"):
            cursor.execute(f"DROP TRIGGER read_audit_no_{event}")
            cursor.execute(
                f"CREATE DEFINER={GHOST_DEFINER} TRIGGER read_audit_no_{event} BEFORE "
                f"{event.upper()} ON read_audit FOR EACH ROW "
                "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'read_audit is append-only'"
            )


def test_a_backup_restores_into_an_empty_server_and_the_clinic_runs_on_it(
    stack: Stack, gateway: httpx.Client, server: Server, tmp_path: Path
) -> None:
    schemas = [f"{stack.database_prefix}{s.name}" for s in stack.services()]
    records = f"{stack.database_prefix}records"
    argv = ["--database-url", server.url.set(database=None).render_as_string(False),
            "--prefix", stack.database_prefix, "--dir", str(tmp_path / "backups")]  # fmt: skip
    made = _work(gateway)
    admin = _bearer(login(gateway, "admin@demo.clinic"))
    chain = gateway.get("/api/invoices/chain/verify", headers=admin).json()
    assert chain["ok"], chain
    assert chain["records"] >= 2, chain
    _ghost_definer_on_the_records_triggers(server, records)
    quiet = _quiescent(server, schemas)
    # Taken while the clinic runs: --single-transaction, no lock on the services.
    assert backup.main(["backup", *argv]) == 0
    (folder,) = backup.backups(tmp_path / "backups")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [backup.MANIFEST, *(f"{s}.sql.gz" for s in schemas)]
    )

    stack.stop()
    try:
        # Compared with the schemas as the services left them (nothing ran since the backup).
        before = server.snapshot(schemas)
        assert before == quiet, "something wrote after the backup: the comparison would be wrong"
        audit_before = server.rows(records, "SELECT * FROM read_audit ORDER BY id")
        assert audit_before, "the signed note's read left no audit row"
        assert server.triggers(records) == [
            ("read_audit_no_delete", "drill_ghost@%"), ("read_audit_no_update", "drill_ghost@%")
        ]  # fmt: skip

        # A restore is destructive: it refuses schemas that hold tables unless forced.
        assert backup.main(["restore", str(folder), *argv]) == 1

        with server.connect() as conn, conn.cursor() as cursor:
            for schema in schemas:
                cursor.execute(f"DROP DATABASE `{schema}`")

        # A truncated copy of the backup is refused before anything is loaded.
        damaged = tmp_path / "damaged"
        shutil.copytree(folder, damaged)
        dump = damaged / f"{records}.sql.gz"
        dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
        assert backup.main(["restore", str(damaged), *argv]) == 1
        assert server.rows("information_schema", f"SHOW DATABASES LIKE '{records}'") == []

        started = time.monotonic()
        assert backup.main(["restore", str(folder), *argv]) == 0
        print(f"restore took {time.monotonic() - started:.1f} s")  # the RTO's database part

        assert server.snapshot(schemas) == before
        assert server.rows(records, "SELECT * FROM read_audit ORDER BY id") == audit_before
        # The triggers came back under the restoring user, and still guard the audit.
        restored_triggers = server.triggers(records)
        assert [name for name, _definer in restored_triggers] == [
            "read_audit_no_delete", "read_audit_no_update"
        ]  # fmt: skip
        assert all(definer != "drill_ghost@%" for _name, definer in restored_triggers)
        with server.connect(records) as conn, conn.cursor() as cursor:
            with pytest.raises(pymysql.err.OperationalError, match="append-only"):
                cursor.execute("DELETE FROM read_audit")
            with pytest.raises(pymysql.err.OperationalError, match="append-only"):
                cursor.execute("UPDATE read_audit SET action = 'x'")
    finally:
        # The rest of the session needs its stack back, whatever happened above.
        if len(server.rows("information_schema", f"SHOW DATABASES LIKE '{records}'")) == 0:
            backup.main(["restore", str(folder), "--force", *argv])
        # The services start on the restored schemas alone: no migration, no seed.
        stack.start()
        stack.supervise()

    admin = _bearer(login(gateway, "admin@demo.clinic"))
    chain = gateway.get("/api/invoices/chain/verify", headers=admin).json()
    assert chain["ok"], chain
    assert chain["records"] >= 2, chain
    numbers = {i["number"] for i in gateway.get("/api/invoices", headers=admin).json()["member"]}
    assert set(made["invoices"].split(",")) <= numbers
    found = gateway.get("/api/patients", headers=admin, params={"search": "restaurada"})
    assert [p["lastName"] for p in found.json()["member"]] == ["Restaurada"]
    physio = _bearer(login(gateway, "fisio@demo.clinic"))
    note = gateway.get(f"/api/records/{made['note']}", headers=physio)
    assert note.status_code == 200, note.text  # decrypts: the same key, the same rows
    assert note.json()["subjective"] == "Mejor tras la restauración"
    audit = gateway.get("/api/records/audit", headers=admin, params={"patientId": made["patient"]})
    assert audit.status_code == 200, audit.text
    # The audit outlives test resets (append-only): earlier tests' rows name other patients.
    patients_rows_before = [row for row in audit_before if row[3] == made["patient"]]
    assert patients_rows_before, "the patient's note left no audit row"
    assert len(audit.json()["member"]) >= len(patients_rows_before)


def test_a_gzip_that_lost_its_end_is_refused_even_with_a_matching_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "20261201T000000Z"
    folder.mkdir()
    with gzip.open(folder / "clinic_x.sql.gz", "wb") as dump:
        dump.write(b"CREATE TABLE t (id INT);\n")  # mariadb-dump died before its last line
    backup.write_manifest(folder)
    with pytest.raises(backup.BackupError, match="did not complete"):
        backup.verify(folder)
