"""Back up and restore every service's database: ``make backup`` / ``make restore``.

Two kinds of installation, chosen like the services choose theirs:

- **MariaDB** (``DATABASE_URL`` set, e.g. ``mysql+pymysql://root@127.0.0.1:3306``): one
  ``mariadb-dump --single-transaction --routines --triggers`` per ``<prefix>*`` schema (a
  consistent snapshot of each schema without locking the services out), gzip-compressed.
- **the embedded default** (no ``DATABASE_URL``): each ``<var>/data/*.sqlite`` copied with
  SQLite's online backup API (a consistent copy while the services keep writing, never a file
  copy of a live database), gzip-compressed, plus ``<var>/keys`` (the development keys: without
  the records key the clinical notes cannot be read).

A backup is a folder ``<dir>/<YYYYmmddTHHMMSSZ>/`` (UTC) holding the compressed files and
``SHA256SUMS`` (``sha256sum -c`` can check it), the manifest, written last: it is made under
``.partial-<timestamp>`` and renamed only once complete, so a folder without it never counts.
A restore refuses a folder whose files do not match their checksums or whose dumps are not
complete, and refuses to overwrite a schema (or SQLite file) that holds tables unless
``--force``. DEFINER clauses (the records triggers are defined by the ``records`` user in
compose) are rewritten to ``CURRENT_USER`` so a restore works on a server without that user.

``deploy/scripts/backup.sh`` / ``restore.sh`` write and read the same layout in shell (the
backup CronJob runs in the ``mariadb`` image, which has no Python).

    python scripts/backup.py backup  [--dir var/backups] [--keep-days 30]
    python scripts/backup.py restore [FOLDER|latest] [--force]
    python scripts/backup.py verify  [FOLDER|latest]
    python scripts/backup.py prune   [--keep-days 30]
    python scripts/backup.py list

Only the standard library: it runs with any Python 3.11, with or without the project's packages.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "var" / "backups"
DEFAULT_VAR = ROOT / "var"
DEFAULT_PREFIX = "clinic_"
KEEP_DAYS = 30
STAMP = "%Y%m%dT%H%M%SZ"
STAMP_RE = re.compile(r"^\d{8}T\d{6}Z$")
MANIFEST = "SHA256SUMS"
KEYS_ARCHIVE = "keys.tar.gz"
DUMP_SUFFIX = ".sql.gz"
SQLITE_SUFFIX = ".sqlite.gz"
DUMP_END = b"-- Dump completed"
# ``DEFINER=`user`@`host``` in CREATE TRIGGER/VIEW/PROCEDURE/EVENT statements (never in data).
DEFINER_RE = re.compile(rb"DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`")
DATA_LINE_STARTS = (b"INSERT INTO ", b"(")
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that must not go on (the message says why)."""


@dataclass(frozen=True)
class Server:
    """How to reach MariaDB with its command-line clients."""

    host: str = "127.0.0.1"
    port: int = 3306
    user: str = "root"
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> Server:
        """``mysql+pymysql://user:password@host:port/anything`` (the services' URL form)."""
        parts = urlsplit(url)
        if not parts.scheme.startswith(("mysql", "mariadb")):
            raise BackupError(f"not a MariaDB URL: {parts.scheme}://…")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=unquote(parts.password) if parts.password is not None else None,
        )

    def args(self) -> list[str]:
        return ["-h", self.host, "-P", str(self.port), "-u", self.user, "--protocol=TCP"]

    def env(self) -> dict[str, str]:
        # The password goes through the environment, never the command line.
        env = dict(os.environ)
        if self.password is not None:
            env["MYSQL_PWD"] = self.password
        return env

    def query(self, sql: str) -> list[list[str]]:
        """Rows of ``sql`` (tab-separated batch output, no header)."""
        done = subprocess.run(
            ["mariadb", *self.args(), "-N", "-B", "-e", sql],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(f"mariadb: {done.stderr.strip()}")
        return [line.split("\t") for line in done.stdout.splitlines() if line]


def check_name(name: str) -> str:
    """A schema name or prefix we are willing to put in SQL and on a command line."""
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise BackupError(f"unsafe schema name or prefix: {name!r}")
    return name


def schemas(server: Server, prefix: str) -> list[str]:
    """The schemas whose name starts with ``prefix`` (``_`` is literal, not a wildcard)."""
    pattern = check_name(prefix).replace("_", "\\\\_")
    return sorted(row[0] for row in server.query(f"SHOW DATABASES LIKE '{pattern}%'"))


def table_count(server: Server, schema: str) -> int:
    """Tables (and views) in ``schema``; 0 when it does not exist."""
    # check_name() lets only [A-Za-z0-9_] through: nothing to inject.
    where = f"table_schema = '{check_name(schema)}'"
    rows = server.query(f"SELECT COUNT(*) FROM information_schema.tables WHERE {where}")  # noqa: S608
    return int(rows[0][0])


# --- the backup folder -----------------------------------------------------------------------


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STAMP)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path) -> None:
    """``SHA256SUMS`` of every file in ``folder`` (the last thing a backup writes)."""
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != MANIFEST)
    lines = [f"{sha256_of(folder / name)}  {name}\n" for name in files]
    (folder / MANIFEST).write_text("".join(lines))


