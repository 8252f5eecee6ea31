"""The Variations page in AppTest: the offline engine makes N pictures; hosted gpt-image says how."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import imaging
from lib.pictures import new_owner_id
from lib.ui import handoff
from lib.ui.source import thumb_key
from tests.fake_openai import FakeOpenAI
from tests.helpers import pictures_in
from tests.pages.edit_helpers import made, offline_app, older_than_the_choices, open_page, results, source_png, texts

__all__ = ["offline_app"]  # the fixture, imported for pytest

VARY = "pages/variations.py"
SUBMIT = "🔀 Make variations"


def _click(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == SUBMIT).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.usefixtures("offline_app")
@pytest.mark.parametrize("n", [1, 3])
def test_offline_engine_makes_n_variations_with_a_strength(n: int) -> None:
    at = open_page(VARY, session={"create_results": [made(source_png())]})
    assert at.slider(key="vary_strength").value == 0.5, "the offline engine has a strength control"
    at.number_input(key="vary_n_storybook").set_value(n).run()
    at.slider(key="vary_strength").set_value(0.8).run()
    _click(at)
    images = results(at, "vary_results")
    assert len(images) == n and all(img.operation == "vary" for img in images)
    assert len({img.png for img in images}) == n, "the variations differ from each other"
    assert "Your variations" in texts(at)


@pytest.mark.usefixtures("offline_app")
def test_no_picture_yet_means_no_button() -> None:
    at = open_page(VARY)
    assert "You have not made any pictures yet" in texts(at)
    assert not any(b.label == SUBMIT for b in at.button)


def test_hosted_gpt_image_varies_through_edit_and_says_so(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    settings = fake_openai.settings()
    monkeypatch.setenv("STUDIO_ENGINE", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", settings.openai_api_key or "")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "0")
    monkeypatch.setenv("STUDIO_DATA_DIR", str(tmp_path))
    at = open_page(VARY, session={"create_results": [made(source_png((256, 256)))]})
    said = texts(at)
    assert "edit" in said and "retired DALL-E 2" in said
    with pytest.raises(KeyError):
        at.slider(key="vary_strength")  # no strength: the hosted API has none
    at.number_input(key="vary_n_openai").set_value(2).run()
    _click(at)
    assert len(results(at, "vary_results")) == 2
    (call,) = fake_openai.calls("images/edits")
    assert "mask" not in call.files and call.fields["prompt"]


@pytest.mark.usefixtures("offline_app")
def test_the_picker_tells_pictures_of_one_batch_apart_by_number_time_and_thumbnail() -> None:
    from dataclasses import replace

    first, second = made(source_png(), "a red kite"), made(source_png((200, 120)), "a red kite")
    second = replace(second, created=first.created)  # one batch: the same words, the same second
    at = open_page(VARY, session={"create_results": [first, second]})
    pick = at.selectbox(key="vary_pick")
    labels = list(pick.options)  # AppTest lists what the student reads
    chosen_first = pick.value
    assert len(labels) == 2 and len(set(labels)) == 2, labels
    assert labels[0].startswith("1. Just made on Create #1, ") and labels[1].startswith("2. Just made on Create #2, ")
    assert all(":" in label.split(", ", 1)[1] and "a red kite" in label for label in labels)  # the time, the words
    # Every choice is shown as a thumbnail with its number; the chosen one is marked.
    thumbs = [
        img for img in at.image if img.proto.imgs and (img.proto.imgs[0].caption or "").startswith(("1 ·", "2 ·"))
    ]
    assert len(thumbs) == 2
    one, two = (thumb_key("vary_pick", f"gallery:{image_id}") for image_id in at.session_state["create_results"])
    assert chosen_first == f"gallery:{at.session_state['create_results'][0]}"
    assert at.button(key=one).label == "✅ Chosen"
    at.button(key=two).click().run()
    assert at.selectbox(key="vary_pick").value not in (None, chosen_first)
    assert at.button(key=two).label == "✅ Chosen" and at.button(key=one).label == "Choose 1"


def test_an_older_picture_handed_off_is_the_one_varied(offline_app: Path) -> None:
    owner, store = new_owner_id(), pictures_in(offline_app)
    _, cat = older_than_the_choices(store, owner)
    at = open_page(VARY, session={handoff.VARY_KEY: handoff.PictureToVary(cat)}, owner=owner)
    at.run()  # any rerun keeps the handed-off picture chosen
    assert at.selectbox(key="vary_pick").value == f"gallery:{cat}"
    assert at.button(key=thumb_key("vary_pick", f"gallery:{cat}")).label == "✅ Chosen"
    _click(at)
    images = results(at, "vary_results")
    assert images and all(imaging.image_size(img.png) == (320, 320) for img in images), "the cat was varied"
