"""Text a person typed, made safe for Streamlit's Markdown: shown as the letters typed, nothing more.

Captions, alerts, labels and ``st.markdown`` all read GitHub-flavoured Markdown (and Streamlit's
own ``:red[...]`` directives and ``$...$`` maths). A prompt such as ``![t](http://host/x.png)``
would become a picture fetched from another server, ``**`` would turn bold and ``<b>`` would
vanish. :func:`md` backslash-escapes what starts markup, so the text reads exactly as typed.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from babel.dates import format_datetime

from lib.ui.i18n import _, current

# What starts Markdown (or Streamlit's directives, maths and HTML) anywhere in a line. A backslash
# before ASCII punctuation means "this character as it is" in CommonMark. Characters that only
# matter next to these (a "(" after "]", a "." after a line-start number) are left alone, so
# messages stay readable where tests and logs see their source.
_ALWAYS = re.compile(r"([\\`*\[\]<>$~|&!])")
# "_" makes emphasis only at a word's edge: OPENAI_API_KEY stays as it is.
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# Block markup at the start (headings, lists, quotes) and bare links GitHub's Markdown would link.
_LINE_START = re.compile(r"^([#+\-=]|\d+[.)])")
_BARE_LINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)")
_SPACES = re.compile(r"\s+")


def md(text: object) -> str:
    """``text`` as Markdown that shows exactly these characters (line breaks become spaces)."""
    escaped = _ALWAYS.sub(r"\\\1", _SPACES.sub(" ", str(text)).strip())
    escaped = _EDGE_UNDERSCORE.sub(r"\\_", escaped)
    escaped = _BARE_LINK.sub(lambda m: "\\" + m.group(0), escaped)
    return _LINE_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], escaped)


#: The strftime codes :func:`when` accepts, as CLDR patterns (month names in the viewer's language).
_CLDR = {"%d": "dd", "%b": "MMM", "%H": "HH", "%M": "mm", "%S": "ss", "%Y": "y"}


def viewer_zone() -> dt.tzinfo:
    """The viewer's own time zone (the browser's, as Streamlit reports it; UTC if unknown)."""
    try:
        return ZoneInfo(st.context.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def when(timestamp: float, fmt: str = "%d %b %H:%M") -> str:
    """A time in the viewer's own time zone (the browser's, as Streamlit reports it; UTC if unknown),
    with the month in the session's language ("01 déc. 20:15")."""
    zone = viewer_zone()
    moment = dt.datetime.fromtimestamp(timestamp, tz=zone)
    pattern = fmt
    for code, cldr in _CLDR.items():
        pattern = pattern.replace(code, cldr)
    if "%" in pattern:
        return moment.strftime(fmt)
    return format_datetime(moment, pattern, tzinfo=zone, locale=current())


def alt(words: str) -> str:
    """Alt text for a picture made from ``words`` (screen readers read it; never empty)."""
    return short(" ".join(words.split()), 200) or _("A picture made in the studio")


def short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (before escaping it)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
