"""The storybook engine against its contract: determinism, temperature, edit masks, vary, sizes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from lib.engines.base import EditRequest, GenerateRequest, VaryRequest
from lib.engines.storybook import MODEL, SIZES, StorybookEngine
from lib.errors import BadInput
from lib.similarity import batch_similarity

PROMPT = "three cats and a dog next to a tree at sunset"


@pytest.fixture(scope="module")
def engine() -> StorybookEngine:
    return StorybookEngine()


def _generate(engine: StorybookEngine, prompt: str = PROMPT, **kw: object) -> list:
    args: dict = {"prompt": prompt, "model": MODEL, "size": "256x256", "n": 1, "seed": 11, "temperature": 0.5}
    args.update(kw)
    return engine.generate(GenerateRequest(**args))


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)))


def test_contract_basics(engine: StorybookEngine) -> None:
    assert engine.name == "storybook" and not engine.hosted
    assert engine.status().configured
    caps = engine.capabilities(engine.models()[0])
    assert caps.has_seed and caps.can_edit and caps.can_vary and caps.max_images == 8
    assert "512x512" in caps.sizes and "768x512" in caps.sizes


def test_same_prompt_seed_temperature_give_identical_bytes(engine: StorybookEngine) -> None:
    first = _generate(engine, n=3, temperature=0.6)
    second = _generate(engine, n=3, temperature=0.6)
    assert [image.png for image in first] == [image.png for image in second]
    assert _generate(engine, seed=12)[0].png != first[0].png


def test_missing_seed_is_drawn_and_recorded(engine: StorybookEngine) -> None:
    image = _generate(engine, seed=None)[0]
    assert isinstance(image.seed, int)
    again = _generate(engine, seed=image.seed)[0]
    assert again.png == image.png
    assert image.temperature == 0.5


def test_temperature_zero_gives_identical_batch(engine: StorybookEngine) -> None:
    images = _generate(engine, n=4, temperature=0.0)
    assert len({_pixels(image.png).tobytes() for image in images}) == 1


def test_similarity_falls_as_temperature_rises(engine: StorybookEngine) -> None:
    scores = []
    for t in (0.0, 0.5, 1.0):
        per_prompt = [
            batch_similarity([image.png for image in _generate(engine, prompt, n=4, temperature=t, seed=3)])
            for prompt in (PROMPT, "a horse and a bird on a beach", "Dog next to Eiffel Tower")
        ]
        scores.append(sum(per_prompt) / len(per_prompt))
    assert scores[0] == pytest.approx(1.0)
    assert scores[0] > scores[1] > scores[2]


def test_progress_is_called_per_image(engine: StorybookEngine) -> None:
    calls: list[tuple[int, int]] = []
    request = GenerateRequest(prompt="a cat", model=MODEL, size="256x256", n=3, seed=1)
    engine.generate(request, lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_drawn_and_not_drawn_are_reported(engine: StorybookEngine) -> None:
    image = _generate(engine, "a purple car next to a flibbertigibbet")[0]
    assert "car" in image.extra["drawn"]
    assert image.extra["not_drawn"] == ["flibbertigibbet"]
    assert image.extra["plan"]["things"][0]["thing"] == "purple car"


@pytest.mark.parametrize("size", [*SIZES, "300x700"])
def test_every_size_renders_at_that_size(engine: StorybookEngine, size: str) -> None:
    image = _generate(engine, "a dog on a beach with the Colosseum", size=size)[0]
    width, height = (int(v) for v in size.split("x"))
    assert Image.open(io.BytesIO(image.png)).size == (width, height)
    assert image.size == size


def test_bad_size_is_a_friendly_bad_input(engine: StorybookEngine) -> None:
    with pytest.raises(BadInput, match="512x512"):
        _generate(engine, size="huge")


@pytest.mark.parametrize(
    "prompt",
    [
        "",
        "xyzzy plugh frobnicate",
        "🐶🚀 and 🦄 under 🌈",
        "Собака рядом с Эйфелевой башней 東京タワーの隣の犬 كلب",
        ("a cat on a horse in the fog, " * 200)[:5000],
        "x" * 5000,
        "999999999999 dogs",
    ],
)
def test_hard_prompts_still_give_a_picture(engine: StorybookEngine, prompt: str) -> None:
    image = _generate(engine, prompt)[0]
    assert Image.open(io.BytesIO(image.png)).size == (256, 256)
    assert isinstance(image.extra["not_drawn"], list)


def test_prompt_without_drawable_words_gets_a_note(engine: StorybookEngine) -> None:
    image = _generate(engine, "xyzzy plugh")[0]
    assert image.extra["not_drawn"] == ["xyzzy", "plugh"]
    assert {"code": "nothing_known"} in image.extra["notes"]
    assert {"code": "not_drawn", "words": ["xyzzy", "plugh"]} in image.extra["notes"]


def _mask(size: tuple[int, int], box: tuple[int, int, int, int]) -> bytes:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rectangle(box, fill=255)
    out = io.BytesIO()
    mask.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("edit_prompt", ["a purple dragon", "snow at night", "nothing known here"])
def test_edit_changes_only_the_masked_pixels(engine: StorybookEngine, edit_prompt: str) -> None:
    source = _generate(engine, "a cat on a meadow", size="512x384")[0].png
    mask = _mask((512, 384), (100, 80, 300, 300))
    edited = engine.edit(EditRequest(image=source, mask=mask, prompt=edit_prompt, model=MODEL, seed=4))[0]
    before, after = _pixels(source), _pixels(edited.png)
    inside = np.zeros(before.shape[:2], dtype=bool)
    inside[80:301, 100:301] = True
    assert np.array_equal(before[~inside], after[~inside])
    if edit_prompt != "nothing known here":
        assert not np.array_equal(before[inside], after[inside])
    else:
        assert edited.extra["notes"]


def test_edit_draws_the_named_thing_inside_the_mask(engine: StorybookEngine) -> None:
    source = _generate(engine, "a meadow", size="256x256")[0].png
    mask = _mask((256, 256), (20, 20, 140, 140))
    edited = engine.edit(EditRequest(image=source, mask=mask, prompt="a dragon", model=MODEL, seed=1))[0]
    changed = np.any(_pixels(source) != _pixels(edited.png), axis=2)
    ys, xs = np.nonzero(changed)
    assert changed.sum() > 1000
    assert xs.min() >= 20 and xs.max() <= 140 and ys.min() >= 20 and ys.max() <= 140
    assert "dragon" in edited.extra["drawn"]


def test_vary_keeps_subjects_and_moves_with_strength(engine: StorybookEngine) -> None:
    source = _generate(engine, "a dog and a cat next to a tree", temperature=0.0)[0]
    same = engine.vary(VaryRequest(image=source.png, model=MODEL, strength=0.0, seed=9))[0]
    assert np.array_equal(_pixels(same.png), _pixels(source.png))
    mild = engine.vary(VaryRequest(image=source.png, model=MODEL, strength=0.3, seed=9))[0]
    wild = engine.vary(VaryRequest(image=source.png, model=MODEL, strength=1.0, seed=9))[0]
    assert wild.extra["drawn"] == source.extra["drawn"]
    near = batch_similarity([source.png, mild.png])
    far = batch_similarity([source.png, wild.png])
    assert 1.0 > near > far


def test_vary_of_a_foreign_picture_still_varies(engine: StorybookEngine) -> None:
    picture = Image.new("RGB", (128, 96), (200, 40, 40))
    ImageDraw.Draw(picture).rectangle((10, 10, 50, 50), fill=(20, 200, 20))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    varied = engine.vary(VaryRequest(image=out.getvalue(), model=MODEL, strength=1.0, seed=2))[0]
    assert Image.open(io.BytesIO(varied.png)).size == (128, 96)
    assert not np.array_equal(_pixels(varied.png), np.asarray(picture))


def test_unreadable_image_is_bad_input(engine: StorybookEngine) -> None:
    with pytest.raises(BadInput):
        engine.vary(VaryRequest(image=b"not a png", model=MODEL, seed=1))


def test_vary_reads_the_apps_png_record_when_our_chunk_is_gone(engine: StorybookEngine) -> None:
    from lib import pnginfo

    source = _generate(engine, "a dog and a cat next to a tree", temperature=0.4, n=2)[1]
    bare = io.BytesIO()
    Image.open(io.BytesIO(source.png)).save(bare, format="PNG")  # drops the storybook chunk
    saved = pnginfo.embed(bare.getvalue(), source.metadata())
    same = engine.vary(VaryRequest(image=saved, model=MODEL, strength=0.0, seed=9))[0]
    assert np.array_equal(_pixels(same.png), _pixels(source.png))
    assert same.extra["drawn"] == source.extra["drawn"]