def read_manifest(folder: Path) -> dict[str, str]:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise BackupError(f"{folder}: no {MANIFEST}: not a complete backup")
    entries: dict[str, str] = {}
    for line in manifest.read_text().splitlines():
        digest, _, name = line.partition("  ")
        if not re.fullmatch(r"[0-9a-f]{64}", digest) or not name or "/" in name:
            raise BackupError(f"{manifest}: malformed line {line!r}")
        entries[name] = digest
    if not entries:
        raise BackupError(f"{manifest} lists no file")
    return entries


def verify(folder: Path) -> list[str]:
    """Check every file against the manifest and every dump for completeness; its files."""
    entries = read_manifest(folder)
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != MANIFEST}
    if missing := sorted(set(entries) - present):
        raise BackupError(f"{folder}: missing {', '.join(missing)}")
    if unlisted := sorted(present - set(entries)):
        raise BackupError(f"{folder}: not in {MANIFEST}: {', '.join(unlisted)}")
    for name, digest in entries.items():
        if sha256_of(folder / name) != digest:
            raise BackupError(f"{folder / name}: checksum mismatch (truncated or corrupted)")
        if name.endswith(DUMP_SUFFIX) and DUMP_END not in last_line(folder / name):
            raise BackupError(f"{folder / name}: the dump did not complete")
    return sorted(entries)


def last_line(dump: Path) -> bytes:
    """The last non-empty line of a gzip-compressed dump (reads it all: checks the gzip too)."""
    tail = b""
    try:
        with gzip.open(dump, "rb") as source:
            while block := source.read(CHUNK):
                tail = (tail + block)[-4096:]
    except (OSError, EOFError) as error:
        raise BackupError(f"{dump}: {error}") from error
    lines = [line for line in tail.splitlines() if line.strip()]
    return lines[-1] if lines else b""


def backups(directory: Path) -> list[Path]:
    """The complete backups in ``directory``, oldest first."""
    if not directory.is_dir():
        return []
    found = [p for p in directory.iterdir() if STAMP_RE.match(p.name) and (p / MANIFEST).is_file()]
    return sorted(found, key=lambda p: p.name)


def resolve(directory: Path, which: str) -> Path:
    """A backup folder: a path, a timestamp in ``directory``, or ``latest``."""
    if which == "latest":
        found = backups(directory)
        if not found:
            raise BackupError(f"no backup in {directory}")
        return found[-1]
    path = Path(which)
    if not path.is_dir() and (directory / which).is_dir():
        path = directory / which
    if not path.is_dir():
        raise BackupError(f"no backup folder {which}")
    return path


def prune(directory: Path, keep_days: int, now: datetime) -> list[Path]:
    """Delete backups older than ``keep_days`` (by the time in their name); the deleted ones.

    Unfinished ``.partial-*`` folders older than a day go too; nothing else is touched.
    """
    cutoff = stamp(now - timedelta(days=keep_days))
    stale = stamp(now - timedelta(days=1))
    deleted: list[Path] = []
    if not directory.is_dir():
        return deleted
    for path in sorted(directory.iterdir()):
        name = path.name.removeprefix(".partial-")
        if not path.is_dir() or not STAMP_RE.match(name):
            continue
        limit = stale if path.name.startswith(".partial-") else cutoff
        if name < limit:
            shutil.rmtree(path)
            deleted.append(path)
    return deleted


# --- MariaDB ---------------------------------------------------------------------------------


def dump_schema(server: Server, schema: str, target: Path) -> None:
    """One consistent, compressed dump of ``schema`` (tables, data, triggers, routines)."""
    command = [
        "mariadb-dump", *server.args(), "--single-transaction", "--routines", "--triggers",
        "--hex-blob", "--default-character-set=utf8mb4", check_name(schema),
    ]  # fmt: skip
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, env=server.env())
        assert process.stdout is not None
        with gzip.open(target, "wb") as sink:
            shutil.copyfileobj(process.stdout, sink, CHUNK)
        if process.wait() != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise BackupError(f"mariadb-dump {schema}: {message}")


