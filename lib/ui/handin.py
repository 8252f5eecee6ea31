"""The student's side of assignments: the open ones, handing in a picture, taking it back, and the
teacher's comments next to the picture. Every call names this browser's own id, so the store
returns this student's hand-ins only.
"""

from __future__ import annotations

import time

import streamlit as st

from lib.classroom import HIDDEN_NOTE
from lib.errors import StudioError
from lib.pictures import Entry
from lib.store.classwork import Assignment, HandIn
from lib.ui import state
from lib.ui.classview import shown_time, teacher_zone
from lib.ui.gallery import thumbnail_url
from lib.ui.i18n import _, error_text, say, translator

NOTICE_KEY = "handin_notice"
#: What the last "Hand in" under the opened picture said (shown under its form).
HANDED_KEY = "handin_box_notice"


def _due_text(task: Assignment) -> str:
    if task.due is None:
        return _("no due date")
    return _("due {when}").format(when=shown_time(task.due, teacher_zone(), year=True))


def open_assignments() -> None:
    """The open assignments, in a few lines (for the Create page's assignment helper)."""
    try:
        tasks = state.services().store.classwork.assignments(open_only=True)
    except StudioError:
        return
    for task in tasks:
        st.markdown(f"**📝 {_(task.title)}** · {_due_text(task)}")
        st.caption(_(task.instructions))
    if tasks:
        st.caption(_("When a picture is ready, open it in your gallery and press **📮 Hand in**."))


def _withdraw(owner: str, handin_id: int) -> None:
    try:
        state.services().store.classwork.withdraw(owner, handin_id)
        st.session_state[NOTICE_KEY] = ("success", _("Taken back. You can hand in another picture."))
    except StudioError as error:
        st.session_state[NOTICE_KEY] = ("warning", error_text(error))


def _hand_in(owner: str, image_id: str) -> None:
    """The form's "Hand in", as a callback: it runs before the page is drawn, so the count of
    hand-ins at the top of the gallery already holds this one."""
    try:
        state.services().store.classwork.hand_in(
            owner, int(st.session_state["handin_task"]), image_id,
            title=st.session_state.get("handin_title") or "", sentence=st.session_state.get("handin_sentence") or "",
        )  # fmt: skip
        st.session_state[HANDED_KEY] = ("success", _("Handed in! Your teacher can see it now."))
    except StudioError as error:
        st.session_state[HANDED_KEY] = ("warning", error_text(error))


def _notice(key: str = NOTICE_KEY) -> None:
    found = st.session_state.pop(key, None)
    if found:
        kind, text = found
        if kind == "success":
            st.success(text, icon="📮")
        else:
            st.warning(text, icon="📮" if key == NOTICE_KEY else "✏️")


def student_panel(owner: str) -> None:
    """In the gallery: each open assignment, the pictures handed in to it and the teacher's comments."""
    store = state.services().store
    try:
        tasks = {task.id: task for task in store.classwork.assignments()}
        mine = store.classwork.my_handins(owner)
    except StudioError:
        return
    open_ids = [t for t, task in tasks.items() if task.is_open]
    shown = list(dict.fromkeys([*open_ids, *(h.assignment_id for h in mine)]))
    if not shown:
        return
    _notice()
    with st.expander("📝 " + _("My assignments ({n} handed in)").format(n=len(mine)), expanded=bool(mine)):
        for task_id in shown:
            task = tasks[task_id]
            theirs = [h for h in mine if h.assignment_id == task_id]
            state_word = "" if task.is_open else " · " + _("closed")
            count = _("{n} of {most} handed in").format(n=len(theirs), most=task.max_handins)
            st.markdown(f"**{_(task.title)}** · {_due_text(task)}{state_word} · {count}")
            st.caption(_(task.instructions))
            for handin in theirs:
                _my_handin(owner, handin, task)


def _my_handin(owner: str, handin: HandIn, task: Assignment) -> None:
    store = state.services().store
    left, right = st.columns([1, 4])
    try:
        entry = store.pictures.get(owner, handin.image_id)
        if entry.hidden:
            left.info(say(HIDDEN_NOTE), icon="🙈")
        else:
            left.image(thumbnail_url(entry), width="stretch")
    except StudioError:
        left.caption("🗑️ " + _("picture deleted"))
    with right:
        st.text(f"📮 {handin.title}: {handin.sentence}")
        if handin.comment:
            st.info("💬 " + _("Your teacher: {comment}").format(comment=handin.comment))
        if handin.done:
            st.success("✅ " + _("Your teacher marked it done."))
        may_withdraw = task.is_open and not (task.due is not None and task.past_due(time.time()))
        st.button("↩️ " + _("Take it back"), key=f"handin_withdraw_{handin.id}", on_click=_withdraw,
                  args=(owner, handin.id), disabled=not may_withdraw,
                  help=None if may_withdraw else _("The assignment is closed or past its due date."))  # fmt: skip


def hand_in_box(owner: str, entry: Entry) -> None:
    """Under a picture opened in the gallery: its comments, and a form to hand it in."""
    store = state.services().store
    try:
        mine = [h for h in store.classwork.my_handins(owner) if h.image_id == entry.id]
        # Closed ones too (marked so): a student who picks one, or whose assignment closed while
        # the form was open, is told why it takes nothing instead of finding the form gone.
        tasks = sorted(store.classwork.assignments(), key=lambda task: not task.is_open)
    except StudioError:
        return
    # In one container: a hand-in shown here then does not move the form below to another place
    # in the page, where the browser would draw it anew, folded, hiding its "Handed in!".
    with st.container():
        for handin in mine:
            st.caption("📮 " + _("Handed in as “{title}”").format(title=handin.title))
            if handin.comment:
                st.info("💬 " + _("Your teacher: {comment}").format(comment=handin.comment))
    if not tasks:
        return
    with st.expander("📮 " + _("Hand in this picture")):
        with st.form(f"handin_{entry.id}", clear_on_submit=True):
            by_id = {task.id: task for task in tasks}
            closed, said = " (" + _("closed") + ")", translator()
            st.selectbox(
                _("Assignment"),
                list(by_id),
                key="handin_task",
                format_func=lambda t: said(by_id[t].title) + ("" if by_id[t].is_open else closed),
            )
            st.text_input(_("Title"), max_chars=120, key="handin_title")
            st.text_input(_("One sentence about your picture"), max_chars=500, key="handin_sentence")
            st.form_submit_button("📮 " + _("Hand in"), type="primary", on_click=_hand_in, args=(owner, entry.id))
        _notice(HANDED_KEY)
