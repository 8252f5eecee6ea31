"""Reading prompts in Spanish, French, Portuguese, German, Hindi, Arabic and Chinese.

Each language has a word list in ``words/LANG.json`` (hand-written: everyday words, articles,
prepositions, inflections), topped up with the ``emoji`` package's emoji names in that language.
A prompt is turned into English lexicon words phrase by phrase (longest match first; Chinese,
written without spaces, is segmented by longest match over characters), each English word
remembering the words the student typed, so that ``drawn`` and ``not_drawn`` report those.

The language is the prompt's script (Devanagari, Arabic, Han) or, for Latin scripts, the word
list that knows most of its words; English wins a tie.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lib.engines.storybook import lexicon
from lib.engines.storybook.languages import script_language

WORDS = Path(__file__).parent / "words"
#: Languages the storybook reads besides English (ISO 639-1; pt is Brazilian Portuguese).
LANGUAGES = ("es", "fr", "pt", "de", "hi", "ar", "zh")
_EMOJI_NAMES = {"es", "fr", "pt", "de", "zh", "ar"}
#: Longest phrase, in words (in characters for Chinese), looked up at once.
_LONGEST = 7
_LONGEST_ZH = 8
_SKIP = ""


@dataclass(frozen=True)
class Dictionary:
    """One language's phrases -> English lexicon words ("" for grammar words)."""

    language: str
    phrases: dict[str, str]
    #: The emoji package's names: looked up only where no hand-written phrase matched.
    emoji_names: dict[str, str]
    #: Adjectives come after the noun ("un gato rojo"): the colour moves before it.
    adjectives_after: bool
    #: Relations come after the noun ("पेड़ पर", "tree on"): the relation moves before it.
    postpositions: bool
    #: (ending, replacement) pairs tried on a word that is not in the list (plurals, inflections).
    endings: tuple[tuple[str, str], ...]
    #: Leading parts dropped from a word that is not in the list (Arabic "ال", French "l'").
    prefixes: tuple[str, ...]
    #: Chinese locatives: after "在 X", a "上" says "on X", "旁边" "next to X".
    locatives: dict[str, str]


def _plain(text: str) -> str:
    """Lower case without accents ("árbol" -> "arbol"), for students who skip them."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text.lower().replace("’", "'").replace("_", " ")).strip()


@lru_cache(maxsize=1)
def _glyph_names() -> dict[str, str]:
    """Curated glyph -> its English word, so an emoji name lands on the curated size and place."""
    out: dict[str, str] = {}
    for word, thing in lexicon.all_drawable().items():
        if thing.glyph and word == thing.name:
            out.setdefault(thing.glyph, word)
    return out


def _emoji_names(language: str) -> dict[str, str]:
    """The ``emoji`` package's names in ``language`` -> English word (curated) or the emoji itself."""
    try:
        import emoji
    except ImportError:
        return {}
    emoji.config.load_language(language)
    curated = _glyph_names()
    out: dict[str, str] = {}
    for char, data in emoji.EMOJI_DATA.items():
        name = data.get(language)
        if not name or data.get("status") != emoji.STATUS["fully_qualified"]:
            continue
        if any(0x1F3FB <= ord(c) <= 0x1F3FF or 0x1F1E6 <= ord(c) <= 0x1F1FF for c in char):
            continue  # skin tones and flags
        key = _norm(name.strip(":"))
        out.setdefault(key, curated.get(char, char))
    return out


