"""Reading prompts: synonyms, plurals, counts, colours, relations, scene words, unknown words."""

from __future__ import annotations

import pytest

from lib.engines.storybook import lexicon, silhouettes
from lib.engines.storybook.planner import plan_scene
from lib.engines.storybook.render import thing_image


def test_lesson_prompt_one() -> None:
    plan = plan_scene("Dog next to Eiffel Tower in early morning sunlight")
    assert [item.thing.name for item in plan.items] == ["dog"]
    assert plan.landmarks[0].thing.silhouette == "eiffel"
    assert plan.time == "dawn"
    assert plan.not_drawn == []


def test_lesson_prompt_two() -> None:
    plan = plan_scene("Bunny on horse, holding a lollipop, on a foggy meadow where it grows daffodils")
    names = [item.thing.name for item in plan.items]
    assert names == ["rabbit", "horse", "lollipop", "daffodil"]
    rabbit, horse, lollipop, daffodils = plan.items
    assert (rabbit.relation, rabbit.anchor) == ("on", 1)
    assert (lollipop.relation, lollipop.anchor) == ("held by", 0)
    assert daffodils.several
    assert plan.setting == "meadow" and plan.weather == ["fog"]
    assert plan.not_drawn == []


@pytest.mark.parametrize(
    ("prompt", "name", "count"),
    [("three cats", "cat", 3), ("2 puppies", "dog", 2), ("a bunny", "rabbit", 1), ("twelve mice", "mouse", 12)],
)
def test_counts_plurals_and_synonyms(prompt: str, name: str, count: int) -> None:
    item = plan_scene(prompt).items[0]
    assert (item.thing.name, item.count) == (name, count)


def test_colours_relations_and_scene_words() -> None:
    plan = plan_scene("a green frog under a tree in the rain at night on the beach")
    frog = plan.items[0]
    assert frog.colour_name == "green" and frog.relation == "under"
    assert plan.items[frog.anchor or 0].thing.name == "tree"
    assert (plan.setting, plan.time, plan.weather) == ("beach", "night", ["rain"])


def test_in_and_holding() -> None:
    plan = plan_scene("a cat in a box. a girl holding a balloon")
    cat, box, girl, balloon = plan.items
    assert cat.relation == "in" and cat.anchor == 1
    assert balloon.relation == "held by" and balloon.anchor == 2


def test_unknown_words_are_reported_once_and_grammar_is_not() -> None:
    plan = plan_scene("the wug and the wug are sitting with a zorp")
    assert plan.not_drawn == ["wug", "zorp"]


def test_emoji_in_the_prompt_are_drawn() -> None:
    plan = plan_scene("🦄 next to 🏰")
    assert [item.thing.glyph for item in plan.items] + [lm.thing.glyph for lm in plan.landmarks]


def test_long_prompt_is_cut_with_a_note() -> None:
    plan = plan_scene("dog " * 2000)
    assert plan.items[0].count == 12
    assert {"code": "prompt_truncated", "chars": 2000} in plan.notes


def test_every_lexicon_entry_renders_something() -> None:
    # One check per distinct drawing (synonyms share one), all words named in the failure.
    blank = []
    for word, thing in sorted(lexicon.all_drawable().items()):
        image = thing_image(thing, 40)
        if image is None or image.getchannel("A").getbbox() is None:
            blank.append(word)
    assert blank == []


@pytest.mark.parametrize("name", sorted(silhouettes.DRAWINGS))
def test_every_silhouette_has_ink(name: str) -> None:
    image = silhouettes.render(name, 120)
    assert image is not None
    alpha = image.getchannel("A")
    assert sum(alpha.histogram()[128:]) > image.width * image.height * 0.1


def test_cli_writes_a_png_and_prints_the_plan(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from PIL import Image

    from lib.engines.storybook.__main__ import main

    out = tmp_path / "dog.png"
    assert main(["Dog next to Eiffel Tower with a snarkle", "--seed", "3", "--out", str(out)]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["drawn"] == ["dog", "eiffel tower"]
    assert plan["not_drawn"] == ["snarkle"]
    with Image.open(out) as picture:
        assert picture.size == (512, 512)


@pytest.fixture
def openmoji_only(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Pretend Noto Color Emoji is not installed (as on Streamlit Cloud)."""
    from lib.engines.storybook import glyphs

    monkeypatch.setattr(glyphs, "NOTO_PATHS", ())
    glyphs._fonts.cache_clear()
    glyphs._notdef.cache_clear()
    yield glyphs
    monkeypatch.undo()
    glyphs._fonts.cache_clear()
    glyphs._notdef.cache_clear()


def test_openmoji_alone_draws_glyphs_and_refuses_missing_ones(openmoji_only) -> None:  # type: ignore[no-untyped-def]
    assert openmoji_only.font_names() == ["OpenMoji Color Regular"]
    dog = openmoji_only._render_master("🐕")
    assert dog is not None and dog.getchannel("A").getbbox() is not None
    assert openmoji_only._render_master("a") is None


def test_a_colour_word_tints_the_thing() -> None:
    import numpy as np

    from lib.engines.storybook.lexicon import COLOURS

    cat = lexicon.SUBJECTS["cat"]
    plain, blue = thing_image(cat, 64), thing_image(cat, 64, colour=COLOURS["blue"])
    assert plain is not None and blue is not None

    def mean_rgb(image):  # type: ignore[no-untyped-def]
        pixels = np.asarray(image, dtype=np.float32)
        return pixels[pixels[..., 3] > 200][:, :3].mean(axis=0)

    r, g, b = mean_rgb(blue)
    assert b > r + 30
    assert mean_rgb(plain)[0] > mean_rgb(plain)[2]
