"""What a student meets on the first day (issue 14): crashes they could reach, now friendly messages."""

from __future__ import annotations

import html as htmllib
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from streamlit.testing.v1 import AppTest

from lib import pnginfo
from lib.pictures import new_owner_id
from lib.settings import load_settings
from lib.store import Store
from lib.store.pictures import Pictures
from tests.fake_openai import TEST_OPENAI_KEY, FakeOpenAI
from tests.helpers import pictures_in

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ["pages/create.py", "pages/edit.py", "pages/variations.py", "pages/compare.py"]


def _png_with_record(text: str) -> bytes:
    """A small PNG whose ``edu4all`` text chunk holds ``text`` as it is (a hand-crafted file)."""
    info = PngInfo()
    info.add_itxt(pnginfo.CHUNK_KEYWORD, text)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 100, 50)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def _gallery(owner: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    Store.embedded(load_settings(dotenv_path=None).data_dir).roster.register(owner)  # as if the app issued it
    at.query_params["u"] = owner
    at.switch_page("pages/gallery.py")
    return at.run()


@pytest.mark.parametrize("page", PAGES)
def test_azure_not_set_up_is_explained_not_a_crash(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A teacher who unlocked still sees the engine that is not set up, and may choose it.
    monkeypatch.setenv("TEACHER_PASSCODE", "open-sesame")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["teacher_unlocked"] = True
    at.session_state["studio_engine"] = "azure"  # chosen in the sidebar
    at.switch_page(page).run()

    assert not at.exception
    words = " ".join(str(el.value) for kind in ("info", "warning") for el in at.get(kind))
    assert "Azure OpenAI" in words and "not set up" in words


def test_deeply_nested_settings_in_a_dropped_png_are_refused_calmly() -> None:
    deep = '{"app": "edu4all", "prompt_typed": "a cat", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    at = _gallery(new_owner_id())
    at.file_uploader(key="gallery_drop").upload("deep.png", _png_with_record(deep), "image/png")
    at.run()

    assert not at.exception
    assert any("no Studio settings inside" in i.value for i in at.info)


def test_out_of_range_settings_from_a_png_are_clamped_before_create_shows_them() -> None:
    record = {"app": "edu4all", "prompt_typed": "a cat on a beach", "engine": "storybook", "model": "storybook-1",
              "size": "512x512", "seed": 2**40, "temperature": 7.5}  # fmt: skip
    at = _gallery(new_owner_id())
    at.file_uploader(key="gallery_drop").upload("hot.png", _png_with_record(json.dumps(record)), "image/png")
    at.run()
    at.button(key="gallery_drop_reuse").click().run()

    assert not at.exception
    assert at.text_area(key="create_prompt").value == "a cat on a beach"
    assert at.slider(key="create_temperature").value == 1.0
    assert at.number_input(key="create_seed").value == 2**31 - 1


def _sidebar_words(at: AppTest) -> str:
    return " ".join(str(el.value) for kind in ("success", "warning", "caption") for el in at.sidebar.get(kind))


def test_students_see_only_engines_that_work_and_no_hosts(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", TEST_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["studio_engine"] = "openai"  # chosen in the sidebar
    at.run()

    assert not at.exception
    engines = at.selectbox(key="studio_engine")
    assert engines.options == ["Offline storybook engine", "OpenAI"]  # Azure is not set up here
    assert "OpenAI" in _sidebar_words(at) and "ready" in _sidebar_words(at)
    assert "127.0.0.1" not in _sidebar_words(at)


def test_a_teacher_sees_every_engine_and_how_to_set_it_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEACHER_PASSCODE", "open-sesame")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["teacher_unlocked"] = True
    at.session_state["studio_engine"] = "azure"
    at.run()

    engines = at.selectbox(key="studio_engine")
    assert {"Offline storybook engine", "OpenAI (not set up)", "Azure OpenAI (not set up)"} <= set(engines.options)
    assert "AZURE_OPENAI_ENDPOINT" in _sidebar_words(at)


def test_an_unexpected_error_is_a_kind_sentence(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire at /srv/secret/path")

    monkeypatch.setattr(Pictures, "overview", broken)
    at = _gallery(new_owner_id())

    assert not at.exception
    [error] = at.error
    assert "Something went wrong" in error.value and "/srv/secret" not in error.value
    assert any("disk on fire" in (r.exc_text or "") for r in caplog.records)


def test_students_never_get_error_details_from_streamlit() -> None:
    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def _markdown_sources(at: AppTest) -> list[str]:
    """Every piece of Markdown the page sends: texts, captions, alerts and image captions."""
    sources = [str(el.value) for kind in ("markdown", "caption", "info", "warning", "error", "success")
               for el in at.get(kind)]  # fmt: skip
    sources += [caption for image in at.image for caption in image.captions if caption]
    return sources


def test_prompts_are_shown_as_text_never_as_markdown() -> None:
    from markdown_it import MarkdownIt

    from lib.settings import load_settings
    from lib.studio import Studio

    typed = "![t](http://host/x.png) **bold** <b>x</b>"
    owner = new_owner_id()
    store = pictures_in(load_settings(dotenv_path=None).data_dir)
    [image_id] = (
        Studio(load_settings(dotenv_path=None), save=store.save)
        .generate(
            prompt=typed, engine="storybook", model="storybook-1", size="256x256", n=1, owner=owner, page="create"
        )
        .ids
    )
    at = _gallery(owner)
    at.button(key=f"gallery_open_{image_id}").click().run()

    assert not at.exception
    render = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render
    shown = [render(source) for source in _markdown_sources(at)]
    assert not [html for html in shown if "<img" in html or "<strong>bold" in html]
    # The words read as typed: in the thumbnail's caption and as the title of the picture opened large.
    as_text = [htmllib.unescape(re.sub(r"<[^>]+>", "", html)) for html in shown]
    assert sum(typed in text for text in as_text) >= 2


def test_the_words_on_create_survive_a_visit_to_another_page() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_area(key="create_prompt").input("a giraffe in a library").run()
    at.switch_page("pages/gallery.py").run()
    at.switch_page("pages/create.py").run()
    assert at.text_area(key="create_prompt").value == "a giraffe in a library"


def test_compare_starts_at_the_same_size_as_create() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.selectbox(key="compare_size_storybook_storybook-1").value == "512x512"
    assert "AUTOMATIC1111" not in " ".join(c.value for c in at.caption)
