"""Every page in every language: nothing the catalogs hold is left in English, and the choice sticks.

Each page is rendered by Streamlit's AppTest with ``?lang=`` set; every label, help text, option,
caption and message box it shows is compared with the English catalog (``locales/messages.pot``):
a text that is an English message (or holds one) fails. For the languages not written in Latin
letters, a run of three English words that is in no catalog fails too (a string nobody wrapped).
Names stay as they are (the studio's own, models, settings).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from lib.rules import TeacherRules
from lib.settings import load_settings
from lib.ui import i18n
from tests.helpers import save_rules_in

APP = str(Path(__file__).resolve().parents[2] / "app.py")
POT = i18n.LOCALES / "messages.pot"
OTHER = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE]
#: Pages whose own words another helper is changing now: wrapped after the lead merges them.
NOT_YET = {"pages/gallery.py"}
PAGES = [
    pytest.param(page, marks=pytest.mark.xfail(strict=True, reason="its module is wrapped after the merge"))
    if page in NOT_YET
    else page
    for page in ("pages/create.py", "pages/edit.py", "pages/variations.py", "pages/compare.py", "pages/gallery.py",
                 "pages/teacher.py")
]  # fmt: skip
#: Names that are the same in every language.
NAMES = re.compile(
    r"Edu4All|Image Studio|Noto Color Emoji|OpenMoji|OpenAI|Azure|DALL-E|gpt-image[\w.-]*|Entra ID|Eiffel|"
    r"[A-Z][A-Z0-9_]{3,}|\.env|"
    r"secrets\.toml|pip install [\w-]+|torch|PNG|JPEG|WEBP|GIF|BMP|TIFF|MB|API|"
    r"\b[a-z]+(?:-[a-z]+)*-\d[\w.-]*|"  # model names: storybook-1, gpt-image-2, sd-turbo-2
    r"Stonehenge|Big Ben|"  # monuments every language calls by their name
    + "|".join(re.escape(name) for name in i18n.LANGUAGES.values())  # the picker: each in its own name
)
_ENGLISH_RUN = re.compile(r"(?<![\w'])[A-Za-z][a-z']+(?: [A-Za-z][a-z']+){2,}")


@cache
def english(lang: str) -> tuple[list[re.Pattern[str]], list[str]]:
    """The English catalog as patterns (placeholders match anything) and as plain sentences, less
    the words ``lang`` writes the same way ("Style" in French)."""
    with POT.open("rb") as f:
        ids = [str(m.id) for m in read_po(f) if m.id and i18n.catalog(lang).gettext(str(m.id)) != m.id]
    patterns = [re.compile(_pattern(msgid)) for msgid in ids if len(msgid) > 3]
    sentences = [_clean(msgid) for msgid in ids if "{" not in msgid and len(msgid.split()) >= 3]
    return patterns, sentences


def _pattern(msgid: str) -> str:
    parts = re.split(r"\{[A-Za-z_]+\}", _clean(msgid))
    return "^" + ".+?".join(re.escape(part) for part in parts) + "$"


def _clean(text: str) -> str:
    """Without Markdown's stars and escapes, emoji and the spaces around them."""
    text = text.replace("**", "").replace("\\", "")
    text = re.sub(r"[^\w\s.,:;!?'\"()/=+&%<>→\[\]{}@#-]", " ", text)  # emoji and symbols
    return " ".join(text.split())


def _texts(at: AppTest) -> Iterator[str]:
    """Everything a student reads on the page (labels, help, options, placeholders, messages)."""
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        for element in at.get(kind):
            yield from str(element.value).split("\n")
    for kind in (
        "button",
        "selectbox",
        "radio",
        "text_input",
        "text_area",
        "number_input",
        "slider",
        "checkbox",
        "toggle",
        "multiselect",
        "expander",
        "tab",
        "metric",
        "download_button",
        "color_picker",
    ):
        for element in at.get(kind):
            proto: Any = getattr(element, "proto", None)
            for attr in ("label", "help", "placeholder"):
                value = getattr(element, attr, None) or getattr(proto, attr, None)
                if isinstance(value, str) and value:
                    yield value
            for option in getattr(element, "options", None) or ():
                yield str(option)


