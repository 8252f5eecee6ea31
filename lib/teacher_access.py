"""The teacher's passcode, throttled: after 5 wrong tries, growing waits.

Wrong tries are counted in the store (:class:`lib.store.records.Counters`), for the whole class
rather than per browser, so a reload, a new tab or another replica does not start the count
again. The 5th wrong try in a row locks the passcode for 30 s, each further one doubles the wait
(at most 15 minutes); the right passcode, once the wait is over, clears the count. Every lock-out
is written to the audit log, so the teacher sees that somebody was guessing.

No Streamlit here: the Teacher page calls :func:`try_passcode`.
"""

from __future__ import annotations

import hmac
import math
import time
from dataclasses import dataclass

from lib.messages import Msg
from lib.store import Store

#: Who the count belongs to: the class's one passcode.
WHO = "class-passcode"
KIND = "teacher_passcode_wrong"
FREE_TRIES = 5
FIRST_WAIT_S = 30
MAX_WAIT_S = 15 * 60
#: Wrong tries older than this are forgotten.
WINDOW_S = 24 * 3600
_NO_LIMIT = 10**9


@dataclass(frozen=True)
class Answer:
    """What the page says: unlocked, or why not (and for how long nothing is tried)."""

    unlocked: bool
    message: str = ""
    wait_s: int = 0


def passcode_matches(typed: str, expected: str | None) -> bool:
    """Compare in constant time; no passcode set means nobody can unlock."""
    return bool(expected) and hmac.compare_digest(typed.encode(), (expected or "").encode())


def wait_after(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong tries in a row (0 before the 5th)."""
    if failures < FREE_TRIES:
        return 0
    return int(min(FIRST_WAIT_S * 2 ** (failures - FREE_TRIES), MAX_WAIT_S))


def _how_long(seconds: int) -> Msg:
    if seconds < 90:
        return Msg("{n} seconds", n=seconds)
    return Msg("{n} minutes", n=math.ceil(seconds / 60))


def waiting(store: Store, now: float | None = None) -> int:
    """Seconds left before the passcode may be tried again (0: it may be tried now)."""
    failures = store.counters.used(WHO, KIND, WINDOW_S)
    if failures < FREE_TRIES:
        return 0
    last = store.counters.last(WHO, KIND)
    if last is None:
        return 0
    moment = time.time() if now is None else now
    return max(0, math.ceil(last + wait_after(failures) - moment))


def try_passcode(store: Store, typed: str, expected: str | None, *, now: float | None = None) -> Answer:
    """Check ``typed`` unless the passcode is locked; count a wrong one, and log each lock-out."""
    left = waiting(store, now)
    if left:
        said = Msg("Too many wrong passcodes. The passcode can be tried again in {wait}.", wait=_how_long(left))
        return Answer(False, said, left)
    if passcode_matches(typed, expected):
        store.counters.reset(WHO, KIND)
        return Answer(True)
    store.counters.take(WHO, KIND, 1, _NO_LIMIT, WINDOW_S)
    failures = store.counters.used(WHO, KIND, WINDOW_S)
    wait = wait_after(failures)
    if not wait:
        return Answer(False, Msg("That passcode is not right."))
    store.audit.record(
        owner=WHO, stage="teacher access", category="passcode lock-out", severity="error",
        detail=f"{failures} wrong passcodes in a row; the next try waits {wait} s",
    )  # fmt: skip
    said = Msg(
        "That passcode is not right, and that was too many tries: wait {wait} before the next.", wait=_how_long(wait)
    )
    return Answer(False, said, wait)