def rewrite_definers(lines: Iterable[bytes], definer: bytes) -> Iterator[bytes]:
    """Replace every DEFINER clause outside the data.

    mariadb-dump writes a row per line, each ``INSERT INTO … VALUES (…)`` or ``(…)`` (a
    newline inside a value is written ``\\n``): such lines are data and are left alone.
    """
    replacement = b"DEFINER=" + definer
    for line in lines:
        if b"DEFINER=" in line and not line.startswith(DATA_LINE_STARTS):
            line = DEFINER_RE.sub(lambda _m: replacement, line)
        yield line


def restore_schema(server: Server, schema: str, dump: Path, definer: bytes) -> None:
    """Create ``schema`` afresh and load ``dump`` into it."""
    name = check_name(schema)
    server.query(
        f"DROP DATABASE IF EXISTS `{name}`; "
        f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    )
    command = ["mariadb", *server.args(), "--default-character-set=utf8mb4", name]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=errors, env=server.env())
        assert process.stdin is not None
        try:
            with gzip.open(dump, "rb") as source:
                for line in rewrite_definers(source, definer):
                    process.stdin.write(line)
        except BrokenPipeError:
            pass  # the client stopped: its exit status and message say why
        finally:
            process.stdin.close()
        if process.wait() != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise BackupError(f"restoring {schema}: {message}")


def backup_mariadb(server: Server, prefix: str, folder: Path) -> list[str]:
    names = schemas(server, prefix)
    if not names:
        raise BackupError(f"no schema named {prefix}* on {server.host}:{server.port}")
    for schema in names:
        dump_schema(server, schema, folder / f"{schema}{DUMP_SUFFIX}")
    return names


def restore_mariadb(
    server: Server, folder: Path, files: Sequence[str], force: bool, definer: bytes
) -> list[str]:
    names = [f.removesuffix(DUMP_SUFFIX) for f in files if f.endswith(DUMP_SUFFIX)]
    for schema in names:
        check_name(schema)
    occupied = [s for s in names if table_count(server, s) > 0]
    if occupied and not force:
        raise BackupError(
            f"not empty: {', '.join(occupied)}: a restore replaces them; use --force (FORCE=1)"
        )
    for schema in names:
        restore_schema(server, schema, folder / f"{schema}{DUMP_SUFFIX}", definer)
    return names


# --- the embedded default (SQLite) -----------------------------------------------------------


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a (possibly live) SQLite database with the online backup API."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / source.name
        live = sqlite3.connect(source, timeout=30)
        out = sqlite3.connect(copy)
        try:
            live.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            if out.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError(f"{source}: the copy fails its integrity check")
        finally:
            out.close()
            live.close()
        with copy.open("rb") as plain, gzip.open(target, "wb") as sink:
            shutil.copyfileobj(plain, sink, CHUNK)


def sqlite_tables(path: Path) -> int:
    if not path.exists():
        return 0
    with sqlite3.connect(path, timeout=30) as conn:
        row = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    return int(row[0])


def load_sqlite(archive: Path, target: Path) -> None:
    """Replace the content of ``target`` with the backup, through SQLite (WAL-safe)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / target.name
        with gzip.open(archive, "rb") as source, plain.open("wb") as sink:
            shutil.copyfileobj(source, sink, CHUNK)
        saved = sqlite3.connect(plain)
        live = sqlite3.connect(target, timeout=30)
        try:
            saved.backup(live)
        finally:
            live.close()
            saved.close()


def backup_sqlite(var_dir: Path, folder: Path) -> list[str]:
    databases = sorted((var_dir / "data").glob("*.sqlite"))
    if not databases:
        raise BackupError(f"no SQLite database in {var_dir / 'data'}")
    for database in databases:
        copy_sqlite(database, folder / f"{database.stem}{SQLITE_SUFFIX}")
    keys = var_dir / "keys"
    if keys.is_dir() and any(keys.iterdir()):
        with tarfile.open(folder / KEYS_ARCHIVE, "w:gz") as archive:
            archive.add(keys, arcname="keys")
    return [d.stem for d in databases]


def restore_sqlite(var_dir: Path, folder: Path, files: Sequence[str], force: bool) -> list[str]:
    names = [f.removesuffix(SQLITE_SUFFIX) for f in files if f.endswith(SQLITE_SUFFIX)]
    occupied = [n for n in names if sqlite_tables(var_dir / "data" / f"{n}.sqlite") > 0]
    if occupied and not force:
        raise BackupError(
            f"not empty: {', '.join(occupied)} in {var_dir / 'data'}: a restore replaces them; "
            "use --force (FORCE=1)"
        )
    for name in names:
        load_sqlite(folder / f"{name}{SQLITE_SUFFIX}", var_dir / "data" / f"{name}.sqlite")
    if KEYS_ARCHIVE in files:
        extract_keys(folder / KEYS_ARCHIVE, var_dir)
    return names


def extract_keys(archive_path: Path, var_dir: Path) -> None:
    """Unpack the keys archive into ``var_dir``: plain files and folders inside it, nothing else.

    Every member is checked here first (no link, device or absolute path, nothing that lands
    outside), so the answer is the same on every Python 3.11: the releases before 3.11.4
    (Debian 12's is 3.11.2, and this script runs on the machine's own Python) have no
    extraction filters, and where there are, ``filter="data"`` is applied on top.
    """
    with tarfile.open(archive_path, "r:gz") as archive:
        root = var_dir.resolve()
        members = archive.getmembers()
        for member in members:
            inside = (root / member.name).resolve().is_relative_to(root)
            if not (member.isfile() or member.isdir()) or not inside:
                raise BackupError(f"{archive_path.name}: {member.name!r} is not a file in {root}")
        try:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(var_dir, members=members, filter="data")
            else:
                archive.extractall(var_dir, members=members)  # noqa: S202  (checked above)
        except tarfile.TarError as refused:
            raise BackupError(f"{archive_path.name}: {refused}") from refused


# --- the commands ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What to back up or restore: a MariaDB server and prefix, or the embedded var folder."""

    server: Server | None
    prefix: str
    var_dir: Path

    def describe(self) -> str:
        if self.server is None:
            return f"the embedded SQLite databases in {self.var_dir / 'data'}"
        return f"{self.prefix}* on {self.server.host}:{self.server.port}"


