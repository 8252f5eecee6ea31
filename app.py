"""Edu4All Image Studio: the frame. Page config, the language, the sidebar, and the list of pages."""

from __future__ import annotations

import streamlit as st

from lib.errors import StoreUnavailable
from lib.services import Services
from lib.ui import alerts, controls, i18n, signin, state, teacher
from lib.ui.i18n import _
from lib.ui.widgets import engine_badge, friendly_errors, refused_owner_notice, show_error, store_unavailable


def main() -> None:
    """One rerun of the frame; Streamlit runs this script as ``__main__`` on every rerun."""
    st.set_page_config(page_title="Edu4All Image Studio", page_icon="🎨", layout="wide")

    services: Services | None
    try:
        services = state.start_rerun()
    except StoreUnavailable as error:
        services, store_error = None, error
    # The language first (the page titles below are in it): the URL, the picker, the class, the browser.
    i18n.choose(services.rules.language if services is not None else "")
    i18n.lay_out()

    pages = [
        st.Page("pages/create.py", title=_("Create"), icon="🖌️", default=True),
        st.Page("pages/edit.py", title=_("Edit"), icon="🩹"),
        st.Page("pages/variations.py", title=_("Variations"), icon="🔀"),
        st.Page("pages/compare.py", title=_("Compare"), icon="⚖️"),
        st.Page("pages/gallery.py", title=_("Gallery"), icon="🖼️"),
        st.Page("pages/teacher.py", title=_("Teacher"), icon="🧑‍🏫"),
    ]

    navigation = st.navigation(pages)
    if services is None:
        store_unavailable(store_error)
        st.stop()
    deep_link = state.mark_frame()
    if deep_link:
        st.switch_page(deep_link, query_params=st.query_params.to_dict())

    with st.sidebar:
        st.markdown("### 🎨 Edu4All Image Studio")
        i18n.picker()
        signin.follow_account()
        state.owner_id()
        if services.store_problem is not None:
            show_error(services.store_problem)
        names = controls.offered_engines()
        if st.session_state.get(state.ENGINE_KEY) not in names:
            default = state.engine_name()
            st.session_state[state.ENGINE_KEY] = default if default in names else names[0]
        st.selectbox(
            _("Image engine"),
            names,
            key=state.ENGINE_KEY,
            format_func=controls.sidebar_labels(),
            help=_("Which program makes the pictures. Your teacher sets up the keys for online engines."),
        )
        engine_badge(state.engine(), for_teacher=teacher.unlocked())
        state.load_student_name()
        st.text_input(
            _("Your name (optional)"),
            key=state.NAME_KEY,
            max_chars=40,
            on_change=state.save_student_name,
            help=_("Only your teacher sees it, next to your pictures and hand-ins. It is never put in a picture."),
        )
        signin.sidebar()
        if teacher.unlocked():
            alerts.sidebar_count()

    refused_owner_notice()
    with friendly_errors(navigation.title):
        navigation.run()


# Picture workers (lib/workers.py) import this file as ``__mp_main__`` when they start: only a
# rerun draws the app, and a worker must never open the class's store.
if __name__ == "__main__":
    main()
