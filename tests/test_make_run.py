"""`make run` itself, on a free port and an empty var dir: the demo as production serves it.

One test, since starting is the cost (migrations, static files, the demo data): some 10 seconds on an idle
machine. It reads the demo's own SQLite file for the outbox, and /proc for the worker's process (Linux).
"""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import stat
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from brobygget.demo.municipality import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 180  # a busy machine; an idle one needs some 10

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds processes through /proc"),
    # `make run` serves the demo on its own SQLite file whatever database the suite runs on: the SQLite run tests it.
    pytest.mark.skipif(connection.vendor != "sqlite", reason="make run serves SQLite; the suite's SQLite run tests it"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def eventually(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return bool(condition())


def processes_of(var_dir: Path) -> dict[int, str]:
    """The processes whose environment names this var dir: {pid: command line}."""
    found = {}
    marker = f"BROBYGGET_VAR_DIR={var_dir}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile, or not ours
    return found


def task_workers(var_dir: Path) -> list[int]:
    return [pid for pid, command in processes_of(var_dir).items() if re.match(r"\S+ manage\.py \w*_worker", command)]


class Site:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, headers=headers or {}, data=data)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def answers(self) -> bool:
        try:
            return self.get("/healthz")[0] == 200
        except OSError:
            return False

    def log_in(self, username: str, password: str) -> None:
        _, page = self.get("/konto/logga-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        form = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        status, _ = self.get("/konto/logga-in/", {"Referer": self.base + "/"}, urllib.parse.urlencode(form).encode())
        assert status == 200  # followed the redirect to Min sida


def test_make_run_serves_the_demo_with_debug_off_keeps_its_mail_and_its_worker_alive(tmp_path):
    port = free_port()
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "BROBYGGET_VAR_DIR": str(tmp_path),
        "PORT": str(port),
    }
    site = Site(port)
    with (tmp_path / "make-run.log").open("wb") as log:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "run"],  # noqa: S607 - make from PATH, as a person runs it
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the Ctrl-C below reaches it and nothing else
        )
    try:
        started = eventually(lambda: make.poll() is not None or site.answers(), STARTUP_SECONDS)
        assert started and make.poll() is None, (tmp_path / "make-run.log").read_text()[-3000:]

        # DEBUG is off: the Swedish pages, never Django's debug page, and only the hosts it was given.
        status, home = site.get("/")
        assert status == 200 and "Sjöbacka kommun" in home
        status, missing = site.get("/finns-inte/")
        assert status == 404 and "Vi hittar inte sidan" in missing and "URLconf" not in missing
        assert site.get("/", {"Host": "elak.example"})[0] == 400
        assert site.get("/", {"Host": f"localhost:{port}"})[0] == 200

        # WhiteNoise serves the collected, hashed static files.
        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home)
        assert stylesheet is not None and site.get(stylesheet.group(1))[0] == 200

        # The secret key was made once, for the owner's eyes only.
        assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600

        # The worker sends the demo's mail into the outbox; its links point at this port, and work.
        database = tmp_path / "brobygget.sqlite3"

        def kept_mail() -> list[tuple[str, str]]:
            with sqlite3.connect(database) as connection:
                return connection.execute("SELECT recipients, body FROM core_outboxmail").fetchall()

        def tracking_link() -> re.Match[str] | None:  # a resident's mail (staff are told of cases too)
            return re.search(rf"http://127\.0\.0\.1:{port}(/arende/\S+/)", "\n".join(body for _, body in kept_mail()))

        assert eventually(tracking_link, 60), kept_mail()
        link = tracking_link()
        assert link is not None and site.get(link.group(1))[0] == 200

        # The administrator reads it in the admin's Utkorg (the cookies are not Secure on plain HTTP).
        site.log_in("admin", DEMO_PASSWORD)
        status, utkorg = site.get("/admin/core/outboxmail/")
        assert status == 200 and "Utkorg" in utkorg

        # A task worker that dies is started again.
        (worker,) = task_workers(tmp_path)
        os.kill(worker, signal.SIGKILL)
        assert eventually(lambda: task_workers(tmp_path) and task_workers(tmp_path) != [worker], 30)
    finally:
        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C
        try:
            make.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
    # Ctrl-C stopped everything: gunicorn, the loop and the worker.
    assert eventually(lambda: not processes_of(tmp_path), 15), processes_of(tmp_path)
