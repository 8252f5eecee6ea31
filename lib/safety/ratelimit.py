"""The per-student limit: so that one student cannot spend the whole class's budget.

A sliding window of one hour per owner, counting the pictures *asked for* (checked before the
engine is called, so a failed call still counts: the provider may have charged for it). It is
thread-safe (Streamlit runs every session in its own thread) and kept in the data folder, so a
restart of the app does not hand out a fresh hour.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path

from lib.errors import Blocked
from lib.files import atomic_write

log = logging.getLogger(__name__)

RATE_FILE = "rate_limits.json"
WINDOW_S = 3600.0


class RateLimiter:
    """Images per owner per hour. ``path`` (optional) keeps the counts across restarts."""

    def __init__(self, path: Path | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self._path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._stamps: dict[str, list[float]] = self._load()

    def _load(self) -> dict[str, list[float]]:
        if self._path is None:
            return {}
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return {str(k): [float(t) for t in v] for k, v in data.items()}
        except FileNotFoundError:
            return {}
        except (ValueError, TypeError, AttributeError, OSError) as error:
            log.warning("rate limits: %s is damaged (%s); starting afresh", self._path, error)
            return {}

    def _save(self) -> None:
        if self._path is None:
            return
        try:
            atomic_write(self._path, json.dumps(self._stamps).encode("utf-8"))
        except OSError:
            log.exception("could not save the rate limits")

    def used(self, owner: str) -> int:
        """Pictures ``owner`` asked for in the last hour."""
        with self._lock:
            return len(self._recent(owner, self._clock()))

    def _recent(self, owner: str, now: float) -> list[float]:
        stamps = [t for t in self._stamps.get(owner, []) if now - t < WINDOW_S]
        if stamps:
            self._stamps[owner] = stamps
        else:
            self._stamps.pop(owner, None)
        return stamps

    def take(self, owner: str, n: int, limit: int) -> None:
        """Count ``n`` pictures for ``owner``, or raise :class:`Blocked` if that passes ``limit``."""
        with self._lock:
            now = self._clock()
            stamps = self._recent(owner, now)
            if len(stamps) + n > limit:
                left = max(limit - len(stamps), 0)
                # The oldest pictures leave the window first; wait until enough of them have.
                free_at = sorted(stamps)[len(stamps) + n - limit - 1] + WINDOW_S if n <= limit else now
                minutes = max(1, math.ceil((free_at - now) / 60))
                if n > limit:
                    message = f"Your teacher allows {limit} pictures an hour, so please ask for fewer at a time."
                elif left:
                    message = (
                        f"You can make {left} more picture{'s' if left != 1 else ''} this hour "
                        f"(your teacher's limit is {limit} an hour). Ask for fewer, or wait about {minutes} minutes."
                    )
                else:
                    message = (
                        f"You have made {limit} pictures this hour, which is your teacher's limit. "
                        f"You can make more in about {minutes} minutes."
                    )
                raise Blocked(message, stage="rate limit", detail=f"{len(stamps)} used, {n} asked, limit {limit}")
            self._stamps.setdefault(owner, []).extend([now] * n)
            self._save()


_SHARED: dict[Path, RateLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(data_dir: str | Path) -> RateLimiter:
    """One limiter per data folder for the whole process (every session shares the counts)."""
    path = (Path(data_dir) / RATE_FILE).resolve()
    with _SHARED_LOCK:
        limiter = _SHARED.get(path)
        if limiter is None:
            limiter = _SHARED[path] = RateLimiter(path)
        return limiter
