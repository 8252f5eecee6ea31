"""The Gallery page in AppTest: pictures made through the Studio show up, filter, open, delete."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from lib import pnginfo
from lib.engines.base import GeneratedImage
from lib.pictures import new_owner_id
from lib.settings import load_settings
from lib.store import Store
from lib.store.pictures import Pictures, object_key
from lib.studio import Studio
from lib.ui import gallery, i18n
from tests.helpers import pictures_in

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def store(isolated_settings: Path) -> Pictures:
    """The store the app uses: the test's own data folder (tests/conftest.py sets it)."""
    return pictures_in(isolated_settings)


def make(store: Pictures, owner: str, prompt: str, *, page: str = "create", n: int = 1, seed: int = 5) -> list[str]:
    """Make pictures the way every page does: through the Studio, which saves each one."""
    studio = Studio(load_settings(dotenv_path=None), save=store.save)  # the real offline storybook engine
    return studio.generate(prompt=prompt, engine="storybook", model="storybook-1", size="256x256", n=n, seed=seed,
                           temperature=0.3, owner=owner, page=page).ids  # fmt: skip


def open_gallery(owner: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    Store.embedded(os.environ["STUDIO_DATA_DIR"]).roster.register(owner)  # as if the app had issued it
    at.query_params["u"] = owner
    at.switch_page("pages/gallery.py")
    return at.run()


def open_buttons(at: AppTest) -> list[str]:
    return [b.key.removeprefix("gallery_open_") for b in at.button if (b.key or "").startswith("gallery_open_")]


def test_a_picture_made_through_the_studio_is_in_the_gallery(store: Pictures) -> None:
    owner, stranger = new_owner_id(), new_owner_id()
    [image_id] = make(store, owner, "a lighthouse in a storm")

    at = open_gallery(owner)

    assert not at.exception
    assert open_buttons(at) == [image_id]
    assert "a lighthouse in a storm" in at.image[0].captions[0]
    assert len(at.image) == 1
    # Another browser sees nothing of it.
    other = open_gallery(stranger)
    assert open_buttons(other) == []
    assert any("No pictures yet" in i.value for i in other.info)


def test_filters_by_text_page_and_engine(store: Pictures) -> None:
    owner = new_owner_id()
    castle = make(store, owner, "a castle on a hill")[0]
    dog_compare = make(store, owner, "a dog on a beach", page="compare")[0]
    dog_create = make(store, owner, "a sleepy dog")[0]
    at = open_gallery(owner)
    assert sorted(open_buttons(at)) == sorted([castle, dog_compare, dog_create])

    at.text_input(key=gallery.FILTER_TEXT_KEY).input("DOG").run()
    assert sorted(open_buttons(at)) == sorted([dog_compare, dog_create])

    at.selectbox(key=gallery.FILTER_PAGE_KEY).select("compare").run()
    assert open_buttons(at) == [dog_compare]

    at.text_input(key=gallery.FILTER_TEXT_KEY).input("castle").run()
    assert open_buttons(at) == []
    assert any("No picture matches" in i.value for i in at.info)

    at.text_input(key=gallery.FILTER_TEXT_KEY).input("").run()
    at.selectbox(key=gallery.FILTER_PAGE_KEY).select("").run()
    at.selectbox(key=gallery.FILTER_ENGINE_KEY).select("storybook").run()
    assert len(open_buttons(at)) == 3


def test_pages_of_thumbnails(store: Pictures) -> None:
    owner = new_owner_id()
    ids = [i for k in range(gallery.PAGE_SIZE // 4 + 2) for i in make(store, owner, f"picture {k}", n=4, seed=k)]
    at = open_gallery(owner)
    first = open_buttons(at)
    assert len(first) == gallery.PAGE_SIZE and len(at.image) == gallery.PAGE_SIZE

    at.button(key="gallery_next").click().run()
    second = open_buttons(at)
    assert len(second) == len(ids) - gallery.PAGE_SIZE
    assert sorted(first + second) == sorted(ids)
    assert at.button(key="gallery_next").disabled


def test_open_large_then_delete_with_confirmation(store: Pictures) -> None:
    owner = new_owner_id()
    keep = make(store, owner, "keep me")[0]
    drop = make(store, owner, "delete me", seed=9)[0]
    path = Path(os.environ["STUDIO_DATA_DIR"]) / "images" / object_key(owner, drop)
    at = open_gallery(owner)

    at.button(key=f"gallery_open_{drop}").click().run()
    assert any(m.value == "**delete me**" for m in at.markdown)
    assert len(at.image) == 3  # the large view plus two thumbnails
    assert "seed 9" in " ".join(c.value for c in at.caption)

    at.button(key="gallery_delete").click().run()
    assert any("Delete this picture for good?" in w.value for w in at.warning)
    assert path.exists()  # nothing is deleted before the student confirms
    at.button(key="gallery_delete_no").click().run()
    assert not at.warning and path.exists()

    at.button(key="gallery_delete").click().run()
    at.button(key="gallery_delete_yes").click().run()
    assert not at.exception
    assert not path.exists()
    assert [e.id for e in store.list(owner)] == [keep]
    assert open_buttons(at) == [keep]


def test_a_dropped_png_shows_its_settings_and_can_join_the_gallery(store: Pictures) -> None:
    maker, owner = new_owner_id(), new_owner_id()
    png = store.read_png(maker, make(store, maker, "a kite over the sea", seed=77)[0])
    at = open_gallery(owner)

    at.file_uploader(key="gallery_drop").upload("kite.png", png, "image/png")
    at.run()
    shown = at.table[0].value
    assert shown["prompt typed"].tolist() == ["a kite over the sea"] and shown["seed"].tolist() == ["77"]

    at.button(key="gallery_drop_add").click().run()
    assert any("Added to your gallery" in s.value for s in at.success)
    [entry] = store.list(owner)
    assert (entry.prompt_typed, entry.seed, entry.page) == ("a kite over the sea", 77, "gallery")
    assert pnginfo.read_settings(store.read_png(owner, entry.id)) is not None


@pytest.mark.parametrize(("name", "kind", "mime"), [("photo.png", "PNG", "image/png"),
                                                    ("photo.jpg", "JPEG", "image/jpeg")])  # fmt: skip
def test_a_foreign_picture_is_explained_in_the_students_words(store: Pictures, name: str, kind: str, mime: str) -> None:
    # A JPEG used to be turned away by the uploader with Streamlit's own English error.
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format=kind)
    at = open_gallery(new_owner_id())
    at.file_uploader(key="gallery_drop").upload(name, buffer.getvalue(), mime)
    at.run()
    assert any("no Studio settings inside" in i.value for i in at.info)
    assert not at.exception


def test_use_these_settings_again_fills_the_create_page(store: Pictures, monkeypatch: pytest.MonkeyPatch) -> None:
    # A hosted engine is configured but never called: the Create page only reads its model list.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key-000000")
    from lib.engines import get_engine

    engine = get_engine("openai", load_settings(dotenv_path=None))
    model = engine.models()[0]
    caps = engine.capabilities(model)
    size, quality = caps.sizes[-1], caps.qualities[-1]
    owner = new_owner_id()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, format="PNG")
    image_id = store.save(
        GeneratedImage(png=buffer.getvalue(), engine="openai", model=model, operation="generate",
                       prompt_sent="safe: a red kite", prompt_typed="a red kite", size=size, quality=quality),
        owner=owner, page="create",
    )  # fmt: skip
    at = open_gallery(owner)
    at.button(key=f"gallery_open_{image_id}").click().run()

    at.button(key="gallery_reuse").click().run()

    assert not at.exception
    assert at.text_area(key="create_prompt").value == "a red kite"
    assert at.selectbox(key="create_model_openai").value == model
    assert at.selectbox(key=f"create_size_openai_{model}").value == size
    assert at.selectbox(key=f"create_quality_openai_{model}").value == quality
    assert at.query_params["u"] == [owner] or at.query_params["u"] == owner


def test_use_these_settings_again_brings_back_seed_and_randomness(store: Pictures) -> None:
    owner = new_owner_id()
    [image_id] = make(store, owner, "a dragon reading a book", seed=1234)
    at = open_gallery(owner)
    at.button(key=f"gallery_open_{image_id}").click().run()

    at.button(key="gallery_reuse").click().run()

    assert not at.exception
    assert at.text_area(key="create_prompt").value == "a dragon reading a book"
    assert at.number_input(key="create_seed").value == 1234
    assert at.slider(key="create_temperature").value == pytest.approx(0.3)
    assert not at.warning  # no "set via the Session State API" complaint from Streamlit


def test_reuse_says_what_this_app_cannot_bring_back(store: Pictures) -> None:
    owner = new_owner_id()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="PNG")
    image_id = store.save(
        GeneratedImage(png=buffer.getvalue(), engine="midjourney", model="v6", operation="generate",
                       prompt_sent="a tiger", prompt_typed="a tiger", size="1024x1024"),
        owner=owner, page="create",
    )  # fmt: skip
    at = open_gallery(owner)
    at.button(key=f"gallery_open_{image_id}").click().run()

    at.button(key="gallery_reuse").click().run()

    assert not at.exception
    assert any("the image engine 'midjourney' is not available here" in w.value for w in at.warning)
    at.switch_page("pages/create.py").run()  # the Create page brings back what it can
    assert not at.exception
    assert at.text_area(key="create_prompt").value == "a tiger"


