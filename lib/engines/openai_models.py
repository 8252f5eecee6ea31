"""The one list of OpenAI image models, and what each accepts (``shared/research/landscape-2026-12.md`` §1).

Checked against openai-python 3.57 (``types/image_model.py``, ``image_generate_params.py``,
``image_edit_params.py``) on 1 December 2026. Model names change fast, so:

* the models offered are :data:`CURRENT_MODELS` after the configured ones (``OPENAI_IMAGE_MODEL``,
  ``OPENAI_IMAGE_MODELS``), minus the ones in :data:`SHUT_DOWN` whose date has passed;
* what a model accepts is guessed from its name (:func:`generation_of`), so a dated snapshot
  (``gpt-image-2.5-flare-2026-09-08``) or an Azure deployment called ``school-gpt-image-2`` gets
  the right controls, and an unknown name counts as a plain GPT image model.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from lib.engines.base import Capabilities, SizeRule
from lib.messages import N_, Msg

Family = Literal["gpt-image", "dall-e-3", "dall-e-2"]
#: What a GPT image model accepts, by generation: "2" and "2.5" take any WIDTHxHEIGHT; "2.5" also
#: takes xhigh/max quality and sketches (``markup``); "classic" is every other GPT image model.
Generation = Literal["classic", "2", "2.5"]

#: Offered after the configured model, in this order (gpt-image-2 is the default, settings.py).
CURRENT_MODELS = (
    "gpt-image-2",
    "gpt-image-2.5-flare",
    "gpt-image-2.5-sunburst",
    "gpt-image-2.6-flare",
    "gpt-image-2.6-sunburst",
)

#: Model -> (the day OpenAI shut it down, what replaces it). Sources: the SDK's deprecation notes
#: (gpt-image-1, DALL-E) and OpenAI's deprecations page (the 1 December 2026 group).
SHUT_DOWN: dict[str, tuple[dt.date, str]] = {
    "gpt-image-1": (dt.date(2026, 10, 23), "gpt-image-2.5-sunburst or gpt-image-2.5-flare"),
    "dall-e-2": (dt.date(2026, 5, 12), "gpt-image-2"),
    "dall-e-3": (dt.date(2026, 5, 12), "gpt-image-2"),
    "gpt-image-1-mini": (dt.date(2026, 12, 1), "gpt-image-2"),
    "gpt-image-1.5": (dt.date(2026, 12, 1), "gpt-image-2"),
    "chatgpt-image-latest": (dt.date(2026, 12, 1), "gpt-image-2"),
}

#: Tried in this order when a model is missing: the first one that is not the model that failed.
_SUGGESTIONS = ("gpt-image-2", "gpt-image-2.5-flare", "gpt-image-2.5-sunburst")
#: Kept for callers that need one name; prefer :func:`suggest_instead`.
SUGGESTED_MODEL = _SUGGESTIONS[0]

CLASSIC_SIZES = ("1024x1024", "1536x1024", "1024x1536", "auto")
#: For models that take any WIDTHxHEIGHT: shapes a child understands first, then the classic ones.
SHAPE_SIZES = ("1024x1024", "1536x864", "864x1536", "1920x640", "1536x1024", "1024x1536", "auto")
SIZE_LABELS = {
    "1024x1024": N_("Square"),
    "1536x864": N_("Landscape 16:9 (like a TV)"),
    "864x1536": N_("Portrait (tall, like a phone)"),
    "1920x640": N_("Wide (a panorama)"),
    "1536x1024": N_("Classic landscape 3:2"),
    "1024x1536": N_("Classic portrait 2:3"),
    "auto": N_("Let the model choose"),
}
ANY_SIZE = SizeRule()
DALLE3_SIZES = ("1024x1024", "1792x1024", "1024x1792")
DALLE2_SIZES = ("256x256", "512x512", "1024x1024")

_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def base_name(model: str | None) -> str:
    """The model name without a dated snapshot suffix, lower case: ``gpt-image-2-2026-04-21`` -> ``gpt-image-2``."""
    return _SNAPSHOT.sub("", (model or "").strip().lower())


def family_of(model: str | None) -> Family:
    """Guess the family from a model or deployment name; gpt-image when nothing else fits."""
    compact = (model or "").lower().replace("_", "").replace(".", "").replace("-", "")
    if "dalle3" in compact:
        return "dall-e-3"
    if "dalle2" in compact:
        return "dall-e-2"
    return "gpt-image"


def generation_of(model: str | None) -> Generation:
    """Which GPT image generation ``model`` (or a deployment named after it) belongs to."""
    name = (model or "").lower().replace("_", "-")
    if re.search(r"gpt-?image-?2[.-]5", name):
        return "2.5"
    if re.search(r"gpt-?image-?2(?![.\d])", name) or re.search(r"gpt-?image-?2-\d{4}", name):
        return "2"
    return "classic"


def is_dalle(model: str | None) -> bool:
    """True for DALL-E names (retired on OpenAI and on Azure)."""
    return family_of(model) != "gpt-image"


def shut_down(model: str | None, today: dt.date | None = None) -> tuple[dt.date, str] | None:
    """(date, replacement) if OpenAI has shut ``model`` down by ``today``; ``None`` otherwise."""
    entry = SHUT_DOWN.get(base_name(model))
    if entry is None:
        return None
    return entry if entry[0] <= (today or dt.date.today()) else None


def suggest_instead(model: str | None) -> str:
    """A model to try instead of ``model``: never the one that just failed."""
    entry = SHUT_DOWN.get(base_name(model))
    if entry is not None:
        return entry[1]
    failed = base_name(model)
    return next(name for name in _SUGGESTIONS if name != failed)


def _retired_note(model: str, today: dt.date | None) -> tuple[str, ...]:
    gone = shut_down(model, today)
    if gone is None:
        return ()
    day, replacement = gone
    return (
        Msg(
            "{model} is retired: OpenAI shut it down on {day}. It only works on "
            "OpenAI-compatible servers that still offer it; use {replacement} instead.",
            model=base_name(model), day=day, replacement=replacement,
        ),
    )  # fmt: skip


def capabilities_for(model: str | None, *, azure: bool = False, today: dt.date | None = None) -> Capabilities:
    """What ``model`` accepts; Azure has no variations and no DALL-E edits.

    ``model`` may be ``None`` or empty (an engine that is not set up has no model yet): the
    answer is then the plain GPT image one, so a page can still draw its controls.
    """
    name = model or ""
    family = family_of(name)
    if family == "dall-e-3":
        return Capabilities(
            sizes=DALLE3_SIZES,
            max_images=4,
            # DALL-E 3 takes n=1 only: the engine sends one call per picture, side by side.
            images_per_call=1,
            max_prompt_chars=4000,
            qualities=("auto", "standard", "hd"),
            styles=("vivid", "natural"),
            reads_instructions=True,
            notes=_retired_note("dall-e-3", today),
        )
    if family == "dall-e-2":
        return Capabilities(
            sizes=DALLE2_SIZES,
            max_images=10,
            images_per_call=10,
            max_prompt_chars=1000,
            qualities=("auto", "standard"),
            reads_instructions=True,
            can_edit=not azure,
            # The variations endpoint exists only for dall-e-2 on OpenAI (never on Azure).
            can_vary=not azure,
            notes=_retired_note("dall-e-2", today),
        )
    generation = generation_of(name)
    notes = [
        N_("GPT image models have no seed and no temperature: every picture is a new draw."),
        *_retired_note(name, today),
    ]
    qualities: tuple[str, ...] = ("auto", "low", "medium", "high")
    if generation == "2.5":
        qualities += ("xhigh", "max")
    fidelities: tuple[str, ...] = ()
    if base_name(name) == "gpt-image-1.5":
        fidelities = ("low", "high")
    elif base_name(name) == "gpt-image-1-mini":
        fidelities = ("low",)
    custom = generation in ("2", "2.5")
    return Capabilities(
        sizes=SHAPE_SIZES if custom else CLASSIC_SIZES,
        size_labels=SIZE_LABELS,
        size_rule=ANY_SIZE if custom else None,
        max_images=10,
        images_per_call=10,
        max_prompt_chars=32000,
        qualities=qualities,
        reads_instructions=True,
        can_edit=True,
        # No variations endpoint for GPT image models: a variation is an edit without a mask.
        can_vary=True,
        vary_needs_prompt=True,
        streams=True,
        can_sketch=generation == "2.5",
        input_fidelities=fidelities,
        notes=tuple(notes),
    )


def model_list(default: str, extra: str, *, keep_retired: bool = False, today: dt.date | None = None) -> list[str]:
    """``default`` first, then the comma-separated ``extra`` ones, then :data:`CURRENT_MODELS`, no repeats.

    Models OpenAI has shut down are left out (``keep_retired`` keeps the configured ones, for an
    OpenAI-compatible server that still offers them).
    """
    configured = [default, *(part.strip() for part in extra.split(","))]
    seen: dict[str, None] = {}
    for name in configured:
        if name and name not in seen and (keep_retired or shut_down(name, today) is None):
            seen[name] = None
    for name in CURRENT_MODELS:
        seen.setdefault(name, None)
    return list(seen)
