"""The gallery in a real browser: a picture made on Create is still there after a reload."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from lib import pnginfo
from lib.pictures import new_owner_id
from lib.store import Store
from tests.browser.conftest import StartApp, wait_idle
from tests.pages.edit_helpers import made, source_png


@pytest.mark.browser
def test_a_picture_survives_a_reload_and_a_bookmark(start_app: StartApp, page: Any, browser: Any) -> None:
    url = start_app(STUDIO_ENGINE="storybook")
    page.goto(url)
    page.get_by_role("heading", name="Create a picture").wait_for()
    wait_idle(page)
    page.wait_for_url(re.compile(r"[?&]u="))
    owner = parse_qs(urlparse(page.url).query)["u"][0]

    page.get_by_label("Describe your picture").fill("a lighthouse on a rock at night")
    page.get_by_role("button", name="Create").click()
    page.locator("[data-testid='stImage']").first.wait_for()
    wait_idle(page)

    # Reloading the page ends the Streamlit session: only the disk still knows the picture.
    page.reload()
    wait_idle(page)
    page.get_by_role("link", name="Gallery").click()
    page.get_by_role("heading", name="My gallery").wait_for()
    wait_idle(page)
    page.get_by_text("a lighthouse on a rock at night").first.wait_for()
    page.get_by_text("1 picture", exact=True).wait_for()
    assert page.get_by_role("button", name="🔍 Open", exact=True).count() == 1
    assert parse_qs(urlparse(page.url).query)["u"] == [owner]

    # "Download all as ZIP" builds the archive only when clicked; it holds the PNG with its settings.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download all 1 as ZIP").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        [name] = archive.namelist()
        record = pnginfo.read_settings(archive.read(name))
    assert record is not None and record["prompt_typed"] == "a lighthouse on a rock at night"

    # A bookmark of the gallery opens the same pictures in a brand-new browser context...
    other = browser.new_context()
    try:
        bookmark = other.new_page()
        bookmark.goto(f"{url}/gallery?u={owner}")
        bookmark.get_by_text("a lighthouse on a rock at night").first.wait_for(timeout=30_000)
        # ...while a browser without the id gets its own, empty gallery.
        stranger = other.new_page()
        stranger.goto(f"{url}/gallery")
        stranger.get_by_text("No pictures yet").wait_for(timeout=30_000)
    finally:
        other.close()


@pytest.mark.browser
def test_the_zip_holds_what_the_filter_found_and_no_hidden_picture(
    start_app: StartApp, page: Any, tmp_path: Path
) -> None:
    data_dir, owner = tmp_path / "data", new_owner_id()
    store = Store.embedded(data_dir)
    store.roster.register(owner)
    png = source_png((64, 64))
    ids = {p: store.pictures.save(made(png, p), owner=owner, page="create") for p in ("a dog", "a big dog", "a cat")}
    hidden = store.pictures.save(made(png, "a hidden dog"), owner=owner, page="create")
    store.pictures.set_hidden(hidden, True)
    url = start_app(STUDIO_ENGINE="storybook", STUDIO_DATA_DIR=str(data_dir))
    page.goto(f"{url}/gallery?u={owner}")
    page.get_by_role("heading", name="My gallery").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="📦 Download all 3 as ZIP").wait_for()  # the hidden one is not counted
    page.get_by_label("Words in the prompt").fill("dog")
    page.get_by_label("Words in the prompt").press("Enter")
    page.get_by_text("3 pictures", exact=True).wait_for()  # two dogs and the hidden one's note
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="📦 Download the 2 pictures you found as ZIP").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        found = {name[len("2026-01-01_00-00-00_") :].removesuffix(".png") for name in archive.namelist()}
    assert found == {ids["a dog"], ids["a big dog"]}
