"""Gallery widgets, and the hand-offs from the gallery to the other pages.

Session state holds only small things: the page number, the filters, the id of the picture shown
large and a delete confirmation. Thumbnails are read from SQLite for the visible page only and
the full PNG from disk only when a picture is opened, so a rerun costs the same with 10 or 10,000
stored pictures.

Hand-offs (read by the other pages):

- "use these settings again" writes the Create page's own widget keys, then opens Create;
- "edit this" / "vary this" put the image id under :data:`EDIT_IMAGE_KEY` / :data:`VARY_IMAGE_KEY`;
  those pages take it from there (``lib/ui/source.py``).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from lib import pnginfo
from lib.classroom import HIDDEN_NOTE
from lib.errors import StudioError
from lib.pictures import Entry, Overview
from lib.store.pictures import Pictures
from lib.ui import state
from lib.ui.text import alt, md, short, when

PAGE_SIZE = 24
COLUMNS = 6
PAGE_NO_KEY = "gallery_page_no"
SELECTED_KEY = "gallery_selected"
CONFIRM_KEY = "gallery_confirm_delete"
FILTER_PAGE_KEY = "gallery_filter_page"
FILTER_ENGINE_KEY = "gallery_filter_engine"
FILTER_TEXT_KEY = "gallery_filter_text"
GOTO_KEY = "gallery_goto"
NOTICE_KEY = "gallery_notice"
#: The gallery image id handed to ``pages/edit.py`` / ``pages/variations.py``.
EDIT_IMAGE_KEY = "edit_source_id"
VARY_IMAGE_KEY = "vary_source_id"

CREATE_PAGE = "pages/create.py"
EDIT_PAGE = "pages/edit.py"
VARY_PAGE = "pages/variations.py"
_ROOT = Path(__file__).resolve().parents[2]

ORIGINS = {"create": "🖌️ Create", "compare": "⚖️ Compare", "edit": "🩹 Edit", "variations": "🔀 Variations",
           "gallery": "🖼️ Dropped in"}  # fmt: skip


history = state.history


def page_exists(path: str) -> bool:
    """True when ``path`` (relative to the app folder) is a page file that exists."""
    return (_ROOT / path).is_file()


# -- callbacks (they run before the script, so they may set any widget's value) ------------------
def reset_page() -> None:
    """Back to the first page of results (the filters changed)."""
    st.session_state[PAGE_NO_KEY] = 0
    st.session_state.pop(SELECTED_KEY, None)


def _turn(delta: int) -> None:
    st.session_state[PAGE_NO_KEY] = max(0, st.session_state.get(PAGE_NO_KEY, 0) + delta)


def _select(image_id: str | None) -> None:
    st.session_state[SELECTED_KEY] = image_id
    st.session_state.pop(CONFIRM_KEY, None)


def reuse(settings: Mapping[str, Any]) -> None:
    """Put ``settings`` into the Create page's widgets and go there; skip what this app lacks."""
    skipped: list[str] = []
    name = settings.get("engine")
    if name not in state.available_engines():
        skipped.append(f"the image engine '{name}' is not available here")
        name = state.engine_name()
    else:
        st.session_state[state.ENGINE_KEY] = name
    st.session_state["create_prompt"] = settings.get("prompt_typed", "")
    try:
        engine = state.services().engine(str(name))
        model = settings.get("model")
        if model in engine.models():
            st.session_state[f"create_model_{name}"] = model
            caps = engine.capabilities(str(model))
            if settings.get("size") in caps.sizes:
                st.session_state[f"create_size_{name}_{model}"] = settings["size"]
            if settings.get("quality") in caps.qualities:
                st.session_state[f"create_quality_{name}_{model}"] = settings["quality"]
            if caps.has_seed and isinstance(settings.get("seed"), int):
                st.session_state["create_seed"] = settings["seed"]
            if caps.has_seed and isinstance(settings.get("temperature"), int | float):
                st.session_state["create_temperature"] = float(settings["temperature"])
        elif model:
            skipped.append(f"the model '{model}' is not offered here")
    except StudioError as error:
        skipped.append(str(error))
    if skipped:  # stay here and say what is missing; the Create page has the rest already
        st.session_state[NOTICE_KEY] = "Some settings could not be brought back: " + "; ".join(skipped) + "."
    else:
        st.session_state[GOTO_KEY] = CREATE_PAGE


