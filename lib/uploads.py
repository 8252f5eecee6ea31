"""Pictures students upload, kept by the server for a while so that a visit to another page does not lose them.

Streamlit's uploader forgets its file when the student leaves the page. The page used to keep the
checked PNG in the student's session instead, one per page and session: thirty students who each
uploaded a photo on Edit and on Variations kept up to sixty pictures in memory for as long as
their tabs stayed open. The shelf is one per server, bounded in bytes and in time
(:data:`SHELF_BYTES`, :data:`SHELF_SECONDS`): the session keeps only the file's name and digest,
and an upload the shelf has let go of is asked for again.
"""

from __future__ import annotations

import hashlib
import threading

from cachetools import TTLCache

#: The most the shelf holds in all (checked PNGs, of every student together).
SHELF_BYTES = 256_000_000
#: How long an upload is kept after it was uploaded: a lesson.
SHELF_SECONDS = 60 * 60


def digest(png: bytes) -> str:
    """The key of an upload: its checked PNG's SHA-256."""
    return hashlib.sha256(png).hexdigest()


class UploadShelf:
    """Uploads by (owner, digest), least recently used dropped first; safe across script threads."""

    def __init__(self, max_bytes: int = SHELF_BYTES, seconds: float = SHELF_SECONDS) -> None:
        self._lock = threading.Lock()
        self._kept: TTLCache[tuple[str, str], bytes] = TTLCache(maxsize=max_bytes, ttl=seconds, getsizeof=len)

    def put(self, owner: str, png: bytes) -> str:
        """Keep ``png`` for ``owner``; returns its digest. A picture bigger than the shelf is not kept."""
        key = digest(png)
        with self._lock:
            try:
                self._kept[(owner, key)] = png
            except ValueError:  # larger than the whole shelf: the student uploads it again next time
                pass
        return key

    def get(self, owner: str, key: str) -> bytes | None:
        """The upload, or ``None`` once the shelf has let it go (or it was another student's)."""
        with self._lock:
            return self._kept.get((owner, key))

    @property
    def held_bytes(self) -> int:
        with self._lock:
            self._kept.expire()
            return int(self._kept.currsize)


#: The server's shelf (one per process, like the store).
SHELF = UploadShelf()
