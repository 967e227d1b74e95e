"""Moves the clock of every Python process a test starts (the bot as a subprocess, the demo)
by the same offset as the test session's, when TEST_CLOCK_OFFSET is set; see
`tests/conftest.py` and `tools/clock_sweep.sh`. Only the wall clock moves (time.time,
datetime.now, localtime): monotonic time, which timeouts and waits use, is left alone."""

import os

_offset = os.environ.get("TEST_CLOCK_OFFSET")
if _offset:
    import time

    import time_machine

    time_machine.travel(time.time() + float(_offset), tick=True).start()
