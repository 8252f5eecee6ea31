"""Edit (repaint inside a mask) and Vary (same subjects, new arrangement and palette).

Edit composites a repainted picture with the original through the mask, so every pixel where
the mask is 0 is copied unchanged. Vary re-plans the prompt stored in the PNG this engine wrote
and moves its randomness away from the original's by ``strength``.
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from lib.engines.storybook import lexicon
from lib.engines.storybook.notes import Note, note
from lib.engines.storybook.planner import ScenePlan, plan_scene
from lib.engines.storybook.randomness import Blend, Mix
from lib.engines.storybook.render import render, thing_image
from lib.errors import BadInput


def open_png(data: bytes, what: str = "picture") -> Image.Image:
    """Decode an uploaded image or say kindly that it is not one."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise BadInput(f"The {what} could not be read. Please use a PNG or JPEG image.") from None
    return image


def _scene_named(plan: ScenePlan) -> bool:
    words = set(plan.drawn)
    return bool(words & (set(lexicon.SETTINGS) | set(lexicon.TIMES) | set(lexicon.WEATHER)))


def edit_image(image_data: bytes, mask_data: bytes, plan: ScenePlan, rng: Blend) -> tuple[Image.Image, list[Note]]:
    """Repaint the masked part of the picture with what ``plan`` names; return it and notes."""
    original = open_png(image_data)
    if original.mode not in ("RGB", "RGBA"):
        original = original.convert("RGBA" if "A" in original.getbands() else "RGB")
    mask = open_png(mask_data, "mask").convert("L")
    notes: list[Note] = []
    if mask.size != original.size:
        mask = mask.resize(original.size, Image.Resampling.NEAREST)
        notes.append(note("mask_resized"))
    box = mask.getbbox()
    if box is None:
        return original.copy(), [note("mask_empty"), note("edit_unchanged")]
    width, height = original.size
    scene = _scene_named(plan)
    if scene:
        # A new sky, ground or weather: paint the whole scene, the mask keeps only its part.
        scene_plan = ScenePlan(prompt=plan.prompt, setting=plan.setting, time=plan.time, weather=plan.weather,
                               landmarks=plan.landmarks)  # fmt: skip
        painted = render(scene_plan, width, height, rng).convert(original.mode)
    else:
        painted = original.copy()
    things = [*plan.landmarks, *plan.items]
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    copies = [item for item in things for _ in range(max(1, min(item.count, 6)))]
    for k, item in enumerate(copies):
        slot_w = bw / len(copies)
        # Things named alone fill the painted part; with a new scene they keep their natural size.
        natural = min(width, height) * 0.25 * item.thing.scale * 1.6 if scene else float(bh)
        h = min(bh * 0.85, slot_w * 1.1 / max(0.4, 1.0 if not item.thing.silhouette else 1.5), natural)
        h *= rng.sub(f"edit{k}").uniform(0.85, 1.0)
        picture = thing_image(item.thing, h, colour=item.colour)
        if picture is None:
            continue
        if picture.width > slot_w:
            scale = slot_w / picture.width
            picture = picture.resize((max(1, int(picture.width * scale)), max(1, int(picture.height * scale))))
        cx = x0 + slot_w * (k + 0.5)
        left, top = int(cx - picture.width / 2), int(y0 + (bh + picture.height) / 2 - picture.height)
        painted.paste(picture, (left, top), picture)
    # Outside the mask (0) the original pixels are copied as they are.
    result = Image.composite(painted, original, mask)
    if result.tobytes() == original.tobytes():
        notes.append(note("edit_unchanged"))
    return result, notes


def read_record(image: Image.Image) -> dict[str, Any]:
    """The plan inputs this engine stored in a PNG text chunk, or the app's record, or {}."""
    for key in ("storybook", "edu4all"):
        raw = image.info.get(key)
        if isinstance(raw, str):
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            if isinstance(data, dict):
                if key == "edu4all":
                    if data.get("engine") != "storybook":
                        # Another engine's picture: vary its pixels rather than repaint its prompt.
                        return {}
                    found = data.get("extra")
                    extra: dict[str, Any] = found if isinstance(found, dict) else {}
                    data = {
                        "prompt": data.get("prompt_sent") or data.get("prompt_typed") or "",
                        # The batch's seed: a picture reports its own seed, the batch seed is in extra.
                        "seed": extra.get("batch_seed", data.get("seed")),
                        "temperature": data.get("temperature"),
                        "index": extra.get("batch_index", 0),
                        "operation": data.get("operation"),
                    }
                return data
    return {}


def shift_palette(image: Image.Image, hue: float, saturation: float) -> Image.Image:
    """Turn every colour's hue by ``hue`` (a fraction of the circle) and scale its saturation."""
    hsv = np.asarray(image.convert("RGB").convert("HSV")).copy()
    hsv[..., 0] = (hsv[..., 0].astype(np.int16) + int(round(hue * 255))) % 256
    hsv[..., 1] = np.clip(hsv[..., 1].astype(np.float32) * saturation, 0, 255).astype(np.uint8)
    return Image.fromarray(hsv, "HSV").convert("RGB")


def vary_image(
    image_data: bytes, prompt: str, strength: float, seed: int, index: int
) -> tuple[Image.Image, ScenePlan | None, dict[str, Any]]:
    """A variation: the stored (or given) prompt re-painted with randomness moved by ``strength``."""
    source = open_png(image_data)
    record = read_record(source)
    text = str(record.get("prompt") or prompt or "")
    size = source.size
    own = Blend(seed, index + 1, 1.0)
    palette = own.sub("palette")
    hue = palette.uniform(-0.12, 0.12) * strength
    saturation = 1.0 + palette.uniform(-0.25, 0.25) * strength
    if not text or record.get("operation") == "edit":
        # Not a picture this engine planned (or an edited one): vary the pixels themselves.
        picture = source.convert("RGB")
        if strength > 0.5 and own.chance(0.5 + strength / 2):
            picture = picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        out = shift_palette(picture, hue, saturation) if strength > 0 else picture
        return out, None, {"operation": "vary", "prompt": text, "seed": seed, "strength": strength}
    try:
        base_seed, base_index = int(record.get("seed") or 0), int(record.get("index") or 0)
        base_t = float(record.get("temperature") or 0.0)
    except (TypeError, ValueError):
        base_seed, base_index, base_t = seed, 0, 0.0
    base = Blend(base_seed, base_index, base_t)
    plan = plan_scene(text)
    picture = render(plan, size[0], size[1], Mix(base, own, strength))
    if strength >= 0.5 and own.sub("mirror").chance(strength * 0.6):
        # A mirrored scene is a bigger change of arrangement than any single layout draw.
        picture = picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if strength > 0:
        picture = shift_palette(picture, hue, saturation)
    return picture, plan, {"operation": "vary", "prompt": text, "seed": seed, "strength": strength,
                           "source_seed": record.get("seed")}  # fmt: skip
