"""The teacher's class view: every student's pictures, newest first, on a ``st.grid`` wall.

Only one page of rows is read from the store per rerun (``Pictures.class_page``: a count and a
LIMIT/OFFSET query on the newest-first index), and thumbnails go to the browser as ``data:``
URLs, so the view costs the same with 100 or 10,000 pictures. Session state holds only the
filter values, the page number, the open picture's id and which pictures were screened.

Everything a student typed (prompt, name) is shown with ``st.text``, never as Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from lib.classroom import date_bounds, local_time, student_label, zone
from lib.errors import StudioError
from lib.pictures import Entry
from lib.safety import screen_text
from lib.store import Filters
from lib.ui import state
from lib.ui.gallery import NO_WORDS, engine_name, origin, thumbnail_url
from lib.ui.i18n import N_, _, current, error_text, ngettext, say, translator

PAGE_SIZE = 24
PAGE_NO_KEY = "class_page_no"
SELECTED_KEY = "class_selected"
#: Ids of pictures already checked against the rules in this session (each is screened once).
SCREENED_KEY = "class_screened"
F_STUDENT, F_TASK, F_PAGE, F_ENGINE = "class_f_student", "class_f_assignment", "class_f_page", "class_f_engine"
F_DATES, F_HIDDEN, F_FLAGGED = "class_f_dates", "class_f_hidden", "class_f_flagged"
HIDDEN_CHOICES = {"any": N_("Shown and hidden"), "shown": N_("Shown to the student"), "hidden": N_("Hidden only")}
#: Why a picture is flagged, as kept in the store (English); said in the teacher's language by :func:`reason_text`.
FLAGGED_BY_TEACHER = N_("flagged by the teacher")
REFUSED_NOW = N_("the rules refuse these words now: {category}")
_REFUSED_NOW = re.compile("^" + re.escape(REFUSED_NOW).replace(re.escape("{category}"), "(?P<category>.+)") + "$")
#: The settings of an opened picture, named in the teacher's language.
SETTING_NAMES = (
    N_("made on"), N_("engine"), N_("model"), N_("operation"), N_("size"), N_("seed"), N_("randomness"), N_("time"),
    N_("picture id"), N_("everything saved in the PNG"),
)  # fmt: skip


def reason_text(reason: str) -> str:
    """Why a picture was flagged, in this session's language (a reason of an older version as kept)."""
    found = _REFUSED_NOW.match(reason)
    if found:
        return _(REFUSED_NOW).format(category=_(found["category"]))
    return _(reason)


def shown_time(timestamp: float, tz: ZoneInfo, *, year: bool = False) -> str:
    """A time in the teacher's zone, with the month in the session's language."""
    return local_time(timestamp, tz, year=year, locale=current())


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
    # Every label made now, in this page's language (AppTest formats options from its own thread).
    who = {o: say(student_label(o, names)) for o in members} | {"": _("Every student")}
    titles = {t: _(title) for t, title in tasks.items()} | {"": _("Any picture (handed in or not)")}
    made_on = {p: origin(p) for p in pages} | {"": _("All pages")}
    by_engine = {e: engine_name(e) for e in engines} | {"": _("All engines")}
    c1.selectbox(_("Student"), ["", *members], key=F_STUDENT, on_change=_first_page, format_func=who.__getitem__)
    c2.selectbox(_("Assignment"), ["", *tasks], key=F_TASK, on_change=_first_page, format_func=titles.__getitem__)
    c3.selectbox(_("Made on"), ["", *pages], key=F_PAGE, on_change=_first_page, format_func=made_on.__getitem__)
    c4.selectbox(_("Image engine"), ["", *engines], key=F_ENGINE, on_change=_first_page,
                 format_func=by_engine.__getitem__)  # fmt: skip
    c1, c2, c3 = st.columns([2, 2, 1])
    dates = c1.date_input(_("Made between"), value=[], key=F_DATES, on_change=_first_page, format="YYYY-MM-DD")
    hidden_said = translator()
    c2.selectbox(
        _("Hidden"), list(HIDDEN_CHOICES), key=F_HIDDEN, on_change=_first_page,
        format_func=lambda h: hidden_said(HIDDEN_CHOICES[h]),
    )  # fmt: skip
    flagged_only = c3.checkbox("🚩 " + _("Flagged only"), key=F_FLAGGED, on_change=_first_page)

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
        if not entry.prompt_typed.strip():
            continue  # no words of the student's (a variation): what was sent holds the teacher's metaprompt
        verdict = screen_text(entry.prompt_typed, services.rules)
        if not verdict.allowed:
            reason = REFUSED_NOW.format(category=verdict.category)  # kept in English, said by reason_text
            services.store.classwork.flag(entry.id, reason)
            flagged[entry.id] = reason
    del screened[:-2000]  # ids only, and never more than a few thousand


