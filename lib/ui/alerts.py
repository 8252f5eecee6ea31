"""Alerts and refusals for the teacher: urgent ones pinned on top until marked seen, the rest in a table.

The sidebar of an unlocked teacher shows how many lines are unseen (:func:`sidebar_count`).
Prompts are shown as plain text (``st.text``, table cells), never as Markdown.
"""

from __future__ import annotations

import streamlit as st

from lib.classroom import student_label
from lib.ui import state
from lib.ui.classview import shown_time, teacher_zone
from lib.ui.i18n import N_, _, say

SHOWN = 100
#: What the audit log keeps in English (``lib/safety``, ``lib/store/records.py``), for the catalogs:
#: the teacher reads each in their language; a category the catalogs do not know stays as kept.
LOG_WORDS = (
    N_("prompt screen"), N_("moderation"), N_("output check"), N_("provider"), N_("rate limit"),
    N_("teacher access"), N_("info"), N_("urgent"), N_("error"), N_("could not check"), N_("passcode lock-out"),
)  # fmt: skip


def _logged(word: object) -> str:
    """A word of the audit log in the teacher's language (an empty one stays empty)."""
    return _(str(word)) if word else ""


def _seen(ids: list[int]) -> None:
    state.services().store.audit.mark_seen(ids)


def sidebar_count() -> None:
    """In the sidebar of an unlocked teacher: how many alerts and refusals are unseen."""
    audit = state.services().store.audit
    unseen, urgent = audit.count(unseen=True), audit.count(unseen=True, severity="urgent")
    if urgent:
        said = _("Urgent alerts unseen: {n}").format(n=urgent)
        st.error(f"🚨 {said} · " + _("{n} unseen in all").format(n=unseen))
    elif unseen:
        st.warning("🔔 " + _("Alerts and refusals unseen: {n}").format(n=unseen))
    else:
        st.caption("🔔 " + _("No unseen alerts"))


def alerts_tab() -> None:
    """Urgent alerts first (each with its own 'seen' button), then every recent line."""
    store = state.services().store
    tz = teacher_zone()
    names = store.roster.names()
    urgent = store.audit.latest(50, severity="urgent", unseen=True)
    if urgent:
        st.subheader("🚨 " + _("Urgent: {n} not seen yet").format(n=len(urgent)))
        for row in urgent:
            with st.container(border=True):
                c1, c2 = st.columns([5, 1])
                said = " · ".join((shown_time(row["created"], tz), _logged(row["stage"]), _logged(row["category"])))
                c1.error(said, icon="🚨")
                who = say(student_label(str(row["owner"]), names))
                c1.text(_("{student} wrote: {prompt}").format(student=who, prompt=row["prompt"]))
                c2.button("✔ " + _("Seen"), key=f"alert_seen_{row['id']}", on_click=_seen, args=([int(row["id"])],))
        if state.services().rules.help_line.strip():
            st.caption(_("A child who writes about hurting themselves was shown the help line. Please talk to them."))
        else:
            st.caption(
                _(
                    "A child who writes about hurting themselves was told to talk to a grown-up they trust. "
                    "Please talk to them. You can add a help line they will be shown on the Rules tab."
                )
            )
    else:
        st.success(_("No urgent alert waiting."), icon="✅")

    rows = store.audit.latest(SHOWN)
    st.subheader(_("Refusals, lock-outs and engine errors"))
    if not rows:
        st.caption(_("No refusals yet."))
        return
    unseen = [int(row["id"]) for row in rows if not row["seen"] and row["severity"] != "urgent"]
    if unseen:
        st.button(
            "✔ " + _("Mark the {n} unseen below as seen").format(n=len(unseen)),
            key="alerts_seen_all",
            on_click=_seen,
            args=(unseen,),
        )
    shown = [
        {_(N_("new")): "" if row["seen"] else "●", _(N_("time")): shown_time(row["created"], tz),
         _(N_("student")): say(student_label(str(row["owner"]), names)), _(N_("severity")): _logged(row["severity"]),
         _(N_("stage")): _logged(row["stage"]), _(N_("reason")): _logged(row["category"]),
         _(N_("prompt")): row["prompt"], _(N_("detail")): row["detail"]}
        for row in rows
    ]  # fmt: skip
    st.dataframe(shown, hide_index=True, width="stretch")
