"""What each OpenAI image model family accepts (see ``shared/research/openai-images-api.md``).

Model names change fast, so the engine guesses a *family* from the name ("gpt-image", "dall-e-3",
"dall-e-2") and unknown names are treated as gpt-image models. On Azure the name is a deployment
name chosen by the school, so the guess is the best that can be done without a network call.
"""

from __future__ import annotations

from typing import Literal

from lib.engines.base import Capabilities

Family = Literal["gpt-image", "dall-e-3", "dall-e-2"]

#: Offered after the configured model, newest first.
KNOWN_MODELS = ("gpt-image-2", "gpt-image-1.5", "gpt-image-1", "gpt-image-1-mini")

#: The replacement to suggest when a model is retired or missing.
SUGGESTED_MODEL = "gpt-image-2"

#: OpenAI's deprecations page lists these for shutdown on 1 December 2026.
_SHUTTING_DOWN = ("gpt-image-1.5", "gpt-image-1-mini", "chatgpt-image-latest")

GPT_IMAGE_SIZES = ("1024x1024", "1536x1024", "1024x1536", "auto")
DALLE3_SIZES = ("1024x1024", "1792x1024", "1024x1792")
DALLE2_SIZES = ("256x256", "512x512", "1024x1024")


def family_of(model: str) -> Family:
    """Guess the family from a model or deployment name; gpt-image when nothing else fits."""
    name = model.lower().replace("_", "-").replace(".", "-")
    compact = name.replace("-", "")
    if "dalle3" in compact:
        return "dall-e-3"
    if "dalle2" in compact:
        return "dall-e-2"
    return "gpt-image"


def is_dalle(model: str) -> bool:
    """True for DALL-E names (retired on OpenAI and on Azure)."""
    return family_of(model) != "gpt-image"


def capabilities_for(model: str, *, azure: bool = False) -> Capabilities:
    """The capabilities of ``model``'s family; Azure has no variations and no DALL-E edits."""
    family = family_of(model)
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
            notes=(
                "DALL-E 3 is retired (OpenAI: 12 May 2026, Azure: 4 March 2026). It only works on "
                f"OpenAI-compatible servers that still offer it; use {SUGGESTED_MODEL} instead.",
            ),
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
            notes=(
                "DALL-E 2 is retired (OpenAI: 12 May 2026, Azure: 27 January 2025). It only works on "
                f"OpenAI-compatible servers that still offer it; use {SUGGESTED_MODEL} instead.",
            ),
        )
    notes: list[str] = ["GPT image models have no seed and no temperature: every picture is a new draw."]
    if any(model.lower().startswith(name) for name in _SHUTTING_DOWN):
        notes.append(f"OpenAI plans to shut {model} down on 1 December 2026; {SUGGESTED_MODEL} replaces it.")
    return Capabilities(
        sizes=GPT_IMAGE_SIZES,
        max_images=10,
        images_per_call=10,
        max_prompt_chars=32000,
        qualities=("auto", "low", "medium", "high"),
        reads_instructions=True,
        can_edit=True,
        # No variations endpoint for GPT image models: a variation is an edit without a mask.
        can_vary=True,
        vary_needs_prompt=True,
        notes=tuple(notes),
    )


def model_list(default: str, extra: str) -> list[str]:
    """``default`` first, then the known models, then the comma-separated ``extra`` ones, no repeats."""
    names = [default, *KNOWN_MODELS, *(part.strip() for part in extra.split(","))]
    seen: dict[str, None] = {}
    for name in names:
        if name and name not in seen:
            seen[name] = None
    return list(seen)