def _card(entry: Entry, names: dict[str, str], flagged: dict[str, str], tz: ZoneInfo) -> None:
    st.image(thumbnail_url(entry), width="stretch")
    st.text(say(student_label(entry.owner, names)))
    words = entry.prompt_typed or entry.prompt_sent or _(NO_WORDS)
    st.text(words[:90] + ("…" if len(words) > 90 else ""))
    badges = ["🙈 " + _("hidden")] if entry.hidden else []
    badges += ["🚩 " + _("flagged")] if entry.id in flagged else []
    facts = [origin(entry.page), engine_name(entry.engine), entry.model, shown_time(entry.created, tz)]
    st.caption(" · ".join(badges + facts))
    st.button("🔍 " + _("Open"), key=f"class_open_{entry.id}", on_click=_select, args=(entry.id,))


def _detail(entry: Entry, names: dict[str, str], flagged: dict[str, str], tz: ZoneInfo) -> None:
    """One picture large, with every setting, and hide / flag."""
    store = state.services().store
    left, right = st.columns([3, 2])
    left.image(store.pictures.read_png(entry.owner, entry.id, teacher=True), width="stretch", output_format="PNG")
    with right:
        st.markdown("**" + _("Student") + "**")
        st.text(say(student_label(entry.owner, names)))
        st.markdown("**" + _("Prompt typed") + "**")
        st.text(entry.prompt_typed or _(NO_WORDS))
        with st.expander(_("Prompt as sent to the engine")):
            st.text(entry.prompt_sent)
        if entry.id in flagged:
            st.warning(_("Flagged: {reason}").format(reason=reason_text(flagged[entry.id])), icon="🚩")
        if entry.hidden:
            st.info(_("Hidden: the student sees “your teacher hid this picture” instead of it."), icon="🙈")
        values: list[Any] = [
            origin(entry.page), entry.engine, entry.model, entry.operation, entry.size, entry.seed, entry.temperature,
            shown_time(entry.created, tz, year=True), entry.id,
        ]  # fmt: skip
        extra = {k: v for k, v in entry.meta.items() if k not in {"prompt_typed", "prompt_sent", "page", "id"}}
        st.json({_(name): value for name, value in zip(SETTING_NAMES, [*values, extra], strict=True)}, expanded=1)
        c1, c2, c3 = st.columns(3)
        if entry.hidden:
            c1.button("👁️ " + _("Show again"), key="class_show", on_click=_hide, args=(entry.id, False))
        else:
            c1.button("🙈 " + _("Hide"), key="class_hide", on_click=_hide, args=(entry.id, True))
        if entry.id in flagged:
            c2.button("✅ " + _("Unflag"), key="class_unflag", on_click=_flag, args=(entry.id, None))
        else:
            c2.button("🚩 " + _("Flag"), key="class_flag", on_click=_flag, args=(entry.id, FLAGGED_BY_TEACHER))
        c3.button("✖ " + _("Close"), key="class_close", on_click=_select, args=(None,))


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
                st.warning(error_text(error), icon="🔎")
        else:
            st.session_state.pop(SELECTED_KEY, None)
        st.divider()

    pages = max(1, -(-matching // PAGE_SIZE))
    count = ngettext("{n} picture", "{n} pictures", matching).format(n=matching)
    where = _("page {n} of {pages}").format(n=number + 1, pages=pages)
    st.caption(f"{count} · {where} · " + _("times in {zone}").format(zone=tz.key))
    if not entries:
        st.info(_("No picture matches these filters."), icon="🔎")
        return
    with st.grid("auto", min_column_width=170, key="class_wall"):
        for entry in entries:
            with st.container(border=True):
                _card(entry, names, flagged, tz)
    if pages > 1:
        c1, _gap, c3 = st.columns([1, 2, 1])
        c1.button("◀ " + _("Newer"), on_click=_turn, args=(-1,), disabled=number == 0, key="class_prev")
        c3.button(_("Older") + " ▶", on_click=_turn, args=(1,), disabled=number >= pages - 1, key="class_next")
