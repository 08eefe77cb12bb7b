"""deploy/scripts/backup.sh (the CronJob's) and restore.sh on the test MariaDB, throw-away schemas.

They share their layout with ``make backup`` / ``make restore`` (scripts/backup.py): each reads
what the other writes. backup.sh keeps 30 days (by the time in the folder names, tried with
BACKUP_NOW instead of waiting a month); restore.sh refuses a corrupted or incomplete backup and
a non-empty schema unless FORCE=1, and rewrites the DEFINER of triggers whose user does not
exist on the server (compose's ``records``) so the append-only guard works after the restore.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymysql
import pytest
from deploy_testing import DEPLOY, ROOT
from sqlalchemy import make_url

sys.path.insert(0, str(ROOT / "scripts"))
import backup

SERVER = make_url(os.environ.get("TEST_DATABASE_URL", "mysql+pymysql://root@127.0.0.1:3306/test"))
BACKUP_SH = DEPLOY / "scripts" / "backup.sh"
RESTORE_SH = DEPLOY / "scripts" / "restore.sh"
NOW = "2026-12-07 02:30:00 UTC"
STAMP = "20261207T023000Z"
# Data that looks like a DEFINER clause: a restore must leave it as it is.
TRICKY_NOTE = "DEFINER=`mallory`@`%` dolor lumbar ñ €"

pytestmark = pytest.mark.integration


def _root(database: str | None = None) -> pymysql.Connection[Any]:
    return pymysql.connect(
        host=SERVER.host or "127.0.0.1", port=SERVER.port or 3306,
        user=SERVER.username or "root", password=SERVER.password or "",
        database=database, autocommit=True, charset="utf8mb4",
    )  # fmt: skip


def _server_args() -> list[str]:
    return [SERVER.host or "127.0.0.1", SERVER.username or "root", str(SERVER.port or 3306)]


def _run(script: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MYSQL_PWD": SERVER.password or "", **env}
    return subprocess.run(
        ["bash", str(script), *args], env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def schemas() -> Iterator[str]:
    """Two schemas ``bs_<run>_*``: a table with text and bytes, and a guarded audit."""
    prefix = f"bs_{uuid.uuid4().hex[:6]}_"
    with _root() as conn, conn.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{prefix}notes` CHARACTER SET utf8mb4")
        cursor.execute(f"CREATE DATABASE `{prefix}records` CHARACTER SET utf8mb4")
        cursor.execute(
            f"CREATE TABLE `{prefix}notes`.note (id INT PRIMARY KEY, body TEXT, raw BLOB)"
        )
        cursor.execute(
            f"INSERT INTO `{prefix}notes`.note VALUES (1, %s, %s), (2, 'línea\\nnueva', NULL)",
            (TRICKY_NOTE, bytes(range(256))),
        )
        cursor.execute(
            f"CREATE TABLE `{prefix}records`.read_audit (id INT PRIMARY KEY, action TEXT)"
        )
        cursor.execute(f"INSERT INTO `{prefix}records`.read_audit VALUES (1, 'read'), (2, 'list')")
    # As compose's migration leaves it: defined by a user this server does not have.
    with _root(f"{prefix}records") as conn, conn.cursor() as cursor:
        cursor.execute(
            "CREATE DEFINER=`bs_ghost`@`%` TRIGGER read_audit_no_delete "
            "BEFORE DELETE ON read_audit FOR EACH ROW "
            "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'read_audit is append-only'"
        )
    try:
        yield prefix
    finally:
        with _root() as conn, conn.cursor() as cursor:
            for name in ("notes", "records"):
                cursor.execute(f"DROP DATABASE IF EXISTS `{prefix}{name}`")


def _content(prefix: str) -> dict[str, Any]:
    with _root() as conn, conn.cursor() as cursor:
        cursor.execute(f"SELECT id, body, raw FROM `{prefix}notes`.note ORDER BY id")
        notes = cursor.fetchall()
        cursor.execute(f"SELECT * FROM `{prefix}records`.read_audit ORDER BY id")
        audit = cursor.fetchall()
        cursor.execute(
            "SELECT trigger_name, definer FROM information_schema.triggers "
            "WHERE trigger_schema = %s",
            (f"{prefix}records",),
        )
        triggers = cursor.fetchall()
    return {"notes": notes, "audit": audit, "triggers": triggers}


def _delete_from_audit(prefix: str) -> str:
    with _root(f"{prefix}records") as conn, conn.cursor() as cursor:
        with pytest.raises(pymysql.err.MySQLError) as refused:
            cursor.execute("DELETE FROM read_audit")
        return str(refused.value)


def test_backup_sh_writes_a_verified_folder_and_keeps_thirty_days(
    schemas: str, tmp_path: Path
) -> None:
    directory = tmp_path / "backups"
    for old in ("20261106T023000Z", "20261108T000000Z", ".partial-20261205T000000Z", "notes"):
        (directory / old).mkdir(parents=True)
    done = _run(
        BACKUP_SH, *_server_args(),
        BACKUP_DIR=str(directory), CLINIC_SCHEMA_PREFIX=schemas, BACKUP_NOW=NOW,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"backup written to {directory / STAMP}" in done.stdout
    # 31 days old and a two-day-old leftover go; 29 days old and what is not a backup stay.
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        ["20261108T000000Z", STAMP, "notes"]
    )
    folder = directory / STAMP
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["SHA256SUMS", f"{schemas}notes.sql.gz", f"{schemas}records.sql.gz"]
    )
    # The same format as `make backup`: scripts/backup.py verifies it.
    assert backup.verify(folder) == [f"{schemas}notes.sql.gz", f"{schemas}records.sql.gz"]
    dump = gzip.decompress((folder / f"{schemas}records.sql.gz").read_bytes()).decode()
    assert "TRIGGER read_audit_no_delete" in dump


def test_restore_sh_refuses_damage_and_occupied_schemas_then_restores_with_a_working_guard(
    schemas: str, tmp_path: Path
) -> None:
    before = _content(schemas)
    assert before["triggers"] == (("read_audit_no_delete", "bs_ghost@%"),)
    assert "does not exist" in _delete_from_audit(schemas)  # the ghost definer breaks the guard
    directory = tmp_path / "backups"
    made = _run(BACKUP_SH, *_server_args(), BACKUP_DIR=str(directory), CLINIC_SCHEMA_PREFIX=schemas)
    assert made.returncode == 0, made.stderr
    (folder,) = backup.backups(directory)

    occupied = _run(RESTORE_SH, str(folder), *_server_args())
    assert occupied.returncode == 1
    assert "not empty" in occupied.stderr
    assert "FORCE=1" in occupied.stderr

    damaged = tmp_path / "damaged"
    shutil.copytree(folder, damaged)
    dump = damaged / f"{schemas}notes.sql.gz"
    dump.write_bytes(dump.read_bytes()[:-20])
    refused = _run(RESTORE_SH, str(damaged), *_server_args(), FORCE="1")
    assert refused.returncode == 1
    assert "checksum mismatch" in refused.stderr
    assert _content(schemas) == before  # nothing was touched

    with _root() as conn, conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE `{schemas}records`")
        cursor.execute(f"INSERT INTO `{schemas}notes`.note VALUES (3, 'after the backup', NULL)")
    restored = _run(RESTORE_SH, str(folder), *_server_args(), FORCE="1")
    assert restored.returncode == 0, restored.stderr
    after = _content(schemas)
    assert after["notes"] == before["notes"]  # row 3 is gone; bytes, accents, DEFINER text kept
    assert after["audit"] == before["audit"]
    assert [name for name, _definer in after["triggers"]] == ["read_audit_no_delete"]
    assert after["triggers"][0][1] != "bs_ghost@%"
    assert "append-only" in _delete_from_audit(schemas)


def test_make_backup_and_restore_sh_read_each_others_folders(schemas: str, tmp_path: Path) -> None:
    before = _content(schemas)
    url = SERVER.set(database=None).render_as_string(hide_password=False)
    argv = ["--database-url", url, "--prefix", schemas, "--dir", str(tmp_path / "py")]
    assert backup.main(["backup", *argv]) == 0
    restored = _run(RESTORE_SH, str(backup.backups(tmp_path / "py")[0]), *_server_args(), FORCE="1")
    assert restored.returncode == 0, restored.stderr
    assert _content(schemas)["notes"] == before["notes"]

    made = _run(
        BACKUP_SH, *_server_args(), BACKUP_DIR=str(tmp_path / "sh"), CLINIC_SCHEMA_PREFIX=schemas
    )
    assert made.returncode == 0, made.stderr
    assert backup.main(["restore", "latest", *argv[:4], "--dir", str(tmp_path / "sh")]) == 1
    assert (
        backup.main(["restore", "latest", *argv[:4], "--dir", str(tmp_path / "sh"), "--force"]) == 0
    )
    after = _content(schemas)
    assert after["notes"] == before["notes"]
    assert "append-only" in _delete_from_audit(schemas)


def test_a_backup_taken_while_a_writer_commits_holds_whole_transactions_only(
    tmp_path: Path,
) -> None:
    """--single-transaction: one snapshot per schema, and the writer is never locked out."""
    schema = f"bs_{uuid.uuid4().hex[:6]}_ledger"
    stop = threading.Event()
    commits = [0]

    def write() -> None:
        with _root(schema) as conn, conn.cursor() as cursor:
            while not stop.is_set():
                cursor.execute("BEGIN")
                cursor.execute("INSERT INTO debit (pad) VALUES ('d')")
                cursor.execute("INSERT INTO credit (pad) VALUES ('c')")
                cursor.execute("COMMIT")
                commits[0] += 1

    writer = threading.Thread(target=write, daemon=True)
    url = SERVER.set(database=None).render_as_string(hide_password=False)
    argv = ["--database-url", url, "--prefix", schema, "--dir", str(tmp_path)]
    try:
        with _root() as conn, conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE `{schema}`")
        with _root(schema) as conn, conn.cursor() as cursor:
            for table in ("debit", "credit"):
                cursor.execute(
                    f"CREATE TABLE {table} (id INT AUTO_INCREMENT PRIMARY KEY, pad TEXT)"
                )
                cursor.execute(
                    f"INSERT INTO {table} (pad) SELECT REPEAT('x', 200) FROM seq_1_to_20000"
                )
        writer.start()
        while commits[0] < 20:
            time.sleep(0.01)
        before = commits[0]
        assert backup.main(["backup", *argv]) == 0
        assert commits[0] > before, "the writer was blocked during the backup"
        stop.set()
        writer.join()
        assert backup.main(["restore", "latest", "--force", *argv]) == 0
        with _root(schema) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT (SELECT COUNT(*) FROM debit), (SELECT COUNT(*) FROM credit)")
            debit, credit = cursor.fetchone()
        assert debit == credit, "the dump caught a transaction half-way"
        assert 20000 + 20 <= debit < 20000 + commits[0]
    finally:
        stop.set()
        if writer.is_alive():
            writer.join()
        with _root() as conn, conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{schema}`")
