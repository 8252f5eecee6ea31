"""The Edit page in AppTest on the offline storybook engine, with the canvas drawing faked."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from lib import uploads
from lib.pictures import new_owner_id
from lib.ui import handoff
from lib.ui.source import thumb_key
from tests.helpers import pictures_in
from tests.pages.edit_helpers import (
    SOURCE_SIZE,
    bomb_png,
    canvas_key,
    drawing,
    made,
    offline_app,
    older_than_the_choices,
    open_page,
    results,
    source_png,
    texts,
)

__all__ = ["offline_app"]  # the fixture, imported for pytest

EDIT = "pages/edit.py"
SUBMIT = "🪄 Change the painted part"


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def _submit(at: AppTest, prompt: str = "a tall purple hat") -> AppTest:
    at.text_input(key="edit_prompt").input(prompt).run()
    next(b for b in at.button if b.label == SUBMIT).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _edit_page(png: bytes) -> AppTest:
    return open_page(EDIT, session={"create_results": [made(png)]})


def test_painted_edit_changes_only_the_painted_part_and_shows_before_and_after(offline_app: Path) -> None:
    png = source_png()
    at = _edit_page(png)
    at.session_state[canvas_key(png)] = drawing(SOURCE_SIZE, (0.5, 0.5, 1.0, 1.0))  # bottom-right quarter
    at.run()
    assert "Nothing is painted yet" not in texts(at)
    _submit(at)

    (result,) = results(at, "edit_results")
    assert result.operation == "edit" and result.prompt_typed == "a tall purple hat"
    assert "Before and after" in texts(at)
    before, after = _pixels(png), _pixels(result.png)
    assert after.shape == before.shape, "the result keeps the picture's size"
    w, h = SOURCE_SIZE
    # Outside the mask (with a margin for soft edges) the picture is untouched...
    assert np.abs(after[: h // 2 - 4] - before[: h // 2 - 4]).max() <= 2
    assert np.abs(after[:, : w // 2 - 4] - before[:, : w // 2 - 4]).max() <= 2
    # ...and inside it something changed.
    assert np.abs(after[h // 2 + 4 :, w // 2 + 4 :] - before[h // 2 + 4 :, w // 2 + 4 :]).mean() > 5
    # The Studio saved it to this browser's gallery, marked as an edit.
    (entry,) = [e for e in pictures_in(offline_app).list(at.session_state["studio_owner"]) if e.page == "edit"]
    assert entry.operation == "edit"


@pytest.mark.usefixtures("offline_app")
def test_empty_mask_says_so_and_calls_no_engine() -> None:
    at = _edit_page(source_png())
    _submit(at)
    assert "the mask is empty" in texts(at)
    assert "edit_results" not in at.session_state


@pytest.mark.usefixtures("offline_app")
def test_mask_over_everything_is_allowed_with_a_warning() -> None:
    png = source_png()
    at = _edit_page(png)
    at.session_state[canvas_key(png)] = drawing(SOURCE_SIZE, (0.0, 0.0, 1.0, 1.0))
    at.run()
    assert "draw it all again" in texts(at)
    _submit(at, "a snowy mountain")
    (result,) = results(at, "edit_results")
    assert _pixels(result.png).shape == _pixels(png).shape


@pytest.mark.usefixtures("offline_app")
def test_drawing_survives_a_visit_to_another_page() -> None:
    png = source_png()
    at = _edit_page(png)
    at.session_state[canvas_key(png)] = drawing(SOURCE_SIZE, (0.0, 0.0, 0.3, 0.3))
    at.run()
    at.switch_page("pages/create.py").run()
    at.switch_page(EDIT).run()
    assert not at.exception
    assert "Nothing is painted yet" not in texts(at)
    assert "of the picture)" in texts(at)  # the mask preview's title with its coverage
    _submit(at)
    assert len(results(at, "edit_results")) == 1


@pytest.mark.usefixtures("offline_app")
def test_clear_button_forgets_the_drawing() -> None:
    png = source_png()
    at = _edit_page(png)
    at.session_state[canvas_key(png)] = drawing(SOURCE_SIZE, (0.2, 0.2, 0.6, 0.6))
    at.run()
    next(b for b in at.button if "Clear" in b.label).click().run()
    assert "Nothing is painted yet" in texts(at)
    _submit(at)
    assert "edit_results" not in at.session_state


def test_gallery_hand_off_opens_that_picture(offline_app: Path) -> None:
    owner = new_owner_id()
    png = source_png((320, 320))
    image_id = pictures_in(offline_app).save(made(png, "a castle"), owner=owner, page="create")
    at = open_page(EDIT, session={handoff.EDIT_KEY: handoff.PictureToEdit(image_id)}, owner=owner)
    assert at.selectbox(key="edit_pick").value == f"gallery:{image_id}"
    assert handoff.EDIT_KEY not in at.session_state, "the hand-off is taken once"


def test_an_older_picture_handed_off_stays_the_one_shown_painted_and_changed(offline_app: Path) -> None:
    owner, store = new_owner_id(), pictures_in(offline_app)
    cat_png, cat = older_than_the_choices(store, owner)
    at = open_page(EDIT, session={handoff.EDIT_KEY: handoff.PictureToEdit(cat)}, owner=owner)
    at.run()  # a second rerun (the canvas sends its value): the older picture is still offered and chosen
    assert at.selectbox(key="edit_pick").value == f"gallery:{cat}"
    assert "un chat sur la tour Eiffel" in str(at.selectbox(key="edit_pick").options)
    assert at.button(key=thumb_key("edit_pick", f"gallery:{cat}")).label == "✅ Chosen"
    assert "open it in the **Gallery**" in texts(at)  # how to reach pictures older than those offered
    at.session_state[canvas_key(cat_png)] = drawing((320, 320), (0.5, 0.5, 1.0, 1.0))
    at.run()
    _submit(at)
    (result,) = results(at, "edit_results")
    before, after = _pixels(cat_png), _pixels(result.png)
    assert after.shape == before.shape, "the cat was changed, not the newest picture"
    assert np.abs(after[:150] - before[:150]).max() <= 2
    befores = [i for i in at.image if i.proto.imgs and i.proto.imgs[0].caption == "Before"]
    assert len(befores) == 1


@pytest.mark.usefixtures("offline_app")
def test_no_pictures_yet_points_to_create() -> None:
    at = open_page(EDIT)
    assert "You have not made any pictures yet" in texts(at)


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.radio(key="edit_from").set_value("Upload a picture").run()
    at.file_uploader(key="edit_upload").set_value((name, data, "image/png")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _truncated_png() -> bytes:
    noise = Image.fromarray(np.random.default_rng(3).integers(0, 256, (120, 120, 3), dtype=np.uint8))
    out = io.BytesIO()
    noise.save(out, format="PNG")
    return out.getvalue()[:4000]


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (64, 64), c) for c in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=80)
    return out.getvalue()


def _cmyk_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("CMYK", (64, 48), (0, 200, 200, 0)).save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.usefixtures("offline_app")
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("homework.png", b"this is my homework, not a picture", "not a picture the studio can read"),
        ("empty.png", b"", "empty (0 bytes)"),
        ("cut.png", _truncated_png(), "damaged or cut short"),
        ("bomb.png", None, "far too big"),
    ],
)
def test_bad_uploads_show_a_clear_message_and_keep_the_prompt(name: str, data: bytes | None, message: str) -> None:
    at = open_page(EDIT)
    at.session_state["edit_prompt"] = "a hat"  # typed before the upload
    _upload(at, name, data if data is not None else bomb_png(20000, 20000))
    assert message in texts(at)
    assert at.session_state["edit_prompt"] == "a hat", "nothing the student typed is lost"


@pytest.mark.usefixtures("offline_app")
@pytest.mark.parametrize(("name", "data", "note"), [("moving.gif", _animated_gif(), "moving picture"),
                                                    ("print.jpg", _cmyk_jpeg(), None)])  # fmt: skip
def test_odd_but_valid_uploads_are_normalised_and_editable(name: str, data: bytes, note: str | None) -> None:
    at = open_page(EDIT)
    _upload(at, name, data)
    if note:
        assert note in texts(at)
    assert any(b.label == SUBMIT for b in at.button), "the canvas and the edit controls are shown"


@pytest.mark.usefixtures("offline_app")
def test_upload_words_and_drawing_all_survive_a_visit_to_another_page() -> None:
    png = source_png()
    at = open_page(EDIT)
    _upload(at, "my-drawing.png", png)
    at.text_input(key="edit_prompt").input("a red kite").run()
    at.session_state[canvas_key(png)] = drawing(SOURCE_SIZE, (0.6, 0.6, 0.9, 0.9))
    at.run()
    at.switch_page("pages/gallery.py").run()
    at.switch_page(EDIT).run()
    assert not at.exception
    said = texts(at)
    assert "uploaded before: **my-drawing.png**" in said and "of the picture)" in said
    assert at.text_input(key="edit_prompt").value == "a red kite"
    next(b for b in at.button if b.label == SUBMIT).click().run()
    assert len(results(at, "edit_results")) == 1


def test_an_edit_that_changed_nothing_says_why_and_is_kept_only_when_asked(offline_app: Path) -> None:
    png = source_png()
    at = _edit_page(png)
    at.session_state[canvas_key(png)] = drawing(SOURCE_SIZE, (0.2, 0.2, 0.6, 0.6))
    at.run()
    _submit(at, "make it look happier")  # words the storybook cannot draw

    owner = at.session_state["studio_owner"]
    assert any("Nothing changed in your picture" in w.value for w in at.warning)
    assert "Before and after" not in texts(at)
    assert [e for e in pictures_in(offline_app).list(owner) if e.page == "edit"] == []

    at.button(key="edit_keep_unchanged").click().run()
    assert not at.exception
    [kept] = [e for e in pictures_in(offline_app).list(owner) if e.page == "edit"]
    assert kept.prompt_typed == "make it look happier"
    assert not any("Nothing changed" in w.value for w in at.warning)


@pytest.mark.usefixtures("offline_app")
def test_the_session_keeps_no_copy_of_an_upload_and_a_let_go_one_is_asked_for_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    png = source_png()
    at = open_page(EDIT)
    _upload(at, "my-drawing.png", png)
    name, key = at.session_state["edit_last_upload"]
    assert name == "my-drawing.png" and isinstance(key, str) and len(key) == 64  # a name and a digest, no picture
    assert uploads.SHELF.get(at.query_params["u"], key) is not None  # the picture is on the server's shelf
    at.switch_page("pages/gallery.py").run()
    monkeypatch.setattr(uploads, "SHELF", uploads.UploadShelf())  # the server let the upload go meanwhile
    at.switch_page(EDIT).run()
    assert not at.exception
    said = texts(at)
    assert "(**my-drawing.png**) was put away to make room. Please upload it again." in said
    assert not any(b.label == SUBMIT for b in at.button)  # nothing to edit until it is uploaded again
    _upload(at, "my-drawing.png", png)
    assert any(b.label == SUBMIT for b in at.button)
