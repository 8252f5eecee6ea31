"""The teacher's assignments: create, edit, close; who handed in and who not yet; comments; exports."""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

import streamlit as st

from lib import class_export
from lib.classroom import class_members, student_label, who_handed_in
from lib.errors import StudioError
from lib.store.classwork import MAX_HANDINS_LIMIT, Assignment, HandIn
from lib.ui import i18n, state
from lib.ui.classview import shown_time, teacher_zone
from lib.ui.gallery import thumbnail_url
from lib.ui.i18n import _, error_text, ngettext, say

CHOSEN_KEY = "assign_chosen"
OPEN_HANDIN_KEY = "assign_open_handin"
SAVED_KEY = "assign_comment_saved"


def _due(day: dt.date | None, at: dt.time | None, tz: ZoneInfo) -> float | None:
    if day is None:
        return None
    return dt.datetime.combine(day, at or dt.time(23, 59), tz).timestamp()


def _editor(task: Assignment | None, tz: ZoneInfo) -> None:
    """A form for a new assignment (``task`` None) or for changing one."""
    prefix = f"assign_edit_{task.id}" if task else "assign_new"
    due = dt.datetime.fromtimestamp(task.due, tz) if task and task.due is not None else None
    with st.form(prefix, clear_on_submit=task is None):
        title = st.text_input(_("Title"), task.title if task else "", max_chars=120, key=f"{prefix}_title")
        words = st.text_area(_("What students should do"), task.instructions if task else "", key=f"{prefix}_words")
        c1, c2, c3 = st.columns(3)
        day = c1.date_input(_("Due date (empty: none)"), due.date() if due else None, key=f"{prefix}_day")
        at = c2.time_input(_("Due at"), due.time() if due else dt.time(23, 59), key=f"{prefix}_at")
        most = c3.number_input(_("Pictures per student"), 1, MAX_HANDINS_LIMIT, task.max_handins if task else 1,
                               key=f"{prefix}_most")  # fmt: skip
        if st.form_submit_button("💾 " + _("Save") if task else "➕ " + _("Create the assignment")):
            classwork = state.services().store.classwork
            try:
                due_at, most_n = _due(day, at, tz), int(most)
                if task:
                    saved = classwork.update_assignment(
                        task.id, title=title, instructions=words, due=due_at, max_handins=most_n
                    )
                else:
                    saved = classwork.create_assignment(title=title, instructions=words, due=due_at, max_handins=most_n)
            except StudioError as error:
                st.warning(error_text(error), icon="✏️")
            else:
                st.session_state[CHOSEN_KEY] = saved.id
                st.success(_("Saved: {title}").format(title=saved.title), icon="✅")


def _set_open(task_id: int, is_open: bool) -> None:
    state.services().store.classwork.set_open(task_id, is_open)


def _open_handin(handin_id: int | None) -> None:
    st.session_state[OPEN_HANDIN_KEY] = handin_id


def _handin_detail(handin: HandIn, names: dict[str, str], tz: ZoneInfo) -> None:
    """One hand-in large, with the comment form."""
    store = state.services().store
    left, right = st.columns([3, 2])
    try:
        left.image(
            store.pictures.read_png(handin.owner, handin.image_id, teacher=True), width="stretch", output_format="PNG"
        )
        entry = store.pictures.get(handin.owner, handin.image_id)
        prompt = entry.prompt_typed or entry.prompt_sent
    except StudioError:
        left.info(_("The student deleted this picture."), icon="🗑️")
        prompt = ""
    with right:
        st.markdown("**" + _("Title") + "**")
        st.text(handin.title)
        st.markdown("**" + _("About it") + "**")
        st.text(handin.sentence)
        st.caption(_("{time} · prompt:").format(time=shown_time(handin.created, tz)))
        st.text(prompt)
        st.text(say(student_label(handin.owner, names)))
        for note in handin.comments:
            st.caption(shown_time(note.created, tz) + (" · ✅ " + _("done") if note.done else ""))
            if note.text:
                st.text(note.text)
        with st.form(f"assign_comment_{handin.id}", clear_on_submit=True):
            text = st.text_area(_("Your comment (the student sees it next to the picture)"), key="assign_comment_text")
            done = st.checkbox(_("Done: nothing more to do"), value=handin.done, key="assign_comment_done")
            if st.form_submit_button("💬 " + _("Save the comment")):
                try:
                    store.classwork.comment(handin.id, text, done=done)
                except StudioError as error:
                    st.warning(error_text(error), icon="✏️")
                else:  # again, so the comment shows above with the others
                    st.session_state[SAVED_KEY] = _("Saved. The student sees it in their gallery.")
                    st.rerun()
        saved = st.session_state.pop(SAVED_KEY, None)
        if saved:
            st.success(saved, icon="✅")
        st.button("✖ " + _("Close"), key="assign_close_handin", on_click=_open_handin, args=(None,))


