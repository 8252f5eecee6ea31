"""Edu4All Image Studio: the frame. Page config, the sidebar, and the list of pages."""

from __future__ import annotations

import streamlit as st

from lib.errors import StoreUnavailable
from lib.ui import alerts, controls, signin, state, teacher
from lib.ui.widgets import engine_badge, friendly_errors, refused_owner_notice, show_error, store_unavailable

st.set_page_config(page_title="Edu4All Image Studio", page_icon="🎨", layout="wide")

PAGES = [
    st.Page("pages/create.py", title="Create", icon="🖌️", default=True),
    st.Page("pages/edit.py", title="Edit", icon="🩹"),
    st.Page("pages/variations.py", title="Variations", icon="🔀"),
    st.Page("pages/compare.py", title="Compare", icon="⚖️"),
    st.Page("pages/gallery.py", title="Gallery", icon="🖼️"),
    st.Page("pages/teacher.py", title="Teacher", icon="🧑‍🏫"),
]

navigation = st.navigation(PAGES)
try:
    services = state.start_rerun()
except StoreUnavailable as error:
    store_unavailable(error)
    st.stop()
deep_link = state.mark_frame()
if deep_link:
    st.switch_page(deep_link, query_params=st.query_params.to_dict())

with st.sidebar:
    st.markdown("### 🎨 Edu4All Image Studio")
    signin.follow_account()
    state.owner_id()
    if services.store_problem is not None:
        show_error(services.store_problem)
    names = controls.offered_engines()
    if st.session_state.get(state.ENGINE_KEY) not in names:
        default = state.engine_name()
        st.session_state[state.ENGINE_KEY] = default if default in names else names[0]
    st.selectbox(
        "Image engine",
        names,
        key=state.ENGINE_KEY,
        format_func=controls.sidebar_label,
        help="Which program makes the pictures. Your teacher sets up the keys for online engines.",
    )
    engine_badge(state.engine(), for_teacher=teacher.unlocked())
    state.load_student_name()
    st.text_input(
        "Your name (optional)",
        key=state.NAME_KEY,
        max_chars=40,
        on_change=state.save_student_name,
        help="Only your teacher sees it, next to your pictures and hand-ins. It is never put in a picture.",
    )
    signin.sidebar()
    if teacher.unlocked():
        alerts.sidebar_count()

refused_owner_notice()
with friendly_errors(navigation.title):
    navigation.run()
