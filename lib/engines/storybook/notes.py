"""The storybook engine's explanations, as codes with parameters (never sentences in one language).

Each note is a plain dict ``{"code": CODE, ...parameters}``; a GeneratedImage carries them in
``extra["notes"]``. The page puts them into the student's words; :func:`english` is the English
wording, for the command line, the logs and as the fallback when no translation exists.

Codes and their parameters:

- ``not_drawn`` ``words``: words it could not draw (as typed).
- ``nothing_known``: it found nothing it knows in the words, so it painted just the scene.
- ``edit_unchanged``: the edit changed no pixel (the words named nothing it can draw).
- ``mask_empty``: the edit's mask is empty, so nothing was changed.
- ``mask_resized``: the mask was a different size from the picture and was stretched to fit.
- ``too_many_things`` ``max``: only ``max`` different things fit in one picture.
- ``count_capped`` ``max``: at most ``max`` of one thing are drawn.
- ``prompt_truncated`` ``chars``: only the first ``chars`` characters were read.
- ``other_language`` ``language``: most words look like another language (an ISO 639-1 code) that
  the storybook does not read yet; try English (or a language it reads).
"""

from __future__ import annotations

from typing import Any

Note = dict[str, Any]

_ENGLISH = {
    "not_drawn": "The storybook engine could not draw these words: {words}.",
    "nothing_known": "The storybook engine did not find anything it knows how to draw in these words, so it "
    "painted just the scene. Try names of animals, things or places, like 'a cat on a beach'.",
    "edit_unchanged": "The storybook engine found nothing it can draw in the edit words, so the picture is unchanged.",
    "mask_empty": "The mask is empty, so nothing was changed. Paint over the part to change.",
    "mask_resized": "The mask was a different size from the picture, so it was stretched to fit.",
    "too_many_things": "Only {max} different things fit in one picture; the rest were left out.",
    "count_capped": "At most {max} of one thing are drawn.",
    "prompt_truncated": "The prompt is long; the storybook engine read the first {chars} characters.",
    "other_language": "Most of these words look like another language ({language}), which the storybook engine "
    "does not read yet. Try English words, like 'a cat on a beach'.",
}

CODES = frozenset(_ENGLISH)


def note(code: str, **params: Any) -> Note:
    """One note; ``code`` must be one of :data:`CODES`."""
    if code not in CODES:
        raise ValueError(f"unknown storybook note code {code!r}")
    return {"code": code, **params}


def english(item: Note) -> str:
    """The English sentence for one note (lists are joined with commas)."""
    params = {key: ", ".join(map(str, value)) if isinstance(value, list) else value for key, value in item.items()}
    return _ENGLISH.get(str(item.get("code")), str(item.get("code"))).format(**params)
