"""Gallery widgets, and the hand-offs from the gallery to the other pages.

Session state holds only small things: the page number, the filters, the id of the picture shown
large and a delete confirmation. Thumbnails are read from SQLite for the visible page only and
the full PNG from disk only when a picture is opened, so a rerun costs the same with 10 or 10,000
stored pictures.

A Compare run or sweep is one card, folded: a small preview of its first pictures and an
expander that reads the run's pictures only when it is opened (a lazy expander), so a class
that compares a lot does not fill its gallery with near-identical pictures.

Hand-offs (read by the other pages):

- "use these settings again" sends :class:`lib.ui.handoff.CreateSettings`, then opens Create;
- "edit this" / "vary this" send :class:`~lib.ui.handoff.PictureToEdit` /
  :class:`~lib.ui.handoff.PictureToVary`; those pages take them (``lib/ui/source.py``).
  No page writes another page's widget keys (``lib/ui/handoff.py``).
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
from lib.compare import COLUMN_LABELS
from lib.errors import StudioError
from lib.pictures import COLUMN, Entry, Group, Overview, download_name, mosaic
from lib.store.pictures import Pictures
from lib.ui import handoff, state
from lib.ui.i18n import N_, _, again, error_text, is_right_to_left, ngettext, say
from lib.ui.text import alt, md, short, viewer_zone, when

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

CREATE_PAGE = "pages/create.py"
EDIT_PAGE = "pages/edit.py"
VARY_PAGE = "pages/variations.py"
_ROOT = Path(__file__).resolve().parents[2]

#: The page a picture was made on: its icon and its name (said in the viewer's language by :func:`origin`).
ORIGINS = {"create": ("🖌️", N_("Create")), "compare": ("⚖️", N_("Compare")), "edit": ("🩹", N_("Edit")),
           "variations": ("🔀", N_("Variations")), "gallery": ("🖼️", N_("Dropped in"))}  # fmt: skip
NO_WORDS = N_("(no words)")
#: The settings read back from a dropped picture, named in the table (``lib.pnginfo.REUSABLE``).
SETTING_NAMES = {"prompt_typed": N_("prompt typed"), "engine": N_("engine"), "model": N_("model"),
                 "quality": N_("quality"), "size": N_("size"), "seed": N_("seed"),
                 "temperature": N_("randomness")}  # fmt: skip


history = state.history


def engine_name(name: str) -> str:
    """What the UI calls engine ``name``, in this session's language."""
    return _(state.engine_label(name))


def origin(page: str) -> str:
    """The page a picture was made on, with its icon, in this session's language (unknown ones as they are)."""
    if page not in ORIGINS:
        return page
    icon, name = ORIGINS[page]
    return f"{icon} {_(name)}"


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
    """Hand ``settings`` to the Create page (checked and clamped) and go there; say what this app lacks."""
    wanted = handoff.CreateSettings.from_record(settings)
    skipped: list[str] = []
    name = wanted.engine
    if name not in state.available_engines():
        skipped.append(_("the image engine '{name}' is not available here").format(name=name))
        name = state.engine_name()
    else:
        st.session_state[state.ENGINE_KEY] = name  # the app's own engine choice (the sidebar)
    try:
        _fitted, lacking = handoff.fit_to_engine(wanted, state.services().engine(str(name)))
        skipped += [say(item) for item in lacking]
    except StudioError as error:
        skipped.append(error_text(error))
    handoff.send(wanted)  # the Create page fits it to its engine when it opens
    if skipped:  # stay here and say what is missing; the Create page has the rest already
        said = _("Some settings could not be brought back: {what}.")
        st.session_state[NOTICE_KEY] = said.format(what="; ".join(skipped))
    else:
        st.session_state[GOTO_KEY] = CREATE_PAGE


def _hand_over(picture: handoff.PictureToEdit | handoff.PictureToVary, target: str) -> None:
    handoff.send(picture)
    st.session_state[GOTO_KEY] = target


def _confirm(image_id: str | None) -> None:
    st.session_state[CONFIRM_KEY] = image_id


def _delete(owner: str, image_id: str) -> None:
    history().delete(owner, image_id)
    _select(None)
    st.session_state["gallery_toast"] = _("The picture was deleted.")


