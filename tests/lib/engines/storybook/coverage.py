"""How many of the things a child names the storybook reports as drawn, and really paints.

A prompts file has one prompt a line: ``prompt => word; word``, the words as typed that a child
expects to see. A word counts when the plan reports it as drawn and, for things and landmarks,
when the picture has that thing placed in it (scene words, like "sunset", paint the scene).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lib.engines.storybook.planner import plan_scene
from lib.engines.storybook.randomness import Blend
from lib.engines.storybook.render import Placed, render

PROMPTS = Path(__file__).parent / "prompts"


@dataclass
class Coverage:
    """Counts for one prompts file, with every miss spelled out."""

    named: int = 0
    drawn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        """Drawn over named (1.0 for an empty set)."""
        return self.drawn / self.named if self.named else 1.0


def read_prompts(name: str) -> list[tuple[str, list[str]]]:
    """The prompts of ``prompts/NAME.txt`` with the words each one names."""
    out = []
    for line in (PROMPTS / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        prompt, _, words = line.partition("=>")
        out.append((prompt.strip(), [w.strip().lower() for w in words.split(";") if w.strip()]))
    return out


def _covers(phrase: str, word: str) -> bool:
    return word == phrase or word in phrase.split() or (" " in word and word in phrase)


def measure(name: str, size: int = 128) -> Coverage:
    """Coverage of ``prompts/NAME.txt``."""
    result = Coverage()
    for k, (prompt, words) in enumerate(read_prompts(name)):
        plan = plan_scene(prompt)
        placed: list[Placed] = []
        render(plan, size, size, Blend(k, 0, 0.0), placed)
        painted = {p.name for p in placed if p.box[2] > 0 and p.box[0] < size and p.box[3] > 0 and p.box[1] < size}
        for word in words:
            result.named += 1
            things = [i for i in [*plan.landmarks, *plan.items] if _covers(i.word, word) or _covers(word, i.word)]
            if things:
                ok = any(i.thing.name in painted for i in things)
            else:
                ok = any(_covers(phrase, word) or _covers(word, phrase) for phrase in plan.drawn)
            if ok:
                result.drawn += 1
            else:
                result.misses.append(f"{prompt!r}: {word!r} (drawn {plan.drawn}, not drawn {plan.not_drawn})")
    return result
