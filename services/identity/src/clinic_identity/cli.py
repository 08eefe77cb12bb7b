"""``clinic-identity``: migrate, seed the demo staff, create users and reset passwords."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from clinic_identity.bootstrap import events_writer, password_hasher
from clinic_identity.config import MIGRATIONS_VERSION_TABLE, IdentitySettings
from clinic_identity.models import outbox
from clinic_identity.passwords import password_problem
from clinic_identity.schemas import UserCreate
from clinic_identity.seed import seed_demo
from clinic_identity.service import create_user, reset_password
from clinic_shared.cli import CliError, console_main, one_off_session
from clinic_shared.db import run_migrations
from clinic_shared.events import commands as event_commands

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def migrate(settings: IdentitySettings) -> None:
    """Create identity's database if missing and upgrade it to the latest revision."""
    run_migrations(settings.database_url, MIGRATIONS_DIR, MIGRATIONS_VERSION_TABLE)


def read_password(env_var: str | None) -> str:
    """The new password from ``env_var``, else typed twice at a hidden prompt (never argv)."""
    if env_var:
        password = os.environ.get(env_var)
        if password is None:
            raise CliError(f"environment variable {env_var} is not set")
    else:
        password = getpass.getpass("New password: ")
        if getpass.getpass("Repeat it: ") != password:
            raise CliError("the two passwords differ")
    problem = password_problem(password)
    if problem:
        raise CliError(f"password {problem}")
    return password


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clinic-identity", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create/upgrade identity's database schema")
    commands.add_parser("seed-demo", help="create the demo staff accounts (not in production)")
    create = commands.add_parser("create-user", help="create a staff account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True, help="full name")
    create.add_argument("--roles", required=True, help="comma-separated, e.g. ROLE_ADMIN")
    create.add_argument("--color", default=None, help="calendar colour #rrggbb")
    create.add_argument("--locale", default="es", choices=["es", "en"])
    create.add_argument("--password-env", metavar="VAR", help="read the password from $VAR")
    reset = commands.add_parser("reset-password", help="set a user's password, ending sessions")
    reset.add_argument("--email", required=True)
    reset.add_argument("--password-env", metavar="VAR", help="read the password from $VAR")
    event_commands.add_republish_outbox(commands)
    return parser


def run(argv: Sequence[str], settings: IdentitySettings) -> str:
    """Execute one command; returns what to print."""
    args = _build_parser().parse_args(argv)
    if args.command == "migrate":
        migrate(settings)
        return "identity database is up to date"
    if args.command == event_commands.REPUBLISH_OUTBOX:
        return event_commands.run_republish_outbox(settings.database_url, outbox, args)
    hasher, events = password_hasher(settings), events_writer(settings)
    with one_off_session(settings.database_url) as db:
        if args.command == "seed-demo":
            created = seed_demo(db, hasher, events, settings)
            return f"demo accounts created: {', '.join(created) or 'none (already there)'}"
        password = read_password(args.password_env)
        if args.command == "create-user":
            data = UserCreate.model_validate(
                {
                    "email": args.email,
                    "fullName": args.name,
                    "roles": [role.strip() for role in args.roles.split(",") if role.strip()],
                    "color": args.color,
                    "locale": args.locale,
                    "password": password,
                }
            )
            user = create_user(db, hasher, events, data)
            return f"created user {user.email} ({user.id})"
        user = reset_password(db, hasher, args.email, password)
        return f"password of {user.email} changed; their sessions were ended"


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point."""
    return console_main(run, IdentitySettings, argv)


if __name__ == "__main__":
    sys.exit(main())