def _hand_over(key: str, image_id: str, target: str) -> None:
    st.session_state[key] = image_id
    st.session_state[GOTO_KEY] = target


def _confirm(image_id: str | None) -> None:
    st.session_state[CONFIRM_KEY] = image_id


def _delete(owner: str, image_id: str) -> None:
    history().delete(owner, image_id)
    _select(None)
    st.session_state["gallery_toast"] = "The picture was deleted."


def follow_goto() -> None:
    """Switch page if a callback asked for it (``st.switch_page`` cannot run inside callbacks)."""
    target = st.session_state.pop(GOTO_KEY, None)
    if target:
        try:
            st.switch_page(target, query_params={state.OWNER_PARAM: state.owner_id()})
        except StreamlitAPIException:
            st.warning("That page is not part of this app yet.", icon="🚧")


# -- widgets --------------------------------------------------------------------------------------
def load(owner: str) -> Overview:
    """This rerun's page of the gallery, filtered as the filter widgets say (one SQLite connection).

    The widgets' values are in session state before they are drawn, so the query can run first and
    the filters can then offer only the pages and engines this gallery really has.
    """
    chosen = {
        "page": st.session_state.get(FILTER_PAGE_KEY) or None,
        "engine": st.session_state.get(FILTER_ENGINE_KEY) or None,
        "text": st.session_state.get(FILTER_TEXT_KEY) or None,
    }
    number = max(0, int(st.session_state.get(PAGE_NO_KEY, 0)))
    view = history().overview(owner, **chosen, limit=PAGE_SIZE, offset=number * PAGE_SIZE)
    if not view.entries and number > 0:  # the last pictures of the last page were deleted
        st.session_state[PAGE_NO_KEY] = number = max(0, (view.matching - 1) // PAGE_SIZE)
        view = history().overview(owner, **chosen, limit=PAGE_SIZE, offset=number * PAGE_SIZE)
    return view


def filters(view: Overview) -> None:
    """The filter row, offering the pages and engines this gallery has pictures from."""
    c1, c2, c3 = st.columns([1, 1, 2])
    for key, options in ((FILTER_PAGE_KEY, view.pages), (FILTER_ENGINE_KEY, view.engines)):
        if st.session_state.get(key) not in ["", *options]:
            st.session_state[key] = ""  # the last picture of that kind was deleted
    c1.selectbox("Made on", ["", *view.pages], key=FILTER_PAGE_KEY, on_change=reset_page,
                 format_func=lambda p: ORIGINS.get(p, p) if p else "All pages")  # fmt: skip
    c2.selectbox("Image engine", ["", *view.engines], key=FILTER_ENGINE_KEY, on_change=reset_page,
                 format_func=lambda e: state.engine_label(e) if e else "All engines")  # fmt: skip
    c3.text_input("Words in the prompt", key=FILTER_TEXT_KEY, on_change=reset_page, placeholder="castle")


def pager(total: int) -> None:
    """Previous/next buttons and where we are, for ``total`` matching pictures."""
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(int(st.session_state.get(PAGE_NO_KEY, 0)), pages - 1)
    st.session_state[PAGE_NO_KEY] = number
    if pages > 1:
        c1, c2, c3 = st.columns([1, 2, 1])
        c1.button("◀ Newer", on_click=_turn, args=(-1,), disabled=number == 0, key="gallery_prev")
        c2.markdown(f"<div style='text-align:center'>Page {number + 1} of {pages}</div>", unsafe_allow_html=True)
        c3.button("Older ▶", on_click=_turn, args=(1,), disabled=number >= pages - 1, key="gallery_next")


def _when(entry: Entry) -> str:
    return when(entry.created)


def thumbnail_url(entry: Entry) -> str:
    """The thumbnail as a ``data:`` URL: ``st.image`` sends it as it is, with no decoding, hashing
    or copy in Streamlit's media store, so a page of thumbnails costs little on every rerun."""
    return "data:image/jpeg;base64," + base64.b64encode(entry.thumbnail).decode("ascii")


def thumbnails(entries: list[Entry]) -> None:
    """The grid: each thumbnail with its prompt and an Open button."""
    for start in range(0, len(entries), COLUMNS):
        for col, entry in zip(st.columns(COLUMNS), entries[start : start + COLUMNS], strict=False):
            with col:
                if entry.hidden:  # the teacher hid it: a note instead of the picture
                    st.info(HIDDEN_NOTE, icon="🙈")
                    continue
                words = entry.prompt_typed or entry.prompt_sent or "(no words)"
                # The caption rides on the image element: one element less per thumbnail.
                caption = f"{md(short(words, 60))} · {_when(entry)}"
                st.image(thumbnail_url(entry), caption=caption, width="stretch", alt=alt(words))
                st.button("🔍 Open", key=f"gallery_open_{entry.id}", on_click=_select, args=(entry.id,))


def detail(owner: str, entry: Entry) -> None:
    """The picture shown large, with what made it and what to do with it."""
    if entry.hidden:
        st.info(HIDDEN_NOTE, icon="🙈")
        st.button("✖ Close", key="gallery_close", on_click=_select, args=(None,))
        return
    png = history().read_png(owner, entry.id)  # the full picture, only for the one shown large
    left, right = st.columns([3, 2])
    left.image(png, width="stretch", output_format="PNG", alt=alt(entry.prompt_typed or entry.prompt_sent))
    with right:
        st.markdown(f"**{md(entry.prompt_typed or entry.prompt_sent)}**")
        facts = [ORIGINS.get(entry.page, entry.page), state.engine_label(entry.engine), entry.model, entry.size]
        facts += [f"seed {entry.seed}"] if entry.seed is not None else []
        facts += [f"randomness {entry.temperature:g}"] if entry.temperature is not None else []
        st.caption(" · ".join(md(fact) for fact in facts) + f" · {_when(entry)}")
        with st.expander("Prompt as sent"):
            st.text(entry.prompt_sent)
        st.download_button("⬇️ Download", png, file_name=f"picture-{entry.id}.png", mime="image/png",
                           key="gallery_download_one", width="stretch")  # fmt: skip
        st.button("♻️ Use these settings again", key="gallery_reuse", on_click=reuse, args=(entry.settings(),),
                  width="stretch")  # fmt: skip
        for label, key, target in (
            ("🩹 Edit this", EDIT_IMAGE_KEY, EDIT_PAGE),
            ("🔀 Vary this", VARY_IMAGE_KEY, VARY_PAGE),
        ):
            st.button(label, key=f"gallery_{key}", on_click=_hand_over, args=(key, entry.id, target), width="stretch",
                      disabled=not page_exists(target))  # fmt: skip
        if st.session_state.get(CONFIRM_KEY) == entry.id:
            st.warning("Delete this picture for good?", icon="🗑️")
            c1, c2 = st.columns(2)
            c1.button("Yes, delete", key="gallery_delete_yes", type="primary", on_click=_delete, args=(owner, entry.id))
            c2.button("Keep it", key="gallery_delete_no", on_click=_confirm, args=(None,))
        else:
            st.button("🗑️ Delete", key="gallery_delete", width="stretch",
                      on_click=_confirm, args=(entry.id,))  # fmt: skip
        st.button("✖ Close", key="gallery_close", on_click=_select, args=(None,), width="stretch")
        from lib.ui import handin  # here: lib.ui.handin imports this module

        handin.hand_in_box(owner, entry)


def zip_button(owner: str, total: int) -> None:
    """Download every picture as one ZIP, built only when the button is clicked."""
    st.download_button(
        f"📦 Download all {total} as ZIP", data=functools.partial(_zip_bytes, history(), owner),
        file_name="my-pictures.zip", mime="application/zip", key="gallery_zip",
    )  # fmt: skip


def _zip_bytes(store: Pictures, owner: str) -> bytes:
    return store.zip_all(owner) or b""


def drop_in(owner: str) -> None:
    """Read the settings back from a PNG the app made, and reuse or keep them."""
    upload = st.file_uploader("Drop a picture made by the Studio", type=["png"], key="gallery_drop")
    if upload is None:
        return
    data = upload.getvalue()
    record = pnginfo.read_settings(data)
    if record is None:
        st.info("This picture has no Studio settings inside. Only PNG files saved by this app have them.", icon="🔎")
        return
    settings = pnginfo.reusable_settings(record)
    st.table({name.replace("_", " "): [md(value)] for name, value in settings.items()})
    c1, c2 = st.columns(2)
    c1.button("♻️ Use these settings", key="gallery_drop_reuse", on_click=reuse, args=(settings,))
    if c2.button("🖼️ Add it to my gallery", key="gallery_drop_add"):
        try:
            history().import_png(data, owner=owner)
            st.success("Added to your gallery.", icon="✅")
        except StudioError as error:
            st.warning(str(error), icon="✏️")