def english_left(at: AppTest, lang: str, same_page_in_english: frozenset[str] = frozenset()) -> list[str]:
    """The texts of ``at`` that are English: messages of the catalog, a text shown word for word
    on the same page in English (a string nobody wrapped), or a run of English words in a language
    not written in Latin letters."""
    patterns, sentences = english(lang)
    kept_as_is = {_clean(i18n.catalog(lang).gettext(m)) for m in _all_ids()}  # "Style" in French
    found = []
    for raw in _texts(at):
        text = _clean(raw)
        bare = _clean(NAMES.sub(" ", raw.replace("**", "")))
        if len(re.sub(r"[\W\d_]", "", bare)) < 3:
            continue  # a name, a number or a size: the same in every language
        if any(p.match(text) for p in patterns) or any(s in text for s in sentences):
            found.append(raw)
        elif text in same_page_in_english and text not in kept_as_is:
            found.append(raw)
        elif lang in ("hi", "ar", "zh_Hans") and _ENGLISH_RUN.search(bare):
            found.append(raw)
    return found


@cache
def _all_ids() -> tuple[str, ...]:
    with POT.open("rb") as f:
        return tuple(str(m.id) for m in read_po(f) if m.id)


@cache
def _english_texts(page: str) -> frozenset[str]:
    return frozenset(_clean(text) for text in _texts(_page(page, "en")))


def _page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params[i18n.LANG_PARAM] = lang
    at.switch_page(page)
    return at.run()


@pytest.mark.parametrize("lang", OTHER)
@pytest.mark.parametrize("page", PAGES)
def test_no_english_is_left_on_the_page(page: str, lang: str) -> None:
    at = _page(page, lang)
    assert not at.exception
    assert at.session_state[i18n.LANG_KEY] == lang
    left = english_left(at, lang, _english_texts(page))
    assert not left, f"{page} in {lang} still shows English: {left[:6]}"


def test_the_check_sees_english_when_it_is_there() -> None:
    # The same pages in English are full of the catalog's words: the check is not blind.
    at = _page("pages/create.py", "en")
    left = english_left(at, "zh_Hans")
    assert any("Describe your picture" in text for text in left)
    assert len(left) > 10


def test_the_language_survives_a_reload() -> None:
    at = _page("pages/create.py", "es")
    assert at.title[0].value.endswith("Crea una imagen")
    # A reload is a new session that opens the same URL.
    again = AppTest.from_file(APP, default_timeout=60)
    for key, value in at.query_params.items():
        again.query_params[key] = value
    again.switch_page("pages/create.py").run()
    assert again.title[0].value.endswith("Crea una imagen")
    assert _lang_param(again) == "es"
    # The picker in the sidebar, the URL following it and a choice kept across the change are
    # checked in a real browser (tests/browser/test_i18n_browser.py): AppTest formats select box
    # options outside the app's session, so in English, and cannot follow a change of language.


def _lang_param(at: AppTest) -> str:
    value = at.query_params[i18n.LANG_PARAM]
    return value[0] if isinstance(value, list) else str(value)


def test_the_class_language_is_the_default_and_the_url_comes_first() -> None:
    save_rules_in(load_settings(dotenv_path=None).data_dir, TeacherRules(language="fr"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value.endswith("Crée une image")
    assert i18n.LANG_PARAM not in at.query_params  # what a fresh visit gets anyway: a clean link
    assert _page("pages/create.py", "de").title[0].value.endswith("Mach ein Bild")


def test_arabic_is_laid_out_right_to_left() -> None:
    at = _page("pages/create.py", "ar")
    html = " ".join(str(getattr(element, "proto", "")) for element in at.get("html"))
    assert "direction: rtl" in html
    assert "direction: rtl" not in " ".join(
        str(getattr(e, "proto", "")) for e in _page("pages/create.py", "fr").get("html")
    )


@pytest.mark.parametrize(
    ("lang", "prompt", "said"),
    [
        ("es", "", "Primero escribe lo que te gustaría ver: la indicación está vacía."),
        ("ar", "a gun", "الصور عن الأسلحة غير مسموحة في هذا الصف."),
        ("zh_Hans", "一只狗 zxqwv", "故事书引擎还不会画这些词：'zxqwv'。"),
    ],
)
def test_what_lib_says_is_said_in_the_students_language(lang: str, prompt: str, said: str) -> None:
    # An error, a refusal and an engine's note come from lib as codes and templates.
    at = _page("pages/create.py", lang)
    at.text_area(key="create_prompt").input(prompt)
    next(b for b in at.button if b.label.startswith("✨")).click()
    at.run()
    boxes = " ".join(str(box.value) for kind in ("warning", "info", "error") for box in at.get(kind))
    assert said in boxes.replace("\\", ""), boxes
