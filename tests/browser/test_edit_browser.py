"""The Edit page in a real browser: upload, paint a stroke on the canvas, change only that part."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from lib import imaging
from lib.pictures import new_owner_id
from lib.store import Store
from lib.ui.source import GALLERY_CHOICES
from tests.browser.conftest import ARTIFACTS, StartApp, wait_idle
from tests.pages.edit_helpers import made, source_png

SIZE = (480, 300)
#: The page's default brush, in canvas pixels (lib/ui/canvas.py's slider default).
BRUSH = 35


_PAINTED_JS = """c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
}"""


def paint_stroke(page: Any, canvas: Any, size: tuple[int, int]) -> None:
    """One horizontal stroke across the lower right of ``canvas`` (shown for a picture of ``size``),
    then wait until the page has counted the painted part."""
    box = canvas.bounding_box()
    assert box is not None
    assert (round(box["width"]), round(box["height"])) == imaging.display_size(size, 640, 560)
    # Far below the top 40 px, where the canvas's invisible toolbar would eat the stroke.
    y = box["y"] + 0.75 * box["height"]
    x0, x1 = box["x"] + 0.55 * box["width"], box["x"] + 0.9 * box["width"]
    page.mouse.move(x0, y)
    page.mouse.down()
    for step in range(1, 13):
        page.mouse.move(x0 + (x1 - x0) * step / 12, y)
    page.mouse.up()
    page.get_by_text("of the picture)").wait_for()
    wait_idle(page)


def paint_and_edit(page: Any, url: str, source: bytes, *, leave_and_return: bool = False) -> bytes:
    """Upload ``source``, paint a horizontal stroke in its lower right, submit; the result's PNG.

    With ``leave_and_return`` the student visits the Gallery between painting and submitting.
    """
    page.goto(url)
    page.get_by_role("heading", name="Create a picture").wait_for()
    wait_idle(page)
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("heading", name="Edit a picture").wait_for()
    wait_idle(page)
    page.get_by_text("Upload a picture").click()
    wait_idle(page)
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "bunny.png", "mimeType": "image/png", "buffer": source}]
    )
    canvas = page.locator("canvas.upper-canvas")
    canvas.wait_for()
    wait_idle(page)
    paint_stroke(page, canvas, SIZE)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "edit_stroke_on_canvas.png"))
    if leave_and_return:
        page.get_by_role("link", name="Gallery").click()
        page.get_by_role("heading", name="My gallery").wait_for()
        wait_idle(page)
        page.get_by_role("link", name="Edit").click()
        page.get_by_text("uploaded before").wait_for()
        page.get_by_text("of the picture)").wait_for()
        wait_idle(page)
        # The stroke is drawn again from the kept drawing (Fabric paints it on the lower canvas).
        # The drawing's own canvas (the background picture has a lower-canvas of its own).
        lower = page.locator("canvas.lower-canvas:not(.dc-background-canvas)").element_handle()
        page.wait_for_function(f"c => ({_PAINTED_JS})(c) > 500", arg=lower)
        page.screenshot(path=str(ARTIFACTS / "edit_stroke_after_returning.png"))

    prompt = page.get_by_label("What should the painted part become?")
    prompt.fill("a purple hat")
    prompt.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Change the painted part").click()
    page.get_by_text("Before and after").wait_for()
    wait_idle(page)
    download_button = page.get_by_role("button", name="Download").first
    download_button.scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(img => img.complete && img.naturalWidth > 0)")
    page.screenshot(path=str(ARTIFACTS / "edit_before_and_after.png"))
    with page.expect_download() as download:
        download_button.click()
    return Path(download.value.path()).read_bytes()


@pytest.mark.browser
def test_a_painted_stroke_changes_only_that_part(start_app: StartApp, page: Any) -> None:
    url = start_app(STUDIO_ENGINE="storybook")
    source = source_png(SIZE)
    result = paint_and_edit(page, url, source)

    before = np.asarray(Image.open(io.BytesIO(source)).convert("RGB"), dtype=np.int16)
    after = np.asarray(Image.open(io.BytesIO(result)).convert("RGB"), dtype=np.int16)
    assert after.shape == before.shape, "the result keeps the picture's size"
    w, h = SIZE
    reach = BRUSH // 2 + 6  # half the brush, plus round caps and any soft edge
    stroke_y, stroke_x0 = int(0.75 * h), int(0.55 * w)
    # Everything above and to the left of the stroke is exactly as it was...
    assert np.abs(after[: stroke_y - reach] - before[: stroke_y - reach]).max() <= 2
    assert np.abs(after[:, : stroke_x0 - reach] - before[:, : stroke_x0 - reach]).max() <= 2
    # ...and under the stroke the picture changed.
    under = (slice(stroke_y - 8, stroke_y + 8), slice(stroke_x0 + 10, int(0.9 * w) - 10))
    assert np.abs(after[under] - before[under]).mean() > 5


@pytest.mark.browser
def test_the_drawing_is_still_there_after_visiting_the_gallery(start_app: StartApp, page: Any) -> None:
    url = start_app(STUDIO_ENGINE="storybook")
    source = source_png(SIZE)
    result = paint_and_edit(page, url, source, leave_and_return=True)
    after = np.asarray(Image.open(io.BytesIO(result)).convert("RGB"), dtype=np.int16)
    before = np.asarray(Image.open(io.BytesIO(source)).convert("RGB"), dtype=np.int16)
    assert np.abs(after[: int(0.75 * SIZE[1]) - BRUSH] - before[: int(0.75 * SIZE[1]) - BRUSH]).max() <= 2


@pytest.mark.browser
def test_edit_this_on_an_older_picture_edits_that_picture(start_app: StartApp, page: Any, tmp_path: Path) -> None:
    """The reviewer's walk: filter the gallery, open a picture older than the 12 newest, "Edit this"."""
    data_dir, owner = tmp_path / "data", new_owner_id()
    store = Store.embedded(data_dir)
    store.roster.register(owner)
    cat_png = source_png((320, 320))
    store.pictures.save(made(cat_png, "un chat sur la tour Eiffel"), owner=owner, page="create")
    for i in range(GALLERY_CHOICES + 1):  # newer pictures, all wider than tall
        store.pictures.save(made(source_png((300 + 4 * i, 200)), f"a dog {i}"), owner=owner, page="create")
    url = start_app(STUDIO_ENGINE="storybook", STUDIO_DATA_DIR=str(data_dir))
    page.goto(f"{url}/gallery?u={owner}")
    page.get_by_role("heading", name="My gallery").wait_for()
    wait_idle(page)
    page.get_by_label("Words in the prompt").fill("chat")
    page.get_by_label("Words in the prompt").press("Enter")
    page.get_by_text("1 picture", exact=True).wait_for()
    wait_idle(page)
    page.get_by_role("button", name="🔍 Open", exact=True).click()
    page.get_by_role("button", name="🩹 Edit this").click()
    page.get_by_role("heading", name="Edit a picture").wait_for()
    canvas = page.locator("canvas.upper-canvas")
    canvas.wait_for()
    wait_idle(page)  # the canvas has sent its first value: the page ran again
    chooser = page.locator("[data-testid='stSelectbox']").filter(has_text="Picture")
    shown = "e => e.innerText + [...e.querySelectorAll('input')].map(i => i.value || i.placeholder).join(' ')"
    assert "un chat sur la tour Eiffel" in chooser.evaluate(shown)
    canvas.scroll_into_view_if_needed()  # below the thumbnails of every choice
    paint_stroke(page, canvas, (320, 320))
    assert "un chat sur la tour Eiffel" in chooser.evaluate(shown)
    prompt = page.get_by_label("What should the painted part become?")
    prompt.fill("a purple hat")
    prompt.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Change the painted part").click()
    page.get_by_text("Before and after").wait_for()
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").first.click()
    result = Image.open(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert result.size == (320, 320), "the cat was changed, not one of the newer pictures"
    top = np.asarray(result.convert("RGB"), dtype=np.int16)[:100]
    assert np.abs(top - np.asarray(Image.open(io.BytesIO(cat_png)).convert("RGB"), dtype=np.int16)[:100]).max() <= 2
