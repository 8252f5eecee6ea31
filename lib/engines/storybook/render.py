"""Turning a :class:`ScenePlan` into pixels: the scene, then the landmark, then the things in it.

Layout: the horizon sits a little below the middle; a landmark stands on it; things on the
ground stand in front, bigger the nearer they are; sky things float above; scattered things
(flowers, shells) are sprinkled over the ground. Relations move a thing next to its anchor:
on its back, in it, under it, beside it, or in its hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from lib.engines.storybook import glyphs, rooms, scenery, silhouettes, styles, weather
from lib.engines.storybook.lexicon import Thing
from lib.engines.storybook.planner import Item, ScenePlan
from lib.engines.storybook.randomness import Blend


@dataclass
class Box:
    """Where one copy of a thing goes: centre x, feet y, height, mirrored or not."""

    x: float
    feet: float
    height: float
    flip: bool = False
    #: Index of the item (for relations) and drawing order.
    item: int = -1
    #: Drawing order (painted from low to high); None means "by where its feet are".
    z: float | None = None

    @property
    def depth(self) -> float:
        """Drawing order: nearer things (lower feet) are painted later."""
        return self.feet if self.z is None else self.z

    @property
    def top(self) -> float:
        """The y of the top edge."""
        return self.feet - self.height


def _quantise(height: float) -> int:
    # Cached glyphs are reused when sizes land on the same 4-px step.
    return max(8, int(height) // 4 * 4)


def thing_image(
    thing: Thing, height: float, *, flip: bool = False, colour: tuple[int, int, int] | None = None
) -> Image.Image | None:
    """The picture of ``thing`` at ``height`` px: its glyph or its silhouette, tinted if asked."""
    size = _quantise(height)
    image = None
    if thing.silhouette:
        image = silhouettes.render(thing.silhouette, size)
    elif thing.glyph:
        image = glyphs.glyph(thing.glyph, size, flip=flip and not thing.landmark)
    if image is not None and colour is not None:
        image = tint(image, colour)
    return image


def tint(image: Image.Image, colour: tuple[int, int, int]) -> Image.Image:
    """Recolour a glyph keeping its shading and outline ("a red car"); already that colour: unchanged."""
    pixels = np.asarray(image, dtype=np.int16)
    solid = pixels[..., 3] > 200
    if solid.any():
        rgb = pixels[..., :3][solid]
        saturated = rgb[(rgb.max(axis=1) - rgb.min(axis=1)) > 60]
        if len(saturated) > solid.sum() * 0.3:
            mean = saturated.mean(axis=0)
            if float(np.abs(mean - np.array(colour)).sum()) < 120:
                return image
    grey = ImageOps.grayscale(image.convert("RGB"))
    dark = tuple(int(c * 0.25) for c in colour)
    light = tuple(min(255, int(c + (255 - c) * 0.6)) for c in colour)
    coloured = ImageOps.colorize(grey, black=dark, white=light, mid=colour).convert("RGBA")  # type: ignore[arg-type]
    coloured.putalpha(image.getchannel("A"))
    return Image.blend(image, coloured, 0.8)


def _paste(canvas: Image.Image, image: Image.Image, box: Box, *, shadow: bool) -> tuple[int, int, int, int]:
    left, top = int(box.x - image.width / 2), int(box.feet - image.height)
    if shadow:
        draw = ImageDraw.Draw(canvas, "RGBA")
        w = image.width * 0.42
        draw.ellipse((box.x - w, box.feet - w * 0.12, box.x + w, box.feet + w * 0.12), fill=(0, 0, 0, 45))
    canvas.paste(image, (left, top), image)
    return left, top, left + image.width, top + image.height


@dataclass(frozen=True)
class Placed:
    """Where something named in the plan was painted: its kind, name and pixel box."""

    kind: str
    name: str
    box: tuple[int, int, int, int]
    #: How many of the box's pixels the thing covers (its ink, not the transparent rest).
    ink: int = 0


def render(plan: ScenePlan, width: int, height: int, rng: Blend, placed: list[Placed] | None = None) -> Image.Image:
    """Paint ``plan`` at ``width`` x ``height``; every random choice comes from ``rng``.

    ``placed``, when given, receives one :class:`Placed` per landmark and per copy of a thing.
    """
    canvas = Image.new("RGB", (width, height))
    placed = placed if placed is not None else []
    horizon = int(height * rng.sub("horizon").uniform(0.56, 0.66))
    setting = plan.setting
    indoors = setting in rooms.ROOMS
    outdoor_time = plan.time
    scenery.paint_sky(canvas, horizon, outdoor_time, plan.weather, rng.sub("sky"))
    if setting in ("space", "moon"):
        _space(canvas, horizon, setting, rng.sub("space"))
    floor_top = horizon
    landmark_x: tuple[float, float, float] | None = None
    if setting == "underwater":
        floor_top = weather.underwater(canvas, rng.sub("water"))
        for index, landmark in enumerate(plan.landmarks):
            # A sunken monument on the sea floor, seen through blue water.
            found = _landmark(canvas, landmark, floor_top, index, rng.sub(f"landmark{index}"), placed, wash=True)
            landmark_x = landmark_x if landmark_x is not None else found
    else:
        scenery.paint_far(canvas, horizon, setting, outdoor_time, rng.sub("far"))
        if indoors:
            if "rain" in plan.weather or "storm" in plan.weather:
                weather.rain(canvas, rng.sub("rain"), heavy="storm" in plan.weather)
            if "snow" in plan.weather:
                weather.snow(canvas, rng.sub("snowfall"))
            rooms.paint(canvas, horizon, setting, rng.sub("room"))
        else:
            for index, landmark in enumerate(plan.landmarks):
                found = _landmark(canvas, landmark, horizon, index, rng.sub(f"landmark{index}"), placed)
                landmark_x = landmark_x if landmark_x is not None else found
        # A snowy forest or meadow: the trees stay, the ground turns white.
        snowy = "snow" in plan.weather and setting in ("meadow", "forest", "mountains")
        scenery.paint_ground(canvas, horizon, "snow" if snowy else setting, outdoor_time, rng.sub("ground"))
        if indoors:
            for index, landmark in enumerate(plan.landmarks):
                found = _landmark(canvas, landmark, horizon + int((height - horizon) * 0.2), index, rng.sub("lm"),
                                  placed)  # fmt: skip
                landmark_x = landmark_x if landmark_x is not None else found
    if "fog" in plan.weather:
        weather.fog(canvas, horizon, rng.sub("fog"), strength=0.45)
    boxes = layout(plan, width, height, floor_top, rng.sub("layout"), underwater=setting == "underwater",
                   landmark_x=landmark_x)  # fmt: skip
    ground_things = {"ground", "water"}
    for box in sorted(boxes, key=lambda b: b.depth if plan.items[b.item].thing.place != "sky" else -1):
        item = plan.items[box.item]
        image = thing_image(item.thing, box.height, flip=box.flip, colour=item.colour)
        if image is not None:
            on_ground = item.thing.place in ground_things and item.relation not in ("on", "held by", "in", "above")
            where = _paste(canvas, image, box, shadow=on_ground and setting not in ("underwater", "space", "sea"))
            placed.append(Placed("thing", item.thing.name, where))
    outdoors = not indoors
    if ("rain" in plan.weather or "storm" in plan.weather) and outdoors:
        weather.rain(canvas, rng.sub("rain"), heavy="storm" in plan.weather)
    if "storm" in plan.weather and outdoors:
        weather.lightning(canvas, horizon, rng.sub("bolt"))
    if "snow" in plan.weather and outdoors:
        weather.snow(canvas, rng.sub("snowfall"))
    if "fog" in plan.weather:
        weather.fog(canvas, horizon, rng.sub("fog2"), strength=0.15)
    if plan.style:
        canvas = styles.apply(canvas, plan.style)
    return canvas


def _space(canvas: Image.Image, horizon: int, setting: str, rng: Blend) -> None:
    width, height = canvas.size
    canvas.paste(scenery._gradient(width, horizon, [(2, 2, 12), (15, 15, 45)]), (0, 0))
    draw = ImageDraw.Draw(canvas, "RGBA")
    unit = min(width, height)
    for sx, sy, sz in rng.uniforms(300).reshape(100, 3):
        r = max(1.0, unit * 0.004 * sz)
        draw.ellipse((sx * width - r, sy * horizon - r, sx * width + r, sy * horizon + r), fill=(255, 255, 255, 220))
    far = glyphs.glyph("🌍" if setting == "moon" else "🪐", int(unit * 0.2))
    if far is not None:
        canvas.paste(far, (int(rng.uniform(0.1, 0.75) * width), int(horizon * rng.uniform(0.1, 0.4))), far)


def _landmark(
    canvas: Image.Image,
    landmark: Item,
    horizon: int,
    index: int,
    rng: Blend,
    placed: list[Placed],
    *,
    wash: bool = False,
) -> tuple[float, float, float] | None:
    """Stand a landmark on the horizon; return its centre x, width and top (for "next to" it)."""
    width, height = canvas.size
    thing = landmark.thing
    target = min(horizon * 0.92, height * 0.155 * thing.scale)
    image = thing_image(thing, target, colour=landmark.colour)
    if image is None:
        return None
    if image.width > width * 0.95:
        image = image.resize((int(width * 0.95), max(1, int(image.height * width * 0.95 / image.width))))
    x = width * (rng.uniform(0.5, 0.72) if index == 0 else rng.uniform(0.2, 0.35))
    x = min(max(x, image.width / 2), width - image.width / 2)
    sink = int(image.height * 0.03)
    if wash:
        water = Image.new("RGBA", image.size, (30, 110, 175, 255))
        water.putalpha(image.getchannel("A"))
        image = Image.blend(image, water, 0.3)
    left, top = int(x - image.width / 2), horizon - image.height + sink
    canvas.paste(image, (left, top), image)
    ink = int(np.count_nonzero(np.asarray(image.getchannel("A")) > 128))
    placed.append(Placed("landmark", thing.name, (left, top, left + image.width, top + image.height), ink))
    return x, float(image.width), float(horizon - image.height + sink)


#: Where on a landmark something "on" it stands, as a fraction of its height from the top.
_DECKS = {"golden_gate": 0.7, "tower_bridge": 0.68, "great_wall": 0.45, "opera_house": 0.78, "stonehenge": 0.12,
          "parthenon": 0.05, "arc": 0.0, "colosseum": 0.05, "pyramids": 0.0}  # fmt: skip


#: Where the top of a landmark is, left or right of its centre, as a fraction of its width.
_APEX = {"pyramids": -0.16, "redeemer": 0.0}


def _natural_height(item: Item, unit: int) -> float:
    return unit * 0.25 * item.thing.scale * item.size


def layout(
    plan: ScenePlan,
    width: int,
    height: int,
    horizon: int,
    rng: Blend,
    *,
    underwater: bool,
    landmark_x: tuple[float, float, float] | None = None,
) -> list[Box]:
    """Where every copy of every item goes (boxes in drawing order is decided by the caller)."""
    unit = min(width, height)
    boxes: list[Box] = []
    by_item: dict[int, Box] = {}
    roots = [i for i, item in enumerate(plan.items) if item.anchor is None]
    ground_roots = [i for i in roots if plan.items[i].thing.place in ("ground", "water")]
    slots = max(1, len(ground_roots))
    order = sorted(range(slots), key=lambda k: rng.sub(f"slot{k}").u())
    depth = height - horizon
    # With a landmark, things stand on the side with more free room, so the landmark stays in view.
    x0, x1 = 0.0, float(width)
    crowded = False
    if landmark_x is not None:
        lx, lw, _ = landmark_x
        left, right = lx - lw * 0.45, width - (lx + lw * 0.45)
        if max(left, right) >= width * 0.3:
            x0, x1 = (0.0, left) if left >= right else (width - right, float(width))
        else:
            crowded = True
    for rank, index in enumerate(ground_roots):
        item = plan.items[index]
        irng = rng.sub(f"item{index}")
        slot = order[rank]
        by_landmark = item.relation == "by landmark" and landmark_x is not None
        if underwater:
            feet = horizon * irng.uniform(0.35, 0.95)
        elif by_landmark and not crowded:
            feet = horizon + depth * irng.uniform(0.4, 0.6)
        elif crowded:
            feet = horizon + depth * irng.uniform(0.78, 0.92)
        else:
            feet = horizon + depth * irng.uniform(0.55, 0.95)
        nearness = 0.75 + 0.35 * (feet - horizon) / max(1, depth) if not underwater else 1.0
        h = min(_natural_height(item, unit) * nearness, height * 0.6)
        h = min(h, height * 0.75 / max(1.0, slots * 0.6))
        if landmark_x is not None:
            # Keep the landmark in view: nothing in front of it may be taller than about a third.
            h = min(h, height * (0.3 if crowded else 0.42))
        x = x0 + (x1 - x0) * (slot + 0.5 + irng.uniform(-0.25, 0.25)) / slots
        if by_landmark and landmark_x is not None and not crowded:
            lx, lw, _ = landmark_x
            side = -1 if x0 < lx else 1
            x = lx + side * (lw * 0.45 + h * 0.5) + irng.uniform(-0.03, 0.03) * width
        if item.relation == "on landmark" and landmark_x is not None and plan.landmarks:
            # Standing on it: on the deck of a bridge or wall, on the very top of a tower.
            lx, _, top = landmark_x
            deck = _DECKS.get(plan.landmarks[0].thing.silhouette or "", 0.0)
            h = min(_natural_height(item, unit), height * 0.22)
            x, feet = lx + irng.uniform(-0.1, 0.1) * width * deck, top + (horizon - top) * deck + h * 0.05
            if deck == 0.0:
                # On the very top; if that is above the picture, climbing the upper part instead.
                x = lx + _APEX.get(plan.landmarks[0].thing.silhouette or "", 0.0) * landmark_x[1]
                feet = max(top + h * 0.2, h * 1.03)
        elif item.relation == "above landmark" and landmark_x is not None:
            # Flying over the landmark: just above its top, painted after everything on the ground.
            lx, _, top = landmark_x
            h = min(_natural_height(item, unit), height * 0.3)
            x, feet = lx + irng.uniform(-0.05, 0.05) * width, max(h * 1.05, top - h * 0.05)
        x = min(max(x, h * 0.65), width - h * 0.65)
        _copies(boxes, item, index, x, feet, h, width, irng)
        if item.relation in ("above landmark", "on landmark"):
            for box in boxes[-max(1, item.count) :]:
                box.z = float(height * 2)
        by_item[index] = boxes[-1]
    for index in roots:
        item = plan.items[index]
        irng = rng.sub(f"item{index}")
        if item.thing.place == "sky":
            for c in range(item.count if not item.several else irng.randint(3, 5)):
                crng = irng.sub(f"copy{c}")
                h = min(_natural_height(item, unit), height * 0.3)
                box = Box(
                    crng.uniform(0.08, 0.92) * width, horizon * crng.uniform(0.25, 0.8), h, crng.chance(0.5), index
                )
                boxes.append(box)
                by_item[index] = box
        elif item.thing.place == "scatter":
            count = item.count if not item.several else irng.randint(8, 14)
            for c in range(count):
                crng = irng.sub(f"copy{c}")
                ry = crng.u()
                feet = (horizon * (0.3 + 0.65 * ry)) if underwater else horizon + depth * (0.12 + 0.85 * ry)
                h = _natural_height(item, unit) * (0.55 + 0.7 * ry)
                boxes.append(Box(crng.uniform(0.03, 0.97) * width, feet, h, crng.chance(0.5), index))
            by_item[index] = boxes[-1]
    # Dependents, in the order written: each goes where its relation puts it, next to its anchor.
    pending = [i for i, item in enumerate(plan.items) if item.anchor is not None]
    for _ in range(len(pending) + 1):
        for index in list(pending):
            item = plan.items[index]
            assert item.anchor is not None
            anchor = by_item.get(item.anchor)
            if anchor is None:
                continue
            pending.remove(index)
            box = _relate(item, plan.items[item.anchor], anchor, index, unit, rng.sub(f"rel{index}"))
            # Things in a relation are painted just after their anchor (just before, when inside it).
            box.z = anchor.depth + (-0.01 if item.relation == "in" else 0.01)
            box.x = min(max(box.x, box.height * 0.6), width - box.height * 0.6)
            count = item.count if not item.several else 3
            spacing = box.height * 0.8
            for c in range(count):
                offset = (c - (count - 1) / 2) * spacing
                boxes.append(Box(box.x + offset, box.feet, box.height, box.flip, index, box.z + c * 0.001))
            by_item[index] = box
    return boxes


def _copies(boxes: list[Box], item: Item, index: int, x: float, feet: float, h: float, width: int, rng: Blend) -> None:
    count = item.count if not item.several else rng.randint(2, 4)
    if count > 1:
        h *= max(0.45, 1.0 - 0.06 * count)
    per_row = min(count, 6)
    aspect = 1.0
    spacing = h * aspect * 0.85
    while per_row * spacing > width * 0.9 and h > 10:
        h *= 0.9
        spacing = h * 0.85
    start = x - spacing * (per_row - 1) / 2
    start = min(max(start, h * 0.45), max(h * 0.45, width - h * 0.45 - spacing * (per_row - 1)))
    for c in range(count):
        row, col = divmod(c, per_row)
        crng = rng.sub(f"copy{c}")
        boxes.append(Box(start + col * spacing + crng.uniform(-0.1, 0.1) * spacing, feet - row * h * 0.35 +
                         crng.uniform(-0.04, 0.04) * h, h * (1 - 0.1 * row), crng.chance(0.5), index))  # fmt: skip


def _relate(item: Item, anchor_item: Item, anchor: Box, index: int, unit: int, rng: Blend) -> Box:
    own = _natural_height(item, unit)
    ratio = own / max(1e-6, _natural_height(anchor_item, unit))
    flip = anchor.flip
    if item.relation == "on":
        h = anchor.height * min(0.75, max(0.4, ratio))
        # Emoji animals face left: their back is right of centre (left when mirrored).
        back = (-0.12 if anchor.flip else 0.12) * anchor.height
        x = anchor.x + back + rng.uniform(-0.05, 0.05) * anchor.height
        return Box(x, anchor.top + anchor.height * 0.4, h, flip, index)
    if item.relation == "in":
        # Peeking out: the lower part of the thing is hidden behind its container.
        h = max(anchor.height * 0.8, own * 0.75)
        return Box(anchor.x, anchor.top + h * 0.55, h, flip, index)
    if item.relation == "under":
        if ratio < 0.7:
            return Box(anchor.x + rng.uniform(-0.1, 0.1) * anchor.height, anchor.feet + unit * 0.01,
                       min(own, anchor.height * 0.5), flip, index)  # fmt: skip
        # Under something small (an umbrella, a cloud): the anchor moves up over the thing.
        anchor.feet = anchor.feet - own * 1.02
        return Box(anchor.x, anchor.feet + own * 1.02, own, flip, index)
    if item.relation == "above":
        return Box(anchor.x, anchor.top - anchor.height * 0.08, min(own, anchor.height), flip, index)
    if item.relation == "held by":
        h = max(min(own, anchor.height * 0.6), anchor.height * 0.4, unit * 0.08)
        # In front of the face: emoji face left, so the hand is on the left unless mirrored.
        side = 1 if anchor.flip else -1
        return Box(anchor.x + side * anchor.height * 0.45, anchor.top + h * 0.8, h, False, index)
    side = rng.choice((-1, 1))
    return Box(
        anchor.x + side * anchor.height * 0.9, anchor.feet + unit * 0.01, min(own, anchor.height * 1.3), flip, index
    )
