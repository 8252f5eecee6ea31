"""Type a prompt, press Create, see the pictures: in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.pictures import new_owner_id
from lib.store import Store
from tests.browser.conftest import StartApp, wait_idle
from tests.fake_openai import TEST_OPENAI_KEY, FakeOpenAI

pytestmark = pytest.mark.browser


def _create(page: object, url: str, prompt: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    box = page.get_by_label("Describe your picture")  # type: ignore[attr-defined]
    box.fill(prompt)
    box.press("Control+Enter")  # commit the text area's value before clicking
    page.get_by_role("button", name="✨ Create").click()  # type: ignore[attr-defined]
    wait_idle(page)


def test_create_on_the_offline_engine_shows_pictures(start_app: StartApp, page: object) -> None:
    url = start_app()
    _create(page, url, "Dog next to Eiffel Tower in early morning sunlight")
    images = page.locator("[data-testid='stImage'] img")  # type: ignore[attr-defined]
    images.first.wait_for()
    assert images.count() == 1
    width = images.first.evaluate("img => img.naturalWidth")
    assert width >= 256
    assert page.get_by_role("button", name="⬇️ Download").count() == 1  # type: ignore[attr-defined]


def test_create_on_the_openai_engine_through_the_fake_server(
    start_app: StartApp, page: object, fake_openai: FakeOpenAI
) -> None:
    url = start_app(OPENAI_API_KEY=TEST_OPENAI_KEY, OPENAI_BASE_URL=fake_openai.base_url, OPENAI_MAX_RETRIES="0")
    _create(page, url, "A castle made of sweets")
    page.locator("[data-testid='stImage'] img").first.wait_for()  # type: ignore[attr-defined]
    assert fake_openai.count("images/generations") == 1
    assert "A castle made of sweets" in fake_openai.calls("images/generations")[0].json["prompt"]
    assert TEST_OPENAI_KEY not in page.content()  # type: ignore[attr-defined]


def test_a_bookmark_on_a_fresh_server_opens_inside_the_frame(start_app: StartApp, page: object, tmp_path: Path) -> None:
    # Streamlit's legacy pages/ mode lasts until st.navigation has run once: a fresh server.
    owner = new_owner_id()
    Store.embedded(tmp_path / "data").roster.register(owner)  # a gallery id the studio issued earlier
    url = start_app(STUDIO_DATA_DIR=str(tmp_path / "data"))
    page.goto(f"{url}/variations?u={owner}")  # type: ignore[attr-defined]
    page.get_by_role("heading", name="Variations").wait_for()  # type: ignore[attr-defined]
    page.get_by_text("Image engine").wait_for()  # type: ignore[attr-defined]  # the sidebar of app.py
    assert page.url.endswith(f"/variations?u={owner}")  # type: ignore[attr-defined]


def test_a_mistyped_gallery_link_says_so_and_starts_a_new_gallery(start_app: StartApp, page: object) -> None:
    url = start_app()
    page.goto(f"{url}/gallery?u=Xy3-mistyped-gallery-id")  # type: ignore[attr-defined]
    page.get_by_text("This gallery link was not recognised").wait_for()  # type: ignore[attr-defined]
    assert "mistyped" not in page.url  # type: ignore[attr-defined]
