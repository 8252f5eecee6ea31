"""Live progress in a real browser: the fake server streams slowly, and the partial picture shows
before the final one (issue 15)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, StartApp, wait_idle
from tests.fake_openai import TEST_OPENAI_KEY, FakeOpenAI, colour_for

pytestmark = pytest.mark.browser

#: The colour of the top-left pixel of an image element, read through a canvas.
_PIXEL_JS = """img => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d'); g.drawImage(img, 0, 0);
    return Array.from(g.getImageData(2, 2, 1, 1).data.slice(0, 3));
}"""


def _pixel(page: Any, selector: str) -> tuple[int, ...]:
    return tuple(page.locator(selector).first.evaluate(_PIXEL_JS))


def test_a_partial_picture_shows_before_the_final_one(start_app: StartApp, page: Any, fake_openai: FakeOpenAI) -> None:
    fake_openai.stream_interval = 1.5  # seconds between two events: a slow, high-quality picture
    url = start_app(OPENAI_API_KEY=TEST_OPENAI_KEY, OPENAI_BASE_URL=fake_openai.base_url, OPENAI_MAX_RETRIES="0")
    page.goto(url)
    box = page.get_by_label("Describe your picture")
    box.fill("A castle made of sweets")
    box.press("Control+Enter")
    page.get_by_role("button", name="✨ Create").click()

    partial = "[data-testid='stImage']:has-text('Still drawing') img"
    page.locator(partial).first.wait_for(timeout=30_000)
    page.locator(partial).first.evaluate(
        "img => img.complete && img.naturalWidth ? true : new Promise(done => { img.onload = () => done(true); })"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "streaming-partial.png"), full_page=True)
    rough = _pixel(page, partial)
    assert page.get_by_role("button", name="⬇️ Download").count() == 0  # nothing final yet

    wait_idle(page)
    page.get_by_role("button", name="⬇️ Download").wait_for()
    page.screenshot(path=str(ARTIFACTS / "streaming-final.png"), full_page=True)
    assert page.locator(partial).count() == 0  # the rough picture made way for the final one
    sent = fake_openai.calls("images/generations")[0].json
    assert sent["stream"] is True and sent["partial_images"] == 2
    final = _pixel(page, "[data-testid='stImage'] img")
    expected = colour_for(sent["prompt"], 0)
    # Within 2 levels: the browser's colour handling may move a channel by one.
    assert all(abs(a - b) <= 2 for a, b in zip(final, expected, strict=True)), (final, expected)
    assert sum(abs(a - b) for a, b in zip(rough, final, strict=True)) > 30, (rough, final)
    assert TEST_OPENAI_KEY not in page.content()
