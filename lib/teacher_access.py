"""The teacher's passcode, throttled: after a few wrong tries, growing waits.

Wrong tries are counted in the store (:class:`lib.store.records.Counters`), so a reload or another
replica does not start the count again, and counted twice:

* **per browser** (its gallery id): the 5th wrong try in a row from one browser locks the passcode
  *for that browser* for 30 s, each further one doubles the wait (at most 15 minutes). A student
  who guesses locks out only their own screen, never the teacher's;
* **for the whole class**: 30 wrong tries in a row from any browsers together (a student opening
  new tabs to get fresh tries) lock it everywhere, with the same growing waits.

The right passcode, once the wait is over, clears both counts of that browser and the class's.
Every lock-out is written to the audit log with the browser it came from, so the teacher sees who
was guessing.

No Streamlit here: the Teacher page calls :func:`try_passcode`.
"""

from __future__ import annotations

import hmac
import math
import time
from dataclasses import dataclass

from lib.messages import Msg
from lib.store import Store

#: Who the class-wide count belongs to: the class's one passcode.
WHO = "class-passcode"
KIND = "teacher_passcode_wrong"
#: Wrong tries in a row from one browser before it waits.
FREE_TRIES = 5
#: Wrong tries in a row from every browser together before the whole class waits.
CLASS_FREE_TRIES = 30
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


def wait_after(failures: int, free: int = FREE_TRIES) -> int:
    """Seconds to wait after ``failures`` wrong tries in a row (0 before the ``free``-th)."""
    if failures < free:
        return 0
    return int(min(FIRST_WAIT_S * 2 ** min(failures - free, 32), MAX_WAIT_S))


def _how_long(seconds: int) -> Msg:
    if seconds < 90:
        return Msg("{n} seconds", n=seconds)
    return Msg("{n} minutes", n=math.ceil(seconds / 60))


def _browser(owner: str) -> str:
    return f"passcode:{owner}"


def _counts(owner: str) -> tuple[tuple[str, int], ...]:
    """(whose count, its free tries): the browser's own when there is one, and the class's."""
    return ((_browser(owner), FREE_TRIES), (WHO, CLASS_FREE_TRIES)) if owner else ((WHO, CLASS_FREE_TRIES),)


def waiting(store: Store, now: float | None = None, *, owner: str = "") -> int:
    """Seconds left before ``owner``'s browser may try the passcode again (0: it may try now)."""
    moment = time.time() if now is None else now
    left = 0
    for who, free in _counts(owner):
        failures = store.counters.used(who, KIND, WINDOW_S)
        last = store.counters.last(who, KIND) if failures >= free else None
        if last is not None:
            left = max(left, math.ceil(last + wait_after(failures, free) - moment))
    return max(0, left)


def try_passcode(
    store: Store, typed: str, expected: str | None, *, owner: str = "", now: float | None = None
) -> Answer:
    """Check ``typed`` from ``owner``'s browser unless it must wait; count a wrong one, log each lock-out."""
    left = waiting(store, now, owner=owner)
    if left:
        said = Msg("Too many wrong passcodes. The passcode can be tried again in {wait}.", wait=_how_long(left))
        return Answer(False, said, left)
    if passcode_matches(typed, expected):
        for who, _free in _counts(owner):
            store.counters.reset(who, KIND)
        return Answer(True)
    waits = []
    for who, free in _counts(owner):
        store.counters.take(who, KIND, 1, _NO_LIMIT, WINDOW_S)
        failures = store.counters.used(who, KIND, WINDOW_S)
        waits.append((wait_after(failures, free), failures, who))
    wait, failures, who = max(waits)
    if not wait:
        return Answer(False, Msg("That passcode is not right."))
    scope = "from this browser" if who != WHO else "from the whole class"
    store.audit.record(
        owner=owner or WHO, stage="teacher access", category="passcode lock-out", severity="error",
        detail=f"{failures} wrong passcodes in a row {scope}; the next try waits {wait} s",
    )  # fmt: skip
    said = Msg(
        "That passcode is not right, and that was too many tries: wait {wait} before the next.", wait=_how_long(wait)
    )
    return Answer(False, said, wait)
