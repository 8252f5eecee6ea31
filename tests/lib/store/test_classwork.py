"""The class's work in the store, on both backends: assignments, hand-ins, comments, flags, use.

A student's calls only ever reach that student's rows; the limits (closed, due date, how many
per student) hold in the store, not only on the page.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from lib.errors import BadInput
from lib.pictures import new_owner_id
from lib.store import Store
from lib.store.classwork import CLOSED, PAST_DUE
from tests.lib.store.workers import make_image


def picture(store: Store, owner: str, words: str = "a castle on the moon") -> str:
    return store.pictures.save(make_image(words), owner=owner, page="create")


def monuments(store: Store) -> int:
    return store.classwork.assignments()[0].id


def test_the_monuments_task_is_there_from_the_start_open_and_first(store: Store) -> None:
    [first] = store.classwork.assignments(open_only=True)
    assert first.title == "A monument in a surprising place" and first.is_open
    assert "monument" in first.instructions and first.due is None and first.max_handins == 1
    later = store.classwork.create_assignment(title="  Weather  ", instructions="a storm\n\nover a city", due=None)
    assert later.title == "Weather" and later.instructions == "a storm\n\nover a city"
    assert [a.id for a in store.classwork.assignments()] == [first.id, later.id]


def test_the_teacher_edits_closes_and_reopens_an_assignment(store: Store) -> None:
    task = store.classwork.create_assignment(title="Animals", max_handins=2)
    due = time.time() + 86_400
    edited = store.classwork.update_assignment(task.id, title="Animals at night", instructions="owls",
                                               due=due, max_handins=3)  # fmt: skip
    assert (edited.title, edited.instructions, edited.max_handins) == ("Animals at night", "owls", 3)
    assert edited.due == pytest.approx(due)
    assert not store.classwork.set_open(task.id, False).is_open
    assert [a.id for a in store.classwork.assignments(open_only=True)] == [monuments(store)]
    assert store.classwork.set_open(task.id, True).is_open
    with pytest.raises(BadInput, match="title"):
        store.classwork.create_assignment(title="   ")
    with pytest.raises(BadInput, match="between 1 and"):
        store.classwork.create_assignment(title="x", max_handins=0)
    with pytest.raises(BadInput, match="does not exist"):
        store.classwork.set_open(99_999, False)


def test_a_student_hands_in_and_takes_back_their_own_picture(store: Store) -> None:
    ada = new_owner_id()
    image_id = picture(store, ada)
    task = monuments(store)

    handed = store.classwork.hand_in(ada, task, image_id, title=" Tower on the moon ", sentence="It floats.")
    assert (handed.title, handed.sentence, handed.image_id, handed.owner) == (
        "Tower on the moon", "It floats.", image_id, ada,
    )  # fmt: skip
    assert [h.id for h in store.classwork.my_handins(ada)] == [handed.id]
    assert [h.id for h in store.classwork.class_handins(task)] == [handed.id]
    assert store.classwork.class_handed_in_images(task) == (image_id,)

    with pytest.raises(BadInput, match="already handed in this picture"):
        store.classwork.hand_in(ada, task, image_id, title="again", sentence="again")
    other = picture(store, ada, "a pyramid in the snow")
    with pytest.raises(BadInput, match="takes 1 picture from each student"):
        store.classwork.hand_in(ada, task, other, title="second", sentence="too many")

    store.classwork.withdraw(ada, handed.id)
    assert store.classwork.my_handins(ada) == [] and store.classwork.class_handins(task) == []
    with pytest.raises(BadInput, match="already taken back"):
        store.classwork.withdraw(ada, handed.id)
    assert store.classwork.hand_in(ada, task, other, title="second", sentence="now it fits").image_id == other


def test_hand_ins_need_words_an_open_assignment_and_the_students_own_picture(store: Store) -> None:
    ada, alan = new_owner_id(), new_owner_id()
    mine, theirs = picture(store, ada), picture(store, alan)
    task = monuments(store)
    with pytest.raises(BadInput, match="title"):
        store.classwork.hand_in(ada, task, mine, title=" \x00 ", sentence="s")
    with pytest.raises(BadInput, match="one sentence"):
        store.classwork.hand_in(ada, task, mine, title="t", sentence="   ")
    with pytest.raises(BadInput, match="not in your gallery"):
        store.classwork.hand_in(ada, task, theirs, title="t", sentence="s")
    store.pictures.set_hidden(mine, True)
    with pytest.raises(BadInput, match="teacher hid this picture"):
        store.classwork.hand_in(ada, task, mine, title="t", sentence="s")
    store.pictures.set_hidden(mine, False)
    store.classwork.set_open(task, False)
    with pytest.raises(BadInput) as refused:
        store.classwork.hand_in(ada, task, mine, title="t", sentence="s")
    assert str(refused.value) == CLOSED
    assert store.classwork.my_handins(ada) == []


def test_a_past_due_date_refuses_taking_back(store_spec: object, request: pytest.FixtureRequest) -> None:
    now = [1_000_000.0]
    opened = store_spec.open()  # type: ignore[attr-defined]
    opened.close()  # migrated; the test's own store below tells the time
    store = Store(opened.database_url, opened.objects, clock=lambda: now[0])
    request.addfinalizer(store.close)
    ada = new_owner_id()
    image_id = picture(store, ada)
    task = store.classwork.create_assignment(title="Due soon", due=now[0] + 60)
    handed = store.classwork.hand_in(ada, task.id, image_id, title="t", sentence="s")
    now[0] += 61
    with pytest.raises(BadInput) as refused:
        store.classwork.withdraw(ada, handed.id)
    assert str(refused.value) == PAST_DUE
    assert [h.id for h in store.classwork.my_handins(ada)] == [handed.id]
    # Handing in late is still possible while the teacher keeps the assignment open.
    past = store.classwork.create_assignment(title="Was due yesterday", due=now[0] - 86_400)
    late = store.classwork.hand_in(ada, past.id, image_id, title="late", sentence="s")
    assert late.created == now[0]
    store.close()
    opened.close()


def test_students_never_reach_each_others_hand_ins_or_comments(store: Store) -> None:
    ada, alan = new_owner_id(), new_owner_id()
    task = monuments(store)
    ada_in = store.classwork.hand_in(ada, task, picture(store, ada), title="Ada's", sentence="mine")
    alan_in = store.classwork.hand_in(alan, task, picture(store, alan), title="Alan's", sentence="mine")
    store.classwork.comment(alan_in.id, "Lovely colours, Alan", done=True)

    [seen] = store.classwork.my_handins(ada)
    assert seen.id == ada_in.id and seen.comments == ()
    with pytest.raises(BadInput, match="not yours"):
        store.classwork.withdraw(ada, alan_in.id)
    assert [h.id for h in store.classwork.my_handins(alan)] == [alan_in.id]
    assert {h.owner for h in store.classwork.class_handins(task)} == {ada, alan}


def test_comments_come_back_with_the_hand_in_newest_decides_done(store: Store) -> None:
    ada = new_owner_id()
    handed = store.classwork.hand_in(ada, monuments(store), picture(store, ada), title="t", sentence="s")
    store.classwork.comment(handed.id, "Try a sunset", done=False)
    store.classwork.comment(handed.id, "", done=True)
    [back] = store.classwork.my_handins(ada)
    assert [c.text for c in back.comments] == ["Try a sunset", ""]
    assert back.done and back.comment == "Try a sunset"
    assert store.classwork.class_handin(handed.id).done
    store.classwork.withdraw(ada, handed.id)
    with pytest.raises(BadInput, match="taken it back"):
        store.classwork.comment(handed.id, "too late", done=False)


def test_one_student_clicking_hand_in_many_times_at_once_gets_one(store: Store) -> None:
    ada = new_owner_id()
    task = monuments(store)
    ids = [picture(store, ada, f"tower {i}") for i in range(6)]

    def hand(image_id: str) -> bool:
        try:
            store.classwork.hand_in(ada, task, image_id, title="t", sentence="s")
        except BadInput:
            return False
        return True

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(hand, ids))
    assert outcomes.count(True) == 1 and len(store.classwork.my_handins(ada)) == 1


def test_flags_and_the_per_student_overview(store: Store) -> None:
    ada, alan = new_owner_id(), new_owner_id()
    first, second = picture(store, ada), picture(store, ada)
    picture(store, alan)
    store.classwork.flag(first, "weapons")
    store.classwork.flag(first, "weapons, knives")
    assert store.classwork.flagged() == {first: "weapons, knives"}
    assert store.classwork.flagged([second]) == {} and store.classwork.flagged([]) == {}
    store.classwork.unflag(first)
    assert store.classwork.flagged() == {}

    store.audit.record(owner=ada, stage="prompt screen", category="weapons", prompt="a gun")
    store.audit.record(owner=ada, stage="engine", category="RateLimited", severity="error")
    store.audit.record(owner="teacher", stage="teacher access", category="passcode lock-out", severity="error")
    store.counters.take(alan, "hosted_pictures", 3, 10, 3600)
    now = time.time()
    use = store.classwork.class_use(day_start=now - 3600, week_start=now - 7 * 86_400)
    assert (use[ada].pictures_today, use[ada].pictures_week, use[ada].refusals, use[ada].engine_errors) == (2, 2, 1, 1)
    assert (use[alan].pictures_week, use[alan].hosted_last_hour, use[alan].refusals) == (1, 3, 0)
    assert "teacher" not in use
    assert store.classwork.class_use(day_start=now + 10, week_start=now + 10)[alan].pictures_week == 0


def test_counters_know_when_the_last_event_was(store: Store) -> None:
    assert store.counters.last("teacher", "passcode") is None
    before = time.time()
    store.counters.take("teacher", "passcode", 1, 1000, 86_400)
    last = store.counters.last("teacher", "passcode")
    assert last is not None and before <= last <= time.time()


def test_a_school_account_always_gets_the_same_gallery_and_its_name(store: Store) -> None:
    owner = store.accounts.owner_for(issuer="https://idp.example", subject="42", email="Ada@School.example",
                                     name="Ada Lovelace")  # fmt: skip
    again = store.accounts.owner_for(issuer="https://idp.example", subject="42", name="Someone else")
    other = store.accounts.owner_for(issuer="https://other.example", subject="42")
    assert owner == again != other
    assert store.roster.name(owner) == "Ada Lovelace" and store.roster.known(other)
    assert store.accounts.is_account(owner) and not store.accounts.is_account(new_owner_id())
