"""What every benchmark shares: loopback targets, the staff login, a keep-alive JSON client,
bulk inserts into a service's database, and the percentile table."""

from __future__ import annotations

import http.client
import ipaddress
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from sqlalchemy import Connection, Table, insert


@dataclass(frozen=True)
class Target:
    """One base URL to measure."""

    name: str
    host: str
    port: int


def loopback_target(name: str, url: str) -> Target:
    """The target behind ``url``, refusing anything that is not this machine."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    is_loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    if parts.scheme != "http" or not is_loopback:
        raise SystemExit(f"{name}: only http:// loopback targets are benchmarked, got {url}")
    return Target(name, host, parts.port or 80)


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at ``fraction`` (nearest rank) of the sorted samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def login(target: Target, email: str, password: str) -> tuple[str, float]:
    """Log in once (identity's real login); the access token and the seconds it took."""
    connection = http.client.HTTPConnection(target.host, target.port, timeout=30)
    body = json.dumps({"email": email, "password": password})
    started = time.perf_counter()
    connection.request("POST", "/api/login", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    payload = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise SystemExit(f"login through {target.name} failed: {response.status} {payload[:200]!r}")
    return str(json.loads(payload)["token"]), elapsed


class ApiClient:
    """Requests with a bearer token on one keep-alive connection (one per thread)."""

    def __init__(self, target: Target, token: str) -> None:
        self.connection = http.client.HTTPConnection(target.host, target.port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None = None,
        body: object = None,
    ) -> tuple[int, bytes, float]:
        """Status, raw payload and the milliseconds the round trip took."""
        url = f"{path}?{urlencode(params)}" if params else path
        data = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        try:
            self.connection.request(method, url, data, headers=self.headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closes a keep-alive connection idle past its timeout (a reference
            # query over a million rows between two calls, say); a read is simply asked again.
            if method != "GET":
                raise
            self.connection.close()
            started = time.perf_counter()
            self.connection.request(method, url, data, headers=self.headers)
            response = self.connection.getresponse()
        payload = response.read()
        return response.status, payload, (time.perf_counter() - started) * 1000

    def get_json(self, path: str, params: Mapping[str, str]) -> tuple[object, float]:
        """A GET that must answer 200: the decoded body and the milliseconds."""
        status, payload, elapsed = self.call("GET", path, params)
        if status != 200:
            raise SystemExit(f"GET {path} {dict(params)}: {status} {payload[:300]!r}")
        return json.loads(payload), elapsed

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def insert_rows(conn: Connection, table: Table, rows: list[tuple[object, ...]]) -> None:
    """Insert value tuples in column order (straight through pymysql on MariaDB: 2x faster)."""
    columns = list(table.c.keys())
    if conn.dialect.name == "mysql":
        placeholders = ", ".join(["%s"] * len(columns))
        # Names from our own table metadata; the values travel as parameters.
        statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        conn.exec_driver_sql(statement, rows)
    else:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def print_latency_table(
    rows: Mapping[str, list[float]], targets: Mapping[str, float], label_width: int = 14
) -> None:
    """One line per measurement: count, p50/p95/p99 in ms and the p95 target's verdict."""
    print(f"{'':<{label_width}}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  target p95")
    for label, samples in rows.items():
        p95 = percentile(samples, 0.95)
        target = targets.get(label)
        verdict = "" if target is None else f"<= {target:g} {'met' if p95 <= target else 'MISSED'}"
        print(
            f"{label:<{label_width}}{len(samples):>7}{percentile(samples, 0.5):>9.2f}"
            f"{p95:>9.2f}{percentile(samples, 0.99):>9.2f}  {verdict}"
        )