def follow_goto() -> None:
    """Switch page if a callback asked for it (``st.switch_page`` cannot run inside callbacks)."""
    target = st.session_state.pop(GOTO_KEY, None)
    if target:
        try:
            st.switch_page(target, query_params={state.OWNER_PARAM: state.owner_id()})
        except StreamlitAPIException:
            st.warning(_("That page is not part of this app yet."), icon="🚧")


# -- widgets --------------------------------------------------------------------------------------
def _chosen() -> dict[str, str | None]:
    """The filters as the filter widgets say (their values are in session state before they are drawn)."""
    return {
        "page": st.session_state.get(FILTER_PAGE_KEY) or None,
        "engine": st.session_state.get(FILTER_ENGINE_KEY) or None,
        "text": st.session_state.get(FILTER_TEXT_KEY) or None,
    }


def load(owner: str) -> Overview:
    """This rerun's page of the gallery, filtered as the filter widgets say (one SQLite connection).

    The widgets' values are in session state before they are drawn, so the query can run first and
    the filters can then offer only the pages and engines this gallery really has.
    """
    chosen = _chosen()
    number = max(0, int(st.session_state.get(PAGE_NO_KEY, 0)))
    view = history().overview(owner, **chosen, limit=PAGE_SIZE, offset=number * PAGE_SIZE, grouped=True)
    if not view.groups and number > 0:  # the last pictures of the last page were deleted
        st.session_state[PAGE_NO_KEY] = number = max(0, (view.group_count - 1) // PAGE_SIZE)
        view = history().overview(owner, **chosen, limit=PAGE_SIZE, offset=number * PAGE_SIZE, grouped=True)
    return view


def filters(view: Overview) -> None:
    """The filter row, offering the pages and engines this gallery has pictures from."""
    c1, c2, c3 = st.columns([1, 1, 2])
    for key, options in ((FILTER_PAGE_KEY, view.pages), (FILTER_ENGINE_KEY, view.engines)):
        if st.session_state.get(key) not in ["", *options]:
            st.session_state[key] = ""  # the last picture of that kind was deleted
    # The labels are made now, in this page's language: AppTest formats options from its own thread.
    pages = {p: origin(p) for p in view.pages} | {"": _("All pages")}
    engines = {e: engine_name(e) for e in view.engines} | {"": _("All engines")}
    c1.selectbox(_("Made on"), ["", *view.pages], key=FILTER_PAGE_KEY, on_change=reset_page,
                 format_func=pages.__getitem__)  # fmt: skip
    c2.selectbox(_("Image engine"), ["", *view.engines], key=FILTER_ENGINE_KEY, on_change=reset_page,
                 format_func=engines.__getitem__)  # fmt: skip
    c3.text_input(_("Words in the prompt"), key=FILTER_TEXT_KEY, on_change=reset_page, placeholder=_("castle"))


def pager(total: int) -> None:
    """Previous/next buttons and where we are, for ``total`` matching cards (a folded run is one)."""
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(int(st.session_state.get(PAGE_NO_KEY, 0)), pages - 1)
    st.session_state[PAGE_NO_KEY] = number
    if pages > 1:
        c1, c2, c3 = st.columns([1, 2, 1])
        # Each arrow points out, toward its own side: "Newer" is on the left (on the right when the
        # page is laid out right to left, so its arrow turns round too), "Older" on the other side.
        newer, older = ("▶", "◀") if is_right_to_left() else ("◀", "▶")
        c1.button(f"{newer} " + _("Newer"), on_click=_turn, args=(-1,), disabled=number == 0, key="gallery_prev")
        where = _("Page {n} of {pages}").format(n=number + 1, pages=pages)
        c2.markdown(f"<div style='text-align:center'>{where}</div>", unsafe_allow_html=True)
        c3.button(_("Older") + f" {older}", on_click=_turn, args=(1,), disabled=number >= pages - 1,
                  key="gallery_next")  # fmt: skip


def _when(entry: Entry) -> str:
    return when(entry.created)


def thumbnail_url(entry: Entry) -> str:
    """The thumbnail as a ``data:`` URL: ``st.image`` sends it as it is, with no decoding, hashing
    or copy in Streamlit's media store, so a page of thumbnails costs little on every rerun."""
    return "data:image/jpeg;base64," + base64.b64encode(entry.thumbnail).decode("ascii")


def card(entry: Entry, *, key: str = "gallery_open", caption: str | None = None) -> None:
    """One picture's thumbnail with its prompt (or ``caption``) and an Open button (one grid cell)."""
    if entry.hidden:  # the teacher hid it: a note instead of the picture
        st.info(say(HIDDEN_NOTE), icon="🙈")
        return
    words = entry.prompt_typed or entry.prompt_sent or _(NO_WORDS)
    # The caption rides on the image element: one element less per thumbnail.
    caption = caption or f"{md(short(words, 60))} · {_when(entry)}"
    st.image(thumbnail_url(entry), caption=caption, width="stretch", alt=alt(words))
    st.button("🔍 " + _("Open"), key=f"{key}_{entry.id}", on_click=_select, args=(entry.id,))


def thumbnails(entries: list[Entry], *, key: str = "gallery_open", captions: list[str] | None = None) -> None:
    """The grid: each thumbnail with its prompt (or its caption from ``captions``) and an Open button."""
    for start in range(0, len(entries), COLUMNS):
        for i, (col, entry) in enumerate(zip(st.columns(COLUMNS), entries[start : start + COLUMNS], strict=False)):
            with col:
                card(entry, key=key, caption=captions[start + i] if captions else None)


def cards(owner: str, groups: list[Group]) -> None:
    """This page's cards, newest first: single pictures in the grid, each experiment on a row of its own."""
    singles: list[Entry] = []
    for group in groups:
        if not group.folded:
            singles.append(group.entries[0])
            continue
        thumbnails(singles)
        singles = []
        experiment(owner, group)
    thumbnails(singles)


@functools.lru_cache(maxsize=64)
def _mosaic_url(thumbs: tuple[bytes, ...]) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(mosaic(list(thumbs))).decode("ascii")


def experiment(owner: str, group: Group) -> None:
    """One Compare run or sweep, folded: a preview and a count; its pictures only when opened."""
    first = group.entries[0]
    words = short(first.prompt_typed or first.prompt_sent or _(NO_WORDS), 60)
    preview, body = st.columns([1, COLUMNS - 1], vertical_alignment="top")
    preview.image(_mosaic_url(tuple(e.thumbnail for e in group.entries)), width="stretch",
                  alt=_("The first pictures of a comparison of {words}").format(words=alt(words)))  # fmt: skip
    count = ngettext("{n} picture", "{n} pictures", group.count).format(n=group.count)
    label = "⚖️ " + _("Comparison: {words}").format(words=md(words)) + f" · {count} · {when(group.newest)}"
    with body:
        folder = st.expander(label, key=f"gallery_exp_{group.key}", on_change="rerun")
        with folder:
            if folder.open:  # read only when the student opens it
                _unfolded(owner, group)


def _unfolded(owner: str, group: Group) -> None:
    entries = history().experiment(owner, group.key)
    columns: dict[str, list[Entry]] = {}
    for entry in entries:
        columns.setdefault(str((entry.meta.get("extra") or {}).get(COLUMN) or ""), []).append(entry)
    for label, members in sorted(columns.items()):  # "A: …", "B: …" / "randomness 0", "randomness 0.25", …
        if label:
            st.markdown(f"**{md(again(label, COLUMN_LABELS))}**")
        # The words are the experiment's own (in its title): each picture is named by its place and time.
        captions = [f"{i}. {when(e.created, '%H:%M:%S')}" for i, e in enumerate(members, start=1)]
        thumbnails(members, key=f"gallery_in_{group.key}", captions=captions)


def detail(owner: str, entry: Entry) -> None:
    """The picture shown large, with what made it and what to do with it."""
    if entry.hidden:
        st.info(say(HIDDEN_NOTE), icon="🙈")
        st.button("✖ " + _("Close"), key="gallery_close", on_click=_select, args=(None,))
        return
    png = history().read_png(owner, entry.id)  # the full picture, only for the one shown large
    left, right = st.columns([3, 2])
    left.image(png, width="stretch", output_format="PNG", alt=alt(entry.prompt_typed or entry.prompt_sent))
    with right:
        st.markdown(f"**{md(entry.prompt_typed or entry.prompt_sent)}**")
        facts = [origin(entry.page), engine_name(entry.engine), entry.model, entry.size]
        facts += [_("seed {seed}").format(seed=entry.seed)] if entry.seed is not None else []
        facts += [_("randomness {t}").format(t=f"{entry.temperature:g}")] if entry.temperature is not None else []
        st.caption(" · ".join(md(fact) for fact in facts) + f" · {_when(entry)}")
        with st.expander(_("Prompt as sent")):
            st.text(entry.prompt_sent)
        name = download_name(entry.prompt_typed or entry.prompt_sent, entry.created, entry.id, viewer_zone())
        st.download_button("⬇️ " + _("Download"), png, file_name=name, mime="image/png", key="gallery_download_one",
                           width="stretch")  # fmt: skip
        st.button("♻️ " + _("Use these settings again"), key="gallery_reuse", on_click=reuse, args=(entry.settings(),),
                  width="stretch")  # fmt: skip
        for label, key, picture, target in (
            ("🩹 " + _("Edit this"), "gallery_edit_source_id", handoff.PictureToEdit(entry.id), EDIT_PAGE),
            ("🔀 " + _("Vary this"), "gallery_vary_source_id", handoff.PictureToVary(entry.id), VARY_PAGE),
        ):
            st.button(label, key=key, on_click=_hand_over, args=(picture, target), width="stretch",
                      disabled=not page_exists(target))  # fmt: skip
        if st.session_state.get(CONFIRM_KEY) == entry.id:
            st.warning(_("Delete this picture for good?"), icon="🗑️")
            c1, c2 = st.columns(2)
            c1.button(_("Yes, delete"), key="gallery_delete_yes", type="primary", on_click=_delete,
                      args=(owner, entry.id))  # fmt: skip
            c2.button(_("Keep it"), key="gallery_delete_no", on_click=_confirm, args=(None,))
        else:
            st.button("🗑️ " + _("Delete"), key="gallery_delete", width="stretch",
                      on_click=_confirm, args=(entry.id,))  # fmt: skip
        st.button("✖ " + _("Close"), key="gallery_close", on_click=_select, args=(None,), width="stretch")
        from lib.ui import handin  # here: lib.ui.handin imports this module

        handin.hand_in_box(owner, entry)


def zip_button(owner: str, view: Overview) -> None:
    """Download the pictures the filters found (all of them without a filter) as one ZIP, built
    only when the button is clicked. Pictures the teacher hid are not in it, nor in its count.

    The click does not rerun the page: a rerun registers the button's ZIP anew while the browser
    still waits for the one it asked for, and the download could then hang on its spinner.
    """
    chosen = _chosen()
    n = history().downloadable(owner, **chosen)
    if view.matching == view.total:
        label = _("Download all {n} as ZIP").format(n=n)
    else:
        label = ngettext("Download the {n} picture you found as ZIP", "Download the {n} pictures you found as ZIP",
                         n).format(n=n)  # fmt: skip
    st.download_button(
        "📦 " + label, data=functools.partial(_zip_bytes, history(), owner, chosen), file_name="my-pictures.zip",
        mime="application/zip", key="gallery_zip", disabled=n == 0, on_click="ignore",
        help=_("Pictures your teacher hid are not in it.") if n < view.matching else None,
    )  # fmt: skip


def _zip_bytes(store: Pictures, owner: str, chosen: Mapping[str, str | None]) -> bytes:
    return store.zip_all(owner, page=chosen["page"], engine=chosen["engine"], text=chosen["text"]) or b""


def drop_in(owner: str) -> None:
    """Read the settings back from a PNG the app made, and reuse or keep them."""
    upload = st.file_uploader(
        _("Drop a picture made by the Studio"), type=["png", "jpg", "jpeg", "webp"], key="gallery_drop"
    )
    if upload is None:
        return
    data = upload.getvalue()
    record = pnginfo.read_settings(data)
    if record is None:
        st.info(_("This picture has no Studio settings inside. Only PNG files saved by this app have them."), icon="🔎")
        return
    settings = pnginfo.reusable_settings(record)
    st.table({_(SETTING_NAMES.get(name, name.replace("_", " "))): [md(value)] for name, value in settings.items()})
    c1, c2 = st.columns(2)
    c1.button("♻️ " + _("Use these settings"), key="gallery_drop_reuse", on_click=reuse, args=(settings,))
    if c2.button("🖼️ " + _("Add it to my gallery"), key="gallery_drop_add"):
        try:
            history().import_png(data, owner=owner)
            st.success(_("Added to your gallery."), icon="✅")
        except StudioError as error:
            st.warning(error_text(error), icon="✏️")
