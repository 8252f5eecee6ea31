"""Small things the class views share, with no Streamlit: names, the teacher's clock, who is missing.

Times are shown in the teacher's own time zone (the browser's, from ``st.context.timezone``),
UTC when the browser did not say or named a zone this computer does not know.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime

from lib.messages import N_, Msg
from lib.store.classwork import HandIn

UTC = ZoneInfo("UTC")
#: What a student sees instead of a picture the teacher hid.
HIDDEN_NOTE = N_("Your teacher hid this picture.")


def student_label(owner: str, names: Mapping[str, str]) -> str:
    """The name the student typed, or "no name" and the start of the browser's id (a :class:`Msg`,
    which the interface says in the teacher's language)."""
    return names.get(owner) or Msg("no name · {id}", id=owner[:6])


def zone(name: str | None) -> ZoneInfo:
    """The time zone called ``name``, or UTC."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_time(timestamp: float, tz: ZoneInfo, *, year: bool = False, locale: str = "en") -> str:
    """A Unix time as the teacher reads it, e.g. ``"03 Dec 14:05"`` (``"03 dic 14:05"`` with ``locale="es"``)."""
    moment = dt.datetime.fromtimestamp(timestamp, tz)
    if locale == "en":
        return moment.strftime("%d %b %Y %H:%M" if year else "%d %b %H:%M")
    return format_datetime(moment, "dd MMM y HH:mm" if year else "dd MMM HH:mm", tzinfo=tz, locale=locale)


def day_start(now: float, tz: ZoneInfo) -> float:
    """Midnight today, in ``tz``."""
    local = dt.datetime.fromtimestamp(now, tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def week_start(now: float, tz: ZoneInfo) -> float:
    """Midnight on this week's Monday, in ``tz``."""
    local = dt.datetime.fromtimestamp(day_start(now, tz), tz)
    return (local - dt.timedelta(days=local.weekday())).timestamp()


def date_bounds(dates: Iterable[dt.date], tz: ZoneInfo) -> tuple[float | None, float | None]:
    """A date range picked in the teacher's zone, as ``since``/``until`` Unix times (until exclusive)."""
    chosen = sorted(dates)
    if not chosen:
        return None, None
    first, last = chosen[0], chosen[-1]
    since = dt.datetime.combine(first, dt.time(), tz).timestamp()
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tz).timestamp()
    return since, until


def who_handed_in(class_owners: Iterable[str], handins: Iterable[HandIn]) -> tuple[dict[str, list[HandIn]], list[str]]:
    """Per assignment: each student's hand-ins, and the students of the class who have none yet."""
    handed: dict[str, list[HandIn]] = {}
    for handin in handins:
        handed.setdefault(handin.owner, []).append(handin)
    missing = [owner for owner in dict.fromkeys(class_owners) if owner not in handed]
    return handed, missing


def class_members(owners_with_pictures: Iterable[str], names: Mapping[str, str]) -> list[str]:
    """The class as the roster knows it: every student who gave a name or made a picture."""
    return list(dict.fromkeys([*names, *owners_with_pictures]))
