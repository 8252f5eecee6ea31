"""The words behind the local prompt screen.

A teacher's disallow list names *topics* ("nudity", "weapons"); a topic the screen knows is
expanded here into the words children actually type, in English and a few common words of
Spanish, French, German, Italian, Portuguese and Dutch. An entry the screen does not know is
matched as it is written. Multi-word entries are phrases: every word must appear, in order.

The swear-word list comes from the ``better-profanity`` package (kept up to date by its
maintainers, shipped as a plain text file). Its list is written for chat filters, so it holds
words that are innocent in a classroom ("god", "pot", "virgin", "hump", "organ", "slave",
"paddy"...): :data:`CLASSROOM_WORDS` removes those.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources

log = logging.getLogger(__name__)

#: Topic a teacher can write (folded, hyphens as spaces) -> the category it turns on.
TOPIC_CATEGORY: dict[str, str] = {
    "violence": "violence",
    "blood": "gore",
    "gore": "gore",
    "blood and gore": "gore",
    "weapons": "weapons",
    "nudity": "nudity",
    "sexual content": "sexual",
    "adult content": "sexual",
    "nudity and sexual content": "sexual",
    "drugs": "drugs",
    "alcohol": "alcohol",
    "tobacco": "tobacco",
    "smoking": "tobacco",
    "vaping": "tobacco",
    "tobacco and vaping": "tobacco",
    "self harm": "self-harm",
    "hate": "hate",
    "bullying": "bullying",
}

#: Every category the screen knows, in the order the Teacher page lists them.
CATEGORIES: tuple[str, ...] = (
    "violence", "weapons", "gore", "nudity", "sexual", "alcohol", "tobacco", "drugs", "self-harm", "hate",
    "bullying",
)  # fmt: skip


def _read_data(name: str) -> str:
    return resources.files("lib.safety").joinpath(f"data/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def category_terms() -> dict[str, tuple[str, ...]]:
    """``data/words.txt``: category -> its words and phrases, as written there."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in _read_data("words.txt").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], [])
            continue
        if current is not None:
            current.extend(t.strip() for t in line.split(",") if t.strip())
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@lru_cache(maxsize=1)
def harmless_phrases() -> tuple[str, ...]:
    """``data/harmless.txt``: innocent phrases that hold a screened word ("killer whale")."""
    return tuple(x.strip() for x in _read_data("harmless.txt").splitlines() if x.strip() and not x.startswith("#"))


#: Classroom contexts in which a screened word is innocent: word -> words nearby that excuse it.
CONTEXT_EXCUSES: dict[str, frozenset[str]] = {
    "knife": frozenset(
        "chef cook cooking carrot carrots vegetable vegetables bread butter fork spoon cake cheese fruit apple "
        "peel peeling slice slicing sandwich kitchen".split()
    ),
}

#: Words of the better-profanity list that are innocent in a classroom (animals, places, body
#: words a science lesson uses, history, mild words), plus the ones a topic above already covers
#: (so the teacher's list, not this one, decides them: "kill", "heroin", "vodka"...).
CLASSROOM_WORDS: frozenset[str] = frozenset(
    """
    negro negra negros negras
    god gay gays homo homey pot organ slave slaves paddy pawn rum maxi revue sandbar seaman seamen
    virgin hump humped humping hooters hooter hooch hookah hemp weed screw screwed screwing suck sucked
    sucking hell damn drunk thrust tramp pee poop potty womb ovary ovum ovums uterus nipple nipples
    breasts slope sniper snatch woody willy willies wad teat tinkle whiz knob vixen pasty pastie dink
    dinks flange loin loins lust lusting jerk jerked moron nimrod dopey doofus foobar prude punky racy
    steamy strip urinal vodka wang xx len asanchez arian gringo guido hebe kraut leper massa pinko prig
    mams menses pms rump sissy souse soused teste testes thug tush ugly unwed wedgie weirdo yury omg lmao
    wtf hiv herpes herp herpy inbred fat stupid dummy kill murder cow girl cowgirl cowgirls stroke
    heroin hitler nazi nazism reich ganja meth opiate opium peyote pcp valium viagra junkie junky
    fanny erect erection enlargement facial crotch spunk toots tosser wench lech lesbians bimbo bimbos
    ninny nad nads muff muther mutha seduce sleaze sleazy smut smutty stiffy toke trashy weenie weiner
    whitey puss pusse scum scrud tard hoar hoare hore hoer hoor fondle prostitute
    """.split()
)

#: Words that make a request violent when aimed at a living being ("shooting people").
VIOLENT_VERBS: frozenset[str] = frozenset(
    "shoot shoots shooting shot stab stabs stabbing stabbed hurt hurts hurting hit hits hitting beat beats "
    "beating punch punches punching attack attacks attacking strangle strangling choke choking burn burning "
    "kick kicking slap slapping slapped shove shoving strangle choke drown drowning".split()
)
VICTIMS: frozenset[str] = frozenset(
    "people person man men woman women child children kid kids boy boys girl girls baby babies him her them "
    "someone somebody everyone everybody teacher teachers student students classmate classmates friend friends "
    "dead police cop cops shopkeeper cashier villager villagers neighbour neighbor wife husband prisoner "
    "prisoners protester protesters sister brother son daughter mum mom dad mother father family lady "
    "grandma grandpa civilians civilian stranger enemy dog dogs cat cats puppy kitten animal animals horse "
    "bird old".split()
)


@lru_cache(maxsize=1)
def profanity_words() -> frozenset[str]:
    """The better-profanity word list, lower-cased, minus :data:`CLASSROOM_WORDS`.

    Returns an empty set (and logs a warning) when the package is missing, so the rest of the
    screen still works.
    """
    try:
        text = resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        log.warning("better-profanity is not installed: the swear-word list is off")
        return frozenset()
    words = {line.strip().lower() for line in text.splitlines() if line.strip()}
    # Entries with symbols ("f.u.c.k", "sh!t") are leetspeak spellings the screen undoes itself.
    words = {w for w in words if all(c.isalpha() or c in " -" for c in w)}
    return frozenset(w.replace("-", " ") for w in words) - CLASSROOM_WORDS
