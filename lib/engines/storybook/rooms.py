"""Rooms: a back wall with a window (the sky painted earlier shows through it), a floor, and the
furniture that says which room it is (a stove in a kitchen, a blackboard in a classroom...).

Each room is a wall colour, a floor colour and a painter for its furniture. Furniture stands
against the back wall, so the things the prompt names stand in front of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

from lib.engines.storybook import glyphs
from lib.engines.storybook.randomness import Blend

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Room:
    """How one room looks: its wall, its floor and what is in it."""

    wall: RGB
    floor: tuple[RGB, RGB]
    furnish: Callable[[Image.Image, int, tuple[float, float], Blend], None]
    window: bool = True


def _prop(canvas: Image.Image, text: str, x: float, feet: float, height: float) -> None:
    """One emoji piece of furniture, standing with its feet at ``feet``."""
    image = glyphs.glyph(text, int(height))
    if image is not None:
        canvas.paste(image, (int(x - image.width / 2), int(feet - image.height)), image)


def _tiles(
    draw: ImageDraw.ImageDraw,
    y0: float,
    y1: float,
    width: int,
    step: float,
    colour: RGB,
    window: tuple[float, float],
    window_bottom: float,
) -> None:
    """Wall tiles from y0 to y1, leaving the window clear."""
    step = max(4.0, step)
    y = y0
    while y + 3 < y1:
        x = 0.0
        while x < width:
            if not (window[0] - step < x < window[1] and y < window_bottom):
                draw.rectangle((x, y, x + step - 2, max(y, min(y1, y + step) - 2)), fill=colour)
            x += step
        y += step


def _shelves(
    draw: ImageDraw.ImageDraw, x0: float, x1: float, y0: float, y1: float, rows: int, unit: int
) -> list[float]:
    """Wooden shelves between x0 and x1; returns the y of each shelf board."""
    boards = []
    for row in range(rows):
        y = y0 + (row + 1) * (y1 - y0) / rows
        draw.rectangle((x0, y - unit * 0.012, x1, y), fill=(120, 80, 50))
        boards.append(y - unit * 0.012)
    return boards


def _library(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    shelf_x1 = window[0] - width * 0.05
    books = rng.sub("books").uniforms(200)
    palette = [(190, 60, 50), (60, 110, 170), (70, 140, 80), (220, 170, 60), (130, 80, 150), (200, 110, 60)]
    k = 0
    top = height * 0.12
    rows = 4
    for board in _shelves(draw, width * 0.05, shelf_x1, top, horizon, rows, unit):
        x = width * 0.06
        while x < shelf_x1 - unit * 0.03 and k < 190:
            bw = unit * (0.014 + 0.014 * books[k])
            bh = (horizon - top) / rows * (0.55 + 0.3 * books[k + 1])
            draw.rectangle((x, board - bh, x + bw, board), fill=palette[int(books[k] * 6) % 6])
            x += bw + 1
            k += 2


def _kitchen(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    # Tiles behind the counter, the counter itself, a fridge on the left.
    counter = horizon - (horizon - height * 0.1) * 0.3
    _tiles(draw, counter - unit * 0.15, counter, width, unit * 0.05, (225, 235, 240), window, horizon * 0.75)
    draw.rectangle((0, counter, width, horizon), fill=(200, 150, 100))
    draw.rectangle((0, counter, width, counter + unit * 0.025), fill=(90, 90, 100))
    draw.rectangle((width * 0.03, height * 0.14, width * 0.2, horizon), fill=(235, 240, 245), outline=(150, 155, 165),
                   width=max(2, unit // 150))  # fmt: skip
    draw.line(
        (width * 0.03, height * 0.36, width * 0.2, height * 0.36), fill=(150, 155, 165), width=max(2, unit // 150)
    )
    _prop(canvas, "🍳", width * 0.32, counter + unit * 0.01, unit * 0.09)
    _prop(canvas, "🫖", width * 0.44, counter + unit * 0.01, unit * 0.08)
    _prop(canvas, "🥣", window[1] - width * 0.05, counter + unit * 0.01, unit * 0.06)
    _prop(canvas, "🍅", window[0] + width * 0.04, counter + unit * 0.01, unit * 0.05)


def _classroom(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    x0, x1, y0, y1 = width * 0.06, window[0] - width * 0.06, height * 0.12, horizon * 0.62
    draw.rectangle((x0, y0, x1, y1), fill=(45, 95, 70), outline=(150, 105, 70), width=max(3, unit // 70))
    chalk = rng.sub("chalk").uniforms(12)
    for k in range(3):
        ly = y0 + (k + 1) * (y1 - y0) / 4
        draw.line((x0 + unit * 0.04, ly, x0 + (x1 - x0) * (0.4 + 0.5 * chalk[k]), ly), fill=(235, 240, 235),
                  width=max(1, unit // 200))  # fmt: skip
    _prop(canvas, "🕒", window[0] + (window[1] - window[0]) / 2, height * 0.09, unit * 0.07)
    for k, x in enumerate((0.2, 0.5, 0.8)):
        dx = x * width
        draw.rectangle((dx - unit * 0.09, horizon - unit * 0.1, dx + unit * 0.09, horizon - unit * 0.085),
                       fill=(170, 120, 70))  # fmt: skip
        for leg in (-0.08, 0.08):
            draw.rectangle(
                (dx + leg * unit - 2, horizon - unit * 0.085, dx + leg * unit + 2, horizon), fill=(120, 80, 50)
            )
        _prop(canvas, ("📚", "✏️", "🌍")[k], dx, horizon - unit * 0.1, unit * 0.06)


def _bedroom(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    # Wallpaper stripes, a picture on the wall, the bed and a lamp.
    for k in range(0, int(width / (unit * 0.06)) + 1):
        x = k * unit * 0.06
        draw.rectangle((x, 0, x + unit * 0.02, horizon), fill=(255, 255, 255, 40))
    _prop(canvas, "🖼️", width * 0.25, horizon * 0.45, unit * 0.14)
    _prop(canvas, "🛏️", width * 0.3, horizon + unit * 0.02, unit * 0.24)
    _prop(canvas, "🪔", window[1] - width * 0.02, horizon, unit * 0.07)


def _bathroom(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    _tiles(draw, horizon * 0.45, horizon, width, unit * 0.06, (200, 230, 240), window, horizon * 0.75)
    _prop(canvas, "🪞", width * 0.32, horizon * 0.5, unit * 0.13)
    _prop(canvas, "🛁", width * 0.24, horizon + unit * 0.02, unit * 0.2)
    _prop(canvas, "🚽", window[0] + (window[1] - window[0]) * 0.3, horizon + unit * 0.01, unit * 0.13)
    _prop(canvas, "🧼", window[0] + (window[1] - window[0]) * 0.75, horizon, unit * 0.05)


def _museum(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    colours = rng.sub("paintings").uniforms(9)
    palette = [(200, 80, 60), (70, 120, 190), (240, 190, 70), (90, 160, 90), (160, 90, 170)]
    for k, x in enumerate((0.08, 0.3, 0.52, 0.74)):
        fx0, fy0 = x * width, height * 0.14
        fx1, fy1 = fx0 + width * 0.17, fy0 + horizon * (0.3 + 0.08 * colours[k])
        draw.rectangle((fx0, fy0, fx1, fy1), fill=(200, 160, 60))
        inset = unit * 0.015
        draw.rectangle((fx0 + inset, fy0 + inset, fx1 - inset, fy1 - inset), fill=palette[int(colours[k + 4] * 5) % 5])
        draw.ellipse((fx0 + (fx1 - fx0) * 0.3, fy0 + (fy1 - fy0) * 0.3, fx0 + (fx1 - fx0) * 0.6,
                      fy0 + (fy1 - fy0) * 0.6), fill=(255, 240, 200, 200))  # fmt: skip
    # A vase on a white pedestal, and the red rope that keeps visitors back.
    px = width * 0.86
    draw.rectangle((px - unit * 0.04, horizon - unit * 0.14, px + unit * 0.04, horizon), fill=(245, 245, 245))
    _prop(canvas, "🏺", px, horizon - unit * 0.14, unit * 0.1)
    rope_y = horizon - unit * 0.05
    draw.line((width * 0.05, rope_y, width * 0.75, rope_y), fill=(180, 30, 40), width=max(2, unit // 120))


def _shop(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    goods = ["🍎", "🥫", "🍞", "🧃", "🥛", "🍌", "🧀", "🥕"]
    pick = rng.sub("goods").uniforms(24)
    boards = _shelves(draw, width * 0.04, window[0] - width * 0.04, height * 0.1, horizon, 3, unit)
    k = 0
    for board in boards:
        x = width * 0.08
        while x < window[0] - width * 0.08:
            _prop(canvas, goods[int(pick[k % 24] * len(goods)) % len(goods)], x, board, unit * 0.06)
            x += unit * 0.075
            k += 1
    _prop(canvas, "🛒", window[1] - width * 0.04, horizon + unit * 0.01, unit * 0.12)


def _restaurant(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    # A menu board and two tables with cloths, plates and candles.
    mx0, my0 = width * 0.08, height * 0.12
    draw.rectangle((mx0, my0, window[0] - width * 0.1, horizon * 0.5), fill=(50, 45, 45), outline=(150, 105, 70),
                   width=max(3, unit // 80))  # fmt: skip
    for k in range(3):
        ly = my0 + (k + 1) * (horizon * 0.5 - my0) / 4
        draw.line((mx0 + unit * 0.03, ly, mx0 + width * 0.2, ly), fill=(240, 230, 200), width=max(1, unit // 220))
    for x in (0.22, 0.72):
        tx = x * width
        draw.rectangle((tx - unit * 0.12, horizon - unit * 0.1, tx + unit * 0.12, horizon - unit * 0.02),
                       fill=(245, 245, 245))  # fmt: skip
        for check in range(6):
            cx = tx - unit * 0.12 + check * unit * 0.04
            draw.rectangle((cx, horizon - unit * 0.1, cx + unit * 0.02, horizon - unit * 0.02), fill=(210, 60, 60))
        _prop(canvas, "🍽️", tx - unit * 0.04, horizon - unit * 0.095, unit * 0.05)
        _prop(canvas, "🕯️", tx + unit * 0.06, horizon - unit * 0.095, unit * 0.06)


def _hospital(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    # A red cross on the wall, a bed with white sheets, a medicine cupboard.
    cx, cy, arm = width * 0.25, horizon * 0.35, unit * 0.05
    draw.rectangle((cx - arm * 0.35, cy - arm, cx + arm * 0.35, cy + arm), fill=(220, 40, 50))
    draw.rectangle((cx - arm, cy - arm * 0.35, cx + arm, cy + arm * 0.35), fill=(220, 40, 50))
    bx0, bx1 = width * 0.08, width * 0.45
    draw.rectangle(
        (bx0, horizon - unit * 0.1, bx1, horizon - unit * 0.06), fill=(250, 250, 252), outline=(160, 170, 180)
    )
    draw.rectangle((bx0, horizon - unit * 0.16, bx0 + unit * 0.02, horizon), fill=(160, 170, 180))
    draw.rectangle((bx1 - unit * 0.02, horizon - unit * 0.13, bx1, horizon), fill=(160, 170, 180))
    draw.rectangle((bx0 + unit * 0.03, horizon - unit * 0.125, bx0 + unit * 0.11, horizon - unit * 0.1),
                   fill=(220, 235, 250))  # fmt: skip
    _prop(canvas, "🩺", window[0] + (window[1] - window[0]) * 0.3, horizon, unit * 0.07)
    _prop(canvas, "💊", window[0] + (window[1] - window[0]) * 0.7, horizon, unit * 0.05)


def _station(canvas: Image.Image, horizon: int, window: tuple[float, float], rng: Blend) -> None:
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    # A platform edge with its yellow line, the rails, a train waiting and the station clock.
    rail_y = horizon - unit * 0.03
    draw.rectangle((0, rail_y - unit * 0.005, width, rail_y + unit * 0.005), fill=(90, 90, 95))
    _prop(canvas, "🚆", width * 0.3, rail_y, unit * 0.26)
    draw.rectangle((0, horizon - unit * 0.012, width, horizon), fill=(240, 200, 40))
    _prop(canvas, "🕰️", width * 0.62, height * 0.13, unit * 0.08)
    _prop(canvas, "🚉", width * 0.75, horizon * 0.95, unit * 0.09)


ROOMS: dict[str, Room] = {
    "library": Room((238, 222, 190), ((160, 110, 70), (125, 80, 50)), _library),
    "kitchen": Room((250, 240, 215), ((205, 190, 170), (170, 150, 130)), _kitchen),
    "classroom": Room((240, 230, 200), ((185, 140, 95), (150, 105, 65)), _classroom),
    "bedroom": Room((200, 190, 235), ((175, 120, 85), (140, 90, 60)), _bedroom),
    "bathroom": Room((235, 245, 250), ((210, 220, 228), (180, 192, 205)), _bathroom),
    "museum": Room((236, 230, 222), ((190, 180, 170), (150, 140, 130)), _museum),
    "shop": Room((250, 235, 200), ((215, 210, 200), (180, 175, 165)), _shop),
    "restaurant": Room((175, 80, 60), ((140, 95, 60), (105, 70, 45)), _restaurant),
    "hospital": Room((220, 240, 228), ((225, 230, 232), (195, 202, 206)), _hospital),
    "station": Room((205, 200, 190), ((170, 170, 172), (135, 135, 140)), _station),
}


def paint(canvas: Image.Image, horizon: int, room: str, rng: Blend) -> None:
    """The room's wall around a window, its skirting board and its furniture (not the floor)."""
    spec = ROOMS[room]
    width, height = canvas.size
    unit = min(width, height)
    draw = ImageDraw.Draw(canvas, "RGBA")
    wx0, wx1 = width * rng.uniform(0.55, 0.62), width * 0.9
    wy0, wy1 = height * 0.1, horizon * 0.75
    for box in ((0, 0, width, wy0), (0, 0, wx0, horizon), (wx1, 0, width, horizon), (0, wy1, width, horizon)):
        draw.rectangle(box, fill=spec.wall)
    draw.rectangle((wx0, wy0, wx1, wy1), outline=(150, 105, 70), width=max(3, unit // 60))
    draw.line(((wx0 + wx1) / 2, wy0, (wx0 + wx1) / 2, wy1), fill=(150, 105, 70), width=max(2, unit // 90))
    spec.furnish(canvas, horizon, (wx0, wx1), rng.sub(room))
    draw.rectangle((0, horizon - unit * 0.01, width, horizon), fill=tuple(int(c * 0.6) for c in spec.floor[1]))
