"""The per-student limit: so that one student cannot spend the whole class's budget.

A sliding window of one hour per owner, counting the pictures *asked for* (checked before the
engine is called, so a failed call still counts: the provider may have charged for it). The
counts are kept in the store and taken atomically there, so two sessions, a restart or a second
server behind the load balancer never hand out more than the limit.
"""

from __future__ import annotations

from typing import Protocol

from lib.errors import Blocked
from lib.messages import N_
from lib.store.records import LimitReached

WINDOW_S = 3600.0
#: The store's counter for pictures from hosted engines.
KIND = "hosted_pictures"


class LimitCounters(Protocol):
    """What the limiter needs from :class:`lib.store.records.Counters`."""

    def take(self, owner: str, kind: str, n: int, limit: int, window_s: float) -> None: ...

    def used(self, owner: str, kind: str, window_s: float) -> int: ...


class RateLimiter:
    """Pictures per owner per hour, counted by the store."""

    def __init__(self, counters: LimitCounters) -> None:
        self._counters = counters

    def used(self, owner: str) -> int:
        """Pictures ``owner`` asked for in the last hour."""
        return self._counters.used(owner, KIND, WINDOW_S)

    def take(self, owner: str, n: int, limit: int) -> None:
        """Count ``n`` pictures for ``owner``, or raise :class:`Blocked` if that passes ``limit``."""
        try:
            self._counters.take(owner, KIND, n, limit, WINDOW_S)
        except LimitReached as reached:
            left = max(limit - reached.used, 0)
            params = {"limit": limit, "left": left, "minutes": reached.minutes}
            if n > limit:
                message = N_("Your teacher allows {limit} pictures an hour, so please ask for fewer at a time.")
            elif left == 1:
                message = N_(
                    "You can make 1 more picture this hour (your teacher's limit is {limit} an hour). "
                    "Ask for fewer, or wait about {minutes} minutes."
                )
            elif left:
                message = N_(
                    "You can make {left} more pictures this hour (your teacher's limit is {limit} an hour). "
                    "Ask for fewer, or wait about {minutes} minutes."
                )
            else:
                message = N_(
                    "You have made {limit} pictures this hour, which is your teacher's limit. "
                    "You can make more in about {minutes} minutes."
                )
            raise Blocked(
                message, stage="rate limit", detail=f"{reached.used} used, {n} asked, limit {limit}",
                params=params, code="rate_limit",
            ) from None  # fmt: skip