def run_backup(target: Target, directory: Path, keep_days: int, now: datetime) -> Path:
    """Write one backup folder, then delete the ones past retention; the new folder."""
    directory.mkdir(parents=True, exist_ok=True)
    name = stamp(now)
    folder = directory / name
    if folder.exists():
        raise BackupError(f"{folder} exists already")
    partial = directory / f".partial-{name}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        if target.server is None:
            backup_sqlite(target.var_dir, partial)
        else:
            backup_mariadb(target.server, target.prefix, partial)
        write_manifest(partial)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    prune(directory, keep_days, now)
    return folder


def run_restore(target: Target, folder: Path, force: bool, definer: bytes) -> list[str]:
    """Verify ``folder``, then load it; the restored schemas (or SQLite databases)."""
    files = verify(folder)
    dumps = [f for f in files if f.endswith(DUMP_SUFFIX)]
    if target.server is None:
        if dumps:
            raise BackupError(f"{folder} is a MariaDB backup: set DATABASE_URL to restore it")
        return restore_sqlite(target.var_dir, folder, files, force)
    if not dumps:
        raise BackupError(f"{folder} holds no MariaDB dump (an embedded backup?)")
    return restore_mariadb(target.server, folder, files, force, definer)


def target_from(args: argparse.Namespace) -> Target:
    url = args.database_url if args.database_url is not None else os.environ.get("DATABASE_URL")
    server = Server.from_url(url) if url else None
    return Target(server=server, prefix=check_name(args.prefix), var_dir=Path(args.var_dir))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["backup", "restore", "verify", "prune", "list"])
    parser.add_argument("folder", nargs="?", default="latest", help="restore/verify: which one")
    parser.add_argument("--dir", default=os.environ.get("BACKUP_DIR") or str(DEFAULT_DIR))
    parser.add_argument("--database-url", help="default: $DATABASE_URL; unset: embedded")
    parser.add_argument(
        "--prefix", default=os.environ.get("CLINIC_SCHEMA_PREFIX") or DEFAULT_PREFIX
    )
    parser.add_argument("--var-dir", default=str(DEFAULT_VAR), help="the embedded default's var/")
    parser.add_argument("--keep-days", type=int, default=KEEP_DAYS)
    parser.add_argument("--now", type=datetime.fromisoformat, help="pretend it is this time")
    parser.add_argument("--force", action="store_true", help="restore over non-empty schemas")
    parser.add_argument(
        "--definer", default="CURRENT_USER", help="restored triggers' DEFINER (`user`@`host`)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, out: IO[str] = sys.stdout) -> int:
    args = parse_args(argv)
    directory = Path(args.dir)
    now: datetime = args.now or datetime.now(UTC)
    try:
        if args.command == "backup":
            target = target_from(args)
            folder = run_backup(target, directory, args.keep_days, now)
            print(f"backed up {target.describe()} to {folder}", file=out)
        elif args.command == "restore":
            target = target_from(args)
            folder = resolve(directory, args.folder)
            names = run_restore(target, folder, args.force, args.definer.encode())
            print(f"restored {', '.join(names)} from {folder}", file=out)
        elif args.command == "verify":
            folder = resolve(directory, args.folder)
            print(f"{folder}: ok ({', '.join(verify(folder))})", file=out)
        elif args.command == "prune":
            for path in prune(directory, args.keep_days, now):
                print(f"deleted {path}", file=out)
        else:
            for path in backups(directory):
                print(path, file=out)
    except BackupError as error:
        print(f"backup.py {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
