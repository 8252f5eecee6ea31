"""The Compare page in a real browser: one click, two columns of pictures side by side."""

from __future__ import annotations

import pytest

from tests.browser.conftest import StartApp, wait_idle
from tests.fake_openai import TEST_OPENAI_KEY, FakeOpenAI

pytestmark = pytest.mark.browser


def test_a_comparison_shows_both_columns(start_app: StartApp, page: object) -> None:
    url = start_app(STUDIO_ENGINE="storybook")
    page.goto(url)  # type: ignore[attr-defined]
    # Until app.py has run once, Streamlit shows its own page list from pages/; wait for ours.
    page.get_by_role("combobox", name="Image engine").wait_for()  # type: ignore[attr-defined]
    page.get_by_role("link", name="Compare").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="⚖️ Compare").click()  # type: ignore[attr-defined]

    # Two columns of three pictures each, a likeness score on top of each column.
    images = page.locator("[data-testid='stImage'] img")  # type: ignore[attr-defined]
    images.nth(5).wait_for()
    page.locator("[data-testid='stMetric']").nth(1).wait_for()  # type: ignore[attr-defined]
    wait_idle(page)
    assert images.count() == 6
    assert page.get_by_text("A: randomness 0.1").count() == 1  # type: ignore[attr-defined]
    assert page.get_by_text("B: randomness 0.9").count() == 1  # type: ignore[attr-defined]
    assert page.get_by_role("button", name="🌱 Use this seed").count() == 2  # type: ignore[attr-defined]
    scores = page.locator("[data-testid='stMetricValue']").all_inner_texts()  # type: ignore[attr-defined]
    assert len(scores) == 2 and float(scores[0]) > float(scores[1])  # less randomness, more alike
    # Both columns start from the same seed, shown in each.
    seeds = page.get_by_text("Seed ", exact=False).all_inner_texts()  # type: ignore[attr-defined]
    assert len([s for s in seeds if s.startswith("Seed ") and s[5:].isdigit()]) == 2
    # Tall enough for the fixture's screenshot to hold both columns (Streamlit scrolls inside the page).
    page.set_viewport_size({"width": 1400, "height": 2000})  # type: ignore[attr-defined]
    wait_idle(page)


def _open_compare(page: object, url: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    page.get_by_role("combobox", name="Image engine").wait_for()  # type: ignore[attr-defined]
    page.get_by_role("link", name="Compare").click()  # type: ignore[attr-defined]
    page.get_by_role("heading", name="Compare").first.wait_for()  # type: ignore[attr-defined]


def test_the_sweep_shows_a_chart_and_a_row_per_randomness(start_app: StartApp, page: object) -> None:
    url = start_app(STUDIO_ENGINE="storybook")
    _open_compare(page, url)
    page.get_by_role("button", name="🎚️ Run the sweep").click()  # type: ignore[attr-defined]

    images = page.locator("[data-testid='stImage'] img")  # type: ignore[attr-defined]
    images.nth(14).wait_for()  # five rows of three pictures
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()  # type: ignore[attr-defined]
    wait_idle(page)
    assert images.count() == 15
    for label in ("randomness 0", "randomness 0.25", "randomness 0.5", "randomness 0.75", "randomness 1"):
        assert page.get_by_text(label, exact=True).count() == 1  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 1400, "height": 2600})  # type: ignore[attr-defined]
    wait_idle(page)


def test_a_hosted_engine_explains_and_compares_prompts(
    start_app: StartApp, page: object, fake_openai: FakeOpenAI
) -> None:
    url = start_app(OPENAI_API_KEY=TEST_OPENAI_KEY, OPENAI_BASE_URL=fake_openai.base_url, OPENAI_MAX_RETRIES="0")
    _open_compare(page, url)
    page.get_by_text("has no temperature and no seed").wait_for()  # type: ignore[attr-defined]
    assert page.get_by_text("Randomness", exact=True).count() == 0  # type: ignore[attr-defined]
    page.get_by_text("Words (prompt A against prompt B)").click()  # type: ignore[attr-defined]
    page.get_by_role("textbox", name="Prompt B").wait_for()  # type: ignore[attr-defined]
    wait_idle(page)
    page.get_by_role("button", name="⚖️ Compare").click()  # type: ignore[attr-defined]

    page.locator("[data-testid='stImage'] img").nth(5).wait_for()  # type: ignore[attr-defined]
    wait_idle(page)
    assert page.get_by_text("A: prompt A").count() == 1  # type: ignore[attr-defined]
    assert page.get_by_text("B: prompt B").count() == 1  # type: ignore[attr-defined]
    assert fake_openai.count("images/generations") == 2
    page.set_viewport_size({"width": 1400, "height": 1600})  # type: ignore[attr-defined]
    wait_idle(page)
