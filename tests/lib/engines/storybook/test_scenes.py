"""Rooms, styles, explanations as codes, and each picture's own seed."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from lib.engines.base import EditRequest, GenerateRequest
from lib.engines.storybook import MODEL, StorybookEngine, render_prompt
from lib.engines.storybook.notes import CODES, english
from lib.engines.storybook.planner import plan_scene
from lib.engines.storybook.rooms import ROOMS
from lib.similarity import batch_similarity

ROOM_WORDS = {
    "kitchen": "a cat in the kitchen",
    "classroom": "children in a classroom",
    "bedroom": "a teddy bear in my bedroom",
    "bathroom": "a duck in the bathroom",
    "museum": "a dinosaur in a museum",
    "shop": "a girl in a shop",
    "restaurant": "a chef in a restaurant",
    "hospital": "a doctor in the hospital",
    "station": "a dog at the train station",
    "library": "an owl in the library",
}


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("room", sorted(ROOM_WORDS))
def test_each_room_is_its_own_scene(room: str) -> None:
    plan = plan_scene(ROOM_WORDS[room])
    assert plan.setting == room
    assert plan.not_drawn == []


def test_rooms_look_different_from_each_other() -> None:
    # The same thing in every room: the rooms alone must tell the pictures apart.
    pictures = {room: render_prompt(f"a cat in the {room}", width=128, height=128, seed=1)[0] for room in ROOMS}
    assert {plan_scene(f"a cat in the {room}").setting for room in ROOMS} == set(ROOMS)
    rooms = sorted(pictures)
    for k, first in enumerate(rooms):
        for second in rooms[k + 1 :]:
            score = batch_similarity([_png(pictures[first]), _png(pictures[second])])
            assert score < 0.97, (first, second, score)


@pytest.mark.parametrize(
    ("words", "style"),
    [("as a pencil sketch", "sketch"), ("as a mosaic", "mosaic"), ("as a watercolour painting", "watercolour"),
     ("as a colourful cartoon", "cartoon"), ("as a photograph", "photo"),
     ("as a children's book illustration", "storybook")],
)  # fmt: skip
def test_styles_are_read_and_change_the_picture(words: str, style: str) -> None:
    plan = plan_scene(f"a fox in a forest, {words}")
    assert plan.style == style and plan.not_drawn == []
    assert [item.thing.name for item in plan.items] == ["fox"]  # "children's book" draws no child, no book
    plain = np.asarray(render_prompt("a fox in a forest", width=128, height=128, seed=2)[0])
    styled = np.asarray(render_prompt(f"a fox in a forest, {words}", width=128, height=128, seed=2)[0])
    if style in ("photo", "storybook"):
        assert np.array_equal(plain, styled)
    else:
        assert not np.array_equal(plain, styled)
    if style == "sketch":
        assert np.abs(styled.astype(int) - styled[..., :1]).max() == 0  # grey only


def test_grandmas_kitchen_keeps_its_explanation() -> None:
    image = StorybookEngine().generate(GenerateRequest(prompt="my grandma's kitchen in Lagos", model=MODEL,
                                                       size="256x256", seed=1))[0]  # fmt: skip
    assert image.extra["plan"]["setting"] == "kitchen"
    assert "grandma" in image.extra["drawn"]
    assert {"code": "not_drawn", "words": ["lagos"]} in image.extra["notes"]


def test_edit_that_draws_nothing_says_so() -> None:
    engine = StorybookEngine()
    source = engine.generate(GenerateRequest(prompt="a cat", model=MODEL, size="256x256", seed=3))[0].png
    mask = Image.new("L", (256, 256), 0)
    ImageDraw.Draw(mask).rectangle((40, 40, 200, 200), fill=255)
    edited = engine.edit(EditRequest(image=source, mask=_png(mask), prompt="make it look happier", model=MODEL,
                                     seed=4))[0]  # fmt: skip
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(source))), np.asarray(Image.open(io.BytesIO(edited.png))))
    assert {"code": "not_drawn", "words": ["happier"]} in edited.extra["notes"]
    assert {"code": "edit_unchanged"} in edited.extra["notes"]
    changed = engine.edit(EditRequest(image=source, mask=_png(mask), prompt="a dragon", model=MODEL, seed=4))[0]
    assert {"code": "edit_unchanged"} not in changed.extra["notes"]


@pytest.mark.parametrize(
    ("prompt", "language"),
    [("un cane e un gatto nel giardino con il sole", "it"), ("собака и кошка в саду", "ru"), ("庭にいる犬と猫", "ja"),
     ("een hond en een kat in de tuin met een bal", "nl"), ("개와 고양이", "ko")],
)  # fmt: skip
def test_prompt_mostly_in_an_unread_language_gets_a_hint(prompt: str, language: str) -> None:
    hints = [n for n in plan_scene(prompt).notes if n["code"] == "other_language"]
    assert hints == [{"code": "other_language", "language": language}]


@pytest.mark.parametrize(
    "prompt", ["un chien et un chat dans le jardin", "ein Hund und eine Katze im Garten", "一只狗和一只猫"]
)
def test_prompts_in_read_languages_are_drawn_without_a_hint(prompt: str) -> None:
    plan = plan_scene(prompt)
    assert all(n["code"] != "other_language" for n in plan.notes)
    assert [item.thing.name for item in plan.items] == ["dog", "cat"]


def test_english_prompts_get_no_language_hint() -> None:
    for prompt in ("a dog on the beach", "xyzzy plugh", "my grandma's kitchen in Lagos", "la la land with a cat"):
        assert all(n["code"] != "other_language" for n in plan_scene(prompt).notes), prompt


def test_every_note_code_has_english_words() -> None:
    for code in CODES:
        text = english({"code": code, "words": ["x"], "max": 3, "chars": 10, "language": "fr"})
        assert code not in text and "{" not in text


def test_each_picture_reports_its_own_seed() -> None:
    engine = StorybookEngine()
    request = {"prompt": "three cats under a tree", "model": MODEL, "size": "128x128", "seed": 40}
    batch = engine.generate(GenerateRequest(n=4, temperature=1.0, **request))  # type: ignore[arg-type]
    assert [image.seed for image in batch] == [40, 41, 42, 43]
    assert all(image.extra["batch_seed"] == 40 for image in batch)
    # At randomness 1 a picture's own seed paints it again on its own, byte for byte.
    for image in batch:
        alone = engine.generate(GenerateRequest(n=1, temperature=1.0, **{**request, "seed": image.seed}))[0]  # type: ignore[arg-type]
        assert np.array_equal(
            np.asarray(Image.open(io.BytesIO(alone.png))), np.asarray(Image.open(io.BytesIO(image.png)))
        )
    # And the batch seed still makes the same batch, byte for byte, at any randomness.
    again = engine.generate(GenerateRequest(n=4, temperature=0.4, **request))  # type: ignore[arg-type]
    assert [i.png for i in again] == [i.png for i in engine.generate(GenerateRequest(n=4, temperature=0.4, **request))]  # type: ignore[arg-type]
    assert engine.generate(GenerateRequest(n=1, **{**request, "seed": 2**31 - 1}))[0].seed == 2**31 - 1  # type: ignore[arg-type]


def test_notes_are_plain_json_with_known_codes() -> None:
    for prompt in ("xyzzy", "dog " * 1200, "un chat sur la table", "a cat"):
        for item in plan_scene(prompt).notes:
            assert item["code"] in CODES
            assert all(isinstance(v, (str, int, list)) for v in item.values())


@pytest.mark.parametrize("size", [(64, 64), (64, 200), (300, 64), (1024, 576)])
def test_every_room_paints_at_any_size(size: tuple[int, int]) -> None:
    for room in ROOMS:
        image, plan = render_prompt(f"a cat in the {room} at night in the rain", width=size[0], height=size[1], seed=5)
        assert image.size == size and plan.setting == room
