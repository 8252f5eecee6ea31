"""Every page in every language: nothing the catalogs hold is left in English, and the choice sticks.

Each page is rendered by Streamlit's AppTest with ``?lang=`` set; every label, help text, option,
caption and message box it shows is compared with the English catalog (``locales/messages.pot``):
a text that is an English message (or holds one) fails. For the languages not written in Latin
letters, a run of three English words that is in no catalog fails too (a string nobody wrapped).
Names stay as they are (the studio's own, models, settings).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from lib import compare
from lib.engines import get_engine
from lib.pictures import new_owner_id
from lib.rules import DEFAULT_DISALLOW, DEFAULT_METAPROMPT, TeacherRules
from lib.settings import load_settings
from lib.store import Store
from lib.studio import Studio
from lib.ui import i18n
from tests.helpers import save_rules_in

APP = str(Path(__file__).resolve().parents[2] / "app.py")
POT = i18n.LOCALES / "messages.pot"
OTHER = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE]
#: Pages whose own words are not wrapped yet (a strict xfail, so it fails once they are).
NOT_YET: set[str] = set()
PASSCODE = "owl-and-pussycat"
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
    r"\b[\w-]+/[\w.-]+|"  # Hugging Face models: stabilityai/sd-turbo
    r"Stonehenge|Big Ben|"  # monuments every language calls by their name
    + "|".join(re.escape(name) for name in i18n.LANGUAGES.values())  # the picker: each in its own name
)
_ENGLISH_RUN = re.compile(r"(?<![\w'])[A-Za-z][a-z']+(?: [A-Za-z][a-z']+){2,}")


@cache
def english(lang: str) -> tuple[list[re.Pattern[str]], list[str]]:
    """The English catalog as patterns (placeholders match anything) and as plain sentences, less
    the words ``lang`` writes the same way ("Style" in French); a plural by both its forms."""
    said = i18n.catalog(lang)
    ids: list[str] = []
    with POT.open("rb") as f:
        for m in read_po(f):
            if isinstance(m.id, tuple | list):
                singular, plural = str(m.id[0]), str(m.id[1])
                ids += [form for n, form in ((1, singular), (2, plural)) if said.ngettext(singular, plural, n) != form]
            elif m.id and said.gettext(str(m.id)) != m.id:
                ids.append(str(m.id))
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
    """Everything a student reads on the page (labels, help, options, placeholders, messages, the
    pictures' captions and alt texts, tables' column names)."""
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success", "text"):
        for element in at.get(kind):
            yield from str(element.value).split("\n")
    for element in at.get("image"):
        for picture in getattr(getattr(element, "proto", None), "imgs", ()):
            yield from (text for text in (picture.caption, picture.alt) if text)
    for element in at.get("dataframe"):
        yield from (str(column) for column in element.value.columns)
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


def english_left(
    at: AppTest, lang: str, same_page_in_english: frozenset[str] = frozenset(), typed: tuple[str, ...] = ()
) -> list[str]:
    """The texts of ``at`` that are English: messages of the catalog, a text shown word for word
    on the same page in English (a string nobody wrapped), or a run of English words in a language
    not written in Latin letters. What people ``typed`` (names, prompts, titles) is left out."""
    patterns, sentences = english(lang)
    kept_as_is = {_clean(i18n.catalog(lang).gettext(m)) for m in _all_ids()}  # "Style" in French
    found = []
    for raw in _texts(at):
        for words in typed:
            raw = raw.replace(words, " ")
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
        return tuple(form for m in read_po(f) if m.id for form in ((m.id,) if isinstance(m.id, str) else m.id))


@cache
def _english_texts(page: str) -> frozenset[str]:
    return frozenset(_clean(text) for text in _texts(_page(page, "en")))


@dataclass(frozen=True)
class Classroom:
    """A class with work in it: pictures, a Compare run, hand-ins, a comment, a flag and alerts."""

    owner: str
    single: str
    run_key: str
    class_picture: str
    handin: int
    #: What the students and the teacher typed: shown as typed in every language. The metaprompt is
    #: the teacher's (the default one until they rewrite it), sent to online engines as written.
    typed: tuple[str, ...]


#: The teacher's own texts as a new class has them: the metaprompt (sent to online engines as
#: written) and the list of topics not allowed (the screen knows the topics by their English names).
TEACHERS_TEXTS = (TeacherRules().rendered_metaprompt(), DEFAULT_METAPROMPT, ", ".join(DEFAULT_DISALLOW))


def _classroom() -> Classroom:
    settings = load_settings(dotenv_path=None)
    store = Store.embedded(os.environ["STUDIO_DATA_DIR"])
    studio = Studio(settings, save=store.pictures.save)
    owner, nameless = new_owner_id(), new_owner_id()
    store.roster.register(owner)
    store.roster.set_name(owner, "Ada")

    def make(who: str, prompt: str) -> str:
        return studio.generate(prompt=prompt, engine="storybook", model="storybook-1", size="256x256", n=1, seed=3,
                               temperature=0.3, owner=who, page="create").ids[0]  # fmt: skip

    single = make(owner, "猫")
    other = make(nameless, "🐶 42")
    columns = compare.build_columns("temperature", [0.1, 0.9], engine=get_engine("storybook", settings),
                                    prompt="🪁", model="storybook-1", size="256x256")  # fmt: skip
    ran = compare.run_columns(studio, columns, engine="storybook", n=2, owner=owner, page="compare")
    task = store.classwork.assignments()[0]  # the seeded one: said in every language
    handin = store.classwork.hand_in(owner, task.id, single, title="Miau", sentence="🐱🐱")
    store.classwork.comment(handin.id, "👍", done=False)
    store.classwork.flag(other, "flagged by the teacher")
    store.pictures.set_hidden(other, True)
    store.audit.record(owner=owner, stage="prompt screen", category="self-harm", prompt="💔", severity="urgent")
    store.audit.record(owner=nameless, stage="prompt screen", category="weapons", prompt="🔫")
    experiment = store.pictures.get(owner, ran[0].ids[0]).meta["extra"]["experiment"]
    return Classroom(owner=owner, single=single, run_key=f"gallery_exp_x:{experiment}", class_picture=other,
                     handin=handin.id, typed=("Ada", "Miau", nameless[:6], *TEACHERS_TEXTS))  # fmt: skip


_ROOM: dict[str, Classroom] = {}


def _page(page: str, lang: str) -> AppTest:
    """``page`` in ``lang``; the Gallery and the Teacher page with a class's work in them, opened.

    All in one run: a rerun of ``AppTest.switch_page`` runs the page without the app's frame, so
    without its language picker, and the language would be gone by the run after.
    """
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params[i18n.LANG_PARAM] = lang
    room = _ROOM.get(os.environ["STUDIO_DATA_DIR"])
    if room is not None and page != "pages/teacher.py":
        at.query_params["u"] = room.owner  # the student's own pictures (Edit's and Variations' chooser)
    if room is not None and page == "pages/gallery.py":
        # A picture opened large (with its hand-in box) and a Compare run unfolded.
        at.session_state["gallery_selected"] = room.single
        at.session_state[room.run_key] = True
    elif room is not None and page == "pages/teacher.py":
        # Unlocked (the passcode form is checked in English in tests/pages/test_class.py), with a
        # picture of the class and a hand-in opened.
        at.session_state["teacher_unlocked"] = True
        at.session_state["class_selected"] = room.class_picture
        at.session_state["assign_open_handin"] = room.handin
    return at.switch_page(page).run()


@pytest.fixture
def classroom(monkeypatch: pytest.MonkeyPatch, isolated_settings: Path) -> Iterator[Classroom]:
    monkeypatch.setenv("TEACHER_PASSCODE", PASSCODE)
    room = _ROOM[str(isolated_settings)] = _classroom()
    yield room
    del _ROOM[str(isolated_settings)]


@pytest.mark.parametrize("lang", OTHER)
@pytest.mark.parametrize("page", PAGES)
def test_no_english_is_left_on_the_page(page: str, lang: str, classroom: Classroom) -> None:
    at = _page(page, lang)
    assert not at.exception
    assert at.session_state[i18n.LANG_KEY] == lang
    left = english_left(at, lang, _english_texts(page), classroom.typed)
    assert not left, f"{page} in {lang} still shows English: {left[:40]}"


def test_the_gallery_and_the_teacher_page_are_checked_with_work_in_them(classroom: Classroom) -> None:
    # The check above reads pages full of pictures, not empty ones.
    gallery = _page("pages/gallery.py", "es")
    expanders = [e.label for e in gallery.expander]
    assert any(label.startswith("⚖️ Comparación") for label in expanders)  # the Compare run's card
    assert any("**A: azar 0.1**" in m.value for m in gallery.markdown)  # unfolded, its columns said again
    assert gallery.button(key="gallery_reuse").label.endswith("Usar otra vez estos ajustes")  # opened large
    assert gallery.selectbox(key="handin_task").label == "Tarea"  # the hand-in box's picker
    assert len(gallery.image) >= 4
    teacher = _page("pages/teacher.py", "es")
    shown = " ".join(str(t.value) for kind in ("text", "caption", "subheader") for t in teacher.get(kind))
    assert "Ada" in shown and "Entregado: 1 alumno" in shown and "Todavía no: 1" in shown
    assert any("Marcada: marcada por el profesor" in w.value for w in teacher.warning)
    assert [t.label for t in teacher.tabs][:4] == ["🖼️ Clase", "🚨 Avisos (2 nuevos)", "👥 Alumnos", "📝 Tareas"]
    columns = [list(frame.value.columns) for frame in teacher.dataframe]
    assert ["alumno", "imágenes hoy"] == columns[0][:2] or ["alumno", "imágenes hoy"] == columns[1][:2]


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
