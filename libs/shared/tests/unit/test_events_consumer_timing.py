"""A consumer's timing rules: how often its reclaimer looks, how long it waits through an outage."""

from __future__ import annotations

from itertools import islice

import pytest

from clinic_shared.events.consumer import (
    FIRST_RETRY_DELAY,
    MAX_RETRY_DELAY,
    reclaim_scan_interval_ms,
    retry_delays,
)


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


def test_an_outage_is_retried_after_half_a_second_doubling_to_at_most_30_s() -> None:
    delays = list(islice(retry_delays(FIRST_RETRY_DELAY, MAX_RETRY_DELAY), 8))

    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_the_delays_double_up_to_the_most_given() -> None:
    assert list(islice(retry_delays(0.1, 0.3), 4)) == [0.1, 0.2, 0.3, 0.3]
