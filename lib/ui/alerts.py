"""Alerts and refusals for the teacher: urgent ones pinned on top until marked seen, the rest in a table.

The sidebar of an unlocked teacher shows how many lines are unseen (:func:`sidebar_count`).
Prompts are shown as plain text (``st.text``, table cells), never as Markdown.
"""

from __future__ import annotations

import streamlit as st

from lib.classroom import local_time, student_label
from lib.ui import state
from lib.ui.classview import teacher_zone

SHOWN = 100


def _seen(ids: list[int]) -> None:
    state.services().store.audit.mark_seen(ids)


def sidebar_count() -> None:
    """In the sidebar of an unlocked teacher: how many alerts and refusals are unseen."""
    audit = state.services().store.audit
    unseen, urgent = audit.count(unseen=True), audit.count(unseen=True, severity="urgent")
    if urgent:
        st.error(f"🚨 {urgent} urgent alert{'s' if urgent != 1 else ''} unseen · {unseen} unseen in all")
    elif unseen:
        st.warning(f"🔔 {unseen} unseen alert{'s' if unseen != 1 else ''} and refusals")
    else:
        st.caption("🔔 No unseen alerts")


def alerts_tab() -> None:
    """Urgent alerts first (each with its own 'seen' button), then every recent line."""
    store = state.services().store
    tz = teacher_zone()
    names = store.roster.names()
    urgent = store.audit.latest(50, severity="urgent", unseen=True)
    if urgent:
        st.subheader(f"🚨 Urgent: {len(urgent)} not seen yet")
        for row in urgent:
            with st.container(border=True):
                c1, c2 = st.columns([5, 1])
                c1.error(f"{local_time(row['created'], tz)} · {row['stage']} · {row['category']}", icon="🚨")
                c1.text(f"{student_label(str(row['owner']), names)} wrote: {row['prompt']}")
                c2.button("✔ Seen", key=f"alert_seen_{row['id']}", on_click=_seen, args=([int(row["id"])],))
        st.caption("A child who writes about hurting themselves was shown the help line. Please talk to them.")
    else:
        st.success("No urgent alert waiting.", icon="✅")

    rows = store.audit.latest(SHOWN)
    st.subheader("Refusals, lock-outs and engine errors")
    if not rows:
        st.caption("No refusals yet.")
        return
    unseen = [int(row["id"]) for row in rows if not row["seen"] and row["severity"] != "urgent"]
    if unseen:
        st.button(
            f"✔ Mark the {len(unseen)} unseen below as seen", key="alerts_seen_all", on_click=_seen, args=(unseen,)
        )
    shown = [
        {"new": "" if row["seen"] else "●", "time": local_time(row["created"], tz),
         "student": student_label(str(row["owner"]), names), "severity": row["severity"], "stage": row["stage"],
         "reason": row["category"], "prompt": row["prompt"], "detail": row["detail"]}
        for row in rows
    ]  # fmt: skip
    st.dataframe(shown, hide_index=True, width="stretch")
