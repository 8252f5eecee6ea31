"""The Create page in AppTest: on the offline engine, and on the OpenAI engine against the fake server."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import assignment
from tests.fake_openai import TEST_OPENAI_KEY, FakeOpenAI, Fault

APP = str(Path(__file__).resolve().parents[2] / "app.py")
CREATE = "✨ Create"
GEN = "images/generations"


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def _create(at: AppTest, prompt: str) -> AppTest:
    at.text_area(key="create_prompt").set_value(prompt)
    next(b for b in at.button if b.label == CREATE).click()
    return at.run()


def _images(at: AppTest) -> list[object]:
    return list(at.get("image"))


def _page_text(at: AppTest) -> str:
    parts = [
        str(getattr(el, "value", ""))
        for kind in ("markdown", "caption", "error", "warning", "info", "text", "success", "exception")
        for el in at.get(kind)
    ]
    return "\n".join(parts)


@pytest.fixture
def openai_env(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    monkeypatch.setenv("OPENAI_API_KEY", TEST_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "0")
    monkeypatch.setenv("OPENAI_TIMEOUT", "3")
    return fake_openai


def test_offline_engine_is_the_default_and_makes_pictures() -> None:
    at = _app()
    assert not at.exception
    assert at.selectbox(key="studio_engine").value == "storybook"
    at.number_input(key="create_n_storybook_" + at.selectbox(key="create_model_storybook").value).set_value(2)
    at = _create(at, "Dog next to Eiffel Tower in early morning sunlight")
    assert not at.exception
    assert len(_images(at)) == 2
    assert not at.error and not at.warning


def test_words_the_storybook_cannot_draw_are_named() -> None:
    at = _create(_app(), "a dog reading quantum zxqwv")
    assert not at.exception
    assert any("zxqwv" in info.value for info in at.info)


def test_assignment_helper_writes_a_prompt_the_student_can_edit() -> None:
    at = _app()
    at.selectbox(key="create_monument").set_value(assignment.MONUMENTS.index("the Colosseum"))
    at.selectbox(key="create_time").set_value(assignment.TIMES_OF_DAY.index("at sunset"))
    next(b for b in at.button if "Write my prompt" in b.label).click()
    at.run()
    prompt = at.text_area(key="create_prompt").value
    assert prompt.startswith("The Colosseum") and "at sunset" in prompt


@pytest.mark.parametrize("prompt", ["", "   \n  "])
def test_empty_prompt_is_a_friendly_message(prompt: str) -> None:
    at = _create(_app(), prompt)
    assert not at.exception and not _images(at)
    assert any("prompt is empty" in w.value for w in at.warning)


def test_openai_engine_without_key_tells_the_teacher_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_ENGINE", "openai")
    monkeypatch.setenv("TEACHER_PASSCODE", "open-sesame")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["teacher_unlocked"] = True
    at.run()
    assert not at.exception
    assert any("OPENAI_API_KEY" in i.value for i in at.info)
    assert next(b for b in at.button if b.label == CREATE).disabled


def test_openai_engine_against_the_fake_server(openai_env: FakeOpenAI) -> None:
    at = _app()
    assert at.selectbox(key="studio_engine").value == "openai"
    at = _create(at, "Bunny on horse, holding a lollipop")
    assert not at.exception and len(_images(at)) == 1
    call = openai_env.calls("images/generations")[0]
    assert call.key == TEST_OPENAI_KEY and "Bunny on horse" in call.json["prompt"]
    assert "response_format" not in call.json  # gpt-image models answer in base64 only
    assert TEST_OPENAI_KEY not in _page_text(at)


def test_bad_input_is_caught_before_any_request(openai_env: FakeOpenAI) -> None:
    at = _create(_app(), "x" * 40_000)
    assert any("at most" in w.value for w in at.warning)
    assert openai_env.count() == 0


def _error(status: int, message: str, code: str | None = None, **headers: str) -> Fault:
    return Fault(endpoint=GEN, status=status, body={"error": {"message": message, "code": code}}, headers=headers)


FAULTS: list[tuple[str, Fault, str]] = [
    ("401", _error(401, f"bad key {TEST_OPENAI_KEY}", "invalid_api_key"), "OPENAI_API_KEY"),
    ("429", _error(429, "slow down", "rate_limit_exceeded", **{"Retry-After": "20"}), "20"),
    ("moderation", _error(400, "rejected", "moderation_blocked"), "safety"),
    ("500", _error(500, "boom"), "on its side"),
    ("malformed", Fault(endpoint=GEN, kind="malformed"), "answer"),
]


@pytest.mark.parametrize(("name", "fault", "expected"), FAULTS, ids=[f[0] for f in FAULTS])
def test_provider_faults_are_friendly_messages_without_traceback(
    openai_env: FakeOpenAI, name: str, fault: Fault, expected: str
) -> None:
    openai_env.add_fault(fault)
    at = _create(_app(), "a friendly dragon")
    assert not at.exception, name
    shown = [m.value for m in [*at.error, *at.warning]]
    assert shown and any(expected.lower() in m.lower() for m in shown), shown
    text = _page_text(at)
    assert TEST_OPENAI_KEY not in text and "Traceback" not in text


def _holds_pictures(value: object) -> bool:
    """True for picture data anywhere inside ``value``: bytes, PIL images, GeneratedImage."""
    from PIL import Image

    from lib.engines.base import GeneratedImage

    if isinstance(value, bytes | bytearray | memoryview | Image.Image | GeneratedImage):
        return True
    if isinstance(value, dict):
        return any(_holds_pictures(v) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds_pictures(v) for v in value)
    return False


def test_session_state_keeps_picture_ids_never_pictures() -> None:
    # Thirty students on one server: each session must stay small, so pictures live in the store.
    at = _app()
    for prompt in ("A cat on a bridge", "A castle by the sea at night"):
        at = _create(at, prompt)
    assert len(_images(at)) == 1
    kept = dict(at.session_state.items())
    ids = kept["create_results"]
    assert isinstance(ids, list) and len(ids) == 1 and all(isinstance(i, str) and len(i) < 64 for i in ids)
    holding = [key for key, value in kept.items() if _holds_pictures(value)]
    assert holding == []


@pytest.mark.usefixtures("isolated_settings")
def test_a_refused_click_says_that_the_pictures_below_were_made_before_it() -> None:
    at = _create(_app(), "Dog next to Eiffel Tower in early morning sunlight")
    assert len(_images(at)) == 1 and "from before" not in _page_text(at)
    at = _create(at, "a gun shooting people")
    assert at.error or at.warning  # the refusal, in words a child reads
    assert "Your pictures from before" in _page_text(at)  # the dog below is not the answer to the gun
    assert len(_images(at)) == 1
    at = _create(at, "a cat on a red boat")
    assert len(_images(at)) == 1 and "from before" not in _page_text(at)
