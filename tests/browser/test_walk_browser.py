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
PAGES = {"Create": "Create", "Edit": "Say what should be there|not made any pictures",
         "Variations": "Make variations|not made any pictures", "Compare": "Sweep",
         "Gallery": "Download all|No pictures yet", "Teacher": "times in |locked because"}  # fmt: skip
OWNER = "walk-owner-0123456789"


#: Every picture on the page has finished loading (or failed to: then it is broken, and visible).
_IMAGES_DONE = "Array.from(document.images).every(i => i.complete)"
#: Every open expander has finished its opening animation (it is as tall as its content).
_EXPANDERS_OPEN = (
    "Array.from(document.querySelectorAll('[data-testid=stExpander] details'))"
    ".every(d => d.getBoundingClientRect().height + 1 >= d.scrollHeight)"
)
#: No element is still a grey placeholder (Streamlit draws one while a widget's code loads).
_NO_SKELETONS = "document.querySelectorAll('[data-testid=stSkeleton]').length === 0"
#: How tall the page's content is: Streamlit scrolls inside its main area, not the document.
_CONTENT_HEIGHT = "Math.max(document.querySelector('[data-testid=stMain]')?.scrollHeight || 0, window.innerHeight)"


def _shot(page: object, name: str) -> None:
    """A screenshot of the whole page: the window is made as tall as the content, pictures loaded."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size  # type: ignore[attr-defined]
    page.wait_for_function(_IMAGES_DONE)  # type: ignore[attr-defined]
    page.wait_for_function(_EXPANDERS_OPEN)  # type: ignore[attr-defined]
    page.wait_for_function(_NO_SKELETONS)  # type: ignore[attr-defined]
    height = min(int(page.evaluate(_CONTENT_HEIGHT)), 8000)  # type: ignore[attr-defined]
    page.set_viewport_size({"width": size["width"], "height": height})  # type: ignore[attr-defined]
    wait_idle(page)
    page.wait_for_function(_IMAGES_DONE)  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / f"walk-{name}.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size(size)  # type: ignore[attr-defined]


def _make_one(page: object, url: str, prompt: str) -> None:
    page.goto(f"{url}/?u={OWNER}")  # type: ignore[attr-defined]
    box = page.get_by_label("Describe your picture")  # type: ignore[attr-defined]
    box.fill(prompt)
    box.press("Control+Enter")
    page.get_by_role("button", name="✨ Create").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.locator("[data-testid='stImage'] img").first.wait_for()  # type: ignore[attr-defined]


def _compare_once(page: object, url: str) -> None:
    """One Compare run, so the gallery has an experiment to fold and the pickers many pictures."""
    page.get_by_role("link", name=re.compile("Compare")).first.click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="⚖️ Compare").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.get_by_text("How alike:").first.wait_for()  # type: ignore[attr-defined]


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
    _compare_once(page, url)
    _walk(page, "student")
    # The walk ends on the Teacher page; back to the gallery to unfold the comparison.
    page.get_by_role("link", name=re.compile("Gallery")).first.click()  # type: ignore[attr-defined]
    folded = page.get_by_text(re.compile("Comparison: .* 6 pictures")).first  # type: ignore[attr-defined]
    folded.click()
    wait_idle(page)
    page.get_by_text("B: randomness 0.9").first.wait_for()  # type: ignore[attr-defined]
    page.get_by_role("button", name="🔍 Open").nth(6).wait_for()  # type: ignore[attr-defined]  # 6 inside, 1 outside
    wait_idle(page)
    _shot(page, "student-gallery-unfolded")
    # A reload starts a new session: Create shows the last pictures made there again.
    page.get_by_role("link", name=re.compile("Create")).first.click()  # type: ignore[attr-defined]
    page.get_by_role("heading", name=re.compile("Create a picture")).first.wait_for()  # type: ignore[attr-defined]
    # The sidebar's link drops the query; the page puts the gallery id back: wait for it, then reload.
    page.wait_for_url(re.compile(r"/\?u=[A-Za-z0-9_-]{22}$"))  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    page.get_by_role("heading", name=re.compile("Create a picture")).first.wait_for()  # type: ignore[attr-defined]
    main = page.locator("[data-testid='stMain']")  # type: ignore[attr-defined]
    main.get_by_role("img", name=re.compile("a cat on a beach")).first.wait_for()
    wait_idle(page)
    _shot(page, "student-create-reloaded")


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
