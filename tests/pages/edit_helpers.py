"""Shared set-up for the Edit and Variations AppTests: a source picture and a faked canvas drawing.

The canvas (streamlit-drawable-canvas 0.13) has no browser in AppTest, but its widget value can be
set through session state in the shape the component sends (see research/drawable-canvas.md).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from lib import imaging
from lib.engines.base import GeneratedImage
from lib.pictures import new_owner_id
from lib.store import Store
from lib.store.pictures import Pictures
from lib.ui.canvas import MAX_HEIGHT, MAX_WIDTH
from tests.helpers import pictures_in

APP = str(Path(__file__).resolve().parents[2] / "app.py")
#: A non-square source, so a mis-scaled mask would show.
SOURCE_SIZE = (480, 300)


def source_png(size: tuple[int, int] = SOURCE_SIZE) -> bytes:
    """A picture with a gradient and stripes: every region looks different, so changes show."""
    w, h = size
    x = np.linspace(0, 255, w, dtype=np.uint8)[None, :].repeat(h, 0)
    y = np.linspace(0, 255, h, dtype=np.uint8)[:, None].repeat(w, 1)
    stripes = ((np.arange(w)[None, :] // 20) % 2 * 80).astype(np.uint8).repeat(h, 0)
    out = io.BytesIO()
    Image.fromarray(np.dstack([x, y, stripes])).save(out, format="PNG")
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` but holds no pixels: a cheap decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def made(png: bytes, prompt: str = "a bunny in a field") -> GeneratedImage:
    """A picture as the Create page keeps it in the session."""
    w, h = imaging.image_size(png)
    return GeneratedImage(png=png, engine="storybook", model="storybook", operation="generate",
                          prompt_sent=prompt, prompt_typed=prompt, size=f"{w}x{h}")  # fmt: skip


def older_than_the_choices(store: Pictures, owner: str) -> tuple[bytes, str]:
    """A 320x320 picture of a cat, then more newer pictures (each of another size) than the
    pickers offer: returns the cat's PNG and id, older than every picture the chooser lists."""
    from lib.ui.source import GALLERY_CHOICES

    cat_png = source_png((320, 320))
    cat = store.save(made(cat_png, "un chat sur la tour Eiffel"), owner=owner, page="create")
    for i in range(GALLERY_CHOICES + 1):
        store.save(made(source_png((300 + 4 * i, 200)), f"a dog {i}"), owner=owner, page="create")
    return cat_png, cat


def canvas_key(png: bytes, prefix: str = "edit", version: int = 0) -> str:
    """The canvas widget key the Edit page uses for this picture (see lib/ui/canvas.py)."""
    checked = imaging.load_image(png, imaging.rules_for("storybook", "")).png
    return f"{prefix}_canvas_{hashlib.sha256(checked).hexdigest()[:16]}_{version}"


def drawing(size: tuple[int, int], box: tuple[float, float, float, float]) -> dict[str, object]:
    """The canvas value for one opaque block; ``box`` is (x0, y0, x1, y1) as fractions of the canvas."""
    w, h = imaging.display_size(size, MAX_WIDTH, MAX_HEIGHT)
    rgba = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    x0, y0, x1, y1 = box
    rgba.paste((255, 0, 150, 140), (round(x0 * w), round(y0 * h), round(x1 * w), round(y1 * h)))
    out = io.BytesIO()
    rgba.save(out, format="PNG")
    data = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    return {"drawing": {"raw": {"objects": []}, "data": data}, "backgroundFit": None}


@pytest.fixture
def offline_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The storybook engine, a fresh data folder, no keys from the developer's environment."""
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STUDIO_ENGINE", "storybook")
    monkeypatch.setenv("STUDIO_DATA_DIR", str(tmp_path / "data"))
    yield tmp_path / "data"


def open_page(page: str, *, session: dict[str, object] | None = None, owner: str | None = None) -> AppTest:
    """The app, with ``session`` values set, switched to ``page``.

    Lists of pictures become what the pages keep: gallery ids, the pictures saved for ``owner``.
    """
    at = AppTest.from_file(APP, default_timeout=60)
    owner = owner or new_owner_id()
    Store.embedded(os.environ["STUDIO_DATA_DIR"]).roster.register(owner)  # as if the app had issued it
    at.query_params["u"] = owner
    for key, value in (session or {}).items():
        if isinstance(value, list) and value and all(isinstance(v, GeneratedImage) for v in value):
            value = [_store().save(image, owner=owner, page="create") for image in value]
        at.session_state[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _store() -> Pictures:
    return pictures_in(os.environ["STUDIO_DATA_DIR"])


def results(at: AppTest, key: str) -> list[GeneratedImage]:
    """The pictures a page remembers under ``key`` (it keeps gallery ids), read back from the store."""
    owner = at.session_state["studio_owner"]
    return [_store().load(owner, image_id) for image_id in at.session_state[key]]


def texts(at: AppTest) -> str:
    """Everything the page says in boxes, captions, markdown and expander titles, as one string."""
    parts = [e.value for e in (*at.info, *at.warning, *at.error, *at.caption, *at.markdown)]
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)
