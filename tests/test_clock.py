"""The clock-moving harness (TEST_CLOCK, tools/clock_sweep.sh) moves every Python process a test
starts, so a sweep over far dates really runs the bot at those dates."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

CLOCK_DIR = Path(__file__).parent / "clock"
FIVE_YEARS = 5 * 365 * 86400


def test_a_started_process_sees_the_moved_wall_clock_and_real_monotonic_time() -> None:
    code = "import time; print(time.time()); time.sleep(0.01); print('slept')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(CLOCK_DIR),
            "TEST_CLOCK_OFFSET": str(FIVE_YEARS),
        },
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen, slept = result.stdout.split()
    real_now = time.time() - float(os.environ.get("TEST_CLOCK_OFFSET", "0"))  # a sweep's own
    assert abs(float(seen) - (real_now + FIVE_YEARS)) < 60
    assert slept == "slept"
