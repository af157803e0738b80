"""bin/supervise, which keeps the demo's task worker alive: it restarts what dies, and stops cleanly."""

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

SUPERVISE = Path(__file__).resolve().parent.parent / "bin" / "supervise"


def eventually(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A process that has ended but not been reaped by its parent yet is a zombie: it is dead too.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def child_script(tmp_path: Path, body: str) -> list[str]:
    """A Python command that records its pid in tmp_path/pids, one line per start, then runs `body`."""
    return [
        sys.executable,
        "-c",
        f"import os, time; open({str(tmp_path / 'pids')!r}, 'a').write(f'{{os.getpid()}}\\n'); {body}",
    ]


def pids(tmp_path: Path) -> list[int]:
    path = tmp_path / "pids"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def start(command: list[str]) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "RESTART_DELAY_SECONDS": "0.1", "STOP_SECONDS": "5"}
    return subprocess.Popen(  # noqa: S603 - our own script and commands
        [sys.executable, str(SUPERVISE), *command], env=environment, stderr=subprocess.PIPE
    )


def test_a_command_that_dies_is_started_again_after_the_delay(tmp_path):
    supervisor = start(child_script(tmp_path, "raise SystemExit(3)"))
    try:
        assert eventually(lambda: len(pids(tmp_path)) >= 3)
    finally:
        supervisor.terminate()
    assert supervisor.wait(10) == 0
    assert b"ended with exit status 3; starting it again in 0.1 s" in supervisor.stderr.read()  # type: ignore[union-attr]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_loop_stops_the_command_and_does_not_start_it_again(tmp_path, stop_signal):
    supervisor = start(child_script(tmp_path, "time.sleep(60)"))
    assert eventually(lambda: len(pids(tmp_path)) == 1)
    (worker,) = pids(tmp_path)

    supervisor.send_signal(stop_signal)

    assert supervisor.wait(10) == 0
    assert eventually(lambda: not alive(worker))
    time.sleep(0.3)
    assert pids(tmp_path) == [worker]


def test_a_command_killed_is_started_again(tmp_path):
    supervisor = start(child_script(tmp_path, "time.sleep(60)"))
    try:
        assert eventually(lambda: len(pids(tmp_path)) == 1)
        os.kill(pids(tmp_path)[0], signal.SIGKILL)

        assert eventually(lambda: len(pids(tmp_path)) == 2 and alive(pids(tmp_path)[1]))
    finally:
        supervisor.terminate()
        supervisor.wait(10)
    assert b"was killed by signal 9" in supervisor.stderr.read()  # type: ignore[union-attr]
    assert not any(alive(pid) for pid in pids(tmp_path))


def test_the_loop_and_its_command_stop_when_what_started_them_is_gone(tmp_path):
    """`make run` killed outright (SIGKILL) leaves no worker behind."""
    command = shlex.join([sys.executable, str(SUPERVISE), *child_script(tmp_path, "time.sleep(60)")])
    starter = subprocess.Popen(["bash", "-c", f"{command} & sleep 60"])  # noqa: S603, S607 - a shell, as make's
    assert eventually(lambda: len(pids(tmp_path)) == 1)

    starter.kill()
    starter.wait()

    assert eventually(lambda: not alive(pids(tmp_path)[0]))


def test_what_the_command_started_is_stopped_with_it(tmp_path):
    """As Django's autoreloader does with DEBUG on: the command runs the real work in a child of its own."""
    grandchild = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import time; time.sleep(60)'])"
    supervisor = start(
        child_script(
            tmp_path,
            f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {grandchild!r}]); time.sleep(60)",
        )
    )
    assert eventually(lambda: len(pids(tmp_path)) == 1)
    assert eventually(lambda: len(descendants(pids(tmp_path)[0])) == 2)
    family = [pids(tmp_path)[0], *descendants(pids(tmp_path)[0])]

    supervisor.terminate()

    assert supervisor.wait(10) == 0
    assert eventually(lambda: not any(alive(pid) for pid in family))


def descendants(pid: int) -> list[int]:
    """The processes below `pid` (Linux: /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found
