"""Reading a prompt the way a child's eye reads it, before any word is compared.

- Emoji become words: each emoji is read as its name (``emoji.demojize``), or as the plainer word
  of ``data/emoji.tsv`` where the package's name hides what a child sees (🔫 is "water pistol"
  there, but the glyph is drawn as a pistol). :func:`emoji_names` gives the names in every language
  the ``emoji`` package ships, so a teacher's "castillo" also blocks 🏰.
- Invisible characters (zero-width spaces and joiners, direction marks) are dropped.
- Fancy letters (full-width "ｇｕｎ", mathematical "ℕ𝕌𝔻𝔼") fold with NFKC; accents and other
  combining marks on Latin, Greek and Cyrillic letters are dropped; Cyrillic and Greek look-alikes
  become Latin letters. Marks in Devanagari and Arabic are kept: there they are part of the word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

import emoji

#: Cyrillic and Greek letters that look like Latin ones.
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "к": "k", "м": "m", "т": "t", "в": "b", "н": "h", "ԁ": "d", "ɡ": "g", "ı": "i", "ӏ": "l",
        "α": "a", "ο": "o", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "τ": "t", "υ": "u", "ρ": "p", "β": "b",
        "η": "n", "χ": "x", "μ": "u", "ѵ": "v", "ɑ": "a",
    }
)  # fmt: skip
#: The emoji package's languages (``emoji.config.load_language``).
EMOJI_LANGUAGES = ("es", "fr", "de", "pt", "it", "ar", "zh", "ja", "ko", "ru", "tr", "fa", "id")
_INVISIBLE = {"Cf", "Cc", "Co", "Cn"}


@lru_cache(maxsize=1)
def emoji_overrides() -> dict[str, str]:
    """``data/emoji.tsv``: emoji -> the words it is read as."""
    text = resources.files("lib.safety").joinpath("data/emoji.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            glyph, _, words = line.partition("\t")
            out[glyph.strip()] = words.strip()
    return out


@lru_cache(maxsize=1)
def _load_languages() -> None:
    for language in EMOJI_LANGUAGES:
        emoji.config.load_language(language)


def _name(glyph: str, data: Mapping[str, object]) -> str:
    override = emoji_overrides().get(glyph) or emoji_overrides().get(glyph.replace("\ufe0f", ""))
    if override:
        return override
    return str(data.get("en", "")).strip(":").replace("_", " ")


def emoji_words(text: str) -> str:
    """``text`` with each emoji replaced by its words, spaced off: "a 🏰!" -> "a  castle !"."""
    return emoji.replace_emoji(text, replace=lambda glyph, data: f" {_name(glyph, data)} ")


def emoji_names(text: str) -> list[str]:
    """Every name of every emoji in ``text``, in English (with aliases) and the other languages."""
    _load_languages()
    names: list[str] = []
    for found in emoji.emoji_list(text):
        glyph = found["emoji"]
        data = emoji.EMOJI_DATA.get(glyph) or emoji.EMOJI_DATA.get(glyph.replace("\ufe0f", "")) or {}
        names.append(_name(glyph, data))
        values = [data.get(lang) for lang in ("en", *EMOJI_LANGUAGES)]
        values += list(data.get("alias", ()))  # type: ignore[call-overload]
        names += [str(v).strip(":").replace("_", " ") for v in values if isinstance(v, str)]
    return names


def _strip_marks(text: str) -> str:
    """Drop combining marks whose base letter is Latin, Greek or Cyrillic (and stray ones)."""
    out: list[str] = []
    base_is_latin = True
    for char in text:
        if unicodedata.category(char).startswith("M"):
            if base_is_latin:
                continue
        else:
            base_is_latin = ord(char) < 0x0530
        out.append(char)
    return "".join(out)


def fold(text: str, *, cyrillic_u: str = "y") -> str:
    """Lower-case plain letters: emoji as words, invisible characters dropped, look-alikes folded.

    ``cyrillic_u`` is what "у" becomes: it looks like "y" but stands for "u" in "nуde".
    """
    text = emoji_words(text)
    text = "".join(" " if c in "\n\t" else c for c in text if unicodedata.category(c) not in _INVISIBLE)
    text = unicodedata.normalize("NFKC", text).casefold().replace("у", cyrillic_u).translate(_LOOKALIKES)
    text = text.replace("’", "'").replace("ʼ", "'")
    return _strip_marks(unicodedata.normalize("NFKD", text))


def is_word_char(char: str) -> bool:
    """Letters and (in scripts that have them) the marks inside words."""
    return char.isalpha() or unicodedata.category(char).startswith("M")


def words(text: str) -> list[str]:
    """Runs of letters; apostrophes inside words are dropped ("don't" -> "dont")."""
    out: list[str] = []
    current: list[str] = []
    for char in text.replace("'", ""):
        if is_word_char(char):
            current.append(char)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def has_foreign_script(term: str) -> bool:
    """Whether ``term`` is in a script matched anywhere in the text (not word by word)."""
    return any(ord(c) >= 0x2E80 and c.isalpha() for c in term)
