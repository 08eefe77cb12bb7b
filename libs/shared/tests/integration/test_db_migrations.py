"""ensure_database/drop_database on the real MariaDB; run_migrations on MariaDB and SQLite."""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from clinic_shared.db import create_engine_for, drop_database, ensure_database, run_migrations
from clinic_shared.testing.plugin import mariadb_server_url

pytestmark = pytest.mark.integration

VERSION_TABLE = "alembic_version_widgets"

ENV_PY = """
from sqlalchemy import MetaData

from clinic_shared.alembic_env import run_alembic_env

run_alembic_env(MetaData())
"""

CREATE_WIDGETS = """
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "widgets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
    )
    op.create_table(
        "parts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "widget_id",
            sa.Integer,
            sa.ForeignKey("widgets.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )


def downgrade():
    op.drop_table("parts")
    op.drop_table("widgets")
"""

# Changing a column type makes SQLite rebuild the table (create copy, drop old, rename): the
# test checks the rows referencing it survive that.
ALTER_WIDGETS = """
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("widgets") as batch:
        batch.add_column(sa.Column("colour", sa.String(20), nullable=True))
        batch.alter_column("name", existing_type=sa.String(50), type_=sa.String(80))


def downgrade():
    with op.batch_alter_table("widgets") as batch:
        batch.alter_column("name", existing_type=sa.String(80), type_=sa.String(50))
        batch.drop_column("colour")
"""


def _script_dir(root: Path) -> Path:
    scripts = root / "migrations"
    (scripts / "versions").mkdir(parents=True)
    (scripts / "env.py").write_text(textwrap.dedent(ENV_PY))
    (scripts / "versions" / "0001_create_widgets.py").write_text(CREATE_WIDGETS)
    return scripts


def _add_alter_revision(scripts: Path) -> None:
    (scripts / "versions" / "0002_widget_colour.py").write_text(ALTER_WIDGETS)


def _versions(url: str) -> list[str]:
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine_for(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _database_exists(name: str) -> bool:
    server = create_engine(make_url(mariadb_server_url()).set(database=""))
    try:
        with server.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                    "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :name"
                ),
                {"name": name},
            ).first()
            return row is not None and tuple(row) == ("utf8mb4", "utf8mb4_unicode_ci")
    finally:
        server.dispose()


def test_ensure_and_drop_database_on_mariadb() -> None:
    name = f"t_{uuid.uuid4().hex[:8]}_ensure"
    url = make_url(mariadb_server_url()).set(database=name)
    try:
        ensure_database(url)
        assert _database_exists(name)
        ensure_database(url)  # idempotent
        assert _database_exists(name)

        drop_database(url)
        assert not _database_exists(name)
        drop_database(url)  # already gone: no error
    finally:
        drop_database(url)


@pytest.mark.parametrize("name", ["bad`name", "x; DROP DATABASE mysql", "a-b"])
def test_unsafe_database_names_are_refused(name: str) -> None:
    url = make_url(mariadb_server_url()).set(database=name)

    with pytest.raises(ValueError, match="unsafe database name"):
        ensure_database(url)
    with pytest.raises(ValueError, match="unsafe database name"):
        drop_database(url)


def test_a_url_without_database_is_refused() -> None:
    with pytest.raises(ValueError, match="names no database"):
        ensure_database(make_url(mariadb_server_url()).set(database=""))


def test_run_migrations_on_mariadb_honours_the_version_table(
    tmp_path: Path, database_url_factory: Callable[[str], str]
) -> None:
    url = database_url_factory("migrations")
    scripts = _script_dir(tmp_path)

    run_migrations(url, scripts, VERSION_TABLE)

    assert {"widgets", "parts", VERSION_TABLE} <= _tables(url)
    assert "alembic_version" not in _tables(url)
    assert _versions(url) == ["0001"]

    _add_alter_revision(scripts)
    run_migrations(make_url(url), scripts, VERSION_TABLE)  # a URL object works too
    run_migrations(url, scripts, VERSION_TABLE)  # at head: nothing to do
    assert _versions(url) == ["0002"]


def test_run_migrations_creates_the_database_it_names(tmp_path: Path) -> None:
    name = f"t_{uuid.uuid4().hex[:8]}_fresh"
    url = make_url(mariadb_server_url()).set(database=name)
    try:
        run_migrations(url, _script_dir(tmp_path), VERSION_TABLE)
        assert _database_exists(name)
        assert _versions(url.render_as_string(hide_password=False)) == ["0001"]
    finally:
        drop_database(url)


def test_run_migrations_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/var/data/widgets.sqlite"  # folder does not exist yet
    scripts = _script_dir(tmp_path)

    run_migrations(url, scripts, VERSION_TABLE)

    assert {"widgets", "parts", VERSION_TABLE} <= _tables(url)
    assert "alembic_version" not in _tables(url)
    assert _versions(url) == ["0001"]


def test_rebuilding_a_sqlite_table_keeps_the_rows_referencing_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/widgets.sqlite"
    scripts = _script_dir(tmp_path)
    run_migrations(url, scripts, VERSION_TABLE)
    engine = create_engine_for(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO widgets (id, name) VALUES (1, 'gear')"))
        conn.execute(text("INSERT INTO parts (id, widget_id) VALUES (10, 1)"))

    _add_alter_revision(scripts)
    run_migrations(url, scripts, VERSION_TABLE)

    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, widget_id FROM parts")).all() == [(10, 1)]
        assert conn.execute(text("SELECT id, name, colour FROM widgets")).all() == [
            (1, "gear", None)
        ]
        # The app's own connections still enforce foreign keys after migrating.
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
    assert _versions(url) == ["0002"]
