"""Layer 1: the local prompt screen. Pure Python, no network, no model.

How a prompt is read, so that tricks do not work and innocent words are not caught:

1. Unicode is folded: fancy letters ("ℕ𝕌𝔻𝔼"), accents, and Cyrillic look-alikes ("nаked" with a
   Cyrillic "а") become plain lower-case Latin letters.
2. Leetspeak is undone inside words that have letters ("g0re", "$exy", "k1ll3r").
3. Words are compared whole, never as substrings, so "Sussex", "cockatoo" and "Scunthorpe" pass.
   Each word is also tried without its ending (plural, -ing, -ed, -er, -y) and with stretched
   letters squeezed ("naaaked").
4. Letters split by spaces or dots ("n u d e", "n.u.d.e", "s-e-x") are joined back, and
   punctuation inside a word is dropped ("nu.de").
5. Attempts to change the rules ("ignore previous instructions", "you are now DAN") are refused.

The screen answers with a :class:`Verdict`; :mod:`lib.safety` turns a refusal into ``Blocked``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lib.safety import lexicon

#: Cyrillic and Greek letters that look like Latin ones.
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "к": "k", "м": "m", "т": "t", "в": "b", "н": "h", "α": "a", "ο": "o", "ε": "e", "ι": "i", "κ": "k",
        "ν": "v", "τ": "t", "υ": "u", "ρ": "p",
    }
)  # fmt: skip
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                       "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e", "£": "l"})  # fmt: skip
_LEET_SYMBOLS = "@$!|+€£*"
_SUFFIXES = ("ies", "es", "s", "ing", "ed", "ers", "er", "y", "ly")

_OVERRIDE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\b(ignore|disregard|forget|bypass|override|turn off|switch off|disable)\b"
        r"(?: \w+){0,3} (instructions?|rules?|prompts?|guidelines?|filters?|restrictions?|safety|metaprompt|"
        r"limits?|settings|censorship|above|everything)\b",
        r"\byou are (now|no longer)\b",
        r"\bpretend (that )?(you are|you re|there are no|there is no)\b",
        r"\bact as (an? )?(uncensored|unfiltered|unrestricted|evil|different|new)\b",
        r"\b(no|without|without any) (rules|filters|restrictions|censorship)\b",
        r"\b(uncensored|unfiltered|jailbreak|jailbroken|jailbreaking)\b",
        r"\bdo anything now\b",
        r"\b(developer|god|dan) mode\b",
        r"\b(new|updated|real) (instructions?|rules)\b",
        r"\bsystem prompt\b",
        r"\beverything is allowed\b",
    )
)


#: "all immigrants are animals": a group of people called vermin or worse.
_GROUPS = (
    r"(immigrants?|refugees?|foreigners?|migrants?|jews?|muslims?|christians?|hindus?|sikhs?|arabs?|africans?|"
    r"asians?|mexicans?|gypsies|roma|black people|white people|brown people|gay people|gays|trans people|"
    r"disabled people)"
)
_DEHUMANISING = re.compile(
    r"\b" + _GROUPS + r" (are|is|were) (all )?(animals|vermin|rats|cockroaches|pigs|monkeys|apes|parasites|"
    r"disgusting|subhuman|inferior|criminals|trash|garbage)\b"
)


@dataclass(frozen=True)
class Verdict:
    """What the screen decided. ``category`` groups reasons for the teacher ("nudity", "override")."""

    allowed: bool
    category: str = ""
    reason: str = ""


ALLOWED = Verdict(True)


def fold(text: str) -> str:
    """Lower-case plain letters: fancy Unicode, accents and look-alike letters folded."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_LOOKALIKES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _unleet(chunk: str) -> list[str]:
    """Spellings of one whitespace-separated chunk with leetspeak undone (several for '1' and '*').

    Chunks without letters are left alone ("455" stays a number), except single characters,
    which may be a spelled-out letter ("b l 0 0 d").
    """
    has_trick = any(c.isdigit() or c in _LEET_SYMBOLS for c in chunk)
    if not has_trick or (len(chunk) > 1 and not any(c.isalpha() for c in chunk)):
        return [chunk]
    out = {chunk.translate(_LEET), chunk.replace("1", "l").translate(_LEET)}
    if "*" in chunk:
        out = {s.replace("*", v) for s in out for v in "aeiou"}
    return sorted(out)


def tokens(text: str) -> list[list[str]]:
    """The prompt as a few readings; each reading is a list of plain words.

    Readings: split on every non-letter; the same with spelled-out letters joined (twice: with
    and without a leading "a" or "i", as in "a n u d e lady"); and one with punctuation inside
    words dropped ("nu.de", "$exy").
    """
    split: list[str] = []
    squashed: list[str] = []
    for chunk in fold(text).split():
        spellings = _unleet(chunk)
        split.extend(w for w in re.split(r"[^a-z]+", spellings[0]) if w)
        squashed.extend(w for s in spellings if (w := re.sub(r"[^a-z]+", "", s)))
    return [split, _join_spelled_out(split), _join_spelled_out(split, keep_article=True), squashed]


