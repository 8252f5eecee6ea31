"""The teacher's rules reach the Studio: allowed engines and models, per-request limit, metaprompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.errors import BadInput, Blocked, NotConfigured
from lib.policy import AllowedModelsOnly, rules_summary
from lib.rules import TeacherRules
from lib.studio import Studio
from tests.fake_openai import FakeOpenAI
from tests.helpers import options_for


def studio_for(fake: FakeOpenAI, tmp_path: Path, rules: TeacherRules) -> Studio:
    settings = fake.settings(data_dir=tmp_path)
    return Studio(settings, **options_for(settings, rules))


def test_an_engine_the_teacher_did_not_allow_is_refused(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    studio = studio_for(fake_openai, tmp_path, TeacherRules(allowed_engines=("storybook",)))
    with pytest.raises(NotConfigured, match="has not allowed the image engine 'openai'"):
        studio.generate(prompt="a kite", engine="openai", model="gpt-image-1", size="1024x1024")
    assert fake_openai.count() == 0


def test_only_allowed_models_are_offered_and_accepted(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    rules = TeacherRules(allowed_models={"openai": ("gpt-image-1-mini",)}, moderation=False)
    studio = studio_for(fake_openai, tmp_path, rules)
    engine = studio.engine("openai")
    assert isinstance(engine, AllowedModelsOnly) and engine.models() == ["gpt-image-1-mini"]
    with pytest.raises(BadInput, match="has not allowed the model gpt-image-1"):
        studio.generate(prompt="a kite", engine="openai", model="gpt-image-1", size="1024x1024")
    studio.generate(prompt="a kite", engine="openai", model="gpt-image-1-mini", size="1024x1024")
    assert [c.json["model"] for c in fake_openai.calls("images/generations")] == ["gpt-image-1-mini"]


def test_the_per_request_limit_applies(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    studio = studio_for(fake_openai, tmp_path, TeacherRules(max_images_per_request=2, moderation=False))
    with pytest.raises(BadInput, match="1 to 2 pictures"):
        studio.generate(prompt="a kite", engine="openai", model="gpt-image-1", size="1024x1024", n=3)
    assert fake_openai.count() == 0


def test_the_guard_is_wired(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    studio = studio_for(fake_openai, tmp_path, TeacherRules())
    with pytest.raises(Blocked):
        studio.generate(prompt="a bloody knife fight", engine="openai", model="gpt-image-1", size="1024x1024")
    assert fake_openai.count() == 0


def test_rules_summary_speaks_to_students() -> None:
    rules = TeacherRules(allowed_engines=("storybook",), max_images_per_request=2, max_images_per_hour=12)
    text = " ".join(rules_summary(rules, moderation_possible=False))
    assert "up to 2 pictures at a time and 12 pictures an hour" in text
    assert "storybook" in text and "online safety check" not in text
    assert "online safety check" in " ".join(rules_summary(TeacherRules(), moderation_possible=True))
