"""The class in a real browser: two students make pictures, one hands in to the monuments task;
the teacher unlocks, sees both students' pictures with their names, opens the hand-in and
comments; the student sees the comment after a reload. Screenshots in test-artifacts/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, StartApp, wait_idle

PASSCODE = "owl-and-pussycat"


def new_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, timezone_id="Europe/Paris")
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"class_{name}.png"), full_page=True)


def make_picture(page: Any, url: str, name: str, prompt: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name="Create a picture").wait_for()
    wait_idle(page)
    page.wait_for_url(re.compile(r"[?&]u="))
    field = page.get_by_role("textbox", name="Your name (optional)")
    field.fill(name)
    field.press("Enter")
    wait_idle(page)
    page.get_by_label("Describe your picture").fill(prompt)
    page.get_by_role("button", name="Create").click()
    page.locator("[data-testid='stImage']").first.wait_for()
    wait_idle(page)


@pytest.mark.browser
def test_two_students_a_hand_in_and_the_teachers_comment(start_app: StartApp, browser: Any) -> None:
    url = start_app(STUDIO_ENGINE="storybook", TEACHER_PASSCODE=PASSCODE)
    ada, alan, teacher = new_page(browser), new_page(browser), new_page(browser)
    try:
        make_picture(ada, url, "Ada", "the Eiffel Tower on the moon")
        make_picture(alan, url, "Alan", "a pyramid in the snow")

        # Ada hands in her picture from her gallery.
        ada.get_by_role("link", name="Gallery").click()
        ada.get_by_role("heading", name="My gallery").wait_for()
        wait_idle(ada)
        ada.get_by_role("button", name="🔍 Open", exact=True).click()
        wait_idle(ada)
        ada.get_by_text("📮 Hand in this picture").click()
        ada.get_by_label("Title").fill("Tower on the moon")
        ada.get_by_label("One sentence about your picture").fill("It floats above the craters.")
        ada.get_by_role("button", name="📮 Hand in").click()
        ada.get_by_text("Handed in! Your teacher can see it now.").wait_for()
        wait_idle(ada)
        ada.get_by_text("My assignments (1 handed in)").wait_for()  # counted at once, with no reload
        shot(ada, "1_student_handed_in")

        # The teacher unlocks and sees both students' pictures, each with its student's name.
        teacher.goto(f"{url}/teacher")
        field = teacher.get_by_label("Teacher passcode")
        field.wait_for()
        field.fill(PASSCODE)
        teacher.get_by_role("button", name="🔓 Unlock").click()
        teacher.get_by_text("Unlocked.").wait_for()
        wait_idle(teacher)
        wall = teacher.locator("[data-testid='stTabPanel']").first
        wall.get_by_text("2 pictures · page 1 of 1").wait_for()
        shot(teacher, "2_class_view")
        for words in ("Ada", "Alan", "the Eiffel Tower on the moon", "a pyramid in the snow"):
            wall.get_by_test_id("stText").filter(has_text=re.compile(f"^{re.escape(words)}$")).first.wait_for()
        wall.locator("img").nth(1).wait_for()
        assert wall.locator("img").count() == 2
        wall.get_by_text("times in Europe/Paris").wait_for()
        shot(teacher, "2_class_view")

        # The Assignments tab: Ada handed in, Alan not yet; open the hand-in and comment.
        teacher.get_by_role("tab", name="📝 Assignments").click()
        tab = teacher.locator("[data-testid='stTabPanel']:visible")
        tab.get_by_text("Handed in: 1 student").wait_for()
        tab.get_by_text("Not yet: 1").wait_for()
        tab.get_by_role("button", name="🔍 Open").click()
        wait_idle(teacher)
        tab.get_by_text("It floats above the craters.").wait_for()
        tab.get_by_label("Your comment (the student sees it next to the picture)").fill("Lovely idea, Ada!")
        tab.get_by_role("button", name="💬 Save the comment").click()
        tab.get_by_text("Saved. The student sees it in their gallery.").wait_for()
        wait_idle(teacher)
        shot(teacher, "3_hand_in_commented")

        # Ada reloads her gallery and reads the comment; Alan sees nothing of it.
        ada.reload()
        ada.get_by_role("heading", name="My gallery").wait_for()
        wait_idle(ada)
        shot(ada, "4_student_sees_comment")
        ada.get_by_text("Your teacher: Lovely idea, Ada!").first.wait_for()
        shot(ada, "4_student_sees_comment")
        alan.get_by_role("link", name="Gallery").click()
        alan.get_by_role("heading", name="My gallery").wait_for()
        alan.get_by_text("a pyramid in the snow").first.wait_for()  # his own picture is there...
        wait_idle(alan)
        assert alan.get_by_text("1 picture", exact=True).count() == 1  # ...and nobody else's
        assert alan.get_by_text("Lovely idea").count() == 0
        assert alan.get_by_text("Eiffel").count() == 0
        shot(alan, "5_other_student_gallery")
    finally:
        for page in (ada, alan, teacher):
            page.context.close()