@pytest.mark.parametrize(("button", "prefix"), [("gallery_edit_source_id", "edit"), ("gallery_vary_source_id", "vary")])
def test_edit_this_and_vary_this_open_those_pages_with_the_picture(store: Pictures, button: str, prefix: str) -> None:
    owner = new_owner_id()
    [image_id] = make(store, owner, "a bunny in a meadow")
    at = open_gallery(owner)
    at.button(key=f"gallery_open_{image_id}").click().run()

    at.button(key=button).click().run()

    assert not at.exception
    assert at.session_state[f"{prefix}_pick"] == f"gallery:{image_id}"
    assert any("a bunny in a meadow" in str(option) for s in at.selectbox for option in s.options)


def test_a_compare_run_is_one_folded_card_that_opens_on_request(store: Pictures) -> None:
    from lib import compare
    from lib.engines import get_engine

    owner = new_owner_id()
    settings = load_settings(dotenv_path=None)
    studio = Studio(settings, save=store.save)
    columns = compare.build_columns("temperature", [0.1, 0.9], engine=get_engine("storybook", settings),
                                    prompt="a kite over the sea", model="storybook-1", size="256x256")  # fmt: skip
    ran = compare.run_columns(studio, columns, engine="storybook", n=3, owner=owner, page="compare")
    swept = compare.sweep(studio, engine="storybook", prompt="a kite", model="storybook-1", size="256x256", n=2,
                          owner=owner)  # fmt: skip
    single = make(store, owner, "a lonely lighthouse")
    at = open_gallery(owner)

    # Two folded experiments and one picture: three cards, and only the single has an Open button.
    assert open_buttons(at) == single
    labels = [e.label for e in at.expander if e.label.startswith("⚖️")]
    assert len(labels) == 2
    assert "10 pictures" in labels[0] and "a kite" in labels[0]  # the sweep: 5 rows of 2, the newest
    assert "6 pictures" in labels[1] and "a kite over the sea" in labels[1]
    assert any("comparison of" in (img.proto.imgs[0].alt or "") for img in at.image if img.proto.imgs)

    # Opening the Compare run lists its six pictures by column, each with its own Open button.
    run_key = f"gallery_exp_x:{store.get(owner, ran[0].ids[0]).meta['extra']['experiment']}"
    at.session_state[run_key] = True
    at.run()
    inside = [b.key for b in at.button if (b.key or "").startswith("gallery_in_")]
    assert sorted(k.removeprefix(run_key.replace("_exp_", "_in_") + "_") for k in inside) == sorted(
        i for r in ran for i in r.ids
    )
    assert [m.value for m in at.markdown if m.value.startswith("**A:") or m.value.startswith("**B:")] == [
        "**A: randomness 0.1**", "**B: randomness 0.9**",
    ]  # fmt: skip
    assert len({i for r in swept for i in r.ids}) == 10


