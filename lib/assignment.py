"""The class's monuments assignment: pick a monument, a context, a time of day and a style,
and get a prompt the student can then edit (the lesson's "monuments in surprising contexts")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Languages the assignment's choices exist in (the storybook engine reads each of them).
LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "pt", "de", "hi", "ar", "zh")
_PHRASES = Path(__file__).with_name("assignment_phrases.json")

MONUMENTS: tuple[str, ...] = (
    "the Eiffel Tower",
    "the Colosseum",
    "the Statue of Liberty",
    "the Taj Mahal",
    "the Pyramids of Giza",
    "Big Ben",
    "the Great Wall of China",
    "the Sydney Opera House",
    "Stonehenge",
    "the Leaning Tower of Pisa",
    "the Golden Gate Bridge",
    "Mount Fuji",
    "the Parthenon",
    "the Arc de Triomphe",
)

CONTEXTS: tuple[str, ...] = (
    "with a dog sitting next to it",
    "on a sandy beach",
    "in a snowy forest",
    "on the moon",
    "under the sea with fish swimming by",
    "in a field of sunflowers",
    "with a small child holding a teddy bear looking at it",
    "surrounded by friendly dinosaurs",
    "in a busy city street",
    "on top of a mountain",
)

TIMES_OF_DAY: tuple[str, ...] = (
    "in early morning sunlight",
    "at noon under a blue sky",
    "at sunset",
    "at night under the stars",
    "on a foggy morning",
    "during a rainbow after the rain",
)

STYLES: tuple[str, ...] = (
    "as a children's book illustration",
    "as a watercolour painting",
    "as a colourful cartoon",
    "as a photograph",
    "as a pencil sketch",
    "as a mosaic",
)


@dataclass(frozen=True)
class Choices:
    """The four lists in one language; the same index means the same choice in every language."""

    monuments: tuple[str, ...]
    contexts: tuple[str, ...]
    times_of_day: tuple[str, ...]
    styles: tuple[str, ...]


@lru_cache(maxsize=len(LANGUAGES))
def choices(language: str = "en") -> Choices:
    """The choices in ``language`` (ISO 639-1, one of :data:`LANGUAGES`); English for any other."""
    if language not in LANGUAGES or language == "en":
        return Choices(MONUMENTS, CONTEXTS, TIMES_OF_DAY, STYLES)
    data = json.loads(_PHRASES.read_text(encoding="utf-8"))[language]
    return Choices(tuple(data["monuments"]), tuple(data["contexts"]), tuple(data["times"]), tuple(data["styles"]))


def build_prompt(monument: str, context: str, time_of_day: str, style: str, language: str = "en") -> str:
    """Join the four choices into one sentence in ``language``, e.g.
    ``"The Eiffel Tower with a dog sitting next to it in early morning sunlight, as a ..."``."""
    parts = [part.strip() for part in (monument, context, time_of_day) if part and part.strip()]
    if not parts:
        return ""
    if language == "zh":
        # Chinese is written without spaces; the style follows after a comma.
        sentence = "".join(parts)
        return f"{sentence}，{style.strip()}" if style and style.strip() else sentence
    sentence = " ".join(parts)
    sentence = sentence[0].upper() + sentence[1:]
    if style and style.strip():
        sentence = f"{sentence}, {style.strip()}"
    return sentence
