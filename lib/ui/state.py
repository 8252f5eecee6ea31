"""Per-session and per-process state for the pages: settings, the browser's id, the Studio.

Process-wide objects (settings, engines, history store) are cached with ``st.cache_resource``;
per-browser things live in ``st.session_state`` under a few documented keys.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import streamlit as st

from lib import roster
from lib.engines import default_engine_name, engine_names, get_engine
from lib.engines.base import Engine, GeneratedImage
from lib.errors import StudioError
from lib.history import History, is_valid_id, new_owner_id
from lib.policy import AllowedModelsOnly, studio_options
from lib.rules import load_rules
from lib.settings import Settings, load_settings
from lib.studio import Result, Studio

log = logging.getLogger(__name__)

#: The sidebar's engine choice (an entrypoint widget, so it survives page switches).
ENGINE_KEY = "studio_engine"
#: The query parameter that keeps a browser's id across reloads and bookmarks.
OWNER_PARAM = "u"
OWNER_KEY = "studio_owner"


def _secrets() -> dict[str, Any]:
    """Streamlit secrets as a plain dict; an app without a secrets file has none."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:  # noqa: BLE001 - Streamlit raises several types when no secrets file exists
        return {}


def settings() -> Settings:
    """The settings in force (environment, secrets, ``.env``, defaults), read once per rerun."""
    return load_settings(secrets=_secrets())


def owner_id() -> str:
    """This browser's id, kept in the URL so that a reload or a bookmark finds the same gallery."""
    current = st.query_params.get(OWNER_PARAM)
    if current and is_valid_id(current):
        st.session_state[OWNER_KEY] = current
        return current
    owner = st.session_state.get(OWNER_KEY) or new_owner_id()
    st.session_state[OWNER_KEY] = owner
    st.query_params[OWNER_PARAM] = owner
    return str(owner)


def available_engines() -> list[str]:
    """Engines the sidebar offers: every registered engine whose code imports and the teacher allows."""
    names = engine_names()
    rules = load_rules(settings().data_dir)
    return [name for name in names if rules.engine_allowed(name)] or names


def engine_name() -> str:
    """The engine chosen in the sidebar (or the default for these settings)."""
    chosen = st.session_state.get(ENGINE_KEY)
    names = available_engines()
    if chosen in names:
        return str(chosen)
    return default_engine_name(settings())


def engine() -> Engine:
    """The chosen engine object (it may still be unconfigured: check ``status()``).

    It offers only the models the teacher allowed.
    """
    name, current = engine_name(), settings()
    rules = load_rules(current.data_dir)
    engine = get_engine(name, current)
    return AllowedModelsOnly(engine, rules) if rules.allowed_models.get(name) else engine


def studio() -> Studio:
    """The pipeline for this rerun: settings, history and the teacher's rules wired in."""
    current = settings()
    # The teacher's rules: guard (safety layers), metaprompt, limits, allowed engines and models;
    # every picture is saved to the gallery the moment it exists.
    return Studio(current, save=history().save, **studio_options(current, load_rules(current.data_dir)))


@st.cache_resource(show_spinner=False)
def _history(data_dir: str) -> History:
    return History(data_dir)


def history() -> History:
    """The process-wide image store for the data folder in the settings."""
    return _history(str(settings().data_dir))


def engine_label(name: str) -> str:
    """What the UI calls engine ``name``."""
    try:
        return get_engine(name, settings()).label or name
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
    """Remember a run's pictures under ``key`` by their gallery ids: the pictures stay on disk."""
    st.session_state[key] = [image_id for image_id in result.ids if image_id]


def results(key: str) -> list[GeneratedImage]:
    """The pictures remembered under ``key``, read from the gallery (deleted ones are skipped)."""
    store, owner = history(), owner_id()
    images: list[GeneratedImage] = []
    for image_id in st.session_state.get(key) or []:
        try:
            images.append(store.load(owner, image_id))
        except StudioError:
            continue  # deleted on the Gallery page meanwhile
    return images


#: The sidebar's optional name field (an entrypoint widget, so it survives page switches).
NAME_KEY = "studio_student_name"


def load_student_name() -> None:
    """Fill the name field from the roster once per session, so a reload keeps the name."""
    if NAME_KEY not in st.session_state:
        st.session_state[NAME_KEY] = roster.names(settings().data_dir).get(owner_id(), "")


def save_student_name() -> None:
    """The name field's on_change: keep the name for the teacher's view of refusals."""
    st.session_state[NAME_KEY] = roster.set_name(settings().data_dir, owner_id(), st.session_state.get(NAME_KEY, ""))
