"""The browser session: who this student is, which engine they chose, and this rerun's services.

Everything the studio is made of (settings, store, rules, guard, Studio) is built once per rerun
by :func:`lib.services.build_services`; app.py calls :func:`start_rerun` first thing, and every
helper below reads that one object. What belongs to the browser itself (its gallery id, its
engine choice, its name) lives in ``st.session_state`` under the keys documented here.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.engines.base import Engine, GeneratedImage
from lib.errors import StoreUnavailable, StudioError
from lib.pictures import looks_issued, new_owner_id
from lib.services import Services, build_services, shared_store
from lib.settings import Settings, load_settings
from lib.store.pictures import Pictures
from lib.studio import Result, Studio
from lib.workers import settle_heap

log = logging.getLogger(__name__)

#: The sidebar's engine choice (an entrypoint widget, so it survives page switches).
ENGINE_KEY = "studio_engine"
#: The query parameter that keeps a browser's id across reloads and bookmarks.
OWNER_PARAM = "u"
OWNER_KEY = "studio_owner"
#: A ``?u=`` the app did not issue (mistyped, or made up): the page says so once.
REFUSED_OWNER_KEY = "studio_refused_owner"
#: This script thread's services (see :func:`services`).
_RUN = threading.local()


def _secrets() -> dict[str, Any]:
    """Streamlit secrets as a plain dict; an app without a secrets file has none."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:  # noqa: BLE001 - Streamlit raises several types when no secrets file exists
        return {}


def start_rerun() -> Services:
    """Build this rerun's services (settings and rules read once); app.py calls it first.

    Raises :class:`StoreUnavailable` when the store cannot even be opened.
    """
    current = load_settings(secrets=_secrets())
    services = build_services(current, shared_store(current))
    _RUN.services = (_this_run(), services)
    settle_heap()  # Streamlit's full GC after each rerun then skips the shared, long-lived objects
    return services


def _this_run() -> object:
    """Something that stays the same within one script run and changes with the next one.

    Streamlit gives each run of a session fresh cursors (``ScriptRunContext.reset``); holding
    on to that dict means no later run can be mistaken for this one.
    """
    ctx = get_script_run_ctx()
    return getattr(ctx, "cursors", None) if ctx is not None else None


def services() -> Services:
    """This rerun's services, built now if app.py did not build them first (a callback, a fragment).

    They are kept for this script run only (per thread, and checked against the run itself), so
    nothing built for one rerun (its rules, its settings) outlives it, and the session state
    never holds them.
    """
    run, found = getattr(_RUN, "services", (None, None))
    current = _this_run()
    if isinstance(found, Services) and current is not None and run is current:
        return found
    return start_rerun()


def settings() -> Settings:
    """The settings in force (environment, secrets, ``.env``, defaults), read once per rerun."""
    return services().settings


def studio() -> Studio:
    """The pipeline for this rerun: the teacher's rules, the safety layers and the store wired in."""
    return services().studio


def history() -> Pictures:
    """The gallery part of the store."""
    return services().store.pictures


def owner_id() -> str:
    """This browser's id, kept in the URL so that a reload or a bookmark finds the same gallery.

    An id in the URL is taken only when the app issued it (it is in the roster); anything else
    starts a new gallery, and :data:`REFUSED_OWNER_KEY` tells the page to say so.
    """
    current = st.query_params.get(OWNER_PARAM)
    mine = st.session_state.get(OWNER_KEY)
    if current and current == mine:
        return str(mine)
    store = services().store
    if current:
        try:
            accepted = looks_issued(current) and store.roster.known(current)
        except StoreUnavailable:
            accepted = looks_issued(current)  # cannot check now; the id's shape is still the app's
        if accepted:
            st.session_state[OWNER_KEY] = current
            return current
        st.session_state[REFUSED_OWNER_KEY] = current[:80]
    owner = str(mine or new_owner_id())
    if not mine:
        try:
            store.roster.register(owner)
        except StoreUnavailable:
            log.warning("could not register a new browser id: the store does not answer")
    st.session_state[OWNER_KEY] = owner
    st.query_params[OWNER_PARAM] = owner
    return owner


