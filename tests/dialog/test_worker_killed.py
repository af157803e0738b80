"""Mail is not lost when the worker dies while sending: real worker processes (`manage.py tasks_worker`), one
killed with SIGKILL while a real SMTP server (aiosmtpd) hangs on its mail, then a new one that sends it."""

import asyncio
import email
import email.policy
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from brobygget.dialog.models import CaseEntry, CaseMail, CaseMailChoice
from brobygget.dialog.services import case_answer
from tests.dialog.conftest import body, free_port, sv

pytestmark = pytest.mark.django_db(transaction=True)

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
ANSWER = "Vi byter kedjan på gungan på fredag."
STALE_AFTER_SECONDS = 2


class HangingInbox:
    """An SMTP server's handler that takes the whole mail and then does not answer, while `hang` is set."""

    def __init__(self) -> None:
        self.hang = True
        self.hung = threading.Event()
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook name
        if self.hang:
            self.hung.set()
            await asyncio.sleep(60)
            return "451 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[HangingInbox, int]]:
    inbox, port = HangingInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _database_url() -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    return f"postgres://{config['USER']}{password}@{config['HOST']}:{config['PORT']}/{config['NAME']}"


def _worker(port: int, *options: str) -> subprocess.Popen[bytes]:
    """`manage.py tasks_worker` as production runs it, on the test database and the test SMTP server."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "brobygget.settings",
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "TASKS_STALE_AFTER_SECONDS": str(STALE_AFTER_SECONDS),
    }
    env.pop("BROBYGGET_DEMO", None)
    command = [sys.executable, str(MANAGE), "tasks_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    # The arguments are this test's own, not input.
    return subprocess.Popen([*command, *options], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603


def test_a_worker_killed_while_sending_leaves_nothing_lost_the_next_worker_sends_it(
    settings, org, make_case, login_client, smtp
):
    inbox, port = smtp
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    CaseMailChoice.objects.create(person=org["member"], how=CaseMail.NONE)  # only the resident's mail here
    case = make_case(contact_email="rut@example.se", wants_answer=True, text="Gungan har en trasig kedja.")
    case_answer(actor=org["member"].user, case=case, text=ANSWER)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2  # the receipt and the answer

    # A worker takes the receipt, and the mail server hangs on it: the worker is killed in the middle of sending.
    first = _worker(port)
    try:
        assert inbox.hung.wait(timeout=60), "the worker never reached the mail server"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    [running] = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    assert running.task_path == "brobygget.dialog.tasks.send_receipt"
    assert inbox.messages == []
    page = login_client(org["member"]).get(f"/arenden/{case.pk}/").content.decode()
    assert sv(CaseEntry.MailStatus.PENDING.label) in page  # "Väntar på att skickas"

    # The mail server is back; once the dead worker's task is stale, a new worker queues it again and sends all.
    inbox.hang = False
    assert running.started_at is not None
    time.sleep(max(0.0, STALE_AFTER_SECONDS + 0.2 - (time.time() - running.started_at.timestamp())))
    second = _worker(port, "--batch")
    output, _ = second.communicate(timeout=60)
    assert second.returncode == 0, output.decode()
    assert "taken as dead, queued again" in output.decode()

    answers = [message for message in inbox.messages if ANSWER in body(message)]
    receipts = [message for message in inbox.messages if ANSWER not in body(message)]
    assert (len(receipts), len(answers)) == (1, 1)
    assert case.number in receipts[0]["Subject"] and case.number in body(receipts[0])
    entry = case.entries.get(kind=CaseEntry.Kind.ANSWER)
    assert entry.mail_status == CaseEntry.MailStatus.SENT
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert running.worker_ids != DBTaskResult.objects.get(pk=running.pk).worker_ids  # run again by another worker
