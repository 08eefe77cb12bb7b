"""Free ports for a test stack, chosen per run so two runs on one machine never meet."""

from __future__ import annotations

import random
import socket


def free_port() -> int:
    """A port nobody listens on now (the kernel's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_port_base(span: int = 6) -> int:
    """A gateway port whose next ``span - 1`` ports (the services') are free too.

    Taken at random in 20000–29999, below the kernel's ephemeral range (32768 and up), so a
    client's outgoing connection does not take one between this choice and the servers' start.
    """
    for _ in range(200):
        base = random.randrange(20000, 30000 - span)  # noqa: S311 (a port, not a secret)
        try:
            for port in range(base, base + span):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no {span} free ports in a row between 20000 and 30000")
