"""``make backup`` on the embedded default (SQLite files under var/data) and the retention.

The SQLite copy is taken with the online backup API while a writer keeps committing: every
transaction writes one row to each of two tables, so a copy taken between the two halves of a
transaction (a plain file copy of a live WAL database can be) would show unequal counts.
"""

from __future__ import annotations

import io
import sqlite3
import tarfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import backup

PADDING = "x" * 400  # enough pages that the copy overlaps many commits


def _database(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        conn.execute("CREATE TABLE mirror (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        for table in ("ledger", "mirror"):
            conn.executemany(
                f"INSERT INTO {table} (note) VALUES (?)", [(PADDING,) for _ in range(rows)]
            )
    (path.parent.parent / "keys").mkdir(exist_ok=True)


def _counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        ledger = conn.execute("SELECT COUNT(*) FROM ledger").fetchone()[0]
        mirror = conn.execute("SELECT COUNT(*) FROM mirror").fetchone()[0]
    return ledger, mirror


class Writer(threading.Thread):
    """Commits a row to both tables in one transaction, again and again, until stopped."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.commits = 0

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            while not self.stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO ledger (note) VALUES (?)", (PADDING,))
                conn.execute("INSERT INTO mirror (note) VALUES (?)", (PADDING,))
                conn.execute("COMMIT")
                self.commits += 1
        finally:
            conn.close()


def test_a_live_embedded_database_is_copied_consistently_and_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    var = tmp_path / "var"
    live = var / "data" / "records.sqlite"
    _database(live, rows=5000)
    _database(var / "data" / "billing.sqlite", rows=10)
    (var / "keys" / "records-dev.key").write_bytes(b"the development key")
    argv = ["--var-dir", str(var), "--dir", str(tmp_path / "backups")]

    writer = Writer(live)
    writer.start()
    try:
        while writer.commits < 50:  # the writer is well under way
            threading.Event().wait(0.01)
        before = writer.commits
        assert backup.main(["backup", *argv]) == 0
        assert writer.commits > before, "the writer was blocked during the backup"
    finally:
        writer.stop.set()
        writer.join()
    final = _counts(live)

    (folder,) = backup.backups(tmp_path / "backups")
    assert sorted(p.name for p in folder.iterdir()) == [
        "SHA256SUMS", "billing.sqlite.gz", "keys.tar.gz", "records.sqlite.gz"
    ]  # fmt: skip

    # Into an empty var: a consistent state of the live database, and the keys.
    fresh = tmp_path / "fresh"
    assert backup.main(["restore", str(folder), "--var-dir", str(fresh)]) == 0
    ledger, mirror = _counts(fresh / "data" / "records.sqlite")
    assert ledger == mirror, "the copy caught a transaction half-way"
    assert 5000 + 50 <= ledger < final[0]
    assert _counts(fresh / "data" / "billing.sqlite") == (10, 10)
    assert (fresh / "keys" / "records-dev.key").read_bytes() == b"the development key"
    with sqlite3.connect(fresh / "data" / "records.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # Over the live var (its WAL file still there): refused unless forced, then as backed up.
    assert backup.main(["restore", "latest", *argv]) == 1
    assert _counts(live) == final
    assert backup.main(["restore", "latest", "--force", *argv]) == 0
    assert _counts(live) == (ledger, mirror)


def test_a_damaged_embedded_backup_restores_nothing(tmp_path: Path) -> None:
    var = tmp_path / "var"
    _database(var / "data" / "patients.sqlite", rows=3)
    folder = backup.run_backup(
        backup.Target(None, "clinic_", var), tmp_path / "backups", 30, datetime.now(UTC)
    )
    copy = folder / "patients.sqlite.gz"
    copy.write_bytes(copy.read_bytes()[:-8])
    target = backup.Target(None, "clinic_", tmp_path / "elsewhere")
    with pytest.raises(backup.BackupError, match="checksum mismatch"):
        backup.run_restore(target, folder, force=False, definer=b"CURRENT_USER")
    assert not (tmp_path / "elsewhere" / "data" / "patients.sqlite").exists()
    (folder / backup.MANIFEST).unlink()
    with pytest.raises(backup.BackupError, match="not a complete backup"):
        backup.verify(folder)


def test_backups_older_than_thirty_days_are_deleted_and_nothing_else(tmp_path: Path) -> None:
    now = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)
    directory = tmp_path / "backups"

    def made(days_ago: float, partial: bool = False, manifest: bool = True) -> Path:
        name = backup.stamp(now - timedelta(days=days_ago))
        folder = directory / (f".partial-{name}" if partial else name)
        folder.mkdir(parents=True)
        if manifest and not partial:
            (folder / backup.MANIFEST).write_text("")
        return folder

    expired, kept, edge = made(31), made(29), made(29.9)
    old_partial, fresh_partial = made(2, partial=True), made(0.1, partial=True)
    unrelated = directory / "keep-me"
    unrelated.mkdir()
    deleted = backup.prune(directory, 30, now)
    assert sorted(deleted) == sorted([expired, old_partial])
    assert all(p.exists() for p in (kept, edge, fresh_partial, unrelated))
    assert backup.backups(directory) == [edge, kept]  # oldest first

    # `make backup` prunes after writing; --now moves the clock (no waiting for a month).
    var = tmp_path / "var"
    _database(var / "data" / "identity.sqlite", rows=1)
    later = (now + timedelta(days=29, hours=23)).isoformat()
    argv = ["--var-dir", str(var), "--dir", str(directory), "--now", later]
    assert backup.main(["backup", *argv]) == 0
    assert [p.name for p in backup.backups(directory)] == [
        backup.stamp(datetime.fromisoformat(later))
    ]


def _keys_archive(path: Path, *members: tarfile.TarInfo) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for member in members:
            archive.addfile(member, io.BytesIO(b"k" * member.size) if member.isfile() else None)
    return path


def _file(name: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.size = 1
    return member


def _link(name: str, to: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = tarfile.SYMTYPE, to
    return member


@pytest.fixture(params=["the tar filter", "no tar filter (Python < 3.11.4)"])
def tar_filters(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param.startswith("no"):
        monkeypatch.delattr(tarfile, "data_filter", raising=False)


@pytest.mark.usefixtures("tar_filters")
def test_the_keys_come_back_as_files_inside_var(tmp_path: Path) -> None:
    archive = _keys_archive(tmp_path / "keys.tar.gz", _file("keys/records-dev.key"))
    backup.extract_keys(archive, tmp_path / "var")
    assert (tmp_path / "var" / "keys" / "records-dev.key").read_bytes() == b"k"


@pytest.mark.usefixtures("tar_filters")
@pytest.mark.parametrize(
    "member",
    [_file("../outside.key"), _file("/tmp/absolute.key"), _link("keys/passwd", "/etc/passwd")],
    ids=["parent folder", "absolute path", "symbolic link"],
)
def test_a_keys_archive_cannot_write_outside_var_or_link(
    tmp_path: Path, member: tarfile.TarInfo
) -> None:
    archive = _keys_archive(tmp_path / "keys.tar.gz", _file("keys/good.key"), member)
    with pytest.raises(backup.BackupError, match=r"keys\.tar\.gz"):
        backup.extract_keys(archive, tmp_path / "var")
    assert not (tmp_path / "outside.key").exists()
    assert not Path("/tmp/absolute.key").exists()
    assert not (tmp_path / "var" / "keys" / "passwd").exists()
