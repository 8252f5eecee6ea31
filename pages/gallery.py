"""Gallery: every picture this browser made, kept on disk so that a reload loses nothing."""

from __future__ import annotations

import streamlit as st

from lib.errors import StudioError
from lib.ui import gallery, handin, state
from lib.ui.i18n import _, ngettext
from lib.ui.widgets import show_error

state.ensure_frame(__file__)

gallery.follow_goto()

st.title("🖼️ " + _("My gallery"))
st.caption(
    _(
        "Every picture you make is kept here, with the settings that made it saved inside the PNG. "
        "**Bookmark this page** to find your pictures again: the link holds your gallery's id."
    )
)

owner = state.owner_id()
handin.student_panel(owner)
store = gallery.history()
toast = st.session_state.pop("gallery_toast", None)
if toast:
    st.toast(toast, icon="🗑️")
notice = st.session_state.pop(gallery.NOTICE_KEY, None)
if notice:
    st.warning(notice, icon="♻️")
    st.page_link(gallery.CREATE_PAGE, label=_("Open Create with the other settings"), icon="🖌️")

with st.expander("📥 " + _("Read the settings back from a picture")):
    gallery.drop_in(owner)

try:
    view = gallery.load(owner)
    if view.total == 0:
        st.info(_("No pictures yet. Make one on the Create page and it will appear here."), icon="🎨")
        st.page_link(gallery.CREATE_PAGE, label=_("Go to Create"), icon="🖌️")
        st.stop()

    gallery.filters(view)
    selected = st.session_state.get(gallery.SELECTED_KEY)
    if selected:
        try:
            gallery.detail(owner, store.get(owner, selected))
        except StudioError as error:
            st.session_state.pop(gallery.SELECTED_KEY, None)
            show_error(error)
        st.divider()

    if view.matching == 0:
        st.info(_("No picture matches these filters."), icon="🔎")
    else:
        gallery.pager(view.group_count)
        st.caption(ngettext("{n} picture", "{n} pictures", view.matching).format(n=view.matching))
        gallery.cards(owner, view.groups)
    st.divider()
    gallery.zip_button(owner, view)
except StudioError as error:
    show_error(error)
