"""The mask canvas: paint over the part of a picture to change.

streamlit-drawable-canvas 0.13 is imported inside :func:`mask_canvas` only, because the module
cannot be imported outside a running Streamlit app (it declares its assets at import time).

Two things the widget does not do by itself, done here:

* it works at display size, so the strokes are scaled to the picture's true size
  (:func:`lib.imaging.mask_from_canvas`);
* its state is dropped when the student visits another page, so the drawing (Fabric JSON) and the
  mask are kept under :data:`DRAWINGS_KEY`, per picture, and fed back through ``initial_drawing``.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import streamlit as st
from PIL import Image

from lib import imaging
from lib.ui.i18n import _
from lib.ui.source import Source

#: ``{picture digest: {"json": Fabric JSON | None, "mask": PNG | None, "initial": ..., "version": n}}``.
DRAWINGS_KEY = "edit_drawings"
#: Drawings kept per session (one per picture painted on).
KEEP_DRAWINGS = 8
#: The canvas's box on screen; the picture is fitted inside it, keeping its shape.
MAX_WIDTH = 640
MAX_HEIGHT = 560
#: Semi-transparent, so the student still sees the picture under the paint.
STROKE = "rgba(255, 0, 150, 0.55)"


@st.cache_data(max_entries=32, show_spinner=False)
def background(png: bytes, size: tuple[int, int]) -> bytes:
    """The picture at display size as PNG bytes (the canvas caches bytes; a PIL image is re-encoded)."""
    out = io.BytesIO()
    imaging.resized(png, size).save(out, format="PNG")
    return out.getvalue()


def canvas_key(prefix: str, source: Source) -> str:
    """The widget key of the canvas for ``source`` (tests fake a drawing under it)."""
    record = _record(source, prefix)
    return f"{prefix}_canvas_{source.digest}_{record['version']}"


def _record(source: Source, prefix: str) -> dict[str, Any]:
    """The kept drawing of one canvas (``prefix``: the mask and the sketch canvases keep their own)."""
    drawings: dict[str, dict[str, Any]] = st.session_state.setdefault(DRAWINGS_KEY, {})
    key = f"{prefix}:{source.digest}"
    if key not in drawings:
        while len(drawings) >= KEEP_DRAWINGS:  # session state stays small: forget the oldest drawing
            drawings.pop(next(iter(drawings)))
        drawings[key] = {"json": None, "mask": None, "initial": None, "version": 0}
    return drawings[key]


def _clear(source: Source, prefix: str) -> None:
    record = _record(source, prefix)
    record.update(json=None, mask=None, initial=None, version=record["version"] + 1)


def _sketch_png(data: Any) -> bytes | None:
    """The canvas's strokes (RGBA at display size) as a PNG, transparent where nothing was drawn;
    ``None`` when nothing was. The engine stretches it to the picture's size."""
    img = Image.fromarray(np.asarray(data, dtype=np.uint8), mode="RGBA")
    if img.getchannel("A").getbbox() is None:
        return None
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def mask_canvas(prefix: str, source: Source, *, sketch: bool = False) -> bytes | None:
    """Show the canvas over ``source``; return the app's mask (mode L, picture size) or ``None``.

    With ``sketch`` the student draws in colour what should be there, and the result is the sketch
    itself (the ``markup`` of an edit: RGBA, transparent where nothing was drawn) instead of a mask.
    """
    from streamlit_drawable_canvas import st_canvas  # only importable inside a running app

    record = _record(source, prefix)
    if sketch:
        c1, c0, c2 = st.columns([2, 1, 1], vertical_alignment="bottom")
        stroke = c0.color_picker(_("Pen colour"), "#1F4FD8", key=f"{prefix}_colour")
    else:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        stroke = STROKE
    brush = c1.slider(
        _("Brush size"), 5, 100, 12 if sketch else 35, key=f"{prefix}_brush", help=_("How wide your stroke is.")
    )
    c2.button(
        "🧽 " + _("Clear my painting"), key=f"{prefix}_clear", on_click=_clear, args=(source, prefix), width="stretch"
    )
    key = canvas_key(prefix, source)
    if key not in st.session_state:
        # A fresh canvas (first visit, or back from another page): start from the saved drawing.
        # Between reruns the value stays the same, so the widget does not reload it.
        record["initial"] = record["json"]
    width, height = imaging.display_size(source.picture.size, MAX_WIDTH, MAX_HEIGHT)
    result = st_canvas(
        stroke_width=brush,
        stroke_color=stroke,
        background_image=background(source.picture.png, (width, height)),
        width=width,
        height=height,
        drawing_mode="freedraw",
        initial_drawing=record["initial"],
        return_image_data=True,
        key=key,
    )
    data = result.image_data
    if data is not None and sketch:
        record["json"] = result.json_data
        record["mask"] = _sketch_png(data)
    elif data is not None:
        mask = imaging.mask_from_canvas(data, source.picture.size)
        record["json"] = result.json_data
        record["mask"] = mask if imaging.mask_coverage(mask) > 0 else None
    mask_png: bytes | None = record["mask"]
    return mask_png
