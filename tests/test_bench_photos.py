"""The bench's photo-memory figure: what counts as met, and that a miss reaches the run's list of misses."""

from bench.photos import PHOTO_RSS_TARGET_MB, SUBMISSIONS, PhotoMemory, _multipart


def test_the_target_is_met_only_when_every_submission_was_accepted_and_the_worker_stayed_under_it():
    assert PhotoMemory(SUBMISSIONS, SUBMISSIONS, 70.0, PHOTO_RSS_TARGET_MB - 1).met
    assert not PhotoMemory(SUBMISSIONS, SUBMISSIONS, 70.0, PHOTO_RSS_TARGET_MB + 1).met
    assert not PhotoMemory(SUBMISSIONS, SUBMISSIONS - 1, 70.0, 80.0).met  # a refused photo is not a light worker


def test_the_line_says_what_was_measured_and_the_verdict():
    line = PhotoMemory(20, 20, 70.4, 160.2).line()

    assert "20/20" in line and "70 MB before, 160 MB after" in line and "MISSED" in line


def test_the_upload_is_multipart_as_a_browser_sends_it():
    body, content_type = _multipart({"text": "Trasig lampa"}, [("photos", "a.png", b"\x89PNG")])

    boundary = content_type.removeprefix("multipart/form-data; boundary=")
    assert body.startswith(f"--{boundary}\r\n".encode()) and body.endswith(f"--{boundary}--\r\n".encode())
    assert b'name="photos"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n' in body
