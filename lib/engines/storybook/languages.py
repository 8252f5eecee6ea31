"""Which language a prompt is in, when the storybook engine cannot read it.

A prompt whose words are mostly not drawn gets an ``other_language`` note when its script
(Devanagari, Arabic, Han, Cyrillic...) or its little grammar words (articles, prepositions)
say which language it is, so the page can suggest words the engine reads.
"""

from __future__ import annotations

from functools import lru_cache

from lib.engines.storybook import lexicon

#: Unicode blocks -> language, for scripts that say the language on their own.
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0900, 0x097F, "hi"),
    (0x0600, 0x06FF, "ar"),
    (0x0750, 0x077F, "ar"),
    (0x3040, 0x30FF, "ja"),
    (0xAC00, 0xD7AF, "ko"),
    (0x4E00, 0x9FFF, "zh"),
    (0x0400, 0x04FF, "ru"),
    (0x0370, 0x03FF, "el"),
    (0x0590, 0x05FF, "he"),
    (0x0E00, 0x0E7F, "th"),
)

#: Grammar words that are not English words, per language (a word in several counts for each).
_GRAMMAR: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "es": "el la los las un una unos unas y con en del al de que por para sobre junto debajo encima muy es está "
        "hay su sus mi bajo entre",
        "fr": "le la les un une des et avec dans sur du au aux sous près à côté est sont il elle mon ma mes ce cette "
        "devant derrière",
        "pt": "o os as um uma uns umas e com em no na nos nas do da dos das sobre ao perto ao lado é está meu minha "
        "embaixo",
        "de": "der die das ein eine einen einem einer und mit auf im in dem den neben unter bei am vor hinter ist sind "
        "mein meine zwei drei",
        "it": "il lo la gli le un una uno e con su nel nella sul sulla della del accanto sotto sopra è sono mio mia",
        "nl": "de het een en met op in naast onder bij van is zijn mijn",
        "tr": "bir ve ile üzerinde altında yanında bu şu",
        "id": "dan dengan di atas bawah yang sebuah seekor",
    }.items()
}


@lru_cache(maxsize=1)
def _english_grammar() -> frozenset[str]:
    return frozenset(lexicon.FILLER | set(lexicon.RELATIONS) | set(lexicon.NUMBERS))


def script_language(text: str) -> str | None:
    """The language a non-Latin script says on its own ("zh" for Han characters), or None."""
    counts: dict[str, int] = {}
    for char in text:
        code = ord(char)
        for low, high, lang in _SCRIPTS:
            if low <= code <= high:
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not counts:
        return None
    # Japanese mixes Han with kana: any kana makes it Japanese.
    if "ja" in counts:
        return "ja"
    return max(counts, key=lambda lang: counts[lang])


def guess_unread(words: list[str], not_drawn: list[str], read: frozenset[str] = frozenset()) -> str | None:
    """The language of a prompt mostly in a language other than those in ``read`` (and English), or None."""
    if not words or not not_drawn:
        return None
    english = _english_grammar()
    missing = set(not_drawn)
    unknown = [w for w in words if w in missing or (w not in english and any(w in g for g in _GRAMMAR.values()))]
    if len(unknown) * 2 <= len(words):
        return None
    lang = script_language(" ".join(unknown))
    if lang is None:
        distinct = set(words) - english
        scores = {lang: len(distinct & grammar) for lang, grammar in _GRAMMAR.items()}
        best = max(scores, key=lambda k: scores[k])
        lang = best if scores[best] >= 2 else None
    return lang if lang and lang not in read and lang != "en" else None
