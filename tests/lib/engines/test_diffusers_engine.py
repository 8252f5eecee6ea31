"""The local diffusion engine, on a tiny random pipeline built here and loaded through the engine.

The pipeline is saved to a folder and ``DIFFUSERS_MODEL`` points at it, so every test goes through
the engine's real ``from_pretrained`` path, with the hub forced offline. Random weights draw
noise, so these tests check seeds, noise blending, masks and strength, not what is drawn.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

# huggingface_hub reads this once, when first imported (by diffusers, just below).
os.environ["HF_HUB_OFFLINE"] = "1"

import pytest  # noqa: E402

pytest.importorskip("torch")
pytest.importorskip("diffusers")
pytest.importorskip("transformers")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from lib.engines.base import EditRequest, GenerateRequest, VaryRequest  # noqa: E402
from lib.engines.diffusers_engine import DiffusersEngine, create_engine  # noqa: E402
from lib.errors import NotConfigured  # noqa: E402
from lib.settings import Settings  # noqa: E402
from tests.tiny_diffusion import build_tiny_pipeline  # noqa: E402

pytestmark = pytest.mark.local_diffusion

STEPS = 2


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny pipeline's folder, built once per test session."""
    import huggingface_hub.constants
    import torch

    assert huggingface_hub.constants.HF_HUB_OFFLINE, "the hub was imported before this module set HF_HUB_OFFLINE"
    # One thread: a 64x64 picture gains nothing from two, and on a busy shared machine two
    # threads spinning for each other made every call 10 to 30 times slower (measured).
    torch.set_num_threads(1)
    return build_tiny_pipeline(tmp_path_factory.mktemp("tiny-sd"))


@pytest.fixture(scope="session")
def engine(tiny_model: Path) -> DiffusersEngine:
    engine = create_engine(Settings(diffusers_model=str(tiny_model), diffusers_steps=STEPS, diffusers_device="auto"))
    assert isinstance(engine, DiffusersEngine)
    return engine


def pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG"
        return np.asarray(img.convert("RGB"), dtype=np.int16)


