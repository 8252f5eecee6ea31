"""A walk of every page as a student and as a teacher, with a screenshot of each in test-artifacts/.

Also reads Chromium's accessibility tree of the Create page: every picture has a name (its alt
text, the prompt) and every button has words, not only an icon.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS, StartApp, wait_idle

pytestmark = pytest.mark.browser

#: Each page's name in the sidebar, and words its last part shows once it is drawn.
PAGES = {"Create": "Create", "Edit": "Start from", "Variations": "Start from", "Compare": "Sweep",
         "Gallery": "Read the settings back", "Teacher": "times in |locked because"}  # fmt: skip
OWNER = "walk-owner-0123456789"


def _shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"walk-{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _make_one(page: object, url: str, prompt: str) -> None:
    page.goto(f"{url}/?u={OWNER}")  # type: ignore[attr-defined]
    box = page.get_by_label("Describe your picture")  # type: ignore[attr-defined]
    box.fill(prompt)
    box.press("Control+Enter")
    page.get_by_role("button", name="✨ Create").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.locator("[data-testid='stImage'] img").first.wait_for()  # type: ignore[attr-defined]


def _walk(page: object, who: str) -> None:
    # Through the sidebar's links, as a person would: the session (and a teacher's unlock) stays.
    for name, marker in PAGES.items():
        page.get_by_role("link", name=re.compile(name)).first.click()  # type: ignore[attr-defined]
        page.get_by_role("heading", name=re.compile(name, re.IGNORECASE)).first.wait_for()  # type: ignore[attr-defined]
        page.get_by_text(re.compile(marker)).last.wait_for()  # type: ignore[attr-defined]
        wait_idle(page)
        body = page.locator("body").inner_text()  # type: ignore[attr-defined]
        assert "Traceback" not in body and "/work/" not in body, (who, name)
        _shot(page, f"{who}-{name.lower()}")


def test_a_student_walks_every_page(start_app: StartApp, page: object) -> None:
    url = start_app()
    _make_one(page, url, "a cat on a beach with ![t](http://host/x.png)")
    assert page.locator("img[src^='http://host']").count() == 0  # type: ignore[attr-defined]
    _walk(page, "student")


def test_a_teacher_walks_every_page(start_app: StartApp, page: object) -> None:
    url = start_app(TEACHER_PASSCODE="walk-passcode")
    page.goto(f"{url}/teacher?u={OWNER}")  # type: ignore[attr-defined]
    page.get_by_label("Teacher passcode").fill("walk-passcode")  # type: ignore[attr-defined]
    page.get_by_role("button", name="🔓 Unlock").click()  # type: ignore[attr-defined]
    page.get_by_text("Unlocked.").wait_for()  # type: ignore[attr-defined]
    _walk(page, "teacher")
    page.get_by_role("button", name="🔒 Lock").wait_for()  # type: ignore[attr-defined]  # still unlocked


def test_the_create_page_reads_well_to_a_screen_reader(start_app: StartApp, page: object) -> None:
    url = start_app()
    _make_one(page, url, "a red kite over the sea")
    tree = page.locator("[data-testid='stMain']").aria_snapshot()  # type: ignore[attr-defined]
    images = re.findall(r'^\s*- img(?: "([^"]*)")?', tree, flags=re.MULTILINE)
    assert images and all(images), tree  # every picture has a name
    assert any("a red kite over the sea" in name for name in images)
    buttons = re.findall(r'^\s*- button(?: "([^"]*)")?', tree, flags=re.MULTILINE)
    assert buttons and all(re.search(r"[A-Za-z]{2}", name) for name in buttons), buttons
