"""Memory of a worker that receives large photos: 20 resident submissions, each with three 49-megapixel PNGs.

A PNG is decoded whole (a JPEG at a fraction of its size), so these are the most a submission can ask of a worker.
The target: every gunicorn worker keeps under PHOTO_RSS_TARGET_MB of resident memory after them.
"""

import http.client
import io
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from bench.measure import HOST, Server, gunicorn, log, rss_mb

PHOTO_RSS_TARGET_MB = 150
SUBMISSIONS = 20
PHOTOS_PER_SUBMISSION = 3
PHOTO_SIZE = (8575, 5714)  # 49 megapixels
FORM_PATH = "/lamna-synpunkt/"
_HIDDEN = re.compile(r'<input type="hidden" name="(csrfmiddlewaretoken|started)" value="([^"]*)"')


@dataclass
class PhotoMemory:
    submissions: int
    accepted: int
    rss_before_mb: float
    rss_after_mb: float

    @property
    def met(self) -> bool:
        return self.accepted == self.submissions and self.rss_after_mb < PHOTO_RSS_TARGET_MB

    def line(self) -> str:
        verdict = "met" if self.met else "MISSED"
        return (
            f"photos: {self.accepted}/{self.submissions} submissions of {PHOTOS_PER_SUBMISSION} × 49-MP PNG accepted; "
            f"largest worker {self.rss_before_mb:.0f} MB before, {self.rss_after_mb:.0f} MB after "
            f"(target < {PHOTO_RSS_TARGET_MB} MB: {verdict})"
        )


def large_png(seed: int) -> bytes:
    """A 49-megapixel PNG that compresses well (a gradient), so the upload is small and the decoding is not."""
    from PIL import Image

    image = Image.linear_gradient("L").resize(PHOTO_SIZE).convert("RGB")
    image.putpixel((seed, seed), (255, 0, 0))  # each photo its own
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: image/png\r\n\r\n".encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def _submit(port: int, category_id: int, photos: list[bytes]) -> int:
    """One submission as a browser sends it: the form is read (its CSRF token and signed time), then posted."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request("GET", FORM_PATH)
        response = connection.getresponse()
        page = response.read().decode()
        cookies: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        hidden = dict(_HIDDEN.findall(page))
        fields = {
            **hidden,
            "kind": "fault_report",
            "category": str(category_id),
            "text": f"Trasig belysning vid gångvägen, med foton. ({secrets.token_hex(4)}, make bench)",
            "address": "Sjövägen 4",
            "website": "",
        }
        files = [("photos", f"foto-{n}.png", content) for n, content in enumerate(photos, start=1)]
        body, content_type = _multipart(fields, files)
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        connection.request("POST", FORM_PATH, body=body, headers={"Content-Type": content_type, "Cookie": cookie})
        answer = connection.getresponse()
        answer.read()
        return answer.status
    finally:
        connection.close()


def _largest_worker_mb(server: Server) -> float:
    return max((rss_mb(pid) or 0.0) for pid in server.worker_pids())


def photo_memory_measure(*, env: dict[str, str], cwd: Path, log_path: Path, category_id: int) -> PhotoMemory:
    """Serve with gunicorn, send the submissions one after another, and read the workers' memory after them."""
    photos = [large_png(seed) for seed in range(PHOTOS_PER_SUBMISSION)]
    with gunicorn(env=env, cwd=cwd, log_path=log_path) as server:
        _submit(server.port, category_id, photos[:1])  # each worker has served the form once before it is read
        before = _largest_worker_mb(server)
        accepted = 0
        for _ in range(SUBMISSIONS):
            accepted += _submit(server.port, category_id, photos) == 302
        time.sleep(0.5)
        result = PhotoMemory(SUBMISSIONS, accepted, before, _largest_worker_mb(server))
    log(result.line())
    return result
