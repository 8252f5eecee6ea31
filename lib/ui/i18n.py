"""The studio in the student's language: gettext catalogs (managed with Babel), one per session.

Streamlit serves every browser from one process, so nothing here installs a global translation:
:func:`_` looks up *this session's* language on every call (``st.session_state``) and asks that
language's catalog. Catalogs are ``locales/<lang>/LC_MESSAGES/messages.po`` in the repository
(``scripts/i18n extract | update | compile``); the compiled ``.mo`` is built here on first use
when it is missing or older than its ``.po`` (Streamlit Community Cloud runs no build step), in
memory when the folder is read-only.

The language of a session is, first one wins: ``?lang=`` in the URL (so a bookmark and a reload
keep it), the picker in the sidebar, the class's language set by the teacher, the browser's
(``st.context.locale``), English.

``lib`` never speaks one language: its errors carry the English template and its parameters
(:class:`lib.errors.StudioError`), put into words here by :func:`error_text`.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.errors import StudioError
from lib.messages import Msg

log = logging.getLogger(__name__)

#: The language the code is written in (the catalogs' msgids).
SOURCE = "en"
#: Every language the interface speaks, in its own name (the picker's labels).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt_BR": "Português (Brasil)",
    "de": "Deutsch",
    "hi": "हिन्दी",
    "ar": "العربية",
    "zh_Hans": "中文（简体）",
}
#: Languages written right to left.
RIGHT_TO_LEFT = frozenset({"ar"})
#: The session's language (the picker's key).
LANG_KEY = "ui_language"
#: The query parameter that keeps it across reloads and bookmarks.
LANG_PARAM = "lang"
#: The catalogs' folder (``<lang>/LC_MESSAGES/messages.po``).
LOCALES = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"

#: Other spellings of our languages (browser tags, URL shortcuts), lower case, ``-`` as ``_``.
_ALIASES = {"pt": "pt_BR", "pt_pt": "pt_BR", "zh": "zh_Hans", "zh_cn": "zh_Hans", "zh_sg": "zh_Hans"}


def match(tag: object) -> str | None:
    """Our language for a tag such as ``es-MX``, ``pt-BR``, ``zh-CN`` or ``zh_Hans`` (None: none of ours)."""
    if not isinstance(tag, str) or not tag.strip():
        return None
    wanted = tag.strip().replace("-", "_").lower()
    for code in LANGUAGES:
        if code.lower() == wanted:
            return code
    if wanted in _ALIASES:
        return _ALIASES[wanted]
    base = wanted.split("_")[0]
    if base == "zh":
        return "zh_Hans"
    for code in LANGUAGES:
        if code.lower().split("_")[0] == base:
            return code
    return None


# -- catalogs --------------------------------------------------------------------------------------
def _po(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(lang: str) -> bytes:
    """The ``.mo`` of ``lang``'s ``.po`` (fuzzy entries left out, as ``pybabel compile`` does)."""
    with _po(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang``, compiled now if the ``.mo`` is missing or older than the ``.po``."""
    po = _po(lang)
    if lang == SOURCE or not po.exists():
        return gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    data = compile_catalog(lang)
    try:  # keep it for the next start; a read-only checkout just compiles again
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, mo)
    except OSError:
        log.info("could not write %s; using the catalog compiled in memory", mo)
    return gettext.GNUTranslations(io.BytesIO(data))


# -- this session's language -----------------------------------------------------------------------
def current() -> str:
    """This session's language (English outside a Streamlit session, e.g. in a script)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return SOURCE
    lang = st.session_state.get(LANG_KEY)
    return lang if isinstance(lang, str) and lang in LANGUAGES else SOURCE


def base_language(lang: str | None = None) -> str:
    """The ISO 639-1 code of ``lang`` (this session's by default): ``pt_BR`` is ``pt``, ``zh_Hans`` ``zh``."""
    return (lang or current()).split("_")[0]


def _(message: str) -> str:
    """``message`` in this session's language (as written when the catalog has no translation; an
    empty one stays empty, where gettext would give the catalog's header)."""
    return catalog(current()).gettext(message) if message else message


def translator(lang: str | None = None) -> Callable[[str], str]:
    """``_`` bound to one language (this session's by default), for a select box's ``format_func``:
    the labels stay in the language the page was drawn in, whoever calls it later (AppTest does,
    from its own thread)."""
    said = catalog(lang or current()).gettext
    return lambda message: said(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message for ``n``, by the rules of this session's language."""
    return catalog(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it yet (module-level constants)."""
    return message


def say(text: str) -> str:
    """Words from ``lib`` in this session's language: a :class:`Msg` by its template, a constant as is."""
    if isinstance(text, Msg):
        return fill(text.template, text.params) if text.params else _(text.template)
    return _(text)


def fill(template: str, params: dict[str, Any]) -> str:
    """``_(template)`` with its ``{name}`` placeholders filled; the English one if a translation is broken."""
    translated = _(template)
    # A parameter that is itself a message (an engine's name, a topic) is said in the language too.
    values = {name: _value(value) for name, value in params.items()}
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        log.warning("a translation of %r has broken placeholders", template)
        return template.format(**values)


def _value(value: object) -> object:
    """A parameter as the language says it: a message translated, a date with its month's name."""
    if isinstance(value, Msg):
        return say(value)
    if isinstance(value, dt.date):
        return format_date(value, "long", locale=current())
    if isinstance(value, tuple):  # a list of words: the ones the catalog knows in the language
        return ", ".join(_(str(item)) for item in value)
    return value


def again(text: str, templates: Iterable[str]) -> str:
    """A sentence ``lib`` made from one of ``templates`` and kept in English (a picture's metadata),
    said again in this session's language; as it is when it matches none."""
    for template in templates:
        found = _matcher(template).match(text)
        if found:
            return fill(template, found.groupdict())
    return text


@cache
def _matcher(template: str) -> re.Pattern[str]:
    pattern, seen = "", set()
    for literal, name in re.findall(r"([^{]*)(?:\{([A-Za-z_][A-Za-z0-9_]*)\})?", template):
        pattern += re.escape(literal)
        if name:
            pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            seen.add(name)
    return re.compile(f"^{pattern}$")


def error_text(error: StudioError) -> str:
    """What an error says, in this session's language (its English words when no template is known)."""
    if not error.params:
        return _(error.template)
    try:
        return fill(error.template, error.params)
    except (KeyError, IndexError, ValueError):
        return str(error)


def choose(class_default: str = "") -> str:
    """Settle this session's language at the top of a rerun, and keep it in the URL (``?lang=``)."""
    wanted = match(st.query_params.get(LANG_PARAM))
    chosen = st.session_state.get(LANG_KEY)
    picked = _picked()
    if picked:
        _keep_choices()
        if chosen in LANGUAGES:
            wanted = chosen  # the picker just changed it: the URL follows
    automatic = match(class_default) or match(_browser_locale()) or SOURCE
    lang = wanted or (chosen if chosen in LANGUAGES else None) or automatic
    st.session_state[LANG_KEY] = lang
    # The URL names the language when it is not the one a fresh visit would get anyway (a clean
    # link otherwise, as Streamlit's own bound widgets do); once named, it stays named.
    if lang != automatic or LANG_PARAM in st.query_params:
        if st.query_params.get(LANG_PARAM) != lang:
            st.query_params[LANG_PARAM] = lang
    return lang


_PICKED_KEY = "ui_language_picked"


def _picked() -> bool:
    return bool(st.session_state.pop(_PICKED_KEY, False))


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # noqa: BLE001 - no browser (a bare script run, an old test harness)
        return None


def _keep_choices() -> None:
    """Keep every choice the student made when the language changes.

    A select box or radio sends back its option's *label*, which was in the old language: Streamlit
    would not find it among the new labels and would go back to the first option. The values read
    here were decoded with the old labels, so writing them back keeps each choice as it was. Only
    plain values are written (buttons, uploads and drawings cannot be set, nor need to be).
    """
    for key in list(st.session_state.keys()):
        if key in (LANG_KEY, _PICKED_KEY):
            continue
        try:
            value = st.session_state[key]
        except (KeyError, AttributeError):  # a widget whose state is gone
            continue
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            st.session_state[key] = value


def _mark_picked() -> None:
    st.session_state[_PICKED_KEY] = True


def picker() -> None:
    """The sidebar's language choice, each language in its own name."""
    st.selectbox(
        "🌐 " + _("Language"),
        list(LANGUAGES),
        key=LANG_KEY,
        format_func=LANGUAGES.__getitem__,
        on_change=_mark_picked,
    )


_RTL_CSS = """<style>
[data-testid="stMain"], [data-testid="stSidebarContent"] { direction: rtl; text-align: right; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"],
[data-testid="stSidebarContent"] [data-testid="stMarkdownContainer"] { text-align: right; }
[data-testid="stMain"] input, [data-testid="stMain"] textarea,
[data-testid="stSidebarContent"] input { direction: rtl; text-align: right; }
</style>"""


def is_right_to_left(lang: str | None = None) -> bool:
    """Whether ``lang`` (this session's by default) is written right to left."""
    return (lang or current()) in RIGHT_TO_LEFT


def lay_out() -> None:
    """Lay the page out right to left for Arabic (the main area and the sidebar)."""
    if is_right_to_left():
        st.html(_RTL_CSS)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a message (the catalog tests compare them)."""
    return set(_PLACEHOLDER.findall(text))
