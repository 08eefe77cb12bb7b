"""Gateway overhead: ``GET /api/me`` straight to identity vs through the gateway, side by side.

Needs a running identity and gateway with the demo accounts (``make run`` or ``bench/run.py``)::

    uv run python bench/gateway_overhead.py --gateway http://127.0.0.1:8000 \
        --identity http://127.0.0.1:8001

Logs in once, then measures, in one run: sequential latency (interleaved, after a warm-up),
throughput with N concurrent keep-alive clients for a fixed time (alternating rounds), and
login latency (successful logins only, so the throttle never triggers). Loopback targets only;
every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Target, login, loopback_target, percentile

TARGET_OVERHEAD_MS = 1.0
TARGET_THROUGHPUT_RATIO = 0.85
MAX_REQUESTS_PER_ROUND = 200_000


def sequential_latency(
    targets: list[Target], token: str, requests: int, warmup: int
) -> dict[str, list[float]]:
    """Interleaved sequential ``GET /api/me`` on one keep-alive connection per target."""
    headers = {"Authorization": f"Bearer {token}"}
    connections = {t.name: http.client.HTTPConnection(t.host, t.port, timeout=10) for t in targets}
    samples: dict[str, list[float]] = {t.name: [] for t in targets}
    for i in range(warmup + requests):
        # Alternate who goes first so neither side always runs on a warmer cache.
        for target in targets if i % 2 == 0 else list(reversed(targets)):
            connection = connections[target.name]
            started = time.perf_counter()
            connection.request("GET", "/api/me", headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise SystemExit(f"GET /api/me via {target.name}: {response.status}")
            if i >= warmup:
                samples[target.name].append(elapsed * 1000)
    for connection in connections.values():
        connection.close()
    return samples


async def _client_loop(target: Target, request: bytes, deadline: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection(target.host, target.port)
    try:
        while time.perf_counter() < deadline and counts[0] < MAX_REQUESTS_PER_ROUND:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            if status != 200:
                counts[1] += 1
            counts[0] += 1
    finally:
        writer.close()


async def _throughput_round(target: Target, token: str, clients: int, seconds: float) -> float:
    request = (
        f"GET /api/me HTTP/1.1\r\nHost: {target.host}:{target.port}\r\n"
        f"Authorization: Bearer {token}\r\n\r\n"
    ).encode()
    counts = [0, 0]  # requests, non-200 answers
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_client_loop(target, request, deadline, counts) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    if counts[1]:
        raise SystemExit(f"throughput via {target.name}: {counts[1]} non-200 answers")
    return counts[0] / elapsed


def throughput(
    targets: list[Target], token: str, clients: int, seconds: float, rounds: int
) -> dict[str, float]:
    """Requests per second per target: the mean of alternating fixed-time rounds."""
    results: dict[str, list[float]] = {t.name: [] for t in targets}
    asyncio.run(_throughput_round(targets[0], token, clients, min(1.0, seconds)))  # warm-up
    for round_number in range(rounds):
        for target in targets if round_number % 2 == 0 else list(reversed(targets)):
            rate = asyncio.run(_throughput_round(target, token, clients, seconds))
            results[target.name].append(rate)
    return {name: statistics.fmean(rates) for name, rates in results.items()}


def argon2_parameters() -> str:
    """Identity's password-hash parameters as configured in this environment."""
    try:
        from clinic_identity.config import IdentitySettings
    except ImportError:
        return "argon2id (identity settings not importable here)"
    settings = IdentitySettings()
    return (
        f"argon2id m={settings.argon2_memory_kib} KiB, t={settings.argon2_time_cost}, p=1 "
        "(identity settings in this environment)"
    )


def print_report(
    args: argparse.Namespace,
    latency: dict[str, list[float]],
    rates: dict[str, float],
    logins: dict[str, list[float]],
) -> None:
    """The results table, the two targets' verdicts and the login figures."""
    print(
        f"GET /api/me: {args.requests} sequential requests per side (interleaved, after "
        f"{args.warmup} warm-up); throughput: {args.clients} clients, "
        f"{args.rounds} x {args.seconds:g} s rounds per side"
    )
    print(f"{'':<18}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>10}")
    for name, label in (("direct", "direct identity"), ("gateway", "through gateway")):
        samples = latency[name]
        print(
            f"{label:<18}{percentile(samples, 0.50):>9.3f}{percentile(samples, 0.95):>9.3f}"
            f"{percentile(samples, 0.99):>9.3f}{rates[name]:>10.0f}"
        )
    overhead = percentile(latency["gateway"], 0.5) - percentile(latency["direct"], 0.5)
    ratio = rates["gateway"] / rates["direct"]
    overhead_verdict = "met" if overhead <= TARGET_OVERHEAD_MS else "MISSED"
    ratio_verdict = "met" if ratio >= TARGET_THROUGHPUT_RATIO else "MISSED"
    print(f"overhead p50: {overhead:+.3f} ms (target <= {TARGET_OVERHEAD_MS:g} ms: ", end="")
    print(f"{overhead_verdict})")
    print(
        f"throughput ratio: {ratio:.1%} (target >= {TARGET_THROUGHPUT_RATIO:.0%}: {ratio_verdict})"
    )
    for name, label in (("direct", "direct"), ("gateway", "through gateway")):
        samples = logins[name]
        print(
            f"login {label}: p50 {percentile(samples, 0.5):.1f} ms, "
            f"p95 {percentile(samples, 0.95):.1f} ms ({len(samples)} successful logins)"
        )
    print(argon2_parameters())


def main() -> int:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--identity", default="http://127.0.0.1:8001")
    parser.add_argument("--email", default="admin@demo.clinic")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--requests", type=int, default=2000, help="sequential samples per side")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16, help="concurrent keep-alive clients")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of a throughput round")
    parser.add_argument("--rounds", type=int, default=2, help="throughput rounds per side")
    parser.add_argument("--logins", type=int, default=15, help="login samples per side")
    args = parser.parse_args()

    targets = [
        loopback_target("direct", args.identity),
        loopback_target("gateway", args.gateway),
    ]
    token, _ = login(targets[1], args.email, args.password)
    latency = sequential_latency(targets, token, args.requests, args.warmup)
    rates = throughput(targets, token, args.clients, args.seconds, args.rounds)
    logins = {
        t.name: [login(t, args.email, args.password)[1] * 1000 for _ in range(args.logins)]
        for t in targets
    }
    print_report(args, latency, rates, logins)
    return 0


if __name__ == "__main__":
    sys.exit(main())