def png_of(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def distance(a: bytes, b: bytes) -> float:
    return float(np.abs(pixels(a) - pixels(b)).mean())


def source_picture(width: int = 64, height: int = 64) -> bytes:
    """A smooth gradient with some texture: a picture a student might upload."""
    rng = np.random.default_rng(3)
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([x * 255 / width, y * 255 / height, (x + y) * 127 / (width + height) + 60], axis=-1)
    rgb = np.clip(rgb + rng.normal(0, 12, rgb.shape), 0, 255).astype(np.uint8)
    return png_of(Image.fromarray(rgb, "RGB"))


def test_ready_with_sizes_from_the_models_own_config(engine: DiffusersEngine, tiny_model: Path) -> None:
    status = engine.status()
    assert status.configured, status
    assert str(tiny_model) in status.summary
    caps = engine.capabilities(engine.models()[0])
    # 32 latent pixels x VAE factor 2; sides are multiples of 4 (VAE 2 x one UNet downsample).
    assert caps.sizes == ("64x64", "32x32", "64x48", "48x64")
    assert caps.has_seed and caps.can_edit and caps.can_vary
    assert caps.images_per_call == caps.max_images


def test_same_seed_gives_the_same_bytes(engine: DiffusersEngine) -> None:
    request = GenerateRequest(prompt="a red kite", model="", size="64x64", seed=1234, student_prompt="kite")
    first = engine.generate(request)[0]
    again = engine.generate(request)[0]
    other = engine.generate(GenerateRequest(prompt="a red kite", model="", size="64x64", seed=1235))[0]
    assert first.png == again.png
    assert first.png != other.png
    assert pixels(first.png).shape == (64, 64, 3)
    assert (first.seed, first.size, first.engine, first.prompt_typed) == (1234, "64x64", "diffusers", "kite")


def test_no_seed_draws_one_and_records_it(engine: DiffusersEngine) -> None:
    image = engine.generate(GenerateRequest(prompt="a kite", model="", size="48x64"))[0]
    assert image.seed is not None and image.size == "48x64"
    replay = engine.generate(GenerateRequest(prompt="a kite", model="", size="48x64", seed=image.seed))[0]
    assert replay.png == image.png


def test_temperature_blends_one_shared_noise_with_each_images_own(engine: DiffusersEngine) -> None:
    def batch(t: float) -> list[bytes]:
        request = GenerateRequest(prompt="a boat", model="", size="64x64", n=3, seed=77, temperature=t)
        images = engine.generate(request)
        assert [img.temperature for img in images] == [t, t, t]
        assert [img.extra["image_seed"] for img in images] == [77, 78, 79]
        return [img.png for img in images]

    cold, warm, hot = batch(0.0), batch(0.3), batch(1.0)
    assert len(set(cold)) == 1
    assert len(set(hot)) == 3
    # The first image's own noise is the shared one, so it is the same at every temperature.
    assert cold[0] == warm[0] == hot[0]
    assert 0 < distance(warm[0], warm[1]) < distance(hot[0], hot[1])


def test_progress_counts_every_step_of_every_image(engine: DiffusersEngine) -> None:
    calls: list[tuple[int, int]] = []
    engine.generate(
        GenerateRequest(prompt="a cat", model="", size="32x32", n=2, seed=1),
        lambda done, total: calls.append((done, total)),
    )
    assert calls == [(step, 2 * STEPS) for step in range(1, 2 * STEPS + 1)]


@pytest.mark.parametrize("size", [(64, 64), (70, 50)], ids=["model-size", "odd-size"])
def test_inpainting_keeps_every_unmasked_pixel(engine: DiffusersEngine, size: tuple[int, int]) -> None:
    width, height = size
    original = source_picture(width, height)
    mask = np.zeros((height, width), dtype=np.uint8)
    mask[10:40, 20:50] = 255
    request = EditRequest(
        image=original, mask=png_of(Image.fromarray(mask, "L")), prompt="a sun", model="", n=2, seed=9
    )
    images = engine.edit(request)
    before = pixels(original)
    for image in images:
        after = pixels(image.png)
        assert after.shape == before.shape
        assert np.array_equal(after[mask == 0], before[mask == 0])
        assert np.abs(after[mask == 255] - before[mask == 255]).mean() > 5
    assert images[0].png != images[1].png
    assert images[0].png == engine.edit(request)[0].png


def test_an_empty_mask_is_refused(engine: DiffusersEngine) -> None:
    from lib.errors import BadInput

    empty = png_of(Image.new("L", (64, 64), 0))
    with pytest.raises(BadInput, match="Paint over"):
        engine.edit(EditRequest(image=source_picture(), mask=empty, prompt="a sun", model=""))


def test_img2img_strength_moves_the_picture_further(tiny_model: Path) -> None:
    # 4 steps so that strengths 0.25, 0.5 and 1 run 1, 2 and 4 of them.
    engine = create_engine(Settings(diffusers_model=str(tiny_model), diffusers_steps=4))
    source = source_picture()

    def vary(strength: float) -> bytes:
        return engine.vary(VaryRequest(image=source, model="", strength=strength, seed=5))[0].png

    # Random weights blur any picture through the VAE, so "how far" is measured from the
    # picture's trip through the VAE alone (the smallest strength that runs a step).
    through_vae = vary(0.05)
    distances = [distance(vary(s), through_vae) for s in (0.25, 0.5, 1.0)]
    assert distances[0] < distances[1] < distances[2], distances


def test_img2img_clamps_steps_so_a_small_strength_still_runs(engine: DiffusersEngine) -> None:
    # 2 steps x 0.2 would run no step at all (diffusers then crashes); the engine takes 5 steps.
    image = engine.vary(VaryRequest(image=source_picture(), model="", strength=0.2, seed=1))[0]
    assert image.extra["steps"] * 0.2 >= 1
    untouched = engine.vary(VaryRequest(image=source_picture(), model="", strength=0.0, seed=1))[0]
    assert untouched.png == source_picture()


def test_vary_temperature_zero_gives_identical_variations(engine: DiffusersEngine) -> None:
    def pngs(t: float) -> set[bytes]:
        request = VaryRequest(image=source_picture(), model="", n=2, strength=0.6, seed=3, temperature=t)
        return {img.png for img in engine.vary(request)}

    assert len(pngs(0.0)) == 1
    assert len(pngs(1.0)) == 2


def test_a_missing_folder_says_where_the_model_should_be(tmp_path: Path) -> None:
    missing = tmp_path / "no-model-here"
    engine = create_engine(Settings(diffusers_model=str(missing)))
    status = engine.status()
    assert not status.configured
    assert str(missing) in status.how_to_configure
    with pytest.raises(NotConfigured, match="no-model-here"):
        engine.generate(GenerateRequest(prompt="a cat", model="", size="512x512"))


def test_a_model_not_in_the_cache_says_what_to_fetch() -> None:
    engine = create_engine(Settings(diffusers_model="edu4all-tests/not-a-real-model"))
    status = engine.status()
    assert not status.configured
    assert "hf download edu4all-tests/not-a-real-model" in status.how_to_configure
    assert "DIFFUSERS_MODEL=/path" in status.how_to_configure
    with pytest.raises(NotConfigured, match="edu4all-tests/not-a-real-model"):
        engine.generate(GenerateRequest(prompt="a cat", model="", size="512x512"))


def test_a_damaged_folder_is_caught_from_from_pretrained(tiny_model: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    shutil.copytree(tiny_model, damaged)
    for weights in (damaged / "unet").glob("*.safetensors"):
        weights.unlink()
    engine = create_engine(Settings(diffusers_model=str(damaged)))
    assert engine.status().configured  # the folder looks right until the weights are read
    with pytest.raises(NotConfigured, match="damaged") as caught:
        engine.generate(GenerateRequest(prompt="a cat", model="", size="64x64"))
    assert caught.value.detail


def test_switching_models_keeps_only_the_new_one_loaded(tiny_model: Path, tmp_path: Path) -> None:
    from lib.engines.diffusers import runtime

    copy = tmp_path / "another-model"
    shutil.copytree(tiny_model, copy)
    request = GenerateRequest(prompt="a cat", model="", size="32x32", seed=4)
    first = create_engine(Settings(diffusers_model=str(tiny_model), diffusers_steps=1)).generate(request)
    second = create_engine(Settings(diffusers_model=str(copy), diffusers_steps=1)).generate(request)
    assert first[0].png == second[0].png  # same weights, same seed
    assert [model for model, _device in runtime.loaded_models()] == [str(copy.resolve())]


def test_sessions_share_one_pipeline_and_take_turns(engine: DiffusersEngine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def draw(seed: int) -> Callable[[], bytes]:
        return lambda: engine.generate(GenerateRequest(prompt="a tree", model="", size="32x32", seed=seed))[0].png

    alone = [draw(s)() for s in (1, 2, 3)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = [f.result() for f in [pool.submit(draw(s)) for s in (1, 2, 3)]]
    assert together == alone
