"""The monuments assignment: every monument, in every context, at every time, is really drawn."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from lib import assignment
from lib.engines.storybook import lexicon
from lib.engines.storybook.planner import ScenePlan, plan_scene
from lib.engines.storybook.randomness import Blend
from lib.engines.storybook.render import Placed, render

SIZE = 160
MATRIX = list(itertools.product(assignment.MONUMENTS, assignment.CONTEXTS, assignment.TIMES_OF_DAY))


def _render(plan: ScenePlan, seed: int) -> tuple[np.ndarray, list[Placed]]:
    placed: list[Placed] = []
    image = render(plan, SIZE, SIZE, Blend(seed, 0, 0.0), placed)
    return np.asarray(image, dtype=np.int16), placed


def _visible_landmark_pixels(plan: ScenePlan, seed: int) -> tuple[float, list[Placed]]:
    """Share of the landmark's ink, where nothing stands in front of it, that changes the picture."""
    with_it, placed = _render(plan, seed)
    without, _ = _render(replace(plan, landmarks=[]), seed)
    (landmark,) = [p for p in placed if p.kind == "landmark"]
    x0, y0, x1, y1 = (max(0, min(SIZE, v)) for v in landmark.box)
    free = np.zeros((SIZE, SIZE), dtype=bool)
    free[y0:y1, x0:x1] = True
    box_area = max(1, (landmark.box[2] - landmark.box[0]) * (landmark.box[3] - landmark.box[1]))
    inside = int(free.sum())
    for thing in (p for p in placed if p.kind == "thing"):
        tx0, ty0, tx1, ty1 = (max(0, min(SIZE, v)) for v in thing.box)
        free[ty0:ty1, tx0:tx1] = False
    changed = np.abs(with_it - without).sum(axis=2) > 30
    # The landmark's ink inside the picture (its box may stick out), as if spread evenly over its box.
    ink = max(1.0, landmark.ink * inside / box_area)
    return float((changed & free).sum()) / ink, placed


@pytest.mark.parametrize("style", [*assignment.STYLES, ""])
def test_styles_never_draw_extra_things(style: str) -> None:
    plan = plan_scene(assignment.build_prompt("the Eiffel Tower", "on a sandy beach", "at sunset", style))
    assert [lm.thing.name for lm in plan.landmarks] == ["eiffel tower"]
    assert plan.items == [] and plan.not_drawn == []


def test_every_monument_context_and_time_draws_the_monument() -> None:
    failures = []
    for k, (monument, context, time) in enumerate(MATRIX):
        prompt = assignment.build_prompt(monument, context, time, assignment.STYLES[(k // 7) % len(assignment.STYLES)])
        plan = plan_scene(prompt)
        if len(plan.landmarks) != 1:
            failures.append(f"{prompt}: landmarks {[lm.thing.name for lm in plan.landmarks]}")
            continue
        share, placed = _visible_landmark_pixels(plan, seed=k)
        if share < 0.4:
            failures.append(f"{prompt}: only {share:.0%} of the monument shows")
        # Everything the plan says it drew was painted somewhere in the picture.
        names = {p.name for p in placed if p.box[2] > 0 and p.box[0] < SIZE and p.box[3] > 0 and p.box[1] < SIZE}
        missing = [item.thing.name for item in plan.items if item.thing.name not in names]
        if missing:
            failures.append(f"{prompt}: planned but not painted {missing}")
        if set(plan.not_drawn) - lexicon.VERBS:
            failures.append(f"{prompt}: could not draw {plan.not_drawn}")
    assert not failures, f"{len(failures)} of {len(MATRIX)}:\n" + "\n".join(failures[:40])


@pytest.mark.parametrize("context", assignment.CONTEXTS)
def test_each_context_draws_what_it_says(context: str) -> None:
    plan = plan_scene(assignment.build_prompt("Big Ben", context, "at noon under a blue sky", ""))
    expected = {
        "with a dog sitting next to it": ({"dog"}, None),
        "on a sandy beach": (set(), "beach"),
        "in a snowy forest": (set(), "forest"),
        "on the moon": (set(), "moon"),
        "under the sea with fish swimming by": ({"fish"}, "underwater"),
        "in a field of sunflowers": ({"sunflower"}, "meadow"),
        "with a small child holding a teddy bear looking at it": ({"child", "teddy bear"}, None),
        "surrounded by friendly dinosaurs": ({"dinosaur"}, None),
        "in a busy city street": (set(), "city"),
        "on top of a mountain": (set(), "mountains"),
    }[context]
    assert {item.thing.name for item in plan.items} == expected[0]
    if expected[1]:
        assert plan.setting == expected[1]


FOREIGN = [language for language in assignment.LANGUAGES if language != "en"]


def test_every_language_has_every_choice() -> None:
    english = assignment.choices("en")
    assert english.monuments == assignment.MONUMENTS
    for language in FOREIGN:
        found = assignment.choices(language)
        for field in ("monuments", "contexts", "times_of_day", "styles"):
            assert len(getattr(found, field)) == len(getattr(english, field)), (language, field)
            assert all(getattr(found, field)), (language, field)
    assert assignment.choices("xx") == english


@pytest.mark.parametrize("language", FOREIGN)
def test_every_monument_context_and_time_is_drawn_in_every_language(language: str) -> None:
    english, local = assignment.choices("en"), assignment.choices(language)
    failures = []
    for k, (m, c, t) in enumerate(itertools.product(range(14), range(10), range(6))):
        style = (k // 7) % len(local.styles)
        prompt = assignment.build_prompt(local.monuments[m], local.contexts[c], local.times_of_day[t],
                                         local.styles[style], language)  # fmt: skip
        plan = plan_scene(prompt)
        reference = plan_scene(assignment.build_prompt(english.monuments[m], english.contexts[c],
                                                       english.times_of_day[t], english.styles[style]))  # fmt: skip
        got = {
            "language": plan.language,
            "landmarks": [lm.thing.name for lm in plan.landmarks],
            "things": sorted(item.thing.name for item in plan.items),
            "setting": plan.setting,
            "time": plan.time,
            "style": plan.style,
            "not_drawn": plan.not_drawn,
        }
        want = {
            "language": language,
            "landmarks": [lm.thing.name for lm in reference.landmarks],
            "things": sorted(item.thing.name for item in reference.items),
            "setting": reference.setting,
            "time": reference.time,
            "style": reference.style,
            "not_drawn": [],
        }
        if got != want:
            diff = {key: (got[key], want[key]) for key in got if got[key] != want[key]}
            failures.append(f"{prompt}: {diff}")
    assert not failures, f"{len(failures)} of 840:\n" + "\n".join(dict.fromkeys(failures[:40]))


@pytest.mark.parametrize("language", FOREIGN)
def test_monuments_are_painted_in_every_language(language: str) -> None:
    local = assignment.choices(language)
    for m, monument in enumerate(local.monuments):
        prompt = assignment.build_prompt(monument, local.contexts[m % 10], local.times_of_day[m % 6], "", language)
        plan = plan_scene(prompt)
        share, placed = _visible_landmark_pixels(plan, seed=m)
        assert share >= 0.4, prompt
        painted = {p.name for p in placed}
        assert {item.thing.name for item in plan.items} <= painted, prompt
