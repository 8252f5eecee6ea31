"""The painted scene behind the glyphs: sky, sun or moon, far scenery, ground, and weather.

Everything here is drawn with Pillow primitives and numpy gradients, sized in fractions of the
picture so that any size from 256 to 1024 px looks the same. Soft effects (glow, fog) are drawn
small and scaled up, which is both faster than blurring and smoother.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from lib.engines.storybook import glyphs, rooms
from lib.engines.storybook.randomness import Blend

RGB = tuple[int, int, int]

SKIES: dict[str, list[RGB]] = {
    "dawn": [(120, 150, 215), (250, 190, 170), (255, 228, 175)],
    "morning": [(105, 165, 240), (185, 220, 250)],
    "noon": [(70, 140, 235), (170, 210, 250)],
    "sunset": [(60, 60, 135), (230, 110, 90), (255, 185, 95)],
    "night": [(6, 10, 36), (28, 38, 90)],
}
STORM_SKY: list[RGB] = [(55, 60, 75), (110, 115, 130)]
GROUNDS: dict[str, tuple[RGB, RGB]] = {
    "meadow": ((120, 190, 80), (70, 150, 55)),
    "forest": ((85, 150, 70), (50, 110, 45)),
    "beach": ((240, 220, 170), (225, 200, 145)),
    "desert": ((235, 195, 130), (215, 160, 95)),
    "city": ((175, 175, 180), (130, 130, 138)),
    "snow": ((240, 245, 252), (215, 228, 245)),
    "sea": ((60, 130, 200), (30, 90, 170)),
    "mountains": ((115, 175, 85), (75, 135, 60)),
    "moon": ((175, 175, 180), (120, 120, 128)),
    "space": ((150, 140, 150), (100, 95, 105)),
    "underwater": ((230, 210, 160), (205, 185, 130)),
}


def _gradient(width: int, height: int, stops: list[RGB]) -> Image.Image:
    """A vertical gradient through ``stops`` (a 1-px column, stretched: fast at any width)."""
    y = np.linspace(0.0, 1.0, max(2, height))
    xs = np.linspace(0.0, 1.0, len(stops))
    column = np.stack([np.interp(y, xs, [c[k] for c in stops]) for k in range(3)], axis=1)
    strip = Image.fromarray(column.astype(np.uint8).reshape(height, 1, 3), "RGB")
    return strip.resize((width, height), Image.Resampling.NEAREST)


def _shift(colour: RGB, amount: float) -> RGB:
    """Lighten (amount > 0) or darken a colour by a fraction."""
    if amount >= 0:
        return tuple(int(c + (255 - c) * amount) for c in colour)  # type: ignore[return-value]
    return tuple(int(c * (1 + amount)) for c in colour)  # type: ignore[return-value]


def paint_sky(canvas: Image.Image, horizon: int, time: str, weather: list[str], rng: Blend) -> None:
    """Sky gradient, sun or moon and stars, rainbow and clouds above ``horizon``."""
    width, height = canvas.size
    stops = STORM_SKY if "storm" in weather else list(SKIES.get(time, SKIES["noon"]))
    if ("cloudy" in weather or "rain" in weather or "fog" in weather) and "storm" not in weather:
        stops = [tuple((c * 2 + 170) // 3 for c in s) for s in stops]  # type: ignore[misc]
    jitter = rng.uniform(-0.08, 0.08)
    stops = [_shift(s, jitter) for s in stops]
    canvas.paste(_gradient(width, max(horizon, 2), stops), (0, 0))
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    if time == "night" or "storm" in weather:
        stars = rng.sub("stars").uniforms(240).reshape(80, 3)
        for sx, sy, sz in stars if time == "night" else []:
            r = max(1, unit * (0.002 + 0.004 * sz))
            x, y = sx * width, sy * horizon * 0.95
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 230, 150 + int(100 * sz)))
    if "storm" not in weather:
        _sun_or_moon(canvas, horizon, time, rng.sub("sun"))
    if "rainbow" in weather:
        _rainbow(canvas, horizon, rng.sub("rainbow"))
    clouds = {"cloudy": 6, "rain": 6, "storm": 7}.get(
        next((w for w in weather if w in ("cloudy", "rain", "storm")), "")
    )
    if clouds is None:
        clouds = 2 if time in ("noon", "morning") else 1 if time == "dawn" else 0
    dark = "storm" in weather or "rain" in weather
    crng = rng.sub("clouds")
    for _ in range(clouds):
        cx, cy, cs = crng.uniform(-0.05, 1.05) * width, crng.uniform(0.08, 0.55) * horizon, crng.uniform(0.7, 1.3)
        _cloud(draw, cx, cy, unit * 0.09 * cs, (95, 98, 110, 235) if dark else (255, 255, 255, 225))


def _sun_or_moon(canvas: Image.Image, horizon: int, time: str, rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    x = rng.uniform(0.15, 0.85) * width
    place = {"dawn": 0.62, "morning": 0.4, "noon": 0.18, "sunset": 0.66, "night": 0.22}[time] if time in SKIES else 0.2
    y = horizon * (place + rng.uniform(-0.06, 0.06))
    if time == "night":
        colour, glow, r = (250, 245, 215), (200, 210, 255), unit * 0.06
    elif time in ("dawn", "sunset"):
        colour, glow, r = (255, 215, 120) if time == "dawn" else (255, 150, 70), (255, 200, 140), unit * 0.085
    else:
        colour, glow, r = (255, 240, 140), (255, 250, 210), unit * 0.07
    # The glow: a soft disc drawn small and scaled up (no full-size blur).
    small = 48
    halo = Image.new("L", (small, small), 0)
    ImageDraw.Draw(halo).ellipse((13, 13, small - 13, small - 13), fill=170)
    halo = halo.filter(ImageFilter.GaussianBlur(5)).resize((int(r * 5), int(r * 5)), Image.Resampling.BILINEAR)
    canvas.paste(Image.new("RGB", halo.size, glow), (int(x - r * 2.5), int(y - r * 2.5)), halo)
    draw = ImageDraw.Draw(canvas, "RGBA")
    draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    if time == "night":
        for dx, dy, cr in ((-0.3, -0.2, 0.22), (0.25, 0.15, 0.16), (-0.1, 0.4, 0.12)):
            draw.ellipse((x + dx * r - cr * r, y + dy * r - cr * r, x + dx * r + cr * r, y + dy * r + cr * r),
                         fill=(225, 220, 195, 255))  # fmt: skip
    # Below the horizon the ground hides the rest of a low sun; the ground is painted later.


def _rainbow(canvas: Image.Image, horizon: int, rng: Blend) -> None:
    width, _ = canvas.size
    draw = ImageDraw.Draw(canvas, "RGBA")
    cx = rng.uniform(0.3, 0.7) * width
    radius = rng.uniform(0.55, 0.75) * width
    band = max(2, int(width * 0.018))
    colours = [(230, 50, 50), (245, 140, 40), (250, 220, 50), (70, 180, 70), (60, 120, 230), (90, 60, 180),
               (150, 70, 190)]  # fmt: skip
    for k, colour in enumerate(colours):
        r = radius - k * band
        draw.arc((cx - r, horizon - r, cx + r, horizon + r), 180, 360, fill=(*colour, 170), width=band)


def _cloud(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, fill: tuple[int, int, int, int]) -> None:
    for dx, dy, k in ((-1.1, 0.2, 0.7), (0.0, -0.2, 1.0), (1.1, 0.15, 0.75), (0.5, 0.35, 0.7), (-0.5, 0.35, 0.7)):
        rr = r * k
        draw.ellipse((x + dx * r - rr, y + dy * r - rr, x + dx * r + rr, y + dy * r + rr), fill=fill)


def paint_far(canvas: Image.Image, horizon: int, setting: str, time: str, rng: Blend) -> None:
    """Scenery on the horizon: mountains, a skyline, a tree line, the sea, dunes."""
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    dim = 0.55 if time == "night" else 1.0
    if setting in ("mountains", "snow", "meadow") and (setting != "meadow" or rng.chance(0.5)):
        peaks = rng.sub("peaks").uniforms(12)
        points = [(0.0, float(horizon))]
        tall = 0.55 if setting == "mountains" else 0.3
        for k in range(6):
            points.append(((k + peaks[k] * 0.8) * width / 5.5, horizon - horizon * tall * (0.4 + 0.6 * peaks[k + 6])))
            points.append(((k + 0.5 + peaks[k] * 0.5) * width / 5.5, horizon - horizon * tall * 0.2))
        points.append((float(width), float(horizon)))
        base = (120, 135, 160) if setting != "meadow" else (140, 170, 150)
        draw.polygon(points, fill=tuple(int(c * dim) for c in base))
        if setting != "meadow":
            for px, py in points[1:-1:2]:
                s = (horizon - py) * 0.28
                draw.polygon([(px, py), (px - s * 0.9, py + s), (px + s * 0.9, py + s)], fill=(250, 250, 255))
    elif setting == "city":
        brng = rng.sub("skyline")
        x = -brng.uniform(0, 0.05) * width
        while x < width:
            w = brng.uniform(0.06, 0.12) * width
            h = brng.uniform(0.1, 0.32) * horizon
            shade = int(brng.uniform(130, 175) * dim)
            draw.rectangle((x, horizon - h, x + w, horizon), fill=(shade, shade, shade + 12))
            lit = (255, 225, 120) if time in ("night", "sunset") else (200, 220, 240)
            step = max(4, unit * 0.025)
            for wy in np.arange(horizon - h + step * 0.6, horizon - step * 0.5, step):
                for wx in np.arange(x + step * 0.4, x + w - step * 0.5, step):
                    draw.rectangle((wx, wy, wx + step * 0.45, wy + step * 0.5), fill=lit)
            x += w * brng.uniform(0.85, 1.05)
    elif setting == "forest":
        frng = rng.sub("treeline").uniforms(30)
        for k in range(15):
            size = int(horizon * (0.22 + 0.16 * frng[k]))
            tree = glyphs.glyph("🌲" if frng[k + 15] < 0.7 else "🌳", size)
            if tree is not None:
                canvas.paste(tree, (int((k / 14) * width - tree.width / 2), horizon - size + int(size * 0.08)), tree)
    elif setting == "desert":
        draw.ellipse((-0.3 * width, horizon - 0.06 * height, 0.6 * width, horizon + 0.1 * height), fill=(225, 180, 115))
        draw.ellipse((0.35 * width, horizon - 0.045 * height, 1.4 * width, horizon + 0.1 * height),
                     fill=(230, 188, 120))  # fmt: skip


def paint_ground(canvas: Image.Image, horizon: int, setting: str, time: str, rng: Blend) -> None:
    """The ground below ``horizon``, with a texture that says what it is."""
    width, height = canvas.size
    room = rooms.ROOMS.get(setting)
    top, bottom = room.floor if room else GROUNDS.get(setting, GROUNDS["meadow"])
    if time == "night":
        top, bottom = _shift(top, -0.45), _shift(bottom, -0.45)
    elif time in ("dawn", "sunset"):
        top, bottom = _shift(top, -0.1), _shift(bottom, -0.15)
    canvas.paste(_gradient(width, height - horizon, [top, bottom]), (0, horizon))
    draw = ImageDraw.Draw(canvas, "RGBA")
    unit = min(width, height)
    marks = rng.sub("texture").uniforms(600).reshape(200, 3)
    if setting in ("meadow", "forest", "mountains"):
        blade = _shift(bottom, -0.25)
        for mx, my, mz in marks:
            x, y = mx * width, horizon + (my**0.8) * (height - horizon)
            length = unit * (0.01 + 0.025 * my) * (0.6 + mz)
            draw.line((x, y, x + (mz - 0.5) * length * 0.6, y - length), fill=(*blade, 200), width=max(1, unit // 350))
    elif setting in ("beach", "desert", "moon", "space", "underwater"):
        dot = _shift(bottom, -0.18)
        for mx, my, mz in marks[:140]:
            x, y = mx * width, horizon + my * (height - horizon)
            r = unit * (0.002 + 0.004 * mz) * (1 + my) * (4 if setting in ("moon", "space") else 1)
            draw.ellipse((x - r * 1.6, y - r, x + r * 1.6, y + r), fill=(*dot, 150))
    elif setting == "sea":
        crest = _shift(top, 0.35)
        for mx, my, mz in marks[:120]:
            x, y = mx * width, horizon + my * (height - horizon)
            w = unit * (0.02 + 0.04 * my) * (0.6 + mz)
            draw.arc((x - w, y - w * 0.3, x + w, y + w * 0.3), 200, 340, fill=(*crest, 200), width=max(1, unit // 250))
    elif setting == "city":
        lane = (235, 235, 235, 220)
        y = horizon + (height - horizon) * 0.55
        for k in range(8):
            draw.rectangle((k * width / 7, y, k * width / 7 + width / 14, y + unit * 0.012), fill=lane)
    elif setting == "snow":
        for mx, my, mz in marks[:60]:
            x, y = mx * width, horizon + my * (height - horizon)
            w = unit * 0.05 * (0.5 + mz)
            draw.arc((x - w, y - w * 0.25, x + w, y + w * 0.25), 200, 340, fill=(180, 195, 225, 200), width=2)
    elif room is not None:
        # Floor boards (or tiles) running towards the viewer.
        seam = (*_shift(bottom, -0.2), 120)
        for k in range(-6, 14):
            x = width * k / 8
            draw.line((width / 2 + (x - width / 2) * 0.45, horizon, x, height), fill=seam, width=max(1, unit // 300))
    if setting == "beach":
        sea_h = int((height - horizon) * 0.28)
        canvas.paste(_gradient(width, sea_h, [(60, 140, 205), (90, 175, 215)]), (0, horizon))
        draw.line((0, horizon + sea_h, width, horizon + sea_h), fill=(255, 255, 255, 220), width=max(2, unit // 120))
