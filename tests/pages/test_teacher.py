"""The Teacher page in AppTest: locked for students, and a saved metaprompt reaches the image server."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.rules import TeacherRules
from lib.store import Store
from tests.fake_openai import TEST_OPENAI_KEY, FakeOpenAI

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSCODE = "owl-and-pussycat"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT",
                 "STUDIO_ENGINE", "TEACHER_PASSCODE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file
    monkeypatch.setenv("STUDIO_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def open_teacher() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/teacher.py")
    return at.run()


def test_without_a_passcode_the_page_explains_how_to_set_one_and_shows_the_defaults(data_dir: Path) -> None:
    at = open_teacher()
    assert not at.exception
    assert any("TEACHER_PASSCODE" in info.value for info in at.info)
    assert len(at.text_area) == 0 and len(at.main.text_input) == 0  # nothing to edit, nothing to unlock
    assert any("gore" in md.value for md in at.markdown)
    assert Store.embedded(data_dir).rules.read().version == 0  # nothing was saved


def test_a_student_without_the_passcode_cannot_change_the_rules(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEACHER_PASSCODE", PASSCODE)
    at = open_teacher()
    assert not at.exception
    assert len(at.text_area) == 0 and not any(b.label == "💾 Save rules" for b in at.button)
    at.text_input(key="teacher_passcode_input").input("let-me-in")
    at.button[0].click().run()
    assert any("not right" in e.value for e in at.error)
    assert len(at.text_area) == 0
    kept = Store.embedded(data_dir).rules.read()
    assert kept.rules == TeacherRules() and kept.version == 0


def test_a_saved_metaprompt_changes_the_prompt_that_reaches_the_server(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, fake_openai: FakeOpenAI
) -> None:
    monkeypatch.setenv("TEACHER_PASSCODE", PASSCODE)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "0")
    monkeypatch.setenv("STUDIO_ENGINE", "openai")
    at = open_teacher()
    at.text_input(key="teacher_passcode_input").input(PASSCODE)
    at.button[0].click().run()
    assert not at.exception and any("Unlocked" in s.value for s in at.success)

    at.text_area(key="teacher_metaprompt").input("Draw like a picture book for six-year-olds. Never: {disallow}.")
    at.text_area(key="teacher_disallow").input("weapons\nspiders")
    at.number_input(key="teacher_n").set_value(2)
    next(b for b in at.button if b.label == "💾 Save rules").click().run()
    assert not at.exception and any("Saved" in s.value for s in at.success)
    saved = Store.embedded(data_dir).rules.read().rules
    assert saved.disallow == ("weapons", "spiders") and saved.max_images_per_request == 2

    at.switch_page("pages/create.py").run()
    at.text_area(key="create_prompt").input("a lighthouse at dawn")
    next(b for b in at.button if "Create" in b.label).click().run()
    assert not at.exception, at.exception
    [sent] = fake_openai.calls("images/generations")
    assert sent.json["prompt"].startswith("Draw like a picture book for six-year-olds. Never: weapons, spiders.")
    assert sent.json["prompt"].endswith('a lighthouse at dawn\n"""')  # quoted as data

    # The new disallow list applies too: refused before anything is sent.
    at.text_area(key="create_prompt").input("a big spider")
    next(b for b in at.button if "Create" in b.label).click().run()
    assert any('no pictures about "spiders"' in w.value for w in at.warning)
    assert fake_openai.count("images/generations") == 1


def test_the_teacher_sees_the_students_name_next_to_a_refusal(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEACHER_PASSCODE", PASSCODE)
    student = AppTest.from_file(APP, default_timeout=60).run()
    # AppTest drops the sidebar from its tree after the first run (st.navigation apps), so the
    # name is typed first and read back from a fresh session below.
    student.text_input(key="studio_student_name").input("  Ada  Lovelace ")
    student.text_area(key="create_prompt").input("a pile of g0re")
    next(b for b in student.button if b.label == "✨ Create").click().run()
    assert any("not allowed in this class" in w.value for w in student.warning)
    owner = student.session_state["studio_owner"]
    assert Store.embedded(data_dir).roster.names() == {owner: "Ada Lovelace"}

    again = AppTest.from_file(APP, default_timeout=60)
    again.query_params["u"] = owner  # the same browser after a reload
    assert again.run().text_input(key="studio_student_name").value == "Ada Lovelace"

    teacher = open_teacher()
    teacher.text_input(key="teacher_passcode_input").input(PASSCODE)
    teacher.button[0].click().run()
    [log] = [frame for frame in teacher.dataframe if "stage" in frame.value.columns]  # the Alerts tab's table
    rows = log.value.to_dict("records")
    assert rows[0]["student"] == "Ada Lovelace" and rows[0]["stage"] == "prompt screen"
