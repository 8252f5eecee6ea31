"""Teacher rules: defaults, the JSON round trip through the store, damaged data falling back."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from lib.rules import DEFAULT_DISALLOW, DEFAULT_METAPROMPT, TeacherRules, rules_from_json
from lib.store import Store


def test_defaults_follow_the_lesson_without_its_aspect_ratio_conflict() -> None:
    rules = TeacherRules()
    for topic in ("violence", "blood", "gore", "nudity", "sexual content", "adult content", "weapons"):
        assert topic in rules.disallow
    assert "16:9" not in rules.metaprompt and "landscape" not in rules.metaprompt.lower()
    rendered = rules.rendered_metaprompt()
    assert "{disallow}" not in rendered and "gore, nudity" in rendered
    assert rules.prompt_screen and rules.word_list and rules.moderation and not rules.image_check


def test_save_then_read_round_trips_every_field(tmp_path: Path) -> None:
    rules = TeacherRules(
        allowed_engines=("storybook", "openai"),
        allowed_models={"openai": ("gpt-image-1-mini",)},
        metaprompt="Draw for seven-year-olds. Avoid: {disallow}.",
        disallow=("weapons", "spiders"),
        moderation=False,
        image_check=True,
        max_images_per_request=2,
        max_images_per_hour=10,
    )
    store = Store.embedded(tmp_path / "data")
    store.rules.save(rules, expected_version=0)
    assert Store.embedded(tmp_path / "data").rules.read().rules == rules


def test_model_and_engine_permissions() -> None:
    rules = TeacherRules(allowed_engines=("openai",), allowed_models={"openai": ("gpt-image-1-mini",)})
    assert rules.engine_allowed("openai") and not rules.engine_allowed("storybook")
    assert rules.model_allowed("openai", "gpt-image-1-mini") and not rules.model_allowed("openai", "gpt-image-2")
    everything = TeacherRules()
    assert everything.engine_allowed("azure") and everything.model_allowed("azure", "any-deployment")


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_damaged_stored_rules_fall_back_to_defaults_with_a_warning(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store.embedded(tmp_path)
    store.rules.save(TeacherRules(disallow=("castle",)), expected_version=0)
    with sa.create_engine(f"sqlite:///{tmp_path / 'history.sqlite3'}").begin() as db:
        db.execute(sa.text("UPDATE rules SET data = :d"), {"d": content})
    with caplog.at_level(logging.WARNING, logger="lib.store.records"):
        assert store.rules.read().rules == TeacherRules()
    assert "using the defaults" in caplog.text or content == "[1, 2]"


def test_wrongly_typed_fields_keep_their_defaults(caplog: pytest.LogCaptureFixture) -> None:
    data = {"max_images_per_hour": "lots", "max_images_per_request": 0, "moderation": "yes", "disallow": ["gore"]}
    with caplog.at_level(logging.WARNING, logger="lib.rules"):
        rules = rules_from_json(data)
    assert rules.max_images_per_hour == 30 and rules.max_images_per_request == 4 and rules.moderation is True
    assert rules.disallow == ("gore",)
    assert "max_images_per_hour" in caplog.text


def test_default_metaprompt_is_the_exported_constant() -> None:
    assert TeacherRules().metaprompt == DEFAULT_METAPROMPT and TeacherRules().disallow == DEFAULT_DISALLOW
