"""`.ci/moved-clock`, which CI runs the suite under: Python sees the moved date and still sleeps and waits."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MOVED_CLOCK = Path(__file__).resolve().parent.parent / ".ci" / "moved-clock"
# What the suite does under the moved clock: read the date, sleep, wait on a lock and an event with a timeout.
PROBE = """
import datetime, threading, time
started = time.monotonic()
time.sleep(0.2)
lock = threading.Lock(); lock.acquire()
assert lock.acquire(timeout=0.2) is False
assert threading.Event().wait(0.2) is False
print(datetime.date.today(), round(time.monotonic() - started, 1))
"""

pytestmark = pytest.mark.skipif(shutil.which("faketime") is None, reason="needs Debian's faketime (.ci/run has it)")


@pytest.mark.parametrize("moment", ["2028-02-29 12:00:00", "2031-01-05 10:00:00"])
def test_python_under_the_moved_clock_sees_the_date_and_still_sleeps_and_waits(moment: str) -> None:
    command = [str(MOVED_CLOCK), moment, sys.executable, "-c", PROBE]
    # Started from the real clock, also when this suite runs under the moved one (faketime would nest).
    real = {k: v for k, v in os.environ.items() if not k.startswith(("FAKETIME", "LD_PRELOAD", "DYLD_"))}
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False, env=real)  # noqa: S603

    assert done.returncode == 0, done.stderr
    day, waited = done.stdout.split()
    assert day == moment.split()[0]
    assert 0.6 <= float(waited) < 5  # the waits took their time on the real clock, no more
