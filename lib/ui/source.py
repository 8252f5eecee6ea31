"""Choosing the picture to start from, for the Edit and Variations pages.

A student can start from a picture made in this session (Create, Edit, Variations), one from the
gallery (also when the gallery's "Edit this" / "Vary this" handed it over), or an upload. Every
choice goes through :func:`lib.imaging.load_image`, so the engine always gets a checked PNG that
fits its rules, and a bad file shows a clear message instead of a traceback.

Streamlit drops a page's widget values when the student opens another page. :func:`remember`
keeps a copy of chosen widget values (and the last upload is kept as checked PNG bytes), so coming
back to Edit finds the same picture, the same words and the same drawing.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from lib import imaging, uploads
from lib.errors import StudioError
from lib.pictures import Entry
from lib.ui import gallery, handoff, state
from lib.ui.i18n import N_, _, say, translator
from lib.ui.text import alt, md, when
from lib.ui.widgets import show_error

#: Session keys where pages keep their last results (lists of gallery ids).
SESSION_RESULTS = {"create_results": "Create", "edit_results": "Edit", "vary_results": "Variations"}
MADE = N_("A picture I made")
UPLOAD = N_("Upload a picture")
#: How many gallery pictures the chooser offers (newest first).
GALLERY_CHOICES = 12
#: Thumbnails a row in the chooser's "see them all".
THUMB_COLUMNS = 6


@dataclass(frozen=True, kw_only=True)
class Source:
    """The checked picture to start from."""

    picture: imaging.LoadedImage
    #: Short, stable id of the pixels (keys the drawing kept for this picture).
    digest: str
    label: str


def _words(text: str) -> str:
    return text if len(text) <= 50 else text[:49] + "…"


def remember(*keys: str) -> None:
    """Keep these widgets' values across page switches; call it before creating the widgets.

    Only for widgets whose default is their first option or empty text: Streamlit warns when a
    widget with another default also gets its value through session state.
    """
    for key in keys:
        shadow = f"_kept_{key}"
        if key in st.session_state:
            st.session_state[shadow] = st.session_state[key]
        elif shadow in st.session_state:
            st.session_state[key] = st.session_state[shadow]


@dataclass(frozen=True, kw_only=True)
class Choice:
    """One picture the chooser offers: its label (number, time, words), thumbnail, and full PNG."""

    number: int
    where: str
    made: str
    words: str
    size: str
    thumbnail: bytes
    read: Callable[[], bytes]

    @property
    def label(self) -> str:
        return f"{self.number}. {self.where}, {self.made}: {self.words} ({self.size})"


def _choices(owner: str, wanted: str | None) -> tuple[dict[str, Choice], bool]:
    """This session's results first ("Just made on …"), then the newest of the gallery, each once.

    ``wanted`` (the picture chosen now, perhaps handed over by the gallery's "edit this") is
    always offered, also when it is older than the newest :data:`GALLERY_CHOICES`: otherwise the
    next rerun would quietly swap it for another picture while the student still sees it chosen.

    Every choice is keyed ``gallery:<id>`` and numbered, and its label says when it was made (in
    the viewer's time zone), so two pictures of one batch never look the same in the list.
    The flag says the gallery holds older pictures than those offered.
    """
    store = gallery.history()
    found: dict[str, tuple[str, Entry]] = {}
    for key, page in SESSION_RESULTS.items():
        for i, image_id in enumerate(st.session_state.get(key) or []):
            try:
                found.setdefault(
                    image_id, (_("Just made on {page} #{n}").format(page=_(page), n=i + 1), store.get(owner, image_id))
                )
            except StudioError:
                continue  # deleted on the Gallery page meanwhile
    try:
        entries = store.list(owner, limit=GALLERY_CHOICES + 1)
    except StudioError as error:
        show_error(error)
        entries = []
    older = len(entries) > GALLERY_CHOICES
    entries = entries[:GALLERY_CHOICES]
    if wanted and wanted not in found and all(e.id != wanted for e in entries):
        try:
            entries.insert(0, store.get(owner, wanted))
        except StudioError:
            pass  # deleted on the Gallery page meanwhile: the first choice is taken instead
    for entry in entries:
        found.setdefault(entry.id, (_("Gallery"), entry))
    choices: dict[str, Choice] = {}
    shown = [(image_id, pair) for image_id, pair in found.items() if not pair[1].hidden]  # the teacher hid these
    for number, (image_id, (where, entry)) in enumerate(shown, start=1):
        choices[f"gallery:{image_id}"] = Choice(
            number=number, where=where, made=when(entry.created, "%d %b %H:%M:%S"),
            words=_words(entry.prompt_typed or entry.prompt_sent or _("picture")), size=entry.size,
            thumbnail=entry.thumbnail, read=functools.partial(store.read_png, owner, image_id),
        )  # fmt: skip
    return choices, older


def thumb_key(pick_key: str, choice: str) -> str:
    """The widget key of the thumbnail button for ``choice`` (``gallery:<id>``)."""
    return f"{pick_key}_thumb_{choice.removeprefix('gallery:')}"


def _pick(pick_key: str, choice: str) -> None:
    st.session_state[pick_key] = choice


def _thumbnails(pick_key: str, choices: dict[str, Choice], chosen: str) -> None:
    """Every choice as a small numbered picture with a button: choose by looking, not by reading.

    A button's key is its picture's id, not its place in the list, so a button always chooses the
    picture shown above it, also when the list changed between two reruns.
    """
    with st.expander(
        "🖼️ " + _("See the {n} pictures you can start from").format(n=len(choices)), expanded=len(choices) > 1
    ):
        items = list(choices.items())
        for start in range(0, len(items), THUMB_COLUMNS):
            for col, (key, choice) in zip(
                st.columns(THUMB_COLUMNS), items[start : start + THUMB_COLUMNS], strict=False
            ):
                number, _dot, rest = choice.label.partition(". ")
                with col:
                    url = "data:image/jpeg;base64," + base64.b64encode(choice.thumbnail).decode("ascii")
                    st.image(url, caption=f"{number} · {rest.split(': ', 1)[0].split(', ', 1)[-1]}", width="stretch",
                             alt=alt(rest.split(": ", 1)[-1]))  # fmt: skip
                    if key == chosen:
                        st.button("✅ " + _("Chosen"), key=thumb_key(pick_key, key), disabled=True, width="stretch")
                    else:
                        st.button(_("Choose {n}").format(n=number), key=thumb_key(pick_key, key), on_click=_pick,
                                  args=(pick_key, key), width="stretch")  # fmt: skip


def _take_handoff(prefix: str, kind: type[handoff.PictureToEdit] | type[handoff.PictureToVary]) -> str | None:
    """A picture another page handed over becomes this page's choice (once)."""
    picture = handoff.take(kind)
    if picture is None:
        return None
    st.session_state[f"{prefix}_from"] = MADE
    st.session_state[f"{prefix}_pick"] = f"gallery:{picture.image_id}"
    return picture.image_id


@st.cache_data(max_entries=32, show_spinner=False)
def _checked(data: bytes, rules: imaging.ImageRules) -> imaging.LoadedImage:
    # Cached: every stroke on the canvas reruns the page, and checking a 1 Mpx picture takes ~0.3 s.
    return imaging.load_image(data, rules)


def _load(data: bytes, rules: imaging.ImageRules, label: str) -> Source | None:
    try:
        picture = _checked(data, rules)
    except StudioError as error:
        show_error(error)
        return None
    return Source(picture=picture, digest=hashlib.sha256(picture.png).hexdigest()[:16], label=label)


def choose_source(
    prefix: str, kind: type[handoff.PictureToEdit] | type[handoff.PictureToVary], rules: imaging.ImageRules
) -> Source | None:
    """The source picture chooser; returns the checked picture, or ``None`` when there is none yet.

    ``kind`` is the hand-off this page takes (the gallery's "edit this" / "vary this").
    """
    _take_handoff(prefix, kind)
    remember(f"{prefix}_from", f"{prefix}_pick")
    chosen = st.session_state.get(f"{prefix}_pick")
    wanted = chosen.removeprefix("gallery:") if isinstance(chosen, str) and chosen.startswith("gallery:") else None
    said = translator()
    origin = st.radio(_("Start from"), [MADE, UPLOAD], horizontal=True, format_func=said, key=f"{prefix}_from")
    if origin == UPLOAD:
        upload = st.file_uploader(
            _("Your picture"), type=["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"],
            key=f"{prefix}_upload", help=_("{formats}, up to {n} MB.").format(
                formats=imaging.ALLOWED, n=imaging.MAX_INPUT_BYTES // 1_000_000
            ),
        )  # fmt: skip
        # The session keeps the upload's name and digest; its bytes are on the server's shelf.
        last_key = f"{prefix}_last_upload"
        owner = state.owner_id()
        kept = st.session_state.get(last_key)
        png = uploads.SHELF.get(owner, kept[1]) if kept else None
        if upload is not None:
            source = _load(upload.getvalue(), rules, upload.name)
            if source is not None:
                st.session_state[last_key] = (upload.name, uploads.SHELF.put(owner, source.picture.png))
        elif kept and png is not None:
            # Back from another page: the uploader forgot the file, the studio did not.
            st.caption(
                _("Using the picture you uploaded before: **{name}**. Upload another one to change it.").format(
                    name=md(kept[0])
                )
            )
            source = _load(png, rules, kept[0])
        elif kept:
            st.session_state.pop(last_key, None)
            st.info(
                _("The picture you uploaded before (**{name}**) was put away to make room. Please upload it again.")
                .format(name=md(kept[0])), icon="📁",
            )  # fmt: skip
            return None
        else:
            st.info(_("Choose a picture from your computer to start."), icon="📁")
            return None
    else:
        choices, older = _choices(state.owner_id(), wanted)
        if not choices:
            st.info(_("You have not made any pictures yet. Make one on **Create**, or upload one."), icon="🖌️")
            return None
        pick_key = f"{prefix}_pick"
        if st.session_state.get(pick_key) not in choices:
            st.session_state.pop(pick_key, None)
        pick = st.selectbox(_("Picture"), list(choices), key=pick_key, format_func=lambda c: choices[c].label)
        if older:
            st.caption(
                "🖼️ "
                + _(
                    "Here are your newest pictures. To start from an older one, open it in the **Gallery** "
                    "and press **{edit}** or **{vary}**."
                ).format(edit=_("Edit this"), vary=_("Vary this"))
            )
        _thumbnails(pick_key, choices, pick)
        try:
            data = choices[pick].read()
        except StudioError as error:
            show_error(error)
            return None
        source = _load(data, rules, choices[pick].label)
    if source is not None:
        for note in source.picture.notes:
            st.caption(f"ℹ️ {say(note)}")
    return source
