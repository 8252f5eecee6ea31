"""What a student meets on the first day (issue 14): crashes they could reach, now friendly messages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from streamlit.testing.v1 import AppTest

from lib import pnginfo
from lib.history import new_owner_id

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ["pages/create.py", "pages/edit.py", "pages/variations.py", "pages/compare.py"]


def _png_with_record(text: str) -> bytes:
    """A small PNG whose ``edu4all`` text chunk holds ``text`` as it is (a hand-crafted file)."""
    info = PngInfo()
    info.add_itxt(pnginfo.CHUNK_KEYWORD, text)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 100, 50)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def _gallery(owner: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["u"] = owner
    at.switch_page("pages/gallery.py")
    return at.run()


@pytest.mark.parametrize("page", PAGES)
def test_azure_not_set_up_is_explained_not_a_crash(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A teacher who unlocked still sees the engine that is not set up, and may choose it.
    monkeypatch.setenv("TEACHER_PASSCODE", "open-sesame")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["teacher_unlocked"] = True
    at.session_state["studio_engine"] = "azure"  # chosen in the sidebar
    at.switch_page(page).run()

    assert not at.exception
    words = " ".join(str(el.value) for kind in ("info", "warning") for el in at.get(kind))
    assert "Azure OpenAI" in words and "not set up" in words


def test_deeply_nested_settings_in_a_dropped_png_are_refused_calmly() -> None:
    deep = '{"app": "edu4all", "prompt_typed": "a cat", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    at = _gallery(new_owner_id())
    at.file_uploader(key="gallery_drop").upload("deep.png", _png_with_record(deep), "image/png")
    at.run()

    assert not at.exception
    assert any("no Studio settings inside" in i.value for i in at.info)


def test_out_of_range_settings_from_a_png_are_clamped_before_create_shows_them() -> None:
    record = {"app": "edu4all", "prompt_typed": "a cat on a beach", "engine": "storybook", "model": "storybook-1",
              "size": "512x512", "seed": 2**40, "temperature": 7.5}  # fmt: skip
    at = _gallery(new_owner_id())
    at.file_uploader(key="gallery_drop").upload("hot.png", _png_with_record(json.dumps(record)), "image/png")
    at.run()
    at.button(key="gallery_drop_reuse").click().run()

    assert not at.exception
    assert at.text_area(key="create_prompt").value == "a cat on a beach"
    assert at.slider(key="create_temperature").value == 1.0
    assert at.number_input(key="create_seed").value == 2**31 - 1