def _exports(task: Assignment, tz: ZoneInfo) -> None:
    store = state.services().store
    name = class_export.slug(task.title)
    # The headers and labels in the teacher's language, bound now: the files are built when clicked.
    said = i18n.catalog(i18n.current())
    words = class_export.Language(translate=said.gettext, ngettext=said.ngettext, locale=i18n.current())
    c1, c2, c3 = st.columns(3)
    c1.download_button("📦 " + _("ZIP of the pictures"),
                       functools.partial(class_export.zip_handins, store, task.id, tz, words),
                       file_name=f"{name}.zip", mime="application/zip", key="assign_zip",
                       on_click="ignore")  # fmt: skip
    c2.download_button("📄 " + _("CSV manifest"), functools.partial(class_export.manifest, store, task.id, tz, words),
                       file_name=f"{name}.csv", mime="text/csv", key="assign_csv", on_click="ignore")  # fmt: skip
    c3.download_button("🖨️ " + _("PDF contact sheet"),
                       functools.partial(class_export.contact_sheet, store, task, tz, words),
                       file_name=f"{name}.pdf", mime="application/pdf", key="assign_pdf",
                       on_click="ignore")  # fmt: skip


def assignments_tab() -> None:
    """Choose an assignment; see who handed in and who has not; comment; export."""
    store = state.services().store
    tz = teacher_zone()
    with st.expander("➕ " + _("New assignment")):
        _editor(None, tz)
    tasks = {task.id: task for task in store.classwork.assignments()}
    if st.session_state.get(CHOSEN_KEY) not in tasks:
        st.session_state[CHOSEN_KEY] = next(iter(tasks))
    closed = " (" + _("closed") + ")"
    # The seeded assignment is said in the teacher's language until rewritten; a teacher's own words as typed.
    titles = {t: _(task.title) + ("" if task.is_open else closed) for t, task in tasks.items()}
    chosen = st.selectbox(_("Assignment"), list(tasks), key=CHOSEN_KEY, format_func=titles.__getitem__)
    task = tasks[chosen]
    st.text(_(task.instructions))
    due = _("due {when}").format(when=shown_time(task.due, tz, year=True)) if task.due is not None else _("no due date")
    per_student = ngettext("{n} picture per student", "{n} pictures per student", task.max_handins)
    st.caption(
        " · ".join(
            (_("Open for hand-ins") if task.is_open else _("Closed"), due, per_student.format(n=task.max_handins))
        )
    )
    c1, c2 = st.columns([1, 3])
    if task.is_open:
        c1.button("🔒 " + _("Close it"), key="assign_close", on_click=_set_open, args=(task.id, False))
    else:
        c1.button("🔓 " + _("Open it again"), key="assign_reopen", on_click=_set_open, args=(task.id, True))
    with c2.expander("✏️ " + _("Change it")):
        _editor(task, tz)

    names = store.roster.names()
    handins = store.classwork.class_handins(task.id)
    handed, missing = who_handed_in(class_members(store.classwork.class_owners(), names), handins)
    opened = st.session_state.get(OPEN_HANDIN_KEY)
    current = next((h for h in handins if h.id == opened), None)
    if current is not None:
        _handin_detail(current, names, tz)
        st.divider()

    st.subheader(ngettext("Handed in: {n} student", "Handed in: {n} students", len(handed)).format(n=len(handed)))
    if handins:
        with st.grid("auto", min_column_width=170, key="assign_handins"):
            for handin in handins:
                with st.container(border=True):
                    _handin_card(handin, names)
    st.subheader(_("Not yet: {n}").format(n=len(missing)))
    st.text(", ".join(say(student_label(owner, names)) for owner in missing) or _("Everybody has handed in."))
    if handins:
        st.subheader(_("Export"))
        _exports(task, tz)


def _handin_card(handin: HandIn, names: dict[str, str]) -> None:
    store = state.services().store
    try:
        st.image(thumbnail_url(store.pictures.get(handin.owner, handin.image_id)), width="stretch")
    except StudioError:
        st.caption("🗑️ " + _("picture deleted"))
    st.text(f"{say(student_label(handin.owner, names))}: {handin.title}")
    if handin.done:
        st.caption("✅ " + _("done"))
    else:
        st.caption("💬 " + _("commented") if handin.comment else _("waiting for you"))
    st.button("🔍 " + _("Open"), key=f"assign_open_{handin.id}", on_click=_open_handin, args=(handin.id,))
