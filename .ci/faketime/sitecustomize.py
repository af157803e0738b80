"""Python under CI's moved clock: `.ci/moved-clock` puts this directory on PYTHONPATH, so every Python started
under it (the suite, and the servers and workers the suite starts) loads this first.

Under Debian's libfaketime (0.9.10) with FAKETIME_DONT_FAKE_MONOTONIC=1, `time.sleep`, which Python makes with
clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), fails with EINVAL: the library moves that absolute deadline by
the faked wall clock's offset. Here `time.sleep` waits on a lock's timeout instead, which counts the real
monotonic clock (and, like time.sleep, lets signal handlers run).
"""

import os
import threading
import time

if "FAKETIME" in os.environ:

    def _sleep(seconds: float, /) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        lock = threading.Lock()
        lock.acquire()
        lock.acquire(timeout=seconds)

    time.sleep = _sleep
