"""The Compare page in a real browser: one click, two columns of pictures side by side."""

from __future__ import annotations

import pytest

from tests.browser.conftest import StartApp, wait_idle

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
