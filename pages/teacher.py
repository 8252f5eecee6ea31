"""Teacher: behind a passcode, the class view, alerts, students, assignments and the rules.

Students (locked) see the rules read-only and nothing of the class.
"""

from __future__ import annotations

import streamlit as st

from lib.errors import StudioError
from lib.ui import alerts, assignments, classview, state, students, teacher_rules
from lib.ui import teacher as ui
from lib.ui.i18n import _, say
from lib.ui.widgets import show_error

state.ensure_frame(__file__)

st.title("🧑‍🏫 " + _("Teacher"))
settings = state.settings()
rules = ui.current_rules()

if not settings.teacher_passcode and not ui.unlocked():
    st.info(
        _(
            "This page is locked because no teacher passcode is set. To set one, add `TEACHER_PASSCODE=...` to "
            "the `.env` file next to `app.py`, or to `.streamlit/secrets.toml` (on Streamlit Cloud: the app's "
            "secrets), then restart the app. Until then the default rules below apply."
        ),
        icon="🔒",
    )
    ui.show_teachers_rules(rules, expanded=True)
    st.stop()

if not ui.unlocked():
    st.caption(_("Students: these are the rules your teacher set."))
    ui.show_teachers_rules(rules, expanded=True)
    with st.form("teacher_login"):
        typed = st.text_input(_("Teacher passcode"), type="password", key="teacher_passcode_input")
        if st.form_submit_button("🔓 " + _("Unlock")):
            problem = ui.unlock(typed)
            if problem is None:
                st.rerun()
            st.error(say(problem), icon="🔑")
    st.stop()

left, right = st.columns([3, 1])
left.success(_("Unlocked. Changes apply to every page as soon as you save."), icon="🔓")
if st.session_state.get(ui.UNLOCKED_KEY) and right.button("🔒 " + _("Lock"), key="teacher_lock"):
    st.session_state[ui.UNLOCKED_KEY] = False
    st.rerun()

unseen = state.services().store.audit.count(unseen=True)
class_tab, alerts_tab, students_tab, assignments_tab, rules_tab = st.tabs(
    [
        "🖼️ " + _("Class"),
        "🚨 " + (_("Alerts ({n} new)").format(n=unseen) if unseen else _("Alerts")),
        "👥 " + _("Students"),
        "📝 " + _("Assignments"),
        "⚙️ " + _("Rules"),
    ]
)
try:
    with class_tab:
        classview.wall()
    with alerts_tab:
        alerts.alerts_tab()
    with students_tab:
        students.overview_tab()
    with assignments_tab:
        assignments.assignments_tab()
except StudioError as error:
    show_error(error)
with rules_tab:
    teacher_rules.rules_tab(rules)
