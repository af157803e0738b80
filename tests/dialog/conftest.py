"""Fixtures of the dialog tests: a category of the park team, cases, and a real SMTP server on localhost."""

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from brobygget.dialog.models import Case
from tests.factories import CategoryFactory, ServicePromiseFactory, submit_case


@pytest.fixture
def category(org):
    """Parker och lekplatser, answered by the park team within 10 working days."""
    category = CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker och lekplatser")
    ServicePromiseFactory(category=category, acknowledge_days=2, answer_days=10)
    return category


@pytest.fixture
def make_case(category) -> Callable[..., Case]:
    """`make_case(text=…, contact_email=…, …)`: a case submitted through the service, as a resident submits one."""

    def make(**fields: Any) -> Case:
        fields.setdefault("category", category)
        return submit_case(**fields)[0]

    return make


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class _Inbox:
    """The aiosmtpd handler: keeps every message the server accepts."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """A real SMTP server on localhost, started and stopped by the test; the mailer points at its port."""

    port: int
    inbox: _Inbox = field(default_factory=_Inbox)
    controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """Not started: call `.start()` (and `.stop()`), so a test can also send while nothing listens."""
    server = SmtpServer(port=free_port())
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()


@pytest.fixture
def running_smtp_server(smtp_server: SmtpServer) -> SmtpServer:
    smtp_server.start()
    return smtp_server


@pytest.fixture
def dummy_tasks(settings) -> Any:
    """Tasks are only queued (django.tasks' dummy backend), so a test can see what was enqueued and run it."""
    from django.tasks import task_backends
    from django.tasks.backends.dummy import DummyBackend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    backend.clear()
    return backend


def body(message: EmailMessage) -> str:
    """The plain-text body of a received mail."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def sv(message: Any) -> str:
    """A message as a Swedish visitor reads it (the staff pages are Swedish first)."""
    from django.utils import translation

    with translation.override("sv"):
        return str(translation.gettext(message) if isinstance(message, str) else message)
