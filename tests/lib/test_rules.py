"""Teacher rules: defaults, JSON round trip, atomic save, and a damaged file falling back."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from lib.rules import DEFAULT_DISALLOW, DEFAULT_METAPROMPT, RULES_FILE, TeacherRules, load_rules, save_rules


def test_defaults_follow_the_lesson_without_its_aspect_ratio_conflict() -> None:
    rules = TeacherRules()
    for topic in ("violence", "blood", "gore", "nudity", "sexual content", "adult content", "weapons"):
        assert topic in rules.disallow
    assert "16:9" not in rules.metaprompt and "landscape" not in rules.metaprompt.lower()
    rendered = rules.rendered_metaprompt()
    assert "{disallow}" not in rendered and "gore, nudity" in rendered
    assert rules.prompt_screen and rules.word_list and rules.moderation and not rules.image_check


def test_missing_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_rules(tmp_path / "nowhere") == TeacherRules()


def test_save_then_load_round_trips_every_field(tmp_path: Path) -> None:
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
    path = save_rules(tmp_path / "data", rules)
    assert path.name == RULES_FILE
    assert load_rules(tmp_path / "data") == rules
    # Only the file itself remains: the temporary file was renamed into place.
    assert [p.name for p in (tmp_path / "data").iterdir()] == [RULES_FILE]


def test_model_and_engine_permissions() -> None:
    rules = TeacherRules(allowed_engines=("openai",), allowed_models={"openai": ("gpt-image-1-mini",)})
    assert rules.engine_allowed("openai") and not rules.engine_allowed("storybook")
    assert rules.model_allowed("openai", "gpt-image-1-mini") and not rules.model_allowed("openai", "gpt-image-2")
    everything = TeacherRules()
    assert everything.engine_allowed("azure") and everything.model_allowed("azure", "any-deployment")


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_damaged_file_falls_back_to_defaults_with_a_warning(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / RULES_FILE).write_text(content)
    with caplog.at_level(logging.WARNING, logger="lib.rules"):
        assert load_rules(tmp_path) == TeacherRules()
    assert "using the defaults" in caplog.text


def test_wrongly_typed_fields_keep_their_defaults(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = {"max_images_per_hour": "lots", "max_images_per_request": 0, "moderation": "yes", "disallow": ["gore"]}
    (tmp_path / RULES_FILE).write_text(json.dumps(data))
    with caplog.at_level(logging.WARNING, logger="lib.rules"):
        rules = load_rules(tmp_path)
    assert rules.max_images_per_hour == 30 and rules.max_images_per_request == 4 and rules.moderation is True
    assert rules.disallow == ("gore",)
    assert "max_images_per_hour" in caplog.text


def test_default_metaprompt_is_the_exported_constant() -> None:
    assert TeacherRules().metaprompt == DEFAULT_METAPROMPT and TeacherRules().disallow == DEFAULT_DISALLOW
