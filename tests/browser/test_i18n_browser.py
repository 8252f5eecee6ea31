"""The studio in the student's language, in real headless Chromium: Create in Spanish, Hindi, Arabic
(right to left) and Chinese (screenshots in test-artifacts/), and the sidebar's picker."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, StartApp, wait_idle

pytestmark = pytest.mark.browser

TITLES = {"es": "Crea una imagen", "hi": "एक तस्वीर बनाओ", "ar": "اصنع صورة", "zh_Hans": "创作一张图片"}
BUTTONS = {"es": "✨ Crear", "hi": "✨ बनाओ", "ar": "✨ اصنع", "zh_Hans": "✨ 创作"}


@pytest.mark.parametrize("lang", list(TITLES))
def test_create_in_the_students_language(start_app: StartApp, page: object, lang: str) -> None:
    url = start_app()
    page.goto(f"{url}/?lang={lang}")  # type: ignore[attr-defined]
    page.get_by_role("heading", name=TITLES[lang]).wait_for()  # type: ignore[attr-defined]
    page.get_by_role("button", name=BUTTONS[lang]).click()  # type: ignore[attr-defined]  # an empty prompt
    page.locator("[data-testid='stAlert']").first.wait_for()  # type: ignore[attr-defined]  # "the prompt is empty"
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")  # type: ignore[attr-defined]
    sidebar = page.locator("[data-testid='stSidebarContent']")  # type: ignore[attr-defined]
    direction = main.evaluate("el => getComputedStyle(el).direction")
    assert direction == ("rtl" if lang == "ar" else "ltr")
    assert sidebar.evaluate("el => getComputedStyle(el).direction") == direction
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"create-{lang}.png"), full_page=True)  # type: ignore[attr-defined]


def test_the_picker_changes_the_language_and_a_reload_keeps_it(start_app: StartApp, page: object) -> None:
    url = start_app()
    page.goto(f"{url}/compare")  # type: ignore[attr-defined]
    page.get_by_role("heading", name="Compare").wait_for()  # type: ignore[attr-defined]
    assert "lang=" not in page.url  # type: ignore[attr-defined]  # the browser's own language: a clean link
    page.get_by_text("What changes between the columns?").wait_for()  # type: ignore[attr-defined]
    page.get_by_text("Words (prompt A against prompt B)").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.locator("[data-testid='stSidebarContent'] [data-testid='stSelectbox']").first.click()  # type: ignore[attr-defined]
    page.get_by_role("option", name="Français").click()  # type: ignore[attr-defined]
    page.get_by_role("heading", name="Comparer").wait_for()  # type: ignore[attr-defined]
    wait_idle(page)
    assert "lang=fr" in page.url  # type: ignore[attr-defined]
    page.get_by_text("Moteur d'images").wait_for()  # type: ignore[attr-defined]  # the sidebar, in French
    # The choice made in English is kept (its label is now French).
    checked = page.locator("[data-testid='stRadio'] input:checked")  # type: ignore[attr-defined]
    assert checked.evaluate("el => el.closest('label').innerText").strip() == "Mots (consigne A contre consigne B)"
    page.reload()  # type: ignore[attr-defined]
    page.get_by_role("heading", name="Comparer").wait_for()  # type: ignore[attr-defined]
    assert "lang=fr" in page.url  # type: ignore[attr-defined]
