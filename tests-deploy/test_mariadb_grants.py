"""deploy/mariadb/init/10-databases.sh on the test MariaDB: each user reaches only its schema.

The script runs for real (through the `mariadb` client, as the image runs it) with throw-away
schema and user names. Patients and records (whose migrations create triggers) migrate their
schema as their own user through the images' entrypoint (password from a file into the URL):
the other three migrate with the same statements, so they are left out to keep this fast.
Every user creates, writes and drops a table in its schema and is refused the others'. The
backup user reads every schema and writes none. Everything created is dropped at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pymysql
import pytest
from deploy_testing import DEPLOY, ROOT, SERVICES
from sqlalchemy import make_url

INIT_SCRIPT = DEPLOY / "mariadb" / "init" / "10-databases.sh"
SERVER = make_url(os.environ.get("TEST_DATABASE_URL", "mysql+pymysql://root@127.0.0.1:3306/test"))
BIN = Path(shutil.which("clinic-identity") or ROOT / ".venv" / "bin" / "clinic-identity").parent
ACCESS_DENIED = {1044, 1142, 1045}  # database, table/command, login
MIGRATED = ("patients", "records")

pytestmark = pytest.mark.integration


def _connect(user: str, password: str, database: str | None = None) -> pymysql.Connection[Any]:
    return pymysql.connect(
        host=SERVER.host or "127.0.0.1", port=SERVER.port or 3306, user=user,
        password=password, database=database, autocommit=True,
    )  # fmt: skip


def _root() -> pymysql.Connection[Any]:
    return _connect(SERVER.username or "root", SERVER.password or "")


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Schemas and users made by the init script, with tricky passwords; dropped afterwards."""
    if shutil.which("mariadb") is None:
        pytest.fail("the mariadb client is needed (Debian: mariadb-client)")
    run = uuid.uuid4().hex[:6]
    schema_prefix, user_prefix = f"tg_{run}_", f"tg{run}_"
    # Quotes, a backslash, @ / % and : must survive SQL quoting and the URL alike.
    passwords = {s: f"{s}-{uuid.uuid4().hex[:8]}'\\@/%:" for s in (*SERVICES, "backup")}
    secret_dir = tmp_path_factory.mktemp("secrets")
    env = {
        **os.environ,
        "CLINIC_SCHEMA_PREFIX": schema_prefix,
        "CLINIC_USER_PREFIX": user_prefix,
        "CLINIC_SECRETS_DIR": str(secret_dir),
        "MARIADB_CLIENT_OPTS": f"-h {SERVER.host or '127.0.0.1'} -P {SERVER.port or 3306}",
        "MARIADB_ROOT_PASSWORD": SERVER.password or "",
        "BACKUP_DB_PASSWORD": passwords["backup"],
    }
    # Every way the script takes a password: the variable, a *_FILE, the secrets folder.
    env["IDENTITY_DB_PASSWORD"] = passwords["identity"]
    (secret_dir / "patients.txt").write_text(passwords["patients"] + "\n")
    env["PATIENTS_DB_PASSWORD_FILE"] = str(secret_dir / "patients.txt")
    for service in ("scheduling", "billing", "records"):
        (secret_dir / f"{service}_db_password").write_text(passwords[service])
        env.pop(f"{service.upper()}_DB_PASSWORD", None)
    users = [f"{user_prefix}{s}" for s in SERVICES] + [f"{user_prefix}clinic_backup"]
    schemas = [f"{schema_prefix}{s}" for s in SERVICES]
    try:
        for _ in range(2):  # running it again (a restart on the same volume) changes nothing
            done = subprocess.run(
                ["bash", str(INIT_SCRIPT)], env=env, capture_output=True, text=True, timeout=60
            )
            assert done.returncode == 0, done.stderr
        with _root() as conn, conn.cursor() as cursor:  # a row in each schema to be refused
            for schema in schemas:
                cursor.execute(f"CREATE TABLE `{schema}`.probe (id INT PRIMARY KEY)")
                cursor.execute(f"INSERT INTO `{schema}`.probe VALUES (1)")
        yield {"schema_prefix": schema_prefix, "user_prefix": user_prefix,
               "passwords": passwords, "secret_dir": secret_dir}  # fmt: skip
    finally:
        with _root() as conn, conn.cursor() as cursor:
            for user in users:
                cursor.execute(f"DROP USER IF EXISTS '{user}'@'%'")
            for schema in schemas:
                cursor.execute(f"DROP DATABASE IF EXISTS `{schema}`")


