"""The passcode throttle, on both store backends: 5 free tries per browser and 30 for the whole
class, then growing waits that hold across sessions (the counts are in the store), each lock-out
in the audit log with the browser it came from."""

from __future__ import annotations

import time

import pytest

from lib.pictures import new_owner_id
from lib.store import Store
from lib.teacher_access import CLASS_FREE_TRIES, FIRST_WAIT_S, MAX_WAIT_S, try_passcode, wait_after, waiting

PASSCODE = "owl-and-pussycat"
KID = new_owner_id()


def test_waits_grow_after_five_wrong_tries_and_stop_growing() -> None:
    assert [wait_after(n) for n in range(1, 9)] == [0, 0, 0, 0, 30, 60, 120, 240]
    assert wait_after(40) == MAX_WAIT_S


def test_five_wrong_tries_lock_even_the_right_passcode_until_the_wait_is_over(store: Store) -> None:
    answers = [try_passcode(store, f"guess-{i}", PASSCODE, owner=KID) for i in range(5)]
    assert [a.unlocked for a in answers] == [False] * 5
    assert all(a.message == "That passcode is not right." for a in answers[:4])
    assert answers[4].wait_s == FIRST_WAIT_S and "too many tries" in answers[4].message

    # Another session (a reload, another replica) reads the same count from the store.
    again = Store(store.database_url, store.objects)
    try:
        locked = try_passcode(again, PASSCODE, PASSCODE, owner=KID)
    finally:
        again.close()
    assert not locked.unlocked and "Too many wrong passcodes" in locked.message and locked.wait_s > 0
    [line] = store.audit.latest(5)
    assert (line["stage"], line["category"], line["severity"]) == ("teacher access", "passcode lock-out", "error")
    assert line["owner"] == KID  # the teacher sees which browser was guessing


def test_a_student_who_guesses_locks_only_their_own_browser_not_the_teacher(store: Store) -> None:
    for i in range(8):
        try_passcode(store, f"guess-{i}", PASSCODE, owner=KID)
    assert waiting(store, owner=KID) > 0
    teacher = new_owner_id()
    assert waiting(store, owner=teacher) == 0
    assert try_passcode(store, PASSCODE, PASSCODE, owner=teacher).unlocked


def test_fresh_browsers_do_not_give_fresh_tries_beyond_the_class_count(store: Store) -> None:
    # A student who opens a new tab (a new gallery id) for every few guesses: the class's count
    # stops them after 30 wrong tries in a row, everywhere, until the wait is over.
    answers = [try_passcode(store, f"guess-{i}", PASSCODE, owner=new_owner_id()) for i in range(CLASS_FREE_TRIES)]
    assert [a.wait_s for a in answers[:-1]] == [0] * (CLASS_FREE_TRIES - 1) and answers[-1].wait_s == FIRST_WAIT_S
    assert not try_passcode(store, PASSCODE, PASSCODE, owner=new_owner_id()).unlocked
    later = time.time() + FIRST_WAIT_S + 1
    assert try_passcode(store, PASSCODE, PASSCODE, owner=new_owner_id(), now=later).unlocked
    assert waiting(store, now=later + 1, owner=new_owner_id()) == 0  # the teacher's unlock cleared the class's count


def test_forty_quick_guesses_get_five_answers_and_then_waits(store: Store) -> None:
    checked = 0
    for i in range(40):
        before = waiting(store, owner=KID)
        answer = try_passcode(store, f"guess-{i}", PASSCODE, owner=KID)
        checked += before == 0
        assert not answer.unlocked
    assert checked == 5  # the other 35 were turned away without the passcode being compared
    assert store.audit.count(severity="error") == 1


def test_the_right_passcode_after_the_wait_unlocks_and_clears_the_count(store: Store) -> None:
    for _ in range(6):
        try_passcode(store, "wrong", PASSCODE, owner=KID)
    # The store stamped the tries with its own clock (now); the wait runs from the last one.
    later = time.time() + 61
    assert try_passcode(store, PASSCODE, PASSCODE, owner=KID, now=later).unlocked
    assert try_passcode(store, "wrong", PASSCODE, owner=KID, now=later + 1).message == "That passcode is not right."


@pytest.mark.parametrize("expected", [None, ""])
def test_no_passcode_set_means_nobody_unlocks(store: Store, expected: str | None) -> None:
    assert not try_passcode(store, "", expected).unlocked
