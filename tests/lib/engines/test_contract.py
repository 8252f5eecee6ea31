"""One contract, every registered engine: what the pages and the Studio rely on.

Each engine runs for real: the storybook as it is, OpenAI and Azure through the SDK against the
fake server, local diffusion on a tiny pipeline built here (skipped when torch is not installed).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from lib.engines import engine_names, get_engine
from lib.engines.base import EditRequest, Engine, GeneratedImage, GenerateRequest, VaryRequest
from lib.settings import Settings
from tests.fake_openai import TEST_AZURE_KEY, TEST_OPENAI_KEY


def _settings(name: str, request: pytest.FixtureRequest) -> Settings:
    if name == "storybook":
        return Settings(engine=name)
    if name == "openai":
        return request.getfixturevalue("fake_openai").settings()
    if name == "azure":
        return request.getfixturevalue("fake_openai").azure_settings()
    if name == "diffusers":
        pytest.importorskip("torch")
        pytest.importorskip("diffusers")
        tiny: Path = request.getfixturevalue("tiny_diffusion_model")
        return Settings(engine=name, diffusers_model=str(tiny), diffusers_steps=2)
    pytest.fail(f"the contract test does not know how to configure the engine '{name}'")


@pytest.fixture(params=engine_names())
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    eng = get_engine(request.param, _settings(request.param, request))
    yield eng
    close = getattr(eng, "close", None)
    if close is not None:
        close()
    get_engine.cache_clear()  # the fake server's port changes from test to test


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG"
        img.load()
        return img.size


def _smallest(sizes: tuple[str, ...]) -> str:
    real = [s for s in sizes if "x" in s]
    return min(real, key=lambda s: int(s.split("x")[0]) * int(s.split("x")[1]))


def _check(images: list[GeneratedImage], engine: Engine, model: str, n: int, operation: str) -> None:
    assert len(images) == n
    for image in images:
        assert (image.engine, image.model, image.operation) == (engine.name, model, operation)
        width, height = _size(image.png)
        assert image.size == f"{width}x{height}"
        assert TEST_OPENAI_KEY not in str(image.metadata()) and TEST_AZURE_KEY not in str(image.metadata())


def test_status_models_and_capabilities_are_consistent(engine: Engine) -> None:
    assert engine.name in engine_names() and engine.label
    assert engine.status().configured, engine.status()
    models = engine.models()
    assert models and all(isinstance(m, str) and m for m in models)
    caps = engine.capabilities(models[0])
    assert caps.sizes and caps.max_images >= 1 and caps.images_per_call >= 1 and caps.max_prompt_chars > 0
    assert caps.qualities and (caps.default_size is None or caps.default_size in caps.sizes)
    assert caps.can_vary or not caps.vary_needs_prompt


def test_generate_returns_pngs_of_the_requested_size_and_reports_progress(engine: Engine) -> None:
    model = engine.models()[0]
    caps = engine.capabilities(model)
    size, n = _smallest(caps.sizes), min(2, caps.max_images)
    steps: list[tuple[int, int]] = []
    request = GenerateRequest(prompt="a cat on a beach", model=model, size=size, n=n, seed=7, temperature=0.5)
    images = engine.generate(request, lambda done, total: steps.append((done, total)))
    _check(images, engine, model, n, "generate")
    assert all(img.size == size and img.prompt_sent == "a cat on a beach" for img in images)
    assert steps and steps[-1][0] == steps[-1][1]
    if caps.has_seed:
        assert images[0].seed is not None
        again = engine.generate(request)
        assert [img.png for img in again] == [img.png for img in images]


def test_edit_and_vary_when_offered(engine: Engine) -> None:
    model = engine.models()[0]
    caps = engine.capabilities(model)
    size = _smallest(caps.sizes)
    source = engine.generate(GenerateRequest(prompt="a house", model=model, size=size, seed=3))[0]
    width, height = _size(source.png)
    if caps.can_edit:
        mask = Image.new("L", (width, height), 0)
        mask.paste(255, (0, 0, width // 2, height // 2))
        buf = io.BytesIO()
        mask.save(buf, "PNG")
        edit = EditRequest(image=source.png, mask=buf.getvalue(), prompt="a hat", model=model, seed=3)
        _check(engine.edit(edit), engine, model, 1, "edit")
    if caps.can_vary:
        vary = VaryRequest(image=source.png, model=model, n=1, strength=0.6, prompt="the same, at night", seed=3)
        _check(engine.vary(vary), engine, model, 1, "vary")
