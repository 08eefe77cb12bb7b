"""Secrets read from files: ``<PREFIX><NAME>_FILE=/run/secrets/x`` sets the setting ``<NAME>``.

Compose secrets and Kubernetes Secret volumes hand a secret to a container as a file; the
services read those files themselves (the settings' source below), so a secret never sits in an
environment variable, the image, the compose file or a manifest. The file's content, minus
its trailing newline, is the value, decoded as the environment's would be (JSON for lists and
maps). Refused, so the service does not start: a file that cannot be read, and both ``<NAME>``
and ``<NAME>_FILE`` given (which one wins would be a guess).

``<PREFIX>DATABASE_PASSWORD_FILE`` fills the ``database_password`` setting, which the settings
put into a ``DATABASE_URL`` written without one (see ``with_password``): the URL can then sit in
plain configuration (a ConfigMap) and only the password is a secret.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic_settings import EnvSettingsSource
from pydantic_settings.exceptions import SettingsError

FILE_SUFFIX = "_file"


def read_secret(path: str, variable: str) -> str:
    """The secret in ``path`` without its trailing newline (``SettingsError`` if unreadable)."""
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise SettingsError(f"{variable}: cannot read {path}: {exc.strerror}") from exc


class SecretFilesSource(EnvSettingsSource):
    """The environment's ``<PREFIX><NAME>_FILE`` variables, as the settings ``<NAME>``."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        environ = {name.lower(): value for name, value in os.environ.items()}
        prefix = self.env_prefix.lower()
        fields = {name.lower() for name in self.settings_cls.model_fields}
        secrets: dict[str, str | None] = {}
        for variable, path in environ.items():
            if not (variable.startswith(prefix) and variable.endswith(FILE_SUFFIX)):
                continue
            target = variable[: -len(FILE_SUFFIX)]
            if target[len(prefix) :] not in fields:
                continue  # not a setting of this service (another tool's *_FILE)
            if target in environ:
                raise SettingsError(
                    f"both {target.upper()} and {variable.upper()} are set: give one"
                )
            secrets[target] = read_secret(path, variable.upper())
        return secrets


def with_password(url: str, password: str) -> str:
    """``url`` with ``password`` (quoted) after its user; refuses a URL that already has one."""
    parts = urlsplit(url)
    if not parts.username:
        raise ValueError("database_password needs a database_url naming its user")
    if parts.password is not None:
        raise ValueError("database_url already holds a password: give it one way only")
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{parts.username}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))
