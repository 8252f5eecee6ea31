"""The controls every making page shares: the engine's state, the model, and how many pictures.

They respect the teacher's limits before a click (the page never offers more pictures than the
teacher allows), and an engine with nothing to offer (Azure OpenAI without a deployment) stops the
page with a sentence instead of handing ``None`` to the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from lib.engines.base import Capabilities, Engine, EngineStatus
from lib.ui import state, teacher
from lib.ui.i18n import N_, _, say, translator

#: The engines' names as they call themselves (``Engine.label``), for the catalogs: the interface
#: shows them in the student's language; "OpenAI" and "Azure OpenAI" are names and stay as they are.
ENGINE_LABELS = (N_("Offline storybook engine"), N_("Local diffusion (on this computer)"))
log = logging.getLogger(__name__)


def offered_engines() -> list[str]:
    """The engines the sidebar offers: the ones that work, and to a teacher who unlocked, all of them.

    A student cannot do anything with an engine that is not set up, so it is not offered; the teacher
    sees it (marked "not set up") with how to set it up.
    """
    names = state.available_engines()
    if teacher.unlocked():
        return names
    return [name for name in names if engine_works(name)] or names


def engine_works(name: str) -> bool:
    """Whether engine ``name`` is set up here (False when its code fails to load)."""
    try:
        return state.services().raw_engine(name).status().configured
    except Exception:  # noqa: BLE001 - a broken optional engine must not break the sidebar
        log.exception("engine %s failed to load", name)
        return False


def sidebar_label(name: str, translate: Callable[[str], str] | None = None) -> str:
    """The engine's name in the sidebar; a teacher also sees which ones are not set up."""
    t = translate or _
    label = t(state.engine_label(name))
    return label if engine_works(name) else t(N_("{engine} (not set up)")).format(engine=label)


def sidebar_labels() -> Callable[[str], str]:
    """:func:`sidebar_label` in the language the sidebar is drawn in (a select box's ``format_func``)."""
    return partial(sidebar_label, translate=translator())


#: The engines' quality values (sent to the engine as they are) in words for the page.
QUALITY_WORDS = {
    "auto": N_("Automatic"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "standard": N_("Standard"),
    "hd": N_("HD (more detail)"),
    "xhigh": N_("Very high"),
    "max": N_("Highest"),
}


def quality_labels() -> Callable[[str], str]:
    """Quality values in the student's language ("auto" is "Automática" in Spanish), for a select box."""
    t = translator()
    return lambda quality: t(QUALITY_WORDS[quality]) if quality in QUALITY_WORDS else quality


def size_labels(caps: Capabilities) -> Callable[[str], str]:
    """Sizes as the page offers them (their name in the student's language and their pixels)."""
    t = translator()

    def label(size: str) -> str:
        words = caps.size_labels.get(size)
        return f"{t(words)} · {size}" if words and size != "auto" else (t(words) if words else size)

    return label


def engine_label(engine: Engine) -> str:
    """What the page calls ``engine``, in the student's language."""
    return _(engine.label)


def engine_status(engine: Engine) -> EngineStatus:
    """The engine's status, said once at the top of a page when it cannot make pictures yet."""
    status = engine.status()
    if not status.configured:
        said = _("**{engine} is not set up yet.**").format(engine=engine_label(engine))
        st.info(f"{said} {not_set_up_hint(status)}", icon="🔧")
    return status


def not_set_up_hint(status: EngineStatus) -> str:
    """How to set an engine up for a teacher who unlocked; a plain pointer for a student."""
    if teacher.unlocked():
        return say(status.how_to_configure)
    return _("Choose another image engine in the sidebar, or ask your teacher to set this one up.")


def model_choice(engine: Engine, key: str, container: Any = None) -> str | None:
    """The model selectbox, or ``None`` (and a sentence) when the engine offers no model here."""
    models = engine.models()
    if not models:
        st.info(
            _(
                "**{engine} is not set up yet**, so it has no model to offer. "
                "Choose another image engine in the sidebar."
            ).format(engine=engine_label(engine)),
            icon="🔧",
        )
        return None
    chosen = (container or st).selectbox(_("Model"), models, key=key)
    return str(chosen) if chosen is not None else None


def most_pictures(caps: Capabilities) -> int:
    """The most pictures one request may ask for: the model's limit or the teacher's, the smaller."""
    return max(1, min(caps.max_images, state.services().rules.max_images_per_request))


def limit_help(caps: Capabilities) -> str:
    """Which rule sets the top of the "how many" control, in words."""
    teacher = state.services().rules.max_images_per_request
    if teacher < caps.max_images:
        return _("Your teacher allows up to {n} at a time.").format(n=teacher)
    return _("This engine makes up to {n} at a time.").format(n=caps.max_images)


def count_input(label: str, caps: Capabilities, *, key: str, default: int = 1, container: Any = None) -> int:
    """A number input from 1 to :func:`most_pictures`; a value kept from a higher limit is reset."""
    most = most_pictures(caps)
    if isinstance(st.session_state.get(key), int | float) and st.session_state[key] > most:
        del st.session_state[key]  # the teacher lowered the limit: start again from the default
    value = (container or st).number_input(label, 1, most, min(default, most), key=key, help=limit_help(caps))
    return int(value)