@lru_cache(maxsize=len(LANGUAGES))
def dictionary(language: str) -> Dictionary:
    """The word list for ``language`` (one of :data:`LANGUAGES`), loaded once."""
    data = json.loads((WORDS / f"{language}.json").read_text(encoding="utf-8"))
    elided = tuple(p for p in data.get("prefixes", []) if p.endswith("'"))

    def key(form: str) -> str:
        return " ".join(_split_elided(_norm(form).split(), elided))

    phrases: dict[str, str] = {}
    for english, forms in data["words"].items():
        for form in forms.split("|"):
            if form.strip():
                phrases[key(form)] = english
    for form in data.get("grammar", "").split():
        phrases[key(form)] = _SKIP
    names = {key(name): value for name, value in _emoji_names(language).items()} if language in _EMOJI_NAMES else {}
    counts = data.get("counts", {})
    for number, english in counts.get("numbers", {}).items():
        phrases.setdefault(number, english)
        for measure in counts.get("measure_words", "").split():
            phrases[number + measure] = english
    if language != "zh":
        for table in (phrases, names):
            for form, value in list(table.items()):
                table.setdefault(_plain(form), value)
    return Dictionary(
        language=language,
        phrases=phrases,
        emoji_names=names,
        adjectives_after=bool(data.get("adjectives_after_nouns", False)),
        postpositions=bool(data.get("postpositions", False)),
        endings=tuple((e, r) for e, r in data.get("endings", [])),
        prefixes=tuple(data.get("prefixes", [])),
        locatives=dict(data.get("locatives", {})),
    )


def _split_elided(words: list[str], elided: tuple[str, ...]) -> list[str]:
    """ "l'éléphant" -> "l'", "éléphant": the elided article is a word of its own."""
    out: list[str] = []
    for word in words:
        prefix = next((p for p in elided if word.startswith(p) and len(word) > len(p)), None)
        out.extend([prefix, word[len(prefix) :]] if prefix else [word])
    return out


def _lookup(d: Dictionary, phrase: str, table: dict[str, str] | None = None) -> str | None:
    table = d.phrases if table is None else table
    found = table.get(phrase)
    if found is None and d.language != "zh":
        found = table.get(_plain(phrase))
    if found is not None:
        return found
    head, _, last = phrase.rpartition(" ")
    candidates = [last]
    for prefix in d.prefixes:
        if last.startswith(prefix) and len(last) > len(prefix) + 1:
            candidates.append(last[len(prefix) :])
    for word in list(candidates):
        for ending, replacement in d.endings:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                candidates.append(word[: len(word) - len(ending)] + replacement)
    for word in candidates[1:]:
        whole = f"{head} {word}" if head else word
        found = table.get(whole)
        if found is None and d.language != "zh":
            found = table.get(_plain(whole))
        if found is not None:
            return found
    return None


@dataclass
class Piece:
    """One phrase the student typed and the English words it stands for."""

    source: str
    english: str
    known: bool


def _pieces_spaced(d: Dictionary, words: list[str]) -> list[Piece]:
    pieces: list[Piece] = []
    i = 0
    while i < len(words):
        # Hand-written phrases first, at any length; the emoji names only where none matched.
        for table in (d.phrases, d.emoji_names):
            match = next(
                (
                    (n, found)
                    for n in range(min(_LONGEST, len(words) - i), 0, -1)
                    if (found := _lookup(d, " ".join(words[i : i + n]), table)) is not None
                ),
                None,
            )
            if match is not None:
                pieces.append(Piece(" ".join(words[i : i + match[0]]), match[1], True))
                i += match[0]
                break
        else:
            pieces.append(Piece(words[i], words[i], False))
            i += 1
    return pieces


def _is_han(char: str) -> bool:
    return 0x4E00 <= ord(char) <= 0x9FFF or 0x3400 <= ord(char) <= 0x4DBF


