"""Landmarks that no emoji shows, drawn as simple flat pictures a child can recognise.

Each drawing works in a unit box (x and y from 0 to 1, y down) scaled to the picture's size and
drawn at twice the size, then shrunk, so that edges are smooth. Results are cached (bounded).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable

from PIL import Image

from lib.engines.storybook.pen import CLEAR, Pen


def _eiffel(pen: Pen) -> None:
    body, light = (92, 72, 58), (150, 120, 95)
    pen.rect(0.485, 0.0, 0.515, 0.08, body)
    pen.poly([(0.46, 0.08), (0.54, 0.08), (0.585, 0.38), (0.415, 0.38)], body)
    pen.rect(0.37, 0.375, 0.63, 0.405, body)
    pen.poly([(0.405, 0.405), (0.595, 0.405), (0.71, 0.62), (0.29, 0.62)], body)
    pen.rect(0.22, 0.615, 0.78, 0.66, body)
    pen.poly([(0.27, 0.66), (0.73, 0.66), (0.99, 1.0), (0.01, 1.0)], body)
    pen.draw.pieslice((*pen.p(0.22, 0.76), *pen.p(0.78, 1.24)), 180, 360, fill=CLEAR)
    pen.rect(0.22, 1.0, 0.78, 1.0, CLEAR)
    for y0, y1, x0a, x1a, x0b, x1b in ((0.1, 0.37, 0.465, 0.535, 0.42, 0.58), (0.42, 0.6, 0.41, 0.59, 0.3, 0.7)):
        steps = 4
        for k in range(steps):
            ya, yb = y0 + (y1 - y0) * k / steps, y0 + (y1 - y0) * (k + 1) / steps
            la = x0a + (x0b - x0a) * k / steps
            lb = x0a + (x0b - x0a) * (k + 1) / steps
            ra = x1a + (x1b - x1a) * k / steps
            rb = x1a + (x1b - x1a) * (k + 1) / steps
            pen.line([(la, ya), (rb, yb)], light, 0.004)
            pen.line([(ra, ya), (lb, yb)], light, 0.004)
    pen.line([(0.3, 0.68), (0.12, 0.95)], light, 0.005)
    pen.line([(0.7, 0.68), (0.88, 0.95)], light, 0.005)


def _colosseum(pen: Pen) -> None:
    stone, dark, shade = (222, 196, 150), (112, 86, 62), (190, 160, 118)
    pen.poly([(0.0, 0.12), (0.62, 0.0), (0.7, 0.1), (0.78, 0.3), (0.88, 0.38), (1.0, 0.42), (1.0, 1.0), (0.0, 1.0)],
             stone)  # fmt: skip
    pen.poly([(0.0, 0.12), (0.08, 0.11), (0.08, 1.0), (0.0, 1.0)], shade)
    tiers = [(0.78, 1.0), (0.54, 0.76), (0.3, 0.52)]
    for ty0, ty1 in tiers:
        pen.rect(0.0, ty0 - 0.025, 1.0, ty0, shade)
        for k in range(12):
            x = 0.02 + k * 0.082
            top_limit = 0.12 - 0.12 * x / 0.62 if x < 0.62 else 0.1 + (x - 0.62) * 0.9
            if ty0 < top_limit + 0.05:
                continue
            pen.arch(x + 0.012, ty0 + 0.03, x + 0.058, ty1 - 0.015, dark)
    for k in range(14):
        x = 0.02 + k * 0.044
        if x < 0.6:
            pen.rect(x, 0.14 - 0.1 * x / 0.62, x + 0.018, 0.2 - 0.1 * x / 0.62, dark)


def _taj_mahal(pen: Pen) -> None:
    white, grey, shadow = (248, 248, 244), (205, 205, 212), (175, 175, 185)
    pen.rect(0.0, 0.9, 1.0, 1.0, grey)
    for x, top in ((0.05, 0.3), (0.95, 0.3), (0.17, 0.38), (0.83, 0.38)):
        pen.rect(x - 0.018, top, x + 0.018, 0.9, white)
        for ring in (0.45, 0.6, 0.75):
            pen.rect(x - 0.026, top + (0.9 - top) * (ring - 0.3), x + 0.026, top + (0.9 - top) * (ring - 0.3) + 0.012,
                     grey)  # fmt: skip
        pen.onion(x, top, 0.026, white, 0.8)
    pen.poly([(0.26, 0.5), (0.74, 0.5), (0.77, 0.54), (0.77, 0.9), (0.23, 0.9), (0.23, 0.54)], white)
    pen.arch(0.42, 0.56, 0.58, 0.88, grey)
    pen.arch(0.445, 0.6, 0.555, 0.88, shadow)
    for x in (0.28, 0.66):
        pen.arch(x, 0.58, x + 0.06, 0.7, grey)
        pen.arch(x, 0.75, x + 0.06, 0.88, grey)
    pen.rect(0.4, 0.42, 0.6, 0.5, white)
    pen.onion(0.5, 0.44, 0.135, white, 1.1)
    pen.line([(0.5, 0.04), (0.5, 0.12)], grey, 0.01)
    for x in (0.32, 0.68):
        pen.rect(x - 0.04, 0.42, x + 0.04, 0.5, white)
        pen.onion(x, 0.43, 0.045, white, 0.9)


def _pyramids(pen: Pen) -> None:
    lit, dark = (232, 190, 118), (182, 138, 78)
    for apex_x, apex_y, left, right in ((0.9, 0.58, 0.78, 1.0), (0.7, 0.22, 0.45, 0.96), (0.34, 0.0, 0.0, 0.7)):
        pen.poly([(left, 1.0), (apex_x, apex_y), (right, 1.0)], lit)
        pen.poly([(apex_x, apex_y), (right, 1.0), (apex_x + (right - apex_x) * 0.35, 1.0)], dark)
        for k in range(1, 6):
            y = apex_y + (1.0 - apex_y) * k / 6
            span = (y - apex_y) / (1.0 - apex_y)
            pen.line([(apex_x - (apex_x - left) * span, y), (apex_x + (right - apex_x) * span, y)], dark, 0.004)


def _big_ben(pen: Pen) -> None:
    stone, dark, roof = (212, 180, 118), (140, 108, 62), (70, 82, 78)
    pen.rect(0.2, 0.36, 0.8, 1.0, stone)
    for x in (0.3, 0.4, 0.5, 0.6, 0.7):
        pen.line([(x, 0.45), (x, 0.98)], dark, 0.004)
    pen.rect(0.12, 0.22, 0.88, 0.42, stone)
    pen.oval(0.2, 0.24, 0.8, 0.24 + 0.6 * pen.w / pen.h, (250, 248, 232))
    cy = 0.24 + 0.3 * pen.w / pen.h
    pen.line([(0.5, cy), (0.5, cy - 0.045)], (30, 30, 30), 0.008)
    pen.line([(0.5, cy), (0.66, cy + 0.01)], (30, 30, 30), 0.006)
    pen.rect(0.18, 0.13, 0.82, 0.22, stone)
    for x in (0.26, 0.42, 0.58, 0.74):
        pen.arch(x - 0.04, 0.145, x + 0.04, 0.21, dark)
    pen.poly([(0.14, 0.135), (0.86, 0.135), (0.5, 0.0)], roof)
    for x in (0.14, 0.86):
        pen.poly([(x - 0.04, 0.14), (x + 0.04, 0.14), (x, 0.07)], roof)


def _great_wall(pen: Pen) -> None:
    hill, wall, dark = (96, 146, 80), (178, 156, 122), (120, 100, 76)
    path = [(0.0, 0.8), (0.18, 0.5), (0.38, 0.72), (0.6, 0.3), (0.8, 0.58), (1.0, 0.4)]
    pen.poly([*path, (1.0, 1.0), (0.0, 1.0)], hill)
    pen.poly([(0.0, 0.95), (0.25, 0.7), (0.55, 0.9), (0.85, 0.65), (1.0, 0.8), (1.0, 1.0), (0.0, 1.0)], (80, 128, 66))
    pen.line(path, wall, 0.09)
    pen.line([(x, y - 0.05) for x, y in path], dark, 0.012)
    for (x0, y0), (x1, y1) in zip(path, path[1:], strict=False):
        for k in range(8):
            f = (k + 0.5) / 8
            x, y = x0 + (x1 - x0) * f, y0 + (y1 - y0) * f
            pen.rect(x - 0.008, y - 0.085, x + 0.008, y - 0.05, wall)
    for x, y in (path[1], path[3], path[5]):
        pen.rect(x - 0.05, y - 0.2, x + 0.05, y + 0.03, wall)
        for k in range(4):
            pen.rect(x - 0.05 + k * 0.03, y - 0.24, x - 0.035 + k * 0.03, y - 0.2, wall)
        pen.arch(x - 0.015, y - 0.14, x + 0.015, y - 0.07, dark)


def _opera_house(pen: Pen) -> None:
    base, shell, rib = (196, 170, 140), (250, 250, 246), (200, 200, 205)
    pen.rect(0.0, 0.78, 1.0, 1.0, base)
    pen.rect(0.0, 0.76, 1.0, 0.8, (170, 145, 115))

    def sail(x0: float, x1: float, top: float, lean: float) -> None:
        tip = (x0 + lean, top)
        curve = [(x1 - (x1 - tip[0]) * (1 - math.cos(a * math.pi / 2)), 0.78 - (0.78 - top) * math.sin(a * math.pi / 2))
                 for a in [i / 10 for i in range(11)]]  # fmt: skip
        pen.poly([(x0, 0.78), *curve[::-1][:1], *curve[::-1]], shell)
        pen.poly([(x0, 0.78), *curve], shell)
        for r in (0.3, 0.6):
            pen.line([(x0 + (x1 - x0) * r, 0.78), (tip[0] + (x1 - tip[0]) * r * 0.3, top + (0.78 - top) * r * 0.3)],
                     rib, 0.006)  # fmt: skip

    for x0, x1, top, lean in ((0.05, 0.32, 0.32, 0.02), (0.16, 0.44, 0.12, 0.04), (0.32, 0.55, 0.26, 0.02),
                              (0.5, 0.72, 0.4, 0.02), (0.6, 0.84, 0.28, 0.03), (0.76, 0.95, 0.5, 0.02)):  # fmt: skip
        sail(x0, x1, top, lean)


def _stonehenge(pen: Pen) -> None:
    stone, light = (96, 96, 92), (140, 140, 134)
    for x, w, h, lintel in ((0.04, 0.08, 0.7, True), (0.3, 0.09, 0.95, True), (0.58, 0.08, 0.78, True),
                            (0.83, 0.07, 0.6, False), (0.94, 0.05, 0.45, False)):  # fmt: skip
        pen.rect(x, 1.0 - h, x + w, 1.0, stone)
        pen.rect(x + 0.015, 1.0 - h, x + w * 0.45, 1.0, light)
        if lintel:
            pen.rect(x + w + 0.1, 1.0 - h, x + w * 2 + 0.1, 1.0, stone)
            pen.rect(x - 0.01, 1.0 - h - 0.1, x + w * 2 + 0.11, 1.0 - h + 0.01, stone)
            pen.rect(x - 0.01, 1.0 - h - 0.1, x + w * 2 + 0.11, 1.0 - h - 0.07, light)
    pen.poly([(0.68, 1.0), (0.7, 0.9), (0.84, 0.88), (0.86, 1.0)], stone)


def _pisa(pen: Pen) -> None:
    marble, arcade, dark = (244, 238, 222), (196, 184, 160), (150, 140, 120)
    upright = Image.new("RGBA", (int(pen.w * 0.72), int(pen.h * 0.92)), CLEAR)
    up = Pen(upright)
    up.rect(0.15, 0.08, 0.85, 1.0, marble)
    up.rect(0.22, 0.0, 0.78, 0.1, marble)
    for k in range(7):
        y0 = 0.12 + k * 0.125
        up.rect(0.13, y0 - 0.012, 0.87, y0, arcade)
        for c in range(5):
            x = 0.19 + c * 0.135
            up.arch(x, y0 + 0.02, x + 0.07, y0 + 0.105, arcade if k else dark)
    for c in range(4):
        up.arch(0.27 + c * 0.125, 0.02, 0.32 + c * 0.125, 0.08, arcade)
    tilted = upright.rotate(-5.5, resample=Image.Resampling.BICUBIC, expand=True)
    scale = min(pen.w / tilted.width, pen.h / tilted.height)
    tilted = tilted.resize((int(tilted.width * scale), int(tilted.height * scale)), Image.Resampling.LANCZOS)
    pen.image.paste(tilted, ((pen.w - tilted.width) // 2, pen.h - tilted.height), tilted)


def _golden_gate(pen: Pen) -> None:
    red, dark = (196, 58, 42), (150, 40, 30)
    pen.rect(0.0, 0.7, 1.0, 0.76, red)
    pen.rect(0.0, 0.76, 1.0, 0.79, dark)
    for tx in (0.25, 0.75):
        for dx in (-0.025, 0.018):
            pen.rect(tx + dx, 0.02, tx + dx + 0.012, 1.0, red)
        for y in (0.05, 0.22, 0.4, 0.58):
            pen.rect(tx - 0.025, y, tx + 0.03, y + 0.03, red)
    cable = []
    for i in range(41):
        x = i / 40
        if x <= 0.25:
            y = 0.6 - (0.6 - 0.04) * (x / 0.25) ** 1.6
        elif x <= 0.75:
            y = 0.04 + 0.62 * (1 - ((x - 0.5) / 0.25) ** 2)
        else:
            y = 0.6 - (0.6 - 0.04) * ((1 - x) / 0.25) ** 1.6
        cable.append((x, y))
    pen.line(cable, red, 0.014)
    for x, y in cable[1:-1]:
        if abs(x - 0.25) > 0.02 and abs(x - 0.75) > 0.02:
            pen.line([(x, y), (x, 0.7)], red, 0.003)


def _parthenon(pen: Pen) -> None:
    marble, shade = (236, 226, 200), (188, 176, 150)
    for k, (x0, x1) in enumerate(((0.0, 1.0), (0.02, 0.98), (0.04, 0.96))):
        y = 1.0 - k * 0.04
        pen.rect(x0, y - 0.04, x1, y, marble if k % 2 else shade)
    for c in range(8):
        x = 0.08 + c * 0.12
        pen.rect(x - 0.03, 0.38, x + 0.03, 0.88, marble)
        pen.line([(x, 0.4), (x, 0.86)], shade, 0.006)
        pen.rect(x - 0.04, 0.35, x + 0.04, 0.38, shade)
    pen.rect(0.03, 0.24, 0.97, 0.35, marble)
    pen.line([(0.03, 0.3), (0.97, 0.3)], shade, 0.008)
    pen.poly([(0.02, 0.245), (0.98, 0.245), (0.5, 0.04)], marble)
    pen.poly([(0.09, 0.22), (0.91, 0.22), (0.5, 0.08)], shade)


def _arc(pen: Pen) -> None:
    stone, shade = (224, 208, 176), (168, 150, 118)
    pen.rect(0.0, 0.1, 1.0, 1.0, stone)
    pen.rect(-0.02, 0.0, 1.02, 0.1, stone)
    pen.rect(-0.02, 0.1, 1.02, 0.13, shade)
    pen.rect(0.0, 0.22, 1.0, 0.24, shade)
    pen.arch(0.3, 0.32, 0.7, 1.0, CLEAR)
    for x in (0.05, 0.76):
        pen.rect(x, 0.55, x + 0.19, 0.82, shade)
        pen.rect(x + 0.02, 0.57, x + 0.17, 0.8, (200, 184, 150))
    pen.rect(0.32, 0.25, 0.68, 0.3, shade)


def _redeemer(pen: Pen) -> None:
    hill, statue, shade = (72, 112, 66), (232, 232, 226), (190, 190, 186)
    pen.poly([(0.0, 1.0), (0.3, 0.76), (0.44, 0.7), (0.56, 0.7), (0.7, 0.76), (1.0, 1.0)], hill)
    pen.rect(0.44, 0.62, 0.56, 0.71, shade)
    pen.poly([(0.44, 0.19), (0.56, 0.19), (0.6, 0.62), (0.4, 0.62)], statue)
    pen.poly([(0.02, 0.2), (0.98, 0.2), (0.98, 0.235), (0.56, 0.28), (0.44, 0.28), (0.02, 0.235)], statue)
    pen.oval(0.46, 0.09, 0.54, 0.09 + 0.08 * pen.w / pen.h, statue)
    pen.line([(0.5, 0.3), (0.5, 0.6)], shade, 0.006)


def _tower_bridge(pen: Pen) -> None:
    stone, roof, blue = (196, 182, 156), (84, 94, 106), (96, 140, 190)
    pen.rect(0.0, 0.68, 1.0, 0.74, blue)
    pen.rect(0.3, 0.2, 0.7, 0.25, blue)
    pen.rect(0.3, 0.28, 0.7, 0.31, blue)
    pen.line([(0.0, 0.6), (0.22, 0.3)], blue, 0.02)
    pen.line([(1.0, 0.6), (0.78, 0.3)], blue, 0.02)
    for cx in (0.3, 0.7):
        pen.rect(cx - 0.08, 0.15, cx + 0.08, 1.0, stone)
        pen.arch(cx - 0.035, 0.7, cx + 0.035, 1.0, CLEAR)
        pen.arch(cx - 0.02, 0.3, cx + 0.02, 0.5, roof)
        pen.poly([(cx - 0.085, 0.15), (cx + 0.085, 0.15), (cx, 0.0)], roof)
        for dx in (-0.075, 0.075):
            pen.rect(cx + dx - 0.012, 0.08, cx + dx + 0.012, 0.16, stone)
            pen.poly([(cx + dx - 0.015, 0.08), (cx + dx + 0.015, 0.08), (cx + dx, 0.02)], roof)


def _empire_state(pen: Pen) -> None:
    grey, light = (160, 162, 170), (205, 206, 212)
    for x0, y0, x1 in ((0.04, 0.62, 0.96), (0.14, 0.42, 0.86), (0.24, 0.16, 0.76), (0.32, 0.1, 0.68),
                       (0.4, 0.06, 0.6), (0.45, 0.03, 0.55)):  # fmt: skip
        pen.rect(x0, y0, x1, 1.0, grey)
        pen.rect(x0, y0, x0 + (x1 - x0) * 0.4, 1.0, light)
    pen.rect(0.49, 0.0, 0.51, 0.03, grey)
    for x in (0.3, 0.38, 0.46, 0.54, 0.62, 0.7):
        pen.line([(x, 0.2), (x, 1.0)], (120, 122, 132), 0.003)


def _sphinx(pen: Pen) -> None:
    sand, shade, face, dark = (204, 158, 92), (150, 110, 60), (226, 188, 128), (100, 70, 40)
    pen.oval(0.7, 0.42, 1.0, 1.2, sand)  # the haunch
    pen.poly([(0.33, 0.5), (0.5, 0.44), (0.82, 0.46), (0.96, 0.7), (0.96, 1.0), (0.3, 1.0)], sand)
    pen.rect(0.02, 0.86, 0.42, 1.0, sand)  # front paws stretched forward
    for x in (0.03, 0.06, 0.09):
        pen.line([(x, 0.9), (x, 1.0)], shade, 0.01)
    pen.line([(0.02, 0.93), (0.4, 0.93)], shade, 0.008)
    pen.line([(0.5, 0.62), (0.85, 0.62)], shade, 0.01)
    pen.poly([(0.24, 0.1), (0.4, 0.1), (0.46, 0.62), (0.18, 0.62)], shade)  # the striped head-dress
    for k in range(9):
        y = 0.14 + k * 0.055
        pen.line([(0.24 - k * 0.007, y), (0.4 + k * 0.007, y)], sand, 0.014)
    pen.rect(0.265, 0.19, 0.375, 0.5, face)
    pen.oval(0.28, 0.28, 0.305, 0.31, dark)
    pen.oval(0.335, 0.28, 0.36, 0.31, dark)
    pen.line([(0.32, 0.32), (0.32, 0.39)], shade, 0.012)
    pen.line([(0.3, 0.43), (0.34, 0.43)], dark, 0.01)
    pen.rect(0.3, 0.5, 0.34, 0.58, face)  # the beard


def _burj(pen: Pen) -> None:
    steel, light = (160, 176, 196), (206, 216, 230)
    for k, (w, y) in enumerate(((1.0, 0.82), (0.82, 0.66), (0.66, 0.5), (0.5, 0.36), (0.36, 0.24), (0.22, 0.14))):
        pen.rect(0.5 - w / 2, y, 0.5 + w / 2, 1.0, steel)
        pen.rect(0.5 - w / 2, y, 0.5 - w / 6, 1.0, light if k % 2 else steel)
    pen.poly([(0.44, 0.14), (0.56, 0.14), (0.5, 0.0)], steel)


def _windmill(pen: Pen) -> None:
    body, cap, blade = (176, 96, 64), (90, 72, 60), (240, 232, 210)
    pen.poly([(0.38, 0.38), (0.62, 0.38), (0.7, 1.0), (0.3, 1.0)], body)
    pen.poly([(0.34, 0.4), (0.66, 0.4), (0.5, 0.26)], cap)
    pen.arch(0.45, 0.82, 0.55, 1.0, cap)
    cx, cy = 0.5, 0.36
    for angle in (20, 110, 200, 290):
        a = math.radians(angle)
        dx, dy = math.cos(a), math.sin(a) * pen.w / pen.h
        nx, ny = -math.sin(a) * 0.06, math.cos(a) * 0.06 * pen.w / pen.h
        end = (cx + dx * 0.48, cy + dy * 0.48)
        mid = (cx + dx * 0.1, cy + dy * 0.1)
        pen.poly([mid, end, (end[0] + nx, end[1] + ny), (mid[0] + nx, mid[1] + ny)], blade)
        pen.line([(cx, cy), end], cap, 0.012)
    pen.oval(0.47, cy - 0.025, 0.53, cy + 0.025, cap)


def _lighthouse(pen: Pen) -> None:
    red, white, rock = (210, 50, 45), (250, 250, 250), (110, 110, 115)
    pen.poly([(0.08, 1.0), (0.2, 0.9), (0.8, 0.9), (0.95, 1.0)], rock)
    pen.poly([(0.32, 0.22), (0.68, 0.22), (0.78, 0.9), (0.22, 0.9)], white)
    for k in range(0, 6, 2):
        y0, y1 = 0.22 + k * 0.113, 0.22 + (k + 1) * 0.113
        l0, l1 = 0.32 - 0.1 * (y0 - 0.22) / 0.68, 0.32 - 0.1 * (y1 - 0.22) / 0.68
        pen.poly([(l0, y0), (1 - l0, y0), (1 - l1, y1), (l1, y1)], red)
    pen.rect(0.28, 0.2, 0.72, 0.23, (60, 60, 60))
    pen.rect(0.34, 0.1, 0.66, 0.2, (255, 226, 110))
    pen.poly([(0.3, 0.1), (0.7, 0.1), (0.5, 0.02)], red)


def _space_needle(pen: Pen) -> None:
    white, grey = (238, 238, 236), (170, 172, 178)
    pen.poly([(0.22, 1.0), (0.46, 0.4), (0.54, 0.4), (0.78, 1.0), (0.7, 1.0), (0.5, 0.52), (0.3, 1.0)], grey)
    pen.rect(0.47, 0.28, 0.53, 1.0, white)
    pen.oval(0.02, 0.18, 0.98, 0.28, white)
    pen.oval(0.1, 0.22, 0.9, 0.3, grey)
    pen.poly([(0.3, 0.19), (0.7, 0.19), (0.5, 0.12)], white)
    pen.rect(0.49, 0.0, 0.51, 0.13, grey)


def _st_basil(pen: Pen) -> None:
    brick, white = (172, 62, 50), (240, 232, 220)
    pen.rect(0.05, 0.7, 0.95, 1.0, brick)
    for x, top, r, col in ((0.5, 0.22, 0.07, (70, 150, 80)), (0.2, 0.45, 0.1, (60, 120, 200)),
                           (0.8, 0.45, 0.1, (230, 190, 60)), (0.35, 0.38, 0.09, (60, 160, 90)),
                           (0.65, 0.38, 0.09, (220, 70, 70))):  # fmt: skip
        pen.rect(x - r * 0.7, top, x + r * 0.7, 1.0, brick if x != 0.5 else white)
        pen.onion(x, top, r, col, 0.9)
        pen.line([(x - r * 0.6, top - 0.03), (x + r * 0.6, top - 0.08)], white, 0.008)
    pen.poly([(0.45, 0.22), (0.55, 0.22), (0.5, 0.03)], (70, 150, 80))


#: name -> (drawing, width / height)
DRAWINGS: dict[str, tuple[Callable[[Pen], None], float]] = {
    "eiffel": (_eiffel, 0.55),
    "colosseum": (_colosseum, 2.0),
    "taj_mahal": (_taj_mahal, 1.45),
    "pyramids": (_pyramids, 2.2),
    "big_ben": (_big_ben, 0.3),
    "great_wall": (_great_wall, 2.8),
    "opera_house": (_opera_house, 2.4),
    "stonehenge": (_stonehenge, 2.3),
    "pisa": (_pisa, 0.42),
    "golden_gate": (_golden_gate, 3.0),
    "parthenon": (_parthenon, 1.9),
    "arc": (_arc, 0.85),
    "redeemer": (_redeemer, 1.1),
    "tower_bridge": (_tower_bridge, 2.4),
    "empire_state": (_empire_state, 0.4),
    "sphinx": (_sphinx, 2.1),
    "burj": (_burj, 0.22),
    "windmill": (_windmill, 0.8),
    "lighthouse": (_lighthouse, 0.42),
    "space_needle": (_space_needle, 0.45),
    "st_basil": (_st_basil, 1.0),
}

_cache: OrderedDict[tuple[str, int], Image.Image] = OrderedDict()
_lock = threading.Lock()
_CACHE_SIZE = 96


def render(name: str, height: int) -> Image.Image | None:
    """The drawing called ``name`` at ``height`` px (RGBA, transparent around it), or None."""
    if name not in DRAWINGS:
        return None
    key = (name, height)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    drawing, aspect = DRAWINGS[name]
    # Drawn at twice the size and shrunk: smooth edges without antialiasing support in ImageDraw.
    big = Image.new("RGBA", (max(2, int(height * aspect * 2)), max(2, height * 2)), CLEAR)
    drawing(Pen(big))
    image = big.resize((max(1, int(height * aspect)), height), Image.Resampling.LANCZOS)
    with _lock:
        _cache[key] = image
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return image
