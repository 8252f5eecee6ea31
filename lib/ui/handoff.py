"""Typed hand-offs between pages: what one page asks another to open with.

A page never writes another page's widget keys. It puts one frozen value in the session under
the target page's own key (:func:`send`), and the target page takes it (once, :func:`take`) and
fills its own widgets from it. Every value is checked when the hand-off is made, and fitted to
the target's engine and model when it is applied:

- :class:`CreateSettings` ("use these settings again", from a gallery picture or a dropped PNG):
  words cut to the longest prompt, seed within 0..2**31-1, randomness within 0..1, a size the
  model does not offer becomes the nearest one it does, an unknown quality its first one; the
  seed and randomness only reach models that take them.
- :class:`PictureToEdit` / :class:`PictureToVary` ("edit this" / "vary this"): a valid gallery id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import streamlit as st

from lib import pnginfo
from lib.engines.base import Capabilities, Engine
from lib.messages import Msg
from lib.pictures import check_id

#: One session key per target page.
CREATE_KEY = "handoff_create"
EDIT_KEY = "handoff_edit"
VARY_KEY = "handoff_vary"
_SIZE = re.compile(r"^(\d{1,5})x(\d{1,5})$")
_T = TypeVar("_T")


@dataclass(frozen=True, kw_only=True)
class CreateSettings:
    """The Create page's settings, checked and clamped (see :meth:`from_record`)."""

    prompt: str = ""
    engine: str | None = None
    model: str | None = None
    size: str | None = None
    quality: str | None = None
    seed: int | None = None
    temperature: float | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> CreateSettings:
        """From a picture's saved settings (a file anyone can edit): wrong types dropped, ranges clamped."""
        clean = pnginfo.reusable_settings(record)  # types checked, seed and randomness clamped
        return cls(
            prompt=str(clean.get("prompt_typed", "")),
            engine=clean.get("engine"),
            model=clean.get("model"),
            size=clean.get("size"),
            quality=clean.get("quality"),
            seed=clean.get("seed"),
            temperature=clean.get("temperature"),
        )

    def fitted(self, caps: Capabilities) -> CreateSettings:
        """These settings as the model can take them: size, quality, seed and randomness fitted."""
        size = nearest_size(self.size, caps) if self.size else None
        quality = self.quality if self.quality in caps.qualities else None
        if not caps.has_seed:
            return replace(self, size=size, quality=quality, seed=None, temperature=None)
        seed = None if self.seed is None else min(max(int(self.seed), 0), pnginfo.MAX_SEED)
        temperature = None if self.temperature is None else min(max(float(self.temperature), 0.0), 1.0)
        return replace(self, size=size, quality=quality, seed=seed, temperature=temperature)


@dataclass(frozen=True)
class PictureToEdit:
    """Open the Edit page with this gallery picture chosen."""

    image_id: str

    def __post_init__(self) -> None:
        check_id(self.image_id, "image id")


@dataclass(frozen=True)
class PictureToVary:
    """Open the Variations page with this gallery picture chosen."""

    image_id: str

    def __post_init__(self) -> None:
        check_id(self.image_id, "image id")


_KEYS: dict[type, str] = {CreateSettings: CREATE_KEY, PictureToEdit: EDIT_KEY, PictureToVary: VARY_KEY}


def send(handoff: CreateSettings | PictureToEdit | PictureToVary) -> None:
    """Leave ``handoff`` for its target page (a newer one replaces an older one not yet taken)."""
    st.session_state[_KEYS[type(handoff)]] = handoff


def take(kind: type[_T]) -> _T | None:
    """The hand-off of this type left for this page, taken once; anything else under its key is dropped."""
    value = st.session_state.pop(_KEYS[kind], None)
    return value if isinstance(value, kind) else None


def nearest_size(size: str, caps: Capabilities) -> str | None:
    """``size`` if the model offers it, else the offered ``WIDTHxHEIGHT`` closest in shape and area."""
    if size in caps.sizes:
        return size
    wanted = _SIZE.match(size)
    offered = [(s, _SIZE.match(s)) for s in caps.sizes]
    sized = [(s, int(m[1]), int(m[2])) for s, m in offered if m]
    if not wanted or not sized:
        return None
    w, h = int(wanted[1]), int(wanted[2])
    return min(sized, key=lambda o: (abs(o[1] / o[2] - w / h), abs(o[1] * o[2] - w * h)))[0]


def fit_to_engine(settings: CreateSettings, engine: Engine) -> tuple[CreateSettings, list[str]]:
    """``settings`` fitted to ``engine``'s model, and what could not be brought back, in words
    (:class:`lib.messages.Msg`: English, which the page says in the student's language)."""
    skipped: list[str] = []
    models = engine.models()
    if settings.model and settings.model not in models:
        skipped.append(Msg("the model '{model}' is not offered here", model=settings.model))
        settings = replace(settings, model=None)
    if not settings.model:
        return replace(settings, size=None, quality=None), skipped
    return settings.fitted(engine.capabilities(settings.model)), skipped


@dataclass(frozen=True, kw_only=True)
class CreateKeys:
    """The Create page's own widget keys, as that page names them (it passes them in)."""

    prompt: str
    model: str
    size: Callable[[str], str]
    quality: Callable[[str], str]
    seed: str
    temperature: str


def widget_values(settings: CreateSettings, engine: Engine, keys: CreateKeys) -> dict[str, Any]:
    """What the Create page puts in its own widgets for ``settings``, fitted to ``engine``."""
    fitted, _ = fit_to_engine(settings, engine)
    values: dict[str, Any] = {keys.prompt: fitted.prompt}
    if fitted.model:
        values[keys.model] = fitted.model
        if fitted.size:
            values[keys.size(fitted.model)] = fitted.size
        if fitted.quality:
            values[keys.quality(fitted.model)] = fitted.quality
        if fitted.seed is not None:
            values[keys.seed] = fitted.seed
        if fitted.temperature is not None:
            values[keys.temperature] = fitted.temperature
    return values
