"""The teacher's class view: every student's pictures, newest first, on a ``st.grid`` wall.

Only one page of rows is read from the store per rerun (``Pictures.class_page``: a count and a
LIMIT/OFFSET query on the newest-first index), and thumbnails go to the browser as ``data:``
URLs, so the view costs the same with 100 or 10,000 pictures. Session state holds only the
filter values, the page number, the open picture's id and which pictures were screened.

Everything a student typed (prompt, name) is shown with ``st.text``, never as Markdown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from lib.classroom import date_bounds, local_time, student_label, zone
from lib.errors import StudioError
from lib.pictures import Entry
from lib.safety import screen_text
from lib.store import Filters
from lib.ui import state
from lib.ui.gallery import ORIGINS, thumbnail_url

PAGE_SIZE = 24
PAGE_NO_KEY = "class_page_no"
SELECTED_KEY = "class_selected"
#: Ids of pictures already checked against the rules in this session (each is screened once).
SCREENED_KEY = "class_screened"
F_STUDENT, F_TASK, F_PAGE, F_ENGINE = "class_f_student", "class_f_assignment", "class_f_page", "class_f_engine"
F_DATES, F_HIDDEN, F_FLAGGED = "class_f_dates", "class_f_hidden", "class_f_flagged"
HIDDEN_CHOICES = {"any": "Shown and hidden", "shown": "Shown to the student", "hidden": "Hidden only"}


def teacher_zone() -> ZoneInfo:
    """The teacher's browser's time zone (UTC when the browser did not say)."""
    try:
        return zone(st.context.timezone)
    except Exception:  # noqa: BLE001 - no browser context (a bare script run)
        return zone(None)


def _first_page() -> None:
    st.session_state[PAGE_NO_KEY] = 0
    st.session_state.pop(SELECTED_KEY, None)


def _turn(delta: int) -> None:
    st.session_state[PAGE_NO_KEY] = max(0, int(st.session_state.get(PAGE_NO_KEY, 0)) + delta)


def _select(image_id: str | None) -> None:
    st.session_state[SELECTED_KEY] = image_id


def _hide(image_id: str, hidden: bool) -> None:
    state.services().store.pictures.set_hidden(image_id, hidden)


def _flag(image_id: str, reason: str | None) -> None:
    classwork = state.services().store.classwork
    if reason is None:
        classwork.unflag(image_id)
    else:
        classwork.flag(image_id, reason)


def _filters(names: dict[str, str], tz: ZoneInfo) -> Filters:
    """The filter widgets, and the store filter they make."""
    store = state.services().store
    members = list(dict.fromkeys([*names, *store.classwork.class_owners()]))
    tasks = {task.id: task.title for task in store.classwork.assignments()}
    pages, engines = store.classwork.class_choices()
    for key, options in ((F_STUDENT, members), (F_TASK, list(tasks)), (F_PAGE, pages), (F_ENGINE, engines)):
        if st.session_state.get(key) not in ["", *options]:
            st.session_state[key] = ""
    c1, c2, c3, c4 = st.columns(4)
    c1.selectbox("Student", ["", *members], key=F_STUDENT, on_change=_first_page,
                 format_func=lambda o: student_label(o, names) if o else "Every student")  # fmt: skip
    c2.selectbox("Assignment", ["", *tasks], key=F_TASK, on_change=_first_page,
                 format_func=lambda t: tasks.get(t, "") if t != "" else "Any picture (handed in or not)")  # fmt: skip
    c3.selectbox("Made on", ["", *pages], key=F_PAGE, on_change=_first_page,
                 format_func=lambda p: ORIGINS.get(p, p) if p else "All pages")  # fmt: skip
    c4.selectbox("Image engine", ["", *engines], key=F_ENGINE, on_change=_first_page,
                 format_func=lambda e: state.engine_label(e) if e else "All engines")  # fmt: skip
    c1, c2, c3 = st.columns([2, 2, 1])
    dates = c1.date_input("Made between", value=[], key=F_DATES, on_change=_first_page, format="YYYY-MM-DD")
    c2.selectbox(
        "Hidden", list(HIDDEN_CHOICES), key=F_HIDDEN, on_change=_first_page, format_func=lambda h: HIDDEN_CHOICES[h]
    )
    flagged_only = c3.checkbox("🚩 Flagged only", key=F_FLAGGED, on_change=_first_page)

    chosen = dates if isinstance(dates, tuple | list) else (dates,) if isinstance(dates, dt.date) else ()
    since, until = date_bounds([d for d in chosen if isinstance(d, dt.date)], tz)
    ids: set[str] | None = None
    if st.session_state.get(F_TASK) not in ("", None):
        ids = set(store.classwork.class_handed_in_images(int(st.session_state[F_TASK])))
    if flagged_only:
        flagged = set(store.classwork.flagged())
        ids = flagged if ids is None else ids & flagged
    hidden = {"any": None, "shown": False, "hidden": True}[st.session_state.get(F_HIDDEN) or "any"]
    return Filters(
        owner=st.session_state.get(F_STUDENT) or None, page=st.session_state.get(F_PAGE) or None,
        engine=st.session_state.get(F_ENGINE) or None, hidden=hidden, since=since, until=until,
        ids=tuple(sorted(ids)) if ids is not None else None,
    )  # fmt: skip


def _screen(entries: list[Entry], flagged: dict[str, str]) -> None:
    """Flag the shown pictures whose words today's rules refuse (each picture checked once per session)."""
    services = state.services()
    screened: list[str] = st.session_state.setdefault(SCREENED_KEY, [])
    for entry in entries:
        if entry.id in flagged or entry.id in screened:
            continue
        screened.append(entry.id)
        verdict = screen_text(entry.prompt_typed or entry.prompt_sent, services.rules)
        if not verdict.allowed:
            reason = f"the rules refuse these words now: {verdict.category}"
            services.store.classwork.flag(entry.id, reason)
            flagged[entry.id] = reason
    del screened[:-2000]  # ids only, and never more than a few thousand


