"""Safety on the pages: emoji are words, a child at risk meets kindness, the teacher's words hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.rules import TeacherRules
from tests.fake_openai import TEST_OPENAI_KEY, FakeOpenAI
from tests.helpers import audit_lines, save_rules_in

APP = str(Path(__file__).resolve().parents[2] / "app.py")
CREATE = "✨ Create"


def _create(prompt: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_area(key="create_prompt").set_value(prompt)
    next(b for b in at.button if b.label == CREATE).click()
    return at.run()


def test_an_emoji_only_unsafe_prompt_is_refused_before_any_engine_call(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", TEST_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    at = _create("🔫🔫")
    assert not at.exception, at.exception
    assert not list(at.get("image"))
    assert any("weapons" in str(w.value) for w in at.warning)
    assert fake_openai.count() == 0  # neither moderation nor images saw it


def test_a_self_harm_prompt_shows_the_kind_message_and_an_urgent_record(isolated_settings: Path) -> None:
    save_rules_in(isolated_settings, TeacherRules(help_line="Childline 0800 1111"))
    at = _create("a sad kid on a roof ready to jump")
    assert not at.exception and not list(at.get("image"))
    assert not at.error and not at.warning  # no red box, no scolding
    [kind] = [i for i in at.info if "not in trouble" in str(i.value)]
    assert "Childline 0800 1111" in str(kind.value) and "grown-up you trust" in str(kind.value)
    [line] = audit_lines(isolated_settings)
    assert line["severity"] == "urgent" and line["category"] == "self-harm"


def test_a_word_the_teacher_added_blocks_its_emoji_too(isolated_settings: Path) -> None:
    save_rules_in(isolated_settings, TeacherRules(disallow=(*TeacherRules().disallow, "castle")))
    at = _create("a 🏰 on a hill")
    assert not at.exception and not list(at.get("image"))
    assert any('"castle"' in str(w.value) for w in at.warning)
