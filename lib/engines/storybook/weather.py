"""Weather and special places painted over or instead of the open-air scene.

Fog comes in two layers (a thick one over the distance, a thin one over everything) so that far
things fade more than near ones; rain, snow and lightning go on top of everything.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from lib.engines.storybook.randomness import Blend


def fog(canvas: Image.Image, horizon: int, rng: Blend, *, strength: float) -> None:
    """White haze, thickest just above the horizon, with soft drifting banks."""
    width, height = canvas.size
    sw, sh = 48, 48
    y = np.linspace(0, 1, sh)[:, None]
    h = horizon / height
    profile = np.exp(-(((y - h) / 0.22) ** 2)) * 0.7 + 0.2
    alpha = np.repeat(profile, sw, axis=1)
    banks = rng.uniforms(18).reshape(6, 3)
    xx = np.linspace(0, 1, sw)[None, :]
    for bx, by, bs in banks:
        cy = h + (by - 0.3) * 0.5
        alpha += 0.35 * np.exp(-(((xx - bx) / (0.25 + 0.2 * bs)) ** 2) - ((y - cy) / 0.07) ** 2)
    mask = Image.fromarray(np.clip(alpha * 255 * strength, 0, 255).astype(np.uint8), "L")
    mask = mask.filter(ImageFilter.GaussianBlur(1.5)).resize((width, height), Image.Resampling.BILINEAR)
    canvas.paste(Image.new("RGB", (width, height), (236, 238, 242)), (0, 0), mask)


def rain(canvas: Image.Image, rng: Blend, *, heavy: bool) -> None:
    """Slanted blue-grey streaks."""
    width, height = canvas.size
    draw = ImageDraw.Draw(canvas, "RGBA")
    n = 220 if heavy else 150
    drops = rng.uniforms(n * 3).reshape(n, 3)
    unit = min(width, height)
    line = max(1, unit // 300)
    for dx, dy, dz in drops:
        x, y, length = dx * width * 1.1, dy * height, unit * (0.03 + 0.03 * dz)
        draw.line((x, y, x - length * 0.25, y + length), fill=(200, 215, 240, 170), width=line)


def snow(canvas: Image.Image, rng: Blend) -> None:
    """Falling flakes of a few sizes."""
    width, height = canvas.size
    draw = ImageDraw.Draw(canvas, "RGBA")
    flakes = rng.uniforms(200 * 3).reshape(200, 3)
    unit = min(width, height)
    for fx, fy, fz in flakes:
        r = unit * (0.003 + 0.007 * fz)
        x, y = fx * width, fy * height
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 200 + int(55 * fz)))


def lightning(canvas: Image.Image, horizon: int, rng: Blend) -> None:
    """One zig-zag bolt from the clouds towards the horizon, with a faint flash."""
    width, height = canvas.size
    draw = ImageDraw.Draw(canvas, "RGBA")
    x = rng.uniform(0.2, 0.8) * width
    y = horizon * 0.12
    points = [(x, y)]
    steps = 6
    for _ in range(steps):
        x += rng.uniform(-0.06, 0.06) * width
        y += (horizon * 0.85 - horizon * 0.12) / steps
        points.append((x, y))
    unit = min(width, height)
    draw.line(points, fill=(255, 250, 200, 120), width=max(3, unit // 50))
    draw.line(points, fill=(255, 255, 235, 255), width=max(2, unit // 130))


def underwater(canvas: Image.Image, rng: Blend) -> int:
    """Blue water over everything, light rays, bubbles and seaweed; returns the sea floor's y."""
    from lib.engines.storybook import glyphs
    from lib.engines.storybook.scenery import _gradient, paint_ground

    width, height = canvas.size
    floor = int(height * 0.82)
    canvas.paste(_gradient(width, floor, [(40, 150, 210), (15, 70, 150)]), (0, 0))
    draw = ImageDraw.Draw(canvas, "RGBA")
    rays = rng.sub("rays").uniforms(8)
    for k in range(4):
        x = rays[k] * width
        draw.polygon([(x, 0), (x + width * 0.08, 0), (x + width * (0.2 + rays[k + 4] * 0.1), floor),
                      (x + width * 0.1, floor)], fill=(255, 255, 255, 22))  # fmt: skip
    unit = min(width, height)
    paint_ground(canvas, floor, "underwater", "noon", rng.sub("sand"))
    weeds = rng.sub("weed").uniforms(12)
    for k in range(6):
        size = int(unit * (0.12 + 0.12 * weeds[k]))
        weed = glyphs.glyph("🪸" if weeds[k + 6] < 0.5 else "🌿", size)
        if weed is not None:
            canvas.paste(
                weed, (int(k / 5 * width * 0.95 - weed.width / 2 + width * 0.03), floor - int(size * 0.75)), weed
            )
    bubbles = rng.sub("bubbles").uniforms(60).reshape(20, 3)
    for bx, by, bz in bubbles:
        r = unit * (0.006 + 0.012 * bz)
        x, y = bx * width, by * floor
        draw.ellipse((x - r, y - r, x + r, y + r), outline=(220, 240, 255, 200), width=max(1, unit // 300))
    return floor


def indoors(canvas: Image.Image, horizon: int, rng: Blend) -> None:
    """A room with a window (the sky painted earlier shows through it) and shelves of books."""
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    wall = (238, 222, 190)
    wx0, wx1 = width * rng.uniform(0.55, 0.62), width * 0.9
    wy0, wy1 = height * 0.1, horizon * 0.75
    for box in ((0, 0, width, wy0), (0, 0, wx0, horizon), (wx1, 0, width, horizon), (0, wy1, width, horizon)):
        draw.rectangle(box, fill=wall)
    draw.rectangle((wx0, wy0, wx1, wy1), outline=(150, 105, 70), width=max(3, unit // 60))
    draw.line(((wx0 + wx1) / 2, wy0, (wx0 + wx1) / 2, wy1), fill=(150, 105, 70), width=max(2, unit // 90))
    shelf_w = wx0 - width * 0.1
    books = rng.sub("books").uniforms(200)
    palette = [(190, 60, 50), (60, 110, 170), (70, 140, 80), (220, 170, 60), (130, 80, 150), (200, 110, 60)]
    k = 0
    rows = 4
    for row in range(rows):
        y1 = height * 0.12 + row * (horizon - height * 0.12) / rows + (horizon - height * 0.12) / rows
        draw.rectangle((width * 0.05, y1 - unit * 0.012, width * 0.05 + shelf_w, y1), fill=(120, 80, 50))
        x = width * 0.06
        while x < width * 0.04 + shelf_w - unit * 0.03 and k < 190:
            bw = unit * (0.014 + 0.014 * books[k])
            bh = (horizon - height * 0.12) / rows * (0.55 + 0.3 * books[k + 1])
            draw.rectangle((x, y1 - unit * 0.012 - bh, x + bw, y1 - unit * 0.012), fill=palette[int(books[k] * 6) % 6])
            x += bw + 1
            k += 2
    draw.rectangle((0, horizon - unit * 0.01, width, horizon), fill=(110, 70, 45))