def available_engines() -> list[str]:
    """Engines the sidebar offers: every registered engine whose code imports and the teacher allows."""
    return services().engine_names()


def engine_name() -> str:
    """The engine chosen in the sidebar (or the default for these settings)."""
    chosen = st.session_state.get(ENGINE_KEY)
    names = available_engines()
    if chosen in names:
        return str(chosen)
    return services().default_engine()


def engine() -> Engine:
    """The chosen engine as the teacher's policy hands it out (it may still be unconfigured)."""
    return services().engine(engine_name())


def engine_label(name: str) -> str:
    """What the UI calls engine ``name``."""
    try:
        return services().raw_engine(name).label or name
    except Exception:  # noqa: BLE001 - a broken optional engine must not break the sidebar
        log.exception("engine %s failed to load", name)
        return name


#: Set by app.py on every run; a page that runs without it was reached around the frame.
FRAME_KEY = "_studio_frame_ran"
_RETURN_KEY = "_studio_return_to"


def mark_frame() -> str | None:
    """Called by app.py: note that the frame ran, and return a page a deep link asked for."""
    st.session_state[FRAME_KEY] = True
    target = st.session_state.pop(_RETURN_KEY, None)
    return str(target) if target else None


def ensure_frame(page_file: str) -> None:
    """Send a page that runs without app.py through the frame, then back to itself.

    Streamlit keeps its legacy ``pages/`` folder mode until ``st.navigation`` has run once in the
    process, so on a fresh server a bookmark such as ``/gallery?u=...`` runs the page alone: no
    sidebar, no engine choice. The query parameters (the browser's gallery id) travel along.
    """
    if st.session_state.get(FRAME_KEY):
        return
    st.session_state[_RETURN_KEY] = f"pages/{Path(page_file).name}"
    st.switch_page("app.py", query_params=st.query_params.to_dict())


def keep_results(key: str, result: Result) -> None:
    """Remember a run's pictures under ``key`` by their gallery ids: the pictures stay in the store.

    Pictures the store could not keep are shown right now, with their download buttons and a
    word on why, since they cannot be read back later.
    """
    st.session_state[key] = [image_id for image_id in result.ids if image_id]
    unsaved = [image for image, image_id in zip(result.images, result.ids, strict=True) if not image_id]
    if unsaved and result.save_error is not None:
        from lib.ui.i18n import _
        from lib.ui.widgets import image_grid, show_error

        show_error(result.save_error)
        st.caption(_("Your pictures are below: download the ones you want to keep."))
        image_grid(unsaved, key=f"{key}_unsaved")


def results(key: str) -> list[GeneratedImage]:
    """The pictures remembered under ``key``, read from the gallery (deleted ones are skipped)."""
    store, owner = history(), owner_id()
    images: list[GeneratedImage] = []
    for image_id in st.session_state.get(key) or []:
        try:
            images.append(store.load(owner, image_id))
        except StudioError:
            continue  # deleted on the Gallery page meanwhile, or the store is down
    return images


#: The sidebar's optional name field (an entrypoint widget, so it survives page switches).
NAME_KEY = "studio_student_name"


def load_student_name() -> None:
    """Fill the name field from the roster once per session, so a reload keeps the name."""
    if NAME_KEY not in st.session_state:
        try:
            st.session_state[NAME_KEY] = services().store.roster.name(owner_id())
        except StoreUnavailable:
            st.session_state[NAME_KEY] = ""


def save_student_name() -> None:
    """The name field's on_change: keep the name for the teacher's class view."""
    try:
        st.session_state[NAME_KEY] = services().store.roster.set_name(owner_id(), st.session_state.get(NAME_KEY, ""))
    except StoreUnavailable:
        log.warning("could not keep a student's name: the store does not answer")