def zip_label(at: AppTest) -> tuple[str, bool]:
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("gallery_zip")]
    return button.proto.label, button.proto.disabled


def test_the_zip_holds_what_the_filters_found_and_says_so(store: Pictures) -> None:
    owner = new_owner_id()
    make(store, owner, "a castle on a hill")
    make(store, owner, "a dog on a beach", n=2)
    at = open_gallery(owner)
    assert zip_label(at) == ("📦 Download all 3 as ZIP", False)

    at.text_input(key=gallery.FILTER_TEXT_KEY).input("dog").run()
    assert "2 pictures" in [c.value for c in at.caption]
    assert zip_label(at) == ("📦 Download the 2 pictures you found as ZIP", False)

    at.text_input(key=gallery.FILTER_TEXT_KEY).input("castle").run()
    assert zip_label(at) == ("📦 Download the 1 picture you found as ZIP", False)
    at.text_input(key=gallery.FILTER_TEXT_KEY).input("unicorn").run()
    assert zip_label(at)[1], "nothing found: nothing to download"


@pytest.mark.parametrize(("lang", "newer", "older"), [("en", "◀ ", " ▶"), ("ar", "▶ ", " ◀")])
def test_the_pager_arrows_point_outward_in_either_direction(store: Pictures, lang: str, newer: str, older: str) -> None:
    owner = new_owner_id()
    for k in range(gallery.PAGE_SIZE // 4 + 1):
        make(store, owner, f"picture {k}", n=4, seed=k)
    at = AppTest.from_file(APP, default_timeout=30)
    Store.embedded(os.environ["STUDIO_DATA_DIR"]).roster.register(owner)
    at.query_params["u"] = owner
    at.query_params[i18n.LANG_PARAM] = lang
    at.switch_page("pages/gallery.py").run()
    assert i18n.is_right_to_left(lang) == (lang == "ar")
    # Newer sits first (on the right in a right-to-left page), older last: each arrow points to its own edge.
    assert at.button(key="gallery_prev").label.startswith(newer)
    assert at.button(key="gallery_next").label.endswith(older)


def test_the_download_of_an_opened_picture_is_named_by_its_words_and_day(store: Pictures) -> None:
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id  # how Streamlit names the file

    owner = new_owner_id()
    [image_id] = make(store, owner, "un chat sur la tour Eiffel")
    entry = store.get(owner, image_id)
    at = open_gallery(owner)
    at.button(key=f"gallery_open_{image_id}").click().run()
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("gallery_download_one")]
    day = time.strftime("%Y-%m-%d", time.gmtime(entry.created))  # AppTest reports no time zone: UTC
    name = f"un-chat-sur-la-tour-eiffel_{day}_{image_id}.png"
    assert button.proto.url.endswith(_calculate_file_id(store.read_png(owner, image_id), "image/png", name) + ".png")
