"""Typed hand-offs between pages: every value checked, clamped and fitted to the target model."""

from __future__ import annotations

import pytest

from lib.engines import get_engine
from lib.errors import BadInput
from lib.settings import load_settings
from lib.ui import handoff
from lib.ui.handoff import CreateKeys, CreateSettings, PictureToEdit, PictureToVary

KEYS = CreateKeys(prompt="p", model="m", seed="s", temperature="t", size=lambda m: f"size_{m}",
                  quality=lambda m: f"quality_{m}")  # fmt: skip


def test_a_hand_edited_record_is_checked_and_clamped() -> None:
    wanted = CreateSettings.from_record(
        {
            "prompt_typed": "a cat" * 2000,
            "engine": "storybook",
            "model": ["not", "a", "name"],
            "size": "../../x",
            "seed": 2**40,
            "temperature": 7.5,
            "quality": 3,
        }  # fmt: skip
    )
    assert len(wanted.prompt) == 4000 and wanted.engine == "storybook"
    assert (wanted.model, wanted.size, wanted.quality) == (None, None, None)
    assert (wanted.seed, wanted.temperature) == (2**31 - 1, 1.0)
    assert CreateSettings.from_record({"seed": True, "temperature": float("nan")}) == CreateSettings()


def test_settings_are_fitted_to_the_model_that_receives_them() -> None:
    settings = load_settings(dotenv_path=None)
    storybook = get_engine("storybook", settings)
    model = storybook.models()[0]
    caps = storybook.capabilities(model)
    wide = CreateSettings(prompt="a kite", model=model, size="4000x2000", quality="ultra", seed=9, temperature=0.4)

    values = handoff.widget_values(wide, storybook, KEYS)

    assert values["p"] == "a kite" and values["m"] == model
    assert values[f"size_{model}"] in caps.sizes  # the nearest size it offers, never one it does not
    assert f"quality_{model}" not in values  # an unknown quality: the page's default
    assert (values["s"], values["t"]) == (9, 0.4)


def test_a_model_this_app_lacks_is_named_and_its_settings_are_not_applied() -> None:
    storybook = get_engine("storybook", load_settings(dotenv_path=None))
    fitted, skipped = handoff.fit_to_engine(CreateSettings(prompt="a tiger", model="v6", size="1024x1024"), storybook)
    assert skipped == ["the model 'v6' is not offered here"]
    assert (fitted.model, fitted.size) == (None, None)
    assert handoff.widget_values(fitted, storybook, KEYS) == {"p": "a tiger"}


def test_nearest_size_keeps_the_shape_first() -> None:
    from lib.engines.base import Capabilities

    caps = Capabilities(sizes=("1024x1024", "1536x1024", "1024x1536", "auto"), max_images=1, images_per_call=1,
                        max_prompt_chars=100)  # fmt: skip
    assert handoff.nearest_size("1536x1024", caps) == "1536x1024"
    assert handoff.nearest_size("1792x1024", caps) == "1536x1024"  # landscape stays landscape
    assert handoff.nearest_size("256x256", caps) == "1024x1024"
    assert handoff.nearest_size("auto", caps) == "auto"
    assert handoff.nearest_size("huge", caps) is None


@pytest.mark.parametrize("kind", [PictureToEdit, PictureToVary])
def test_a_picture_hand_off_needs_a_valid_gallery_id(kind: type[PictureToEdit] | type[PictureToVary]) -> None:
    assert kind("abcdefgh1234").image_id == "abcdefgh1234"
    with pytest.raises(BadInput):
        kind("../../etc/passwd")
