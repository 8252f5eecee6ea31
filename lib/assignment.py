"""The class's monuments assignment: pick a monument, a context, a time of day and a style,
and get a prompt the student can then edit (the lesson's "monuments in surprising contexts")."""

from __future__ import annotations

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


def build_prompt(monument: str, context: str, time_of_day: str, style: str) -> str:
    """Join the four choices into one sentence, e.g.
    ``"The Eiffel Tower with a dog sitting next to it in early morning sunlight, as a ..."``."""
    parts = [part.strip() for part in (monument, context, time_of_day) if part and part.strip()]
    if not parts:
        return ""
    sentence = " ".join(parts)
    sentence = sentence[0].upper() + sentence[1:]
    if style and style.strip():
        sentence = f"{sentence}, {style.strip()}"
    return sentence
