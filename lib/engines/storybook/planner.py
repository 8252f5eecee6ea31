"""Reading a prompt into a :class:`ScenePlan`: what to draw, how many, what colour, where.

The reader is deliberately simple so that a student can predict it: it walks the words left to
right, matches the longest known phrase (up to four words), and keeps a little state (a pending
number, colour, size or relation word) that the next drawable thing picks up. Every word that
is neither drawn nor grammar is reported in ``not_drawn``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lib.engines.storybook import glyphs, languages, lexicon, translate
from lib.engines.storybook.lexicon import Thing
from lib.engines.storybook.notes import Note, note

#: Longest prompt the reader looks at; the rest is reported in a note, never a crash.
MAX_CHARS = 2000
#: Most separate things in one picture (each may have a count).
MAX_ITEMS = 10
MAX_COUNT = 12

#: Combining marks that are part of a word: Latin accents, Arabic vowels, Devanagari vowel signs.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963"
_LETTERS = f"(?:[^\\W\\d_]|[{_MARKS}])+"
_WORD = re.compile(f"{_LETTERS}(?:['’-]{_LETTERS})*|\\d+|[.;!?,।،。，！？、]", re.UNICODE)
_STOPS = {".", ";", "!", "?", "।", "。", "！", "？"}
_COMMAS = {",", "،", "，", "、"}
_WATER_ANIMALS = {"whale", "dolphin", "shark", "fish", "tropical fish", "octopus", "jellyfish", "squid", "crab",
                  "lobster", "shrimp", "seal", "submarine", "mermaid"}  # fmt: skip
_PATCHES = {"field", "fields", "garden", "gardens", "meadow", "bed", "beds", "patch", "carpet", "bunch", "bouquet"}
_CITY_LANDMARKS = {"eiffel tower", "big ben", "empire state building", "arc de triomphe", "colosseum",
                   "leaning tower of pisa", "tower bridge", "space needle", "st basil cathedral", "tokyo tower",
                   "skyscraper", "school", "stadium", "church", "mosque", "ferris wheel"}  # fmt: skip
_SPACE_THINGS = {"astronaut", "rocket", "ufo", "alien", "planet", "satellite", "comet", "earth"}
_LANDMARK_SETTING = {"statue of liberty": "sea", "parthenon": "meadow", "christ the redeemer": "meadow",
                     "taj mahal": "meadow", "pyramids": "desert", "sphinx": "desert", "sydney opera house": "sea",
                     "golden gate bridge": "sea", "bridge": "sea", "great wall": "mountains", "lighthouse": "sea",
                     "mount fuji": "meadow", "stonehenge": "meadow", "windmill": "meadow",
                     "moai": "meadow", "volcano": "desert"}  # fmt: skip


@dataclass
class Item:
    """One drawable thing in the plan, with how many, its colour and how it relates to another."""

    thing: Thing
    word: str
    count: int = 1
    #: True when the prompt used a plural without a number ("daffodils"): the renderer picks how many.
    several: bool = False
    colour: tuple[int, int, int] | None = None
    colour_name: str | None = None
    size: float = 1.0
    relation: str | None = None
    #: Index in ``ScenePlan.items`` of the thing this one relates to.
    anchor: int | None = None

    def describe(self) -> str:
        """A short phrase for the plan summary: "3 red cats", "rabbit on horse"."""
        count = "several " if self.several else (f"{self.count} " if self.count > 1 else "")
        colour = f"{self.colour_name} " if self.colour_name else ""
        return f"{count}{colour}{self.thing.name}"


@dataclass
class ScenePlan:
    """Everything the renderer needs, read from one prompt."""

    prompt: str
    setting: str = "meadow"
    time: str = "noon"
    weather: list[str] = field(default_factory=list)
    landmarks: list[Item] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    drawn: list[str] = field(default_factory=list)
    not_drawn: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    #: A style from :data:`lexicon.STYLES` ("sketch", "mosaic"...), or None.
    style: str | None = None
    #: The language the prompt was read in (ISO 639-1).
    language: str = "en"

    def summary(self) -> dict[str, Any]:
        """The plan as plain JSON values (stored with each image and printed by the CLI)."""
        things = []
        for item in self.items:
            entry: dict[str, Any] = {"thing": item.describe()}
            if item.relation and item.anchor is not None:
                entry["relation"] = f"{item.relation} {self.items[item.anchor].thing.name}"
            things.append(entry)
        return {
            "setting": self.setting,
            "time": self.time,
            "weather": list(self.weather),
            "landmarks": [
                {"name": lm.thing.name, "drawn_as": "silhouette" if lm.thing.silhouette else "emoji"}
                for lm in self.landmarks
            ],
            "things": things,
            "style": self.style,
            "language": self.language,
            "drawn": list(self.drawn),
            "not_drawn": list(self.not_drawn),
            "notes": [dict(n) for n in self.notes],
        }


def _tokens(prompt: str) -> list[str]:
    """Lower-case words, numbers, sentence stops, and each emoji as its own token."""
    try:
        import emoji

        spans = emoji.emoji_list(prompt)
    except ImportError:
        spans = []
    tokens: list[str] = []
    last = 0
    for span in spans:
        tokens.extend(_WORD.findall(prompt[last : span["match_start"]].lower()))
        tokens.append(span["emoji"])
        last = span["match_end"]
    tokens.extend(_WORD.findall(prompt[last:].lower()))
    # "grandma's kitchen": the owner is drawn, the 's is grammar.
    return [t.replace("’", "'").removesuffix("'s") for t in tokens]


def _emoji_thing(token: str) -> Thing | None:
    try:
        import emoji
    except ImportError:
        return None
    if not emoji.is_emoji(token):
        return None
    name = emoji.demojize(token).strip(":").replace("_", " ")
    if glyphs.master(token) is None:
        return None
    return Thing(name=name, glyph=token, scale=0.9)


def _lookup_thing(phrase: str, *, emoji_names: bool = True) -> tuple[Thing, bool] | None:
    """The Thing for ``phrase`` and whether it was written as a plural."""
    for i, form in enumerate(lexicon.singular(phrase)):
        plural = i > 0 or phrase in {
            "people",
            "mice",
            "sheep",
            "fish",
            "deer",
            "books",
            "sweets",
            "flowers",
            "daffodils",
            "clouds",
            "balloons",
            "leaves",
            "cherries",
            "grapes",
            "fries",
        }
        if form in lexicon.LANDMARKS:
            return lexicon.LANDMARKS[form], plural
        if form in lexicon.SUBJECTS:
            return lexicon.SUBJECTS[form], plural
    if phrase in lexicon.FILLER or phrase in lexicon.VERBS:
        return None
    if not emoji_names:
        return None
    for i, form in enumerate(lexicon.singular(phrase)):
        found = lexicon.emoji_index().get(form)
        # Only emoji a font here can draw: the plan never lists a word as drawn that shows as nothing.
        if found is not None and len(form) > 2 and glyphs.master(found.glyph or "") is not None:
            return found, i > 0
    return None


class _Reader:
    def __init__(self, plan: ScenePlan) -> None:
        self.plan = plan
        self.count: int | None = None
        self.colour: str | None = None
        #: The colour as the student wrote it ("rojos"), reported as drawn when it is used.
        self.colour_label: str | None = None
        self.size = 1.0
        self.relation: str | None = None
        #: The first subject of the current sentence: who "holding" refers to.
        self.protagonist: int | None = None
        self.last: int | None = None
        #: After a comma, "holding ..." goes back to the sentence's first subject.
        self.after_comma = False
        #: The word after the current phrase ("a tulip field": tulips come in a patch).
        self.next_word = ""

    def add(self, thing: Thing, word: str, plural: bool) -> None:
        plan = self.plan
        if thing.landmark:
            if all(lm.thing.name != thing.name for lm in plan.landmarks) and len(plan.landmarks) < 2:
                plan.landmarks.append(Item(thing=thing, word=word))
            if self.last is not None and self.relation:
                # "a dog next to the Eiffel Tower": the dog stands by the landmark, in front.
                on_it = {"above": "above landmark", "on": "on landmark"}.get(self.relation, "by landmark")
                plan.items[self._root(self.last)].relation = on_it
            plan.drawn.append(word)
            self._reset()
            return
        if len(plan.items) >= MAX_ITEMS:
            full = note("too_many_things", max=MAX_ITEMS)
            if full not in plan.notes:
                plan.notes.append(full)
            plan.not_drawn.append(word)
            self._reset()
            return
        count = self.count or 1
        for existing in plan.items:
            if existing.thing == thing and existing.relation is None and not self.relation:
                # "a cat and another cat": one group of two, not two separate things.
                existing.count = min(MAX_COUNT, existing.count + count)
                self._reset()
                return
        if count > MAX_COUNT:
            if note("count_capped", max=MAX_COUNT) not in plan.notes:
                plan.notes.append(note("count_capped", max=MAX_COUNT))
            count = MAX_COUNT
        # A plural without a number means "some"; flowers and shells come in some even when singular.
        several = self.count is None and (plural or (thing.place == "scatter" and self.next_word in _PATCHES))
        if self.relation in ("holding", "wearing"):
            several = False
        item = Item(thing=thing, word=word, count=count, several=several, size=self.size)
        if self.colour:
            item.colour = lexicon.COLOURS[self.colour]
            item.colour_name = self.colour
            plan.drawn.append(self.colour_label or self.colour)
        index = len(plan.items)
        plan.items.append(item)
        relation = self.relation
        if relation == "next to" and thing.scale <= 0.6 and self.last is not None and thing.place != "scatter":
            # "a girl with a balloon" holds it; "a rocket with stars" does not hold the stars.
            holds = self.relation_word == "with" and thing.place != "sky" and plan.items[self.last].thing.place != "sky"
            relation = "holding" if holds else None
        holder = self.protagonist if self.after_comma or self.last is None else self.last
        if relation == "holding" and holder is not None:
            item.relation, item.anchor = "held by", holder
        elif relation == "wearing" and holder is not None:
            # "a cat wearing a hat": the hat goes on the cat.
            item.relation, item.anchor = "on", holder
        elif relation and relation != "next to" and self.last is not None and thing.place != "scatter":
            root = self._root(self.last)
            if root != index:
                plan.items[root].relation, plan.items[root].anchor = relation, index
        if self.protagonist is None and thing.place != "scatter":
            self.protagonist = index
        if thing.place != "scatter":
            self.last = index
        self.after_comma = False
        plan.drawn.append(word)
        self._reset()

    relation_word = ""

    def _root(self, index: int) -> int:
        seen = {index}
        item = self.plan.items[index]
        while item.anchor is not None and item.relation not in (None, "held by") and item.anchor not in seen:
            index = item.anchor
            seen.add(index)
            item = self.plan.items[index]
        return index

    def _reset(self) -> None:
        self.count, self.colour, self.size, self.relation = None, None, 1.0, None


def plan_scene(prompt: str, language: str | None = None) -> ScenePlan:
    """Read ``prompt`` into a scene plan. Never raises: unknown words land in ``not_drawn``.

    ``language`` (ISO 639-1) says which language the prompt is in; by default it is guessed.
    """
    plan = ScenePlan(prompt=prompt)
    text = prompt
    if len(text) > MAX_CHARS:
        plan.notes.append(note("prompt_truncated", chars=MAX_CHARS))
        text = text[:MAX_CHARS]
    words = _tokens(text)
    plan.language, pairs = translate.to_english(text, words, language)
    tokens = [token for token, _ in pairs]
    sources = [source for _, source in pairs]
    reader = _Reader(plan)
    setting: str | None = None
    time: str | None = None
    i = 0
    while i < len(tokens):
        for n in (4, 3, 2, 1):
            if i + n > len(tokens):
                continue
            phrase = " ".join(tokens[i : i + n])
            label = _label(sources, i, n)
            if phrase in _COMMAS:
                reader.after_comma = True
            elif phrase in _STOPS:
                reader.protagonist, reader.last = None, None
                reader._reset()
            elif phrase in lexicon.STYLES:
                plan.style = plan.style or lexicon.STYLES[phrase]
                plan.drawn.append(label)
                reader._reset()
            elif phrase in lexicon.SETTINGS and (n > 1 or phrase not in lexicon.WEATHER):
                setting = setting or lexicon.SETTINGS[phrase]
                plan.drawn.append(label)
                reader._reset()
            elif phrase in lexicon.SCENE_WORDS:
                plan.drawn.append(label)
            elif n == 1 and reader.relation in ("on", "in") and _setting_landmark(phrase):
                setting = setting or _setting_landmark(phrase)
                plan.drawn.append(label)
                reader._reset()
            elif phrase in lexicon.TIMES:
                time = time or lexicon.TIMES[phrase]
                plan.drawn.append(label)
                reader._reset()
            elif phrase in lexicon.WEATHER:
                if lexicon.WEATHER[phrase] not in plan.weather:
                    plan.weather.append(lexicon.WEATHER[phrase])
                plan.drawn.append(label)
                reader._reset()
            elif phrase in lexicon.NUMBERS:
                reader.count = lexicon.NUMBERS[phrase]
            elif phrase.isdigit():
                reader.count = max(1, int(phrase[:4]))
            elif phrase in lexicon.COLOURS:
                reader.colour, reader.colour_label = phrase, label
            elif n == 1 and phrase in _YOUNG and i + 1 < len(tokens) and _is_animal(tokens[i + 1]):
                # "a baby elephant": a small elephant, not a baby and an elephant.
                reader.size = 0.6
                plan.drawn.append(label)
            elif phrase in lexicon.SIZES:
                reader.size = lexicon.SIZES[phrase]
            elif phrase in lexicon.RELATIONS and (n > 1 or _lookup_thing(phrase) is None):
                reader.relation = lexicon.RELATIONS[phrase]
                reader.relation_word = phrase
            elif phrase in lexicon.FILLER:
                pass
            else:
                # English emoji names ("city sunset") only for words typed together, not for
                # neighbours that came from different words of another language.
                together = len(set(sources[i : i + n])) == 1 or plan.language == "en"
                found = _lookup_thing(phrase, emoji_names=together) if (n == 1 or " " in phrase) else None
                if found is None and n == 1:
                    thing = _emoji_thing(phrase)
                    found = (thing, False) if thing else None
                if found is None and n > 1:
                    continue
                if found is None:
                    plan.not_drawn.append(label)
                else:
                    reader.next_word = tokens[i + n] if i + n < len(tokens) else ""
                    reader.add(found[0], label, found[1])
            i += n
            break
    _defaults(plan, setting, time)
    words = [t for t in words if t[:1].isalpha()]
    if plan.not_drawn:
        plan.notes.insert(0, note("not_drawn", words=list(plan.not_drawn)))
    foreign = languages.guess_unread(words, plan.not_drawn, READ)
    if foreign:
        plan.notes.append(note("other_language", language=foreign))
    return plan


_YOUNG = {"baby", "little", "young"}


def _is_animal(word: str) -> bool:
    found = _lookup_thing(word)
    return found is not None and not found[0].landmark and found[0].glyph is not None and found[0].scale != 1.7


#: Languages the planner reads: a prompt in one of them never gets the "other language" hint.
READ = frozenset({"en", *translate.LANGUAGES})


def _label(sources: list[str], i: int, n: int) -> str:
    """The words the student typed for tokens ``i`` to ``i + n`` (each source once, in order)."""
    return " ".join(dict.fromkeys(sources[i : i + n]))


def _setting_landmark(phrase: str) -> str | None:
    found = _lookup_thing(phrase)
    return lexicon.SETTING_LANDMARKS.get(found[0].name) if found else None


def _defaults(plan: ScenePlan, setting: str | None, time: str | None) -> None:
    names = {item.thing.name for item in plan.items}
    if setting is None:
        if plan.landmarks and plan.landmarks[0].thing.name in _LANDMARK_SETTING:
            setting = _LANDMARK_SETTING[plan.landmarks[0].thing.name]
        elif names & _WATER_ANIMALS:
            setting = "underwater"
        elif names & _SPACE_THINGS:
            setting = "space"
        elif "snow" in plan.weather:
            setting = "snow"
        elif plan.landmarks and plan.landmarks[0].thing.name in _CITY_LANDMARKS:
            setting = "city"
        else:
            setting = "meadow"
    plan.setting = setting
    plan.time = time or ("night" if setting == "space" else "noon")
    # Drop duplicates while keeping the order the student wrote.
    plan.not_drawn = list(dict.fromkeys(plan.not_drawn))
    if not plan.items and not plan.landmarks:
        plan.notes.append(note("nothing_known"))