def _join_spelled_out(words: Sequence[str], *, keep_article: bool = False) -> list[str]:
    """Join runs of three or more one-letter words ("n", "u", "d", "e" -> "nude")."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        if keep_article and len(run) >= 4 and run[0] in ("a", "i"):
            out.append(run.pop(0))
        if len(run) >= 3:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


def forms(word: str) -> set[str]:
    """The word, without its ending, and with stretched letters squeezed ("naaaked" -> "naked")."""
    bases = {word, re.sub(r"(.)\1{2,}", r"\1\1", word), re.sub(r"(.)\1+", r"\1", word)}
    out = set(bases)
    for base in bases:
        for suffix in _SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= 3:
                stem = base[: -len(suffix)]
                out.add(stem)
                if suffix == "ies":
                    out.add(stem + "y")
                if suffix in ("ing", "ed", "er", "ers", "es"):
                    out.add(stem + "e")
                    if len(stem) >= 2 and stem[-1] == stem[-2]:
                        out.add(stem[:-1])
    return out


def _singulars(phrase: str) -> list[str]:
    """The teacher wrote "spiders": the screen must also catch "spider" (prompt words lose their
    endings in :func:`forms`, the teacher's words need the same)."""
    head, _, last = phrase.rpartition(" ")
    found = []
    if last.endswith("ies") and len(last) > 4:
        found.append(last[:-3] + "y")
    if last.endswith("es") and len(last) > 4:
        found.append(last[:-2])
    if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        found.append(last[:-1])
    return [f"{head} {word}".strip() for word in found]


class PromptScreen:
    """The local screen for one teacher's disallow list.

    ``disallow`` holds topics ("weapons") or any words and phrases; ``word_list`` adds the
    better-profanity swear words.
    """

    def __init__(self, disallow: Iterable[str], *, word_list: bool = True) -> None:
        #: word or phrase (a tuple of words) -> (category, the teacher's entry that caused it)
        self._terms: dict[tuple[str, ...], tuple[str, str]] = {}
        for entry in disallow:
            topic = " ".join(fold(entry).replace("-", " ").split())
            if not topic:
                continue
            key = next((t for t in lexicon.TOPIC_WORDS if t.replace("-", " ") == topic), None)
            category = lexicon.TOPIC_CATEGORY.get(key, "teacher's list") if key else "teacher's list"
            self._add(topic, category, entry)
            for singular in _singulars(topic):
                self._add(singular, category, entry)
            for word in lexicon.TOPIC_WORDS.get(key or "", ()):
                self._add(word, category, entry)
        if word_list:
            for word in lexicon.profanity_words():
                self._terms.setdefault(tuple(word.split()), ("rude words", "rude words"))
        self._phrases: dict[tuple[int, str], list[tuple[str, ...]]] = {}
        for term in self._terms:
            if len(term) > 1:
                self._phrases.setdefault((len(term), term[0]), []).append(term)
        self._violence = any(c == "violence" for c, _ in self._terms.values())
        self._hate = any(c == "hate" for c, _ in self._terms.values())
        self._harmless = [p.split() for p in lexicon.HARMLESS_PHRASES]

    def _add(self, term: str, category: str, entry: str) -> None:
        words = tuple(w for w in re.split(r"[^a-z]+", fold(term)) if w)
        if words:
            self._terms[words] = (category, entry)

    def check(self, text: str) -> Verdict:
        """Screen one prompt: :data:`ALLOWED` or a refusal with its category and reason."""
        readings = tokens(text)
        for words in readings:
            joined = " " + " ".join(words) + " "
            for pattern in _OVERRIDE_PATTERNS:
                if pattern.search(joined):
                    return Verdict(False, "override", "tried to change the teacher's rules")
        if self._hate:
            for words in readings:
                if _DEHUMANISING.search(" ".join(words)):
                    return Verdict(False, "hate", "speaks of a group of people as less than human")
        for words in readings:
            verdict = self._check_words(self._drop_harmless(words))
            if not verdict.allowed:
                return verdict
        return ALLOWED

    def _drop_harmless(self, words: list[str]) -> list[str]:
        out = list(words)
        for phrase in self._harmless:
            n = len(phrase)
            i = 0
            while i + n <= len(out):
                if all(p in forms(w) or p == w for p, w in zip(phrase, out[i : i + n], strict=True)):
                    out[i : i + n] = ["_"]
                i += 1
        return out

    def _check_words(self, words: list[str]) -> Verdict:
        word_forms = [forms(w) for w in words]
        for i in range(len(words)):
            for length in (1, 2, 3, 4):
                if i + length > len(words):
                    break
                for term, (category, entry) in self._match(word_forms[i : i + length]):
                    return Verdict(False, category, f"'{' '.join(term)}' ({entry})")
            if self._violence and words[i] in lexicon.VIOLENT_VERBS:
                nearby = words[i + 1 : i + 4]
                if any(w in lexicon.VICTIMS for w in nearby):
                    return Verdict(False, "violence", f"'{words[i]} {' '.join(nearby)}' (violence)")
        return ALLOWED

    def _match(self, window: list[set[str]]) -> Iterable[tuple[tuple[str, ...], tuple[str, str]]]:
        if len(window) == 1:
            for form in window[0]:
                hit = self._terms.get((form,))
                if hit:
                    yield (form,), hit
            return
        # Phrases: every word as typed or without its ending ("cutting her wrists").
        for first in window[0]:
            for term in self._phrases.get((len(window), first), ()):
                if all(t in f for t, f in zip(term[1:], window[1:], strict=True)):
                    yield term, self._terms[term]
