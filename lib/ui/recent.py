"""The last results come back after a reload, from the gallery.

A page keeps its last results in the session as gallery ids (:func:`lib.ui.state.keep_results`).
A reload starts a new session, so on its first run a page asks the store for the student's
newest batch made on that page (:meth:`lib.store.pictures.Pictures.last_batch`: the pictures of
one click share a batch id in their metadata) and keeps those ids as if they had just been made.
Asked once per session and page, so later reruns cost nothing.
"""

from __future__ import annotations

import logging

import streamlit as st

from lib.errors import StudioError
from lib.pictures import SOURCE
from lib.ui import state

log = logging.getLogger(__name__)


def bring_back(results_key: str, page: str, *, source_key: str | None = None, prompt_key: str | None = None) -> None:
    """Fill ``results_key`` with the last batch made on ``page``, on a session's first run only.

    ``source_key`` (Edit, Variations) gets the digest of the picture that batch started from, so
    the results show again next to that picture only. ``prompt_key`` (Create's words) gets the
    words that made the batch, unless the box has words already; call it before that widget.
    """
    asked = f"_brought_back_{results_key}"
    if results_key in st.session_state or st.session_state.get(asked):
        return
    st.session_state[asked] = True
    try:
        entries = state.history().last_batch(state.owner_id(), page)
    except StudioError:
        log.warning("could not bring back the last %s results: the store does not answer", page)
        return
    if not entries:
        return
    st.session_state[results_key] = [entry.id for entry in entries]
    if prompt_key is not None and not st.session_state.get(prompt_key) and entries[0].prompt_typed:
        st.session_state[prompt_key] = entries[0].prompt_typed
    if source_key is not None:
        source = (entries[0].meta.get("extra") or {}).get(SOURCE)
        if isinstance(source, str):
            st.session_state[source_key] = source
