"""The class in AppTest: the locked Teacher page shows nothing of the class; the teacher's class
view, hiding, comments; students hand in, take back, and never see each other's work; the
passcode throttle on the page."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from lib.pictures import new_owner_id
from lib.rules import TeacherRules
from lib.settings import load_settings
from lib.store import Store
from lib.store.classwork import CLOSED, PAST_DUE
from lib.studio import Studio

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSCODE = "owl-and-pussycat"


@pytest.fixture
def store(isolated_settings: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    monkeypatch.setenv("TEACHER_PASSCODE", PASSCODE)
    return Store.embedded(isolated_settings)


def student(store: Store, name: str, *prompts: str) -> tuple[str, list[str]]:
    """A student with a name and pictures made through the Studio (the offline storybook engine)."""
    owner = new_owner_id()
    store.roster.set_name(owner, name)
    studio = Studio(load_settings(dotenv_path=None), save=store.pictures.save)
    ids = [
        studio.generate(prompt=p, engine="storybook", model="storybook-1", size="256x256", n=1, seed=3,
                        temperature=0.3, owner=owner, page="create").ids[0]
        for p in prompts
    ]  # fmt: skip
    return owner, ids


def open_page(page: str, owner: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if owner:
        at.query_params["u"] = owner
    at.switch_page(page)
    return at.run()


def teacher() -> AppTest:
    at = open_page("pages/teacher.py")
    at.text_input(key="teacher_passcode_input").input(PASSCODE)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [t.value for t in (*at.text, *at.markdown, *at.caption, *at.subheader)]
    parts += [str(e.value) for e in (*at.info, *at.warning, *at.success, *at.error)]
    return "\n".join(parts)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def test_the_locked_teacher_page_shows_no_class_data(store: Store) -> None:
    owner, [image_id] = student(store, "Ada Lovelace", "a secret castle of sweets")
    store.audit.record(owner=owner, stage="prompt screen", category="weapons", prompt="a hidden sword")

    at = open_page("pages/teacher.py")
    assert not at.exception
    shown = texts(at)
    for private in ("Ada Lovelace", "secret castle", "hidden sword", image_id, owner[:6]):
        assert private not in shown
    assert len(at.image) == 0 and len(at.dataframe) == 0 and len(at.tabs) == 0
    assert not any((b.key or "").startswith(("class_", "assign_")) for b in at.button)

    unlocked = teacher()
    assert "Ada Lovelace" in texts(unlocked) and "a secret castle of sweets" in texts(unlocked)


def test_the_class_view_shows_every_students_pictures_with_names_and_opens_one(store: Store) -> None:
    ada, [ada_pic] = student(store, "Ada", "a lighthouse on the moon")
    _, [alan_pic] = student(store, "Alan", "**bold** [link](http://x) a tower")
    nameless = new_owner_id()
    store.pictures.save(store.pictures.load(ada, ada_pic), owner=nameless, page="create")

    at = teacher()
    text_values = [t.value for t in at.text]
    assert "Ada" in text_values and "Alan" in text_values and f"no name · {nameless[:6]}" in text_values
    assert "**bold** [link](http://x) a tower" in text_values  # as typed, not as Markdown
    assert "3 pictures · page 1 of 1" in texts(at)
    order = [b.key for b in at.button if (b.key or "").startswith("class_open_")]
    assert len(order) == 3 and order.index(f"class_open_{alan_pic}") < order.index(f"class_open_{ada_pic}")

    at.selectbox(key="class_f_student").set_value(ada).run()
    assert "1 picture · page 1 of 1" in texts(at)
    click(at, f"class_open_{ada_pic}")
    assert any(ada_pic in str(j.value) for j in at.json)


def test_a_hidden_picture_disappears_from_the_students_gallery(store: Store) -> None:
    owner, [kept, hidden] = student(store, "Ada", "a calm beach", "a scary monster")
    at = teacher()
    click(at, f"class_open_{hidden}")
    click(at, "class_hide")
    assert store.pictures.get(owner, hidden).hidden

    gallery = open_page("pages/gallery.py", owner)
    assert not gallery.exception
    assert len(gallery.image) == 1 and "a calm beach" in gallery.image[0].captions[0]
    assert any("Your teacher hid this picture." in i.value for i in gallery.info)
    assert "a scary monster" not in texts(gallery)
    assert [b.key for b in gallery.button if (b.key or "").startswith("gallery_open_")] == [f"gallery_open_{kept}"]
    (zip_button,) = [b for b in gallery.get("download_button") if b.proto.id.endswith("gallery_zip")]
    assert zip_button.proto.label == "📦 Download all 1 as ZIP", "the hidden picture is not in the student's ZIP"
    assert "teacher hid" in zip_button.proto.help

    click(at, "class_show")
    assert len(open_page("pages/gallery.py", owner).image) == 2


def hand_in_from_gallery(owner: str, image_id: str, title: str, sentence: str) -> AppTest:
    at = open_page("pages/gallery.py", owner)
    click(at, f"gallery_open_{image_id}")
    at.text_input(key="handin_title").input(title)
    at.text_input(key="handin_sentence").input(sentence)
    return at


def test_a_student_hands_in_and_sees_the_teachers_comment_others_see_nothing(store: Store) -> None:
    ada, [picture] = student(store, "Ada", "the Eiffel Tower on the moon")
    alan, _ = student(store, "Alan", "a pyramid")
    at = hand_in_from_gallery(ada, picture, "Tower on the moon", "It floats above the craters.")
    assert any(e.label == "📝 My assignments (0 handed in)" for e in at.expander)
    next(b for b in at.button if b.label == "📮 Hand in").click().run()
    assert any("Handed in" in s.value for s in at.success)
    [handed] = store.classwork.my_handins(ada)
    # The count at the top already holds it, in the same rerun as the "Handed in!" message.
    assert any(e.label == "📝 My assignments (1 handed in)" for e in at.expander)
    assert any(c.value == "📮 Handed in as “Tower on the moon”" for c in at.caption)

    teach = teacher()
    assert "Not yet: 1" in texts(teach) and "Alan" in [t.value for t in teach.text]
    click(teach, f"assign_open_{handed.id}")
    teach.text_area(key="assign_comment_text").input("Lovely idea, Ada!")
    teach.checkbox(key="assign_comment_done").check()
    next(b for b in teach.button if b.label == "💬 Save the comment").click().run()
    assert store.classwork.my_handins(ada)[0].comment == "Lovely idea, Ada!"

    mine = open_page("pages/gallery.py", ada)
    assert any("Lovely idea, Ada!" in i.value for i in mine.info)
    assert any("marked it done" in s.value for s in mine.success)
    theirs = open_page("pages/gallery.py", alan)
    shown = texts(theirs)
    assert "Lovely idea" not in shown and "Tower on the moon" not in shown and "Eiffel" not in shown
    assert any(e.label == "📝 My assignments (0 handed in)" for e in theirs.expander)


def test_a_closed_assignment_refuses_hand_ins_with_a_clear_message(store: Store) -> None:
    owner, [picture] = student(store, "Ada", "the Colosseum under the sea")
    at = hand_in_from_gallery(owner, picture, "Colosseum", "Fish swim through the arches.")
    store.classwork.set_open(store.classwork.assignments()[0].id, False)  # the teacher closes it meanwhile
    next(b for b in at.button if b.label == "📮 Hand in").click().run()
    assert not at.exception
    assert any(w.value == CLOSED for w in at.warning)
    assert store.classwork.my_handins(owner) == []


def test_a_due_date_in_the_past_refuses_withdrawal(store: Store) -> None:
    owner, [picture] = student(store, "Ada", "Big Ben in a sunflower field")
    task = store.classwork.assignments()[0]
    store.classwork.update_assignment(task.id, title=task.title, instructions=task.instructions,
                                      due=time.time() + 3600, max_handins=1)  # fmt: skip
    store.classwork.hand_in(owner, task.id, picture, title="Big Ben", sentence="Sunflowers everywhere.")
    at = open_page("pages/gallery.py", owner)
    [take_back] = [b for b in at.button if (b.key or "").startswith("handin_withdraw_")]
    assert not take_back.disabled
    store.classwork.update_assignment(task.id, title=task.title, instructions=task.instructions,
                                      due=time.time() - 1, max_handins=1)  # fmt: skip
    take_back.click().run()
    assert not at.exception
    assert any(w.value == PAST_DUE for w in at.warning)
    assert len(store.classwork.my_handins(owner)) == 1
    again = open_page("pages/gallery.py", owner)
    assert all(b.disabled for b in again.button if (b.key or "").startswith("handin_withdraw_"))


def test_five_wrong_passcodes_lock_that_browser_across_sessions_and_the_teacher_sees_who(store: Store) -> None:
    guesser, _ = student(store, "Kwame", "a kite")
    at = open_page("pages/teacher.py", guesser)
    for i in range(5):
        at.text_input(key="teacher_passcode_input").input(f"guess-{i}")
        at.button[0].click().run()
    assert any("too many tries" in e.value for e in at.error)

    fresh = open_page("pages/teacher.py", guesser)  # a reload: a new session, the same count in the store
    fresh.text_input(key="teacher_passcode_input").input(PASSCODE)
    fresh.button[0].click().run()
    assert any("Too many wrong passcodes" in e.value for e in fresh.error)
    assert len(fresh.tabs) == 0

    at = teacher()  # the teacher's own browser is not locked by a student's guesses
    assert len(at.tabs) > 0
    [line] = store.audit.latest(5)
    assert line["category"] == "passcode lock-out" and line["owner"] == guesser


def test_urgent_alerts_stay_on_top_until_seen_and_the_sidebar_counts_unseen(store: Store) -> None:
    owner, _ = student(store, "Ada", "a kite")
    store.audit.record(owner=owner, stage="prompt screen", category="weapons", prompt="a **sword**")
    store.audit.record(owner=owner, stage="prompt screen", category="self-harm", prompt="i want to hurt myself",
                       severity="urgent")  # fmt: skip
    at = teacher()
    assert any("Urgent: 1 not seen yet" in s.value for s in at.subheader)
    assert any("i want to hurt myself" in t.value and "Ada" in t.value for t in at.text)
    assert any("🚨 Alerts (2 new)" == tab.label for tab in at.tabs)
    [table] = [frame for frame in at.dataframe if "stage" in frame.value.columns]
    assert "a **sword**" in table.value["prompt"].tolist()  # a table cell: plain text

    urgent_id = store.audit.latest(1, severity="urgent")[0]["id"]
    click(at, f"alert_seen_{urgent_id}")
    assert not any("Urgent" in s.value for s in at.subheader)
    assert any("No urgent alert waiting" in s.value for s in at.success)
    assert store.audit.count(unseen=True) == 1
    click(at, "alerts_seen_all")
    assert store.audit.count(unseen=True) == 0


def test_the_per_student_overview_counts_each_students_use(store: Store) -> None:
    ada, _ = student(store, "Ada", "a kite", "a boat")
    alan, _ = student(store, "Alan", "a tree")
    store.audit.record(owner=alan, stage="prompt screen", category="weapons", prompt="a sword")
    store.audit.record(owner=alan, stage="engine", category="RateLimited", severity="error")
    store.counters.take(ada, "hosted_pictures", 4, 100, 3600)
    at = teacher()
    [table] = [frame for frame in at.dataframe if "pictures today" in frame.value.columns]
    rows = {row["student"]: row for row in table.value.to_dict("records")}
    assert (rows["Ada"]["pictures today"], rows["Ada"]["pictures this week"]) == (2, 2)
    assert rows["Ada"]["online pictures this hour"] == f"4 / {TeacherRules().max_images_per_hour}"
    assert (rows["Alan"]["refusals this week"], rows["Alan"]["engine errors this week"]) == (1, 1)


def test_only_a_students_own_words_are_screened_again_so_a_variation_is_not_flagged(store: Store) -> None:
    # A variation of an uploaded drawing has no words at all; an empty text used to be read by the
    # model of meaning as "alcohol", and every such variation was flagged on the class wall.
    owner, [kite] = student(store, "Ada", "a red kite")
    drawing = io.BytesIO()
    Image.new("RGB", (256, 256), (40, 120, 200)).save(drawing, format="PNG")
    studio = Studio(load_settings(dotenv_path=None), save=store.pictures.save)
    varied = studio.vary(image=drawing.getvalue(), engine="storybook", model="storybook-1", owner=owner,
                         seed=4).ids[0]  # fmt: skip
    rules = store.rules.read()
    store.rules.save(rules.rules.with_changes(disallow=("kite",)), expected_version=rules.version)

    at = teacher()
    shown = {k.removeprefix("class_open_") for k in (b.key or "" for b in at.button) if k.startswith("class_open_")}
    assert {kite, varied} <= shown  # every picture is on the wall
    assert set(store.classwork.flagged()) == {kite}  # the words the rules refuse now, and nothing else