def _pieces_zh(d: Dictionary, words: list[str]) -> list[Piece]:
    pieces: list[Piece] = []
    for word in words:
        if not any(_is_han(c) for c in word):
            pieces.append(Piece(word, word, False))
            continue
        i, unknown = 0, ""
        while i < len(word):
            match = None
            for table in (d.phrases, d.emoji_names):
                match = next(
                    (
                        (n, table[word[i : i + n]])
                        for n in range(min(_LONGEST_ZH, len(word) - i), 0, -1)
                        if word[i : i + n] in table
                    ),
                    None,
                )
                if match is not None:
                    break
            if match is None:
                unknown += word[i]
                i += 1
                continue
            if unknown:
                pieces.append(Piece(unknown, unknown, False))
                unknown = ""
            pieces.append(Piece(word[i : i + match[0]], match[1], True))
            i += match[0]
        if unknown:
            pieces.append(Piece(unknown, unknown, False))
    # 在 X 上 / 在 X 旁边: the locative after the place says which relation 在 is.
    for k, piece in enumerate(pieces):
        if piece.source == "在":
            for later in pieces[k + 1 : k + 5]:
                if later.source in d.locatives:
                    piece.english, later.english = d.locatives[later.source], _SKIP
                    break
    return pieces


def _kind(english: str) -> str:
    if english in lexicon.COLOURS or english in lexicon.SIZES:
        return "adjective"
    if english in lexicon.RELATIONS:
        return "relation"
    if english in lexicon.SUBJECTS or english in lexicon.LANDMARKS or english in lexicon.SETTINGS:
        return "thing"
    if english and not english[0].isascii():
        return "thing"  # an emoji
    return ""


def _reorder(d: Dictionary, pieces: list[Piece]) -> list[Piece]:
    """Adjectives after the noun, relations after it: moved before it, as the English reader wants."""
    out = list(pieces)
    moves = []
    if d.adjectives_after:
        moves.append("adjective")
    if d.postpositions:
        moves.append("relation")
    for kind in moves:
        k = 1
        while k < len(out):
            if _kind(out[k].english) == kind and _kind(out[k - 1].english) == "thing":
                out[k - 1], out[k] = out[k], out[k - 1]
                k += 2
            else:
                k += 1
    return out


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    return frozenset(
        set(lexicon.SUBJECTS) | set(lexicon.LANDMARKS) | set(lexicon.SETTINGS) | set(lexicon.TIMES)
        | set(lexicon.WEATHER) | set(lexicon.COLOURS) | set(lexicon.NUMBERS) | set(lexicon.RELATIONS)
        | lexicon.FILLER | lexicon.VERBS | set(lexicon.STYLES) | lexicon.SCENE_WORDS
    )  # fmt: skip


def detect(prompt: str, words: list[str]) -> str:
    """The language of ``prompt``: its script, or the word list that knows most of its words."""
    script = script_language(prompt)
    if script in LANGUAGES:
        return script
    words = [w for w in words if w[:1].isalpha()]
    if script is not None or not words:
        return "en"
    english = _english_words()
    best_score = sum(w in english or lexicon.singular(w)[-1] in english for w in words)
    best = "en"
    # Another language can only win with more known words than English has.
    for language in LANGUAGES:
        if best_score == len(words):
            break
        if language in ("hi", "ar", "zh"):
            continue
        d = dictionary(language)
        score = sum(_lookup(d, w) is not None or _lookup(d, w, d.emoji_names) is not None for w in words)
        if score > best_score:
            best, best_score = language, score
    return best


def to_english(prompt: str, words: list[str], language: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """The language and, per English token, (token, the words typed): ``[("dog", "perro"), ...]``."""
    words = [_norm(w) for w in words]
    language = language if language in LANGUAGES or language == "en" else None
    language = language or detect(prompt, words)
    if language == "en":
        return "en", [(w, w) for w in words]
    d = dictionary(language)
    words = _split_elided(words, tuple(p for p in d.prefixes if p.endswith("'")))
    pieces = _pieces_zh(d, words) if language == "zh" else _pieces_spaced(d, words)
    tokens: list[tuple[str, str]] = []
    for piece in _reorder(d, pieces):
        if piece.english == _SKIP:
            continue
        source = piece.source.replace("' ", "'")  # "d' anniversaire" was typed "d'anniversaire"
        for token in piece.english.split() if piece.english[0].isascii() else [piece.english]:
            tokens.append((token, source))
    return language, tokens
