"""The server's shelf of uploads: bounded in bytes and in time, and each student sees only their own."""

from __future__ import annotations

import threading

from cachetools import TTLCache

from lib.uploads import UploadShelf, digest


def test_an_upload_comes_back_for_its_student_only() -> None:
    shelf = UploadShelf(max_bytes=1000)
    key = shelf.put("student-a", b"x" * 100)
    assert key == digest(b"x" * 100)
    assert shelf.get("student-a", key) == b"x" * 100
    assert shelf.get("student-b", key) is None  # the same picture uploaded by another is not shared


def test_the_shelf_never_holds_more_than_its_bytes_and_drops_the_oldest_first() -> None:
    shelf = UploadShelf(max_bytes=1000)
    keys = [shelf.put("s", bytes([i]) * 300) for i in range(5)]
    assert shelf.held_bytes <= 1000
    assert shelf.get("s", keys[0]) is None and shelf.get("s", keys[1]) is None
    assert shelf.get("s", keys[4]) == bytes([4]) * 300
    assert shelf.put("s", b"y" * 5000) and shelf.held_bytes <= 1000  # bigger than the shelf: not kept, no error


def test_an_upload_is_let_go_after_its_time() -> None:
    now = [0.0]
    shelf = UploadShelf(max_bytes=1000, seconds=60)
    shelf._kept = TTLCache(maxsize=1000, ttl=60, timer=lambda: now[0], getsizeof=len)  # a clock the test moves
    key = shelf.put("s", b"z" * 10)
    now[0] = 59
    assert shelf.get("s", key) == b"z" * 10
    now[0] = 121  # 60 s after it was last put
    assert shelf.get("s", key) is None
    assert shelf.held_bytes == 0


def test_thirty_students_uploading_at_once_stay_within_the_bound() -> None:
    shelf = UploadShelf(max_bytes=10_000)
    threads = [threading.Thread(target=lambda i=i: [shelf.put(f"s{i}", bytes([i, j]) * 500) for j in range(20)])
               for i in range(30)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 0 < shelf.held_bytes <= 10_000
