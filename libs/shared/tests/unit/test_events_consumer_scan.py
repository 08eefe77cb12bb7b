"""How often a consumer's reclaimer looks for entries left unacknowledged."""

from __future__ import annotations

import pytest

from clinic_shared.events.consumer import reclaim_scan_interval_ms


@pytest.mark.parametrize(
    ("reclaim_idle_ms", "scan_ms"),
    [
        (5_000, 2_500),  # the default: half the idle time
        (201, 100),  # halved and rounded down to whole milliseconds
        (202, 101),
        (150, 100),  # never more often than every 100 ms...
        (1, 100),
        (9_998, 4_999),
        (10_002, 5_000),  # ...nor less often than every 5 s
        (60_000, 5_000),
    ],
)
def test_the_reclaimer_looks_at_half_the_idle_time_within_100_ms_and_5_s(
    reclaim_idle_ms: int, scan_ms: int
) -> None:
    assert reclaim_scan_interval_ms(reclaim_idle_ms) == scan_ms
