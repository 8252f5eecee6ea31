"""Per-student overview for the teacher: pictures today and this week, refusals, hosted pictures
used against the hourly limit, engine errors."""

from __future__ import annotations

import time

import streamlit as st

from lib.classroom import class_members, day_start, student_label, week_start
from lib.store.classwork import StudentUse
from lib.ui import state
from lib.ui.classview import teacher_zone
from lib.ui.i18n import N_, _, say

#: The table's columns, for the catalogs (shown in the teacher's language).
COLUMNS = (
    N_("student"), N_("pictures today"), N_("pictures this week"), N_("refusals this week"),
    N_("online pictures this hour"), N_("engine errors this week"),
)  # fmt: skip


def overview_tab() -> None:
    """One row per student of the class, busiest first."""
    services = state.services()
    store = services.store
    tz, now = teacher_zone(), time.time()
    names = store.roster.names()
    use = store.classwork.class_use(day_start=day_start(now, tz), week_start=week_start(now, tz))
    members = class_members([*store.classwork.class_owners(), *use], names)
    limit = services.rules.max_images_per_hour
    rows: list[dict[str, str | int]] = []
    for owner in members:
        numbers = use.get(owner, StudentUse(owner=owner))
        rows.append({
            "student": say(student_label(owner, names)), "pictures today": numbers.pictures_today,
            "pictures this week": numbers.pictures_week, "refusals this week": numbers.refusals,
            "online pictures this hour": f"{numbers.hosted_last_hour} / {limit}",
            "engine errors this week": numbers.engine_errors,
        })  # fmt: skip
    if not rows:
        st.caption(_("No student has made a picture yet."))
        return
    rows.sort(key=lambda r: (-int(r["pictures this week"]), str(r["student"])))
    st.caption(
        _("Weeks start on Monday; times in {zone}. The hourly limit counts online engines only.").format(zone=tz.key)
    )
    st.dataframe([{_(name): value for name, value in row.items()} for row in rows], hide_index=True, width="stretch")
