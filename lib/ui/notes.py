"""The engine's explanations next to the result, in words a child understands.

Engines write what they noticed into ``GeneratedImage.extra``. Two shapes are read here, in one
place, so every page says the same thing:

- today's storybook: ``extra["not_drawn"]`` (words it could not draw) and ``extra["notes"]`` as
  sentences;
- coded notes: ``extra["notes"] = [{"code": "not_drawn", "words": [...]}, {"code": "edit_unchanged"}]``,
  put into words by :data:`WORDS` (an unknown code with a ``text`` is shown as that text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import streamlit as st

from lib import imaging
from lib.engines.base import GeneratedImage
from lib.errors import StudioError
from lib.studio import Result
from lib.ui import state
from lib.ui.i18n import N_, _, say
from lib.ui.text import md

#: Coded notes in words (English msgids of the catalogs, said in the student's language when
#: shown); ``{words}`` is the list of words the note is about.
WORDS: dict[str, str] = {
    "not_drawn": N_("The storybook engine does not know how to draw these words yet: {words}."),
    "nothing_known": N_(
        "The storybook engine did not find anything it knows how to draw, so it painted just the "
        "scene. Try names of animals, things or places, like 'a cat on a beach'."
    ),
    "edit_unchanged": N_(
        "The storybook engine found nothing it can draw in your words, so the picture did not "
        "change. Try naming a thing, like 'a red hat' or 'a cat'."
    ),
    "other_language": N_(
        "The storybook engine does not read this language yet. Try your idea in English, Spanish, "
        "French, Portuguese, German, Hindi, Arabic or Chinese."
    ),
    "prompt_truncated": N_("Your words were long, so the storybook engine read only the first {chars} letters."),
    "too_many_things": N_("Only {max} things fit in one picture, so some were left out."),
    "count_capped": N_("The storybook engine draws at most {max} of one thing, so it drew {max}."),
    "mask_empty": N_("Nothing was painted, so nothing could change. Paint over the part you want to change."),
    "mask_resized": N_("Your painting was a different size from the picture, so it was stretched to fit."),
}


def _said(code: str, words: list[str] | None = None, params: Mapping[str, Any] | None = None) -> str:
    """The note ``code`` in the student's language, with its words quoted and its numbers filled in."""
    values = {**(params or {}), "words": ", ".join(f"'{word}'" for word in words or ())}
    try:
        return _(WORDS[code]).format(**values)
    except (KeyError, IndexError, ValueError):
        return WORDS[code].format(**values)  # a broken translation: the English sentence


def _words(value: Any) -> list[str]:
    return [str(word) for word in value] if isinstance(value, list | tuple) else []


def _one(note: Any) -> tuple[str, str] | None:
    """A note as (its code, or "" for a sentence; the sentence in the student's language)."""
    if isinstance(note, str):
        return ("", say(note.strip())) if note.strip() else None
    if not isinstance(note, Mapping):
        return None
    code, words = str(note.get("code", "")), _words(note.get("words"))
    template = WORDS.get(code)
    if template is None:
        text = note.get("text")
        return ("", say(text)) if isinstance(text, str) and text.strip() else None
    if "{words}" in template and not words:
        return None
    params = {str(k): v for k, v in note.items() if k not in ("code", "words")}
    try:
        return code, _said(code, words, params)
    except (KeyError, IndexError, ValueError):
        return None  # a note without the numbers its sentence needs says nothing rather than nonsense


