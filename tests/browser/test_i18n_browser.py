"""The studio in the student's language, in real headless Chromium: Create in Spanish, Hindi, Arabic
(right to left) and Chinese (screenshots in test-artifacts/), and the sidebar's picker."""

from __future__ import annotations

from pathlib import Path

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


def _class_with_pictures(data_dir: Path) -> str:
    """A class with three students' pictures and a hand-in; returns Ada's gallery id."""
    from lib.pictures import new_owner_id
    from lib.settings import Settings
    from lib.store import Store
    from lib.studio import Studio

    store = Store.embedded(data_dir)
    studio = Studio(Settings(data_dir=data_dir), save=store.pictures.save)
    owners = {}
    for name, prompts in (("Ada", ("un perro junto a la Torre Eiffel", "قطة على القمر")),
                          ("Alan", ("一只熊猫在长城上",)), ("Zoë", ("un château sous la mer",))):  # fmt: skip
        owner = owners[name] = new_owner_id()
        store.roster.register(owner)
        store.roster.set_name(owner, name)
        for prompt in prompts:
            studio.generate(prompt=prompt, engine="storybook", model="storybook-1", size="256x256", n=1, seed=4,
                            temperature=0.3, owner=owner, page="create")  # fmt: skip
    ada = owners["Ada"]
    task = store.classwork.assignments()[0]
    store.classwork.hand_in(ada, task.id, store.pictures.list(ada, limit=1)[0].id, title="برج", sentence="✨")
    store.close()
    return ada


def test_the_gallery_in_arabic_and_the_class_in_spanish(start_app: StartApp, page: object, tmp_path: Path) -> None:
    data_dir = tmp_path / "class"
    ada = _class_with_pictures(data_dir)
    url = start_app(STUDIO_DATA_DIR=str(data_dir), TEACHER_PASSCODE="owl-and-pussycat")

    page.goto(f"{url}/gallery?lang=ar&u={ada}")  # type: ignore[attr-defined]
    page.get_by_role("heading", name="معرضي").wait_for()  # type: ignore[attr-defined]
    main = page.locator("[data-testid='stMain']")  # type: ignore[attr-defined]
    main.get_by_text("2 صورتان").wait_for()
    main.locator("[data-testid='stImage'] img").nth(1).wait_for()
    wait_idle(page)
    assert main.evaluate("el => getComputedStyle(el).direction") == "rtl"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "gallery-ar.png"), full_page=True)  # type: ignore[attr-defined]

    page.goto(f"{url}/teacher?lang=es")  # type: ignore[attr-defined]
    field = page.get_by_label("Clave del profesor")  # type: ignore[attr-defined]
    field.fill("owl-and-pussycat")
    page.get_by_role("button", name="🔓 Desbloquear").click()  # type: ignore[attr-defined]
    wall = page.locator("[data-testid='stTabPanel']").first  # type: ignore[attr-defined]
    wall.get_by_text("4 imágenes · página 1 de 1").wait_for()
    wall.locator("[data-testid='stImage'] img").nth(3).wait_for()
    wait_idle(page)
    assert wall.get_by_role("button", name="🔍 Abrir").count() == 4
    page.screenshot(path=str(ARTIFACTS / "class-es.png"), full_page=True)  # type: ignore[attr-defined]