def _card(entry: Entry, names: dict[str, str], flagged: dict[str, str], tz: ZoneInfo) -> None:
    st.image(thumbnail_url(entry), width="stretch")
    st.text(student_label(entry.owner, names))
    words = entry.prompt_typed or entry.prompt_sent or "(no words)"
    st.text(words[:90] + ("…" if len(words) > 90 else ""))
    badges = ["🙈 hidden"] if entry.hidden else []
    badges += ["🚩 flagged"] if entry.id in flagged else []
    facts = [
        ORIGINS.get(entry.page, entry.page),
        state.engine_label(entry.engine),
        entry.model,
        local_time(entry.created, tz),
    ]
    st.caption(" · ".join(badges + facts))
    st.button("🔍 Open", key=f"class_open_{entry.id}", on_click=_select, args=(entry.id,))


def _detail(entry: Entry, names: dict[str, str], flagged: dict[str, str], tz: ZoneInfo) -> None:
    """One picture large, with every setting, and hide / flag."""
    store = state.services().store
    left, right = st.columns([3, 2])
    left.image(store.pictures.read_png(entry.owner, entry.id, teacher=True), width="stretch", output_format="PNG")
    with right:
        st.markdown("**Student**")
        st.text(student_label(entry.owner, names))
        st.markdown("**Prompt typed**")
        st.text(entry.prompt_typed or "(no words)")
        with st.expander("Prompt as sent to the engine"):
            st.text(entry.prompt_sent)
        if entry.id in flagged:
            st.warning("Flagged: " + flagged[entry.id], icon="🚩")
        if entry.hidden:
            st.info("Hidden: the student sees “your teacher hid this picture” instead of it.", icon="🙈")
        settings: dict[str, Any] = {
            "made on": ORIGINS.get(entry.page, entry.page), "engine": entry.engine, "model": entry.model,
            "operation": entry.operation, "size": entry.size, "seed": entry.seed, "randomness": entry.temperature,
            "time": local_time(entry.created, tz, year=True), "picture id": entry.id,
        }  # fmt: skip
        extra = {k: v for k, v in entry.meta.items() if k not in {"prompt_typed", "prompt_sent", "page", "id"}}
        st.json({**settings, "everything saved in the PNG": extra}, expanded=1)
        c1, c2, c3 = st.columns(3)
        if entry.hidden:
            c1.button("👁️ Show again", key="class_show", on_click=_hide, args=(entry.id, False))
        else:
            c1.button("🙈 Hide", key="class_hide", on_click=_hide, args=(entry.id, True))
        if entry.id in flagged:
            c2.button("✅ Unflag", key="class_unflag", on_click=_flag, args=(entry.id, None))
        else:
            c2.button("🚩 Flag", key="class_flag", on_click=_flag, args=(entry.id, "flagged by the teacher"))
        c3.button("✖ Close", key="class_close", on_click=_select, args=(None,))


def wall() -> None:
    """The class view: filters, the open picture, the wall and the pager."""
    store = state.services().store
    tz = teacher_zone()
    names = store.roster.names()
    filters = _filters(names, tz)
    number = max(0, int(st.session_state.get(PAGE_NO_KEY, 0)))
    matching, entries = store.pictures.class_page(filters, limit=PAGE_SIZE, offset=number * PAGE_SIZE)
    if not entries and number:
        st.session_state[PAGE_NO_KEY] = number = max(0, (matching - 1) // PAGE_SIZE)
        matching, entries = store.pictures.class_page(filters, limit=PAGE_SIZE, offset=number * PAGE_SIZE)
    flagged = store.classwork.flagged([e.id for e in entries])
    _screen(entries, flagged)

    selected = st.session_state.get(SELECTED_KEY)
    if selected:
        found = store.pictures.class_page(Filters(ids=(selected,)), limit=1)[1]
        if found:
            try:
                _detail(found[0], names, {**flagged, **store.classwork.flagged([selected])}, tz)
            except StudioError as error:
                st.warning(str(error), icon="🔎")
        else:
            st.session_state.pop(SELECTED_KEY, None)
        st.divider()

    pages = max(1, -(-matching // PAGE_SIZE))
    st.caption(f"{matching} picture{'s' if matching != 1 else ''} · page {number + 1} of {pages} · times in {tz.key}")
    if not entries:
        st.info("No picture matches these filters.", icon="🔎")
        return
    with st.grid("auto", min_column_width=170, key="class_wall"):
        for entry in entries:
            with st.container(border=True):
                _card(entry, names, flagged, tz)
    if pages > 1:
        c1, _, c3 = st.columns([1, 2, 1])
        c1.button("◀ Newer", on_click=_turn, args=(-1,), disabled=number == 0, key="class_prev")
        c3.button("Older ▶", on_click=_turn, args=(1,), disabled=number >= pages - 1, key="class_next")