def coded_explanations(extras: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """What the engine said about these pictures, as (code, sentence), each sentence once, in order."""
    said: dict[str, str] = {}
    for extra in extras:
        notes = extra.get("notes") or []
        coded_words = any(isinstance(n, Mapping) and n.get("code") == "not_drawn" for n in notes)
        missing = _words(extra.get("not_drawn"))
        if missing and not coded_words:
            said.setdefault(_said("not_drawn", missing), "not_drawn")
        for note in notes if isinstance(notes, list | tuple) else []:
            found = _one(note)
            if found:
                said.setdefault(found[1], found[0])
    return [(code, sentence) for sentence, code in said.items()]


def explanations(extras: Iterable[Mapping[str, Any]]) -> list[str]:
    """What the engine said about these pictures (their ``extra``), each sentence once, in order."""
    return [sentence for _code, sentence in coded_explanations(extras)]


def unchanged(images: Iterable[GeneratedImage]) -> bool:
    """Whether an engine said its edit changed nothing."""
    for image in images:
        for note in image.extra.get("notes") or []:
            if isinstance(note, Mapping) and note.get("code") == "edit_unchanged":
                return True
            if isinstance(note, str) and "unchanged" in note:
                return True
    return False


def show_explanations(images: Sequence[GeneratedImage]) -> None:
    """The engine's explanations as one friendly box above the pictures (nothing when it said nothing)."""
    _box(explanations(image.extra or {} for image in images))


def show_explanations_for(ids: Sequence[str]) -> None:
    """The same box for pictures known by their gallery ids (read from the gallery's records)."""
    store, owner = state.history(), state.owner_id()
    extras: list[Mapping[str, Any]] = []
    for image_id in ids:
        try:
            found = store.get(owner, image_id).meta.get("extra")
        except StudioError:
            continue  # deleted meanwhile
        extras.append(found if isinstance(found, Mapping) else {})
    _box(explanations(extras))


def _box(sentences: list[str]) -> None:
    if sentences:
        st.info("  \n".join(md(sentence) for sentence in sentences), icon="🔎")


# -- an edit that changed nothing ------------------------------------------------------------------
#: Pictures of the last edit that came back unchanged: not in the gallery unless the student asks.
UNCHANGED_KEY = "edit_unchanged"


def set_aside_unchanged(source_png: bytes, result: Result, *, source_digest: str) -> Result:
    """Take the pictures identical to the source out of the gallery; return the ones that changed.

    They are kept in the session (with what the engine said) so "Keep it anyway" can still save them.
    """
    store, owner = state.history(), state.owner_id()
    kept: list[tuple[GeneratedImage, str]] = []
    same: list[GeneratedImage] = []
    for image, image_id in zip(result.images, result.ids, strict=True):
        if imaging.same_pixels(source_png, image.png):
            if image_id:
                store.delete(owner, image_id)
            same.append(image)
        else:
            kept.append((image, image_id))
    st.session_state[UNCHANGED_KEY] = (source_digest, same[:1])  # one copy is enough to keep
    return Result(images=[i for i, _ in kept], ids=[i for _, i in kept])


def _keep_anyway(results_key: str) -> None:
    digest, images = st.session_state.get(UNCHANGED_KEY) or ("", [])
    ids = [state.history().save(image, owner=state.owner_id(), page="edit") for image in images]
    st.session_state[results_key] = list(st.session_state.get(results_key) or []) + ids
    st.session_state[UNCHANGED_KEY] = (digest, [])


def unchanged_box(source_digest: str, results_key: str) -> None:
    """Say that the last edit of this picture changed nothing, why, and offer to keep it anyway."""
    digest, images = st.session_state.get(UNCHANGED_KEY) or ("", [])
    if digest != source_digest or not images:
        return
    said = coded_explanations(image.extra or {} for image in images)
    why = [s for code, s in said if code != "nothing_known" and not (code == "" and "unchanged" in s)]
    if not any(code == "edit_unchanged" for code, _s in said):
        why.insert(0, _said("edit_unchanged"))
    st.warning(
        _("**Nothing changed in your picture**, so it was not added to your gallery.")
        + "  \n"
        + "  \n".join(md(sentence) for sentence in why),
        icon="🤔",
    )
    st.button("📥 " + _("Keep it anyway"), key="edit_keep_unchanged", on_click=_keep_anyway, args=(results_key,))
