"""A tiny drawing helper for the landmark silhouettes: unit coordinates on an RGBA image."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

Colour = tuple[int, int, int] | tuple[int, int, int, int]
CLEAR = (0, 0, 0, 0)


class Pen:
    """Drawing in unit coordinates on an RGBA image (y grows downwards)."""

    def __init__(self, image: Image.Image) -> None:
        self.image = image
        self.w, self.h = image.size
        self.draw = ImageDraw.Draw(image)

    def p(self, x: float, y: float) -> tuple[float, float]:
        """Unit coordinates to pixels."""
        return x * self.w, y * self.h

    def poly(self, points: Sequence[tuple[float, float]], fill: Colour) -> None:
        """A filled polygon."""
        self.draw.polygon([self.p(x, y) for x, y in points], fill=fill)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Colour) -> None:
        """A filled rectangle from corner to corner."""
        self.draw.rectangle((*self.p(x0, y0), *self.p(x1, y1)), fill=fill)

    def oval(self, x0: float, y0: float, x1: float, y1: float, fill: Colour) -> None:
        """A filled ellipse inside the box."""
        self.draw.ellipse((*self.p(x0, y0), *self.p(x1, y1)), fill=fill)

    def line(self, points: Sequence[tuple[float, float]], fill: Colour, width: float) -> None:
        """A polyline; ``width`` is a fraction of the height."""
        self.draw.line([self.p(x, y) for x, y in points], fill=fill, width=max(1, int(width * self.h)))

    def arch(self, x0: float, y0: float, x1: float, y1: float, fill: Colour) -> None:
        """A round-topped opening (door or window) from ``y0`` (top of the round) to ``y1``."""
        r = (x1 - x0) / 2 * self.w / self.h
        self.oval(x0, y0, x1, y0 + 2 * r, fill)
        self.rect(x0, y0 + r, x1, y1, fill)

    def onion(self, cx: float, base: float, r: float, fill: Colour, tip: float = 0.9) -> None:
        """An onion dome of radius ``r`` (in width units) sitting on ``base``."""
        ry = r * self.w / self.h
        self.oval(cx - r, base - 2 * ry, cx + r, base, fill)
        shoulder = base - 1.75 * ry
        self.poly([(cx - r * 0.55, shoulder), (cx + r * 0.55, shoulder), (cx, base - 2 * ry - tip * ry)], fill)
