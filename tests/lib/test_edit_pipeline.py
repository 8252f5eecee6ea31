"""From the canvas to the wire: a stroke painted at display size reaches OpenAI as the right mask.

The engine's own tests start from an app mask; this one starts where the Edit page starts (the
canvas's RGBA drawing at display size, a picture checked by lib.imaging) and goes through
``Studio.edit`` and the real SDK to the fake server, which parses the multipart body.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from lib import imaging
from lib.studio import Studio
from tests.fake_openai import FakeOpenAI


def _photo(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="JPEG", quality=90)
    return out.getvalue()


@pytest.mark.parametrize("size", [(1536, 1024), (1024, 1536), (1024, 1024)])
def test_canvas_stroke_reaches_the_server_as_rgba_mask_of_the_image_size(
    fake_openai: FakeOpenAI, size: tuple[int, int]
) -> None:
    picture = imaging.load_image(_photo(size), imaging.rules_for("openai", "gpt-image-1"))
    assert picture.size == size
    cw, ch = imaging.display_size(picture.size, 640, 560)
    canvas = np.zeros((ch, cw, 4), dtype=np.uint8)
    canvas[ch * 3 // 4 :, cw * 3 // 4 :] = (255, 0, 150, 140)  # the semi-transparent brush, bottom-right
    mask = imaging.mask_from_canvas(canvas, picture.size)

    result = Studio(fake_openai.settings()).edit(
        image=picture.png, mask=mask, prompt="a bunny wearing a hat", engine="openai", model="gpt-image-1"
    )

    assert len(result.images) == 1
    (call,) = fake_openai.calls("images/edits")
    sent = Image.open(io.BytesIO(call.files["mask"]))
    assert sent.format == "PNG" and sent.mode == "RGBA" and sent.size == size
    alpha = np.asarray(sent.getchannel("A"))
    w, h = size
    assert alpha[h - 1, w - 1] == 0, "painted: transparent, so OpenAI changes it"
    assert alpha[0, 0] == 255 and alpha[h // 2, w // 2] == 255, "not painted: opaque, kept"
    assert set(np.unique(alpha)) == {0, 255}
    assert (alpha == 0).mean() == pytest.approx(1 / 16, abs=0.01)
    image = Image.open(io.BytesIO(call.files["image"]))
    assert image.format == "PNG" and image.size == size
