"""The picture types every layer shares: what an engine made, and what the store keeps of it.

Neutral ground: the engines produce :class:`GeneratedImage`, the store keeps it and lists it as
:class:`Entry`, and neither package depends on the other. Ids live here too, because the store,
the pages and the URL all check them with one rule.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard

from PIL import Image

from lib import pnginfo
from lib.errors import BadInput

Operation = Literal["generate", "edit", "vary"]

_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
#: What :func:`new_owner_id` issues: 22 URL-safe characters.
_ISSUED_OWNER = re.compile(r"^[A-Za-z0-9_-]{22}$")
#: Longest side of the thumbnail kept with each picture.
THUMB_PX = 192
#: Keys in a picture's ``extra`` (its saved metadata). ``batch``: the run (one click, one
#: ``Studio`` call) that made it. ``experiment``: the Compare run or sweep it belongs to, with
#: ``column`` the label of its column or row; the gallery folds an experiment into one card.
#: ``source``: for Edit and Variations, a short digest of the picture they started from.
BATCH, EXPERIMENT, COLUMN, SOURCE = "batch", "experiment", "column", "source"


def new_owner_id() -> str:
    """A fresh random browser id (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


def new_image_id() -> str:
    """A fresh random image id (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def is_valid_id(value: object) -> TypeGuard[str]:
    """True for a safe id: letters, digits, ``-`` and ``_``, 8 to 64 of them (ASCII only)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def looks_issued(value: object) -> TypeGuard[str]:
    """True for an id shaped like one :func:`new_owner_id` issues: 22 characters, not a simple run.

    A hand-typed ``?u=aaaaaaaaaaaaaaaaaaaaaa`` or ``?u=student1`` is refused, so nobody can guess
    their way into a gallery by typing a simple id.
    """
    return isinstance(value, str) and _ISSUED_OWNER.fullmatch(value) is not None and len(set(value)) >= 8


def check_id(value: object, what: str = "id") -> str:
    """Return ``value`` if it is a safe id (letters, digits, ``-``, ``_``; 8 to 64); else BadInput."""
    if not is_valid_id(value):
        raise BadInput(
            "That {what} is not valid: it may only hold letters, digits, '-' and '_' (8 to 64).",
            params={"what": what},
            code="bad_id",
        )
    return value


@dataclass(frozen=True, kw_only=True)
class GeneratedImage:
    """One picture and everything that made it (no key, ever)."""

    png: bytes
    engine: str
    model: str
    operation: Operation
    prompt_sent: str
    size: str
    prompt_typed: str = ""
    revised_prompt: str | None = None
    seed: int | None = None
    temperature: float | None = None
    quality: str | None = None
    created: float = field(default_factory=time.time)
    elapsed_s: float = 0.0
    #: Engine-specific facts worth keeping (e.g. the storybook's ``drawn``/``not_drawn``).
    extra: Mapping[str, Any] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        """Everything but the pixels, as plain JSON-able values."""
        return {
            "engine": self.engine,
            "model": self.model,
            "operation": self.operation,
            "prompt_typed": self.prompt_typed,
            "prompt_sent": self.prompt_sent,
            "revised_prompt": self.revised_prompt,
            "size": self.size,
            "seed": self.seed,
            "temperature": self.temperature,
            "quality": self.quality,
            "created": self.created,
            "elapsed_s": round(self.elapsed_s, 3),
            "extra": dict(self.extra),
        }


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One stored picture without its pixels: what the gallery lists and filters."""

    id: str
    owner: str
    page: str
    engine: str
    model: str
    operation: str
    prompt_typed: str
    prompt_sent: str
    size: str
    seed: int | None
    temperature: float | None
    created: float
    #: A small JPEG (longest side :data:`THUMB_PX`).
    thumbnail: bytes = field(repr=False)
    #: The full metadata record, as written in the PNG.
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False)
    #: The teacher hid it: the student sees a note instead of the picture.
    hidden: bool = False

    def settings(self) -> dict[str, Any]:
        """The settings "use these again" puts back into the Create page."""
        return pnginfo.reusable_settings(self.meta)


@dataclass(frozen=True, kw_only=True)
class Group:
    """One card of a grouped gallery: a single picture, or one Compare run or sweep folded up."""

    #: A picture's id, or ``x:<experiment id>`` (``m:<minute>`` for Compare pictures saved before
    #: experiments had ids: those of one minute count as one run).
    key: str
    #: How many pictures (matching the filters) it holds.
    count: int
    #: When its newest picture was made (groups are ordered by it, newest first).
    newest: float
    #: The first few of its pictures, oldest first: the preview (the picture itself for a single).
    entries: list[Entry]

    @property
    def folded(self) -> bool:
        """An experiment of two or more pictures, shown as one card until it is unfolded."""
        return self.count > 1


@dataclass(frozen=True, kw_only=True)
class Overview:
    """One page of a gallery: the counts, the entries shown, and the choices for the filters."""

    #: All of the owner's pictures.
    total: int
    #: Pictures matching the filters.
    matching: int
    entries: list[Entry]
    pages: list[str]
    engines: list[str]
    #: With ``grouped=True``: this page's cards (``entries`` then holds each card's first picture),
    #: and how many cards match the filters (what the pager counts).
    groups: list[Group] = field(default_factory=list)
    group_count: int = 0


def download_name(words: str, created: float, image_id: str, zone: dt.tzinfo = dt.UTC, *, limit: int = 40) -> str:
    """The file name a downloaded picture gets: what it shows, the day it was made (in ``zone``)
    and its id, which keeps two pictures of the same words and day apart.

    ASCII only (accents dropped), so every browser and file system keeps it as it is:
    ``un-chat-sur-la-tour-eiffel_2026-12-01_4cfQMN6yHbIkfMTs.png``. The words are cut at a word
    end; words with no Latin letters (一只猫) make ``picture_…``.
    """
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()
    if len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:limit]
    day = dt.datetime.fromtimestamp(created, tz=zone).strftime("%Y-%m-%d")
    return f"{slug or 'picture'}_{day}_{check_id(image_id, 'image id')}.png"


def thumbnail(png: bytes, px: int = THUMB_PX) -> bytes:
    """A small JPEG of ``png`` whose longest side is at most ``px`` (transparency shown as white).

    JPEG because ``st.image`` passes JPEG bytes through untouched when told the format, whereas
    it re-encodes WEBP on every rerun: the gallery's grid then costs almost nothing per thumbnail.
    """
    with Image.open(io.BytesIO(png)) as im:
        im.draft("RGB", (px, px))
        im.thumbnail((px, px))
        rgba = im.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


def mosaic(thumbnails: list[bytes], px: int = THUMB_PX) -> bytes:
    """Up to four thumbnails in a 2 x 2 square JPEG: the small preview of a folded experiment."""
    half = px // 2
    sheet = Image.new("RGB", (px, px), (255, 255, 255))
    for i, data in enumerate(thumbnails[:4]):
        with Image.open(io.BytesIO(data)) as im:
            im.draft("RGB", (half, half))
            tile = im.convert("RGB")
        tile.thumbnail((half - 2, half - 2))
        x, y = (i % 2) * half, (i // 2) * half
        sheet.paste(tile, (x + (half - tile.width) // 2, y + (half - tile.height) // 2))
    out = io.BytesIO()
    sheet.save(out, format="JPEG", quality=80)
    return out.getvalue()
