"""The Edit page on a hosted engine (the fake OpenAI server): "paint where to change" or "sketch
what you want" on gpt-image-2.5, never both in one call."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.fake_openai import TEST_OPENAI_KEY, FakeOpenAI
from tests.pages.edit_helpers import SOURCE_SIZE, canvas_key, drawing, made, open_page, source_png

EDIT = "pages/edit.py"
SKETCH = "sketch"  # the radio's value (its label is "✏️ Sketch what you want", in the student's language)


@pytest.fixture
def hosted_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_openai: FakeOpenAI) -> Iterator[FakeOpenAI]:
    for name in ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STUDIO_ENGINE", "openai")
    monkeypatch.setenv("STUDIO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OPENAI_API_KEY", TEST_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "0")
    yield fake_openai


def _page(model: str) -> tuple[AppTest, bytes]:
    png = source_png()
    at = open_page(EDIT, session={"create_results": [made(png)]})
    at.selectbox(key="edit_model_openai").set_value(model).run()
    return at, png


def _submit(at: AppTest, label: str) -> None:
    at.text_input(key="edit_prompt").input("a red kite").run()
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_sketch_mode_sends_markup_and_no_mask(hosted_app: FakeOpenAI) -> None:
    at, png = _page("gpt-image-2.5-flare")
    at.radio(key="edit_how").set_value(SKETCH).run()
    at.session_state[canvas_key(png, "edit_sketch")] = drawing(SOURCE_SIZE, (0.0, 0.0, 0.5, 0.5))
    at.run()
    _submit(at, "🪄 Follow my sketch")
    [call] = hosted_app.calls("images/edits")
    assert "mask" not in call.files
    markup = Image.open(io.BytesIO(call.files["markup"]))
    assert markup.mode == "RGBA" and markup.size == SOURCE_SIZE
    assert markup.getpixel((10, 10))[3] > 0 and markup.getpixel((SOURCE_SIZE[0] - 5, SOURCE_SIZE[1] - 5))[3] == 0


def test_paint_mode_sends_a_mask_and_no_markup(hosted_app: FakeOpenAI) -> None:
    at, png = _page("gpt-image-2.5-flare")
    at.session_state[canvas_key(png)] = drawing(SOURCE_SIZE, (0.5, 0.5, 1.0, 1.0))
    at.run()
    _submit(at, "🪄 Change the painted part")
    [call] = hosted_app.calls("images/edits")
    assert "mask" in call.files and "markup" not in call.files


def test_models_without_markup_offer_no_sketch(hosted_app: FakeOpenAI) -> None:
    at, _ = _page("gpt-image-2")
    assert not [r for r in at.radio if r.key == "edit_how"]