@pytest.fixture(scope="module")
def migrated(layout: dict[str, Any], entrypoint: ModuleType) -> dict[str, Any]:
    """Patients and records migrated their schema as their own user, the password from a file."""
    host = f"{SERVER.host or '127.0.0.1'}:{SERVER.port or 3306}"
    running = []
    for service in MIGRATED:
        prefix = f"{service.upper()}_"
        password_file = layout["secret_dir"] / f"{service}.pw"
        password_file.write_text(layout["passwords"][service] + "\n")
        configured = {
            "CLINIC_SERVICE": service,
            f"{prefix}APP_ENV": "test",
            f"{prefix}DATABASE_URL": f"mysql+pymysql://{layout['user_prefix']}{service}@{host}"
            f"/{layout['schema_prefix']}{service}",
            f"{prefix}DATABASE_PASSWORD_FILE": str(password_file),
            f"{prefix}VAR_DIR": str(layout["secret_dir"] / "var"),
        }
        env = entrypoint.resolve_environment({**os.environ, **configured}, service)
        command = [str(BIN / f"clinic-{service}"), "migrate"]
        running.append((service, subprocess.Popen(command, env=env, stderr=subprocess.PIPE)))
    failures = {}
    for service, process in running:
        _, stderr = process.communicate(timeout=120)
        if process.returncode != 0:
            failures[service] = stderr.decode()[-2000:]
    assert not failures, failures
    return layout


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_user_owns_its_schema_and_is_refused_the_others(
    migrated: dict[str, Any], service: str
) -> None:
    own = f"{migrated['schema_prefix']}{service}"
    user = f"{migrated['user_prefix']}{service}"
    with _connect(user, migrated["passwords"][service], own) as conn, conn.cursor() as cursor:
        cursor.execute("SHOW TABLES")
        tables = {row[0] for row in cursor.fetchall()}
        if service in MIGRATED:  # its migrations ran as this user
            assert f"alembic_version_{service}" in tables
        cursor.execute("CREATE TABLE grant_probe (id INT PRIMARY KEY)")
        cursor.execute("INSERT INTO grant_probe VALUES (1)")
        cursor.execute("DROP TABLE grant_probe")
        cursor.execute("SHOW DATABASES")
        visible = {row[0] for row in cursor.fetchall()}
        assert visible == {own, "information_schema"}
        for other in SERVICES:
            if other == service:
                continue
            schema = f"{migrated['schema_prefix']}{other}"
            for statement in (
                f"SELECT * FROM `{schema}`.probe",
                f"CREATE TABLE `{schema}`.intruder (id INT)",
                f"USE `{schema}`",
            ):
                with pytest.raises(pymysql.err.OperationalError) as refused:
                    cursor.execute(statement)
                assert refused.value.args[0] in ACCESS_DENIED, statement
        with pytest.raises(pymysql.err.OperationalError) as refused:
            cursor.execute(f"CREATE DATABASE `{migrated['schema_prefix']}extra`")
        assert refused.value.args[0] in ACCESS_DENIED


def test_a_service_user_cannot_log_in_with_another_services_password(
    migrated: dict[str, Any],
) -> None:
    with pytest.raises(pymysql.err.OperationalError) as refused:
        _connect(f"{migrated['user_prefix']}identity", migrated["passwords"]["records"])
    assert refused.value.args[0] == 1045


def test_the_backup_user_reads_and_dumps_every_schema_and_writes_none(
    migrated: dict[str, Any],
) -> None:
    user, password = f"{migrated['user_prefix']}clinic_backup", migrated["passwords"]["backup"]
    with _connect(user, password) as conn, conn.cursor() as cursor:
        for service in SERVICES:
            schema = f"{migrated['schema_prefix']}{service}"
            cursor.execute(f"SELECT COUNT(*) FROM `{schema}`.probe")
            assert cursor.fetchone() == (1,)
            with pytest.raises(pymysql.err.OperationalError) as refused:
                cursor.execute(f"DELETE FROM `{schema}`.probe")
            assert refused.value.args[0] in ACCESS_DENIED
    dump = subprocess.run(
        ["mariadb-dump", "-h", SERVER.host or "127.0.0.1", "-P", str(SERVER.port or 3306),
         "-u", user, "--single-transaction", "--routines", "--triggers",
         f"{migrated['schema_prefix']}records"],
        env={**os.environ, "MYSQL_PWD": password}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert dump.returncode == 0, dump.stderr
    assert "CREATE TABLE `alembic_version_records`" in dump.stdout
    assert "TRIGGER read_audit_no_delete" in dump.stdout  # the read audit's append-only guard
