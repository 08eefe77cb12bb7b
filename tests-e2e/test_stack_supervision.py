"""Finding 18: ``scripts/stack.py`` restarts a process that exits, with back-off, and says so."""

from __future__ import annotations

import sys
import time

import pytest

from stack import Stack, _Supervised, restart_delay


def test_back_off_doubles_from_one_second_up_to_a_cap() -> None:
    assert [restart_delay(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_process_that_exits_is_restarted_with_back_off_and_logged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stack = Stack()
    crash = _Supervised("patients", [sys.executable, "-c", "raise SystemExit(1)"], env={})
    stack._supervised["patients"] = crash
    stack._launch(crash)
    first = stack.process("patients")
    stack.supervise()
    try:
        deadline = time.monotonic() + 8
        while len(stack.restarts) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stack.stop()

    assert stack.restarts[:2] == [("patients", 1, 1.0), ("patients", 1, 2.0)]
    assert stack.processes == []  # stop() ends the restarted ones too
    assert first.returncode == 1
    log = capsys.readouterr().err
    assert "patients exited with 1; restarting in 1 s" in log
    assert "patients exited with 1; restarting in 2 s" in log
