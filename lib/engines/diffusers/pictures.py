"""PNG in, PNG out, and masks, for the local diffusion engine (Pillow only)."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from lib.errors import BadInput


def parse_size(size: str, multiple: int) -> tuple[int, int]:
    """``"512x384"`` -> ``(512, 384)``; each side must be a positive multiple of ``multiple``."""
    try:
        width_text, height_text = size.lower().split("x")
        width, height = int(width_text), int(height_text)
    except ValueError:
        raise BadInput("The size should look like 512x512, not '{size}'.", params={"size": size}, code="size") from None
    if width <= 0 or height <= 0 or width % multiple or height % multiple:
        raise BadInput(
            "Each side of the picture must be a multiple of {multiple} pixels for this model ({size}).",
            params={"multiple": multiple, "size": size},
            code="size_multiple",
        )
    return width, height


def open_png(data: bytes, mode: str, what: str) -> Image.Image:
    """Decode an uploaded image into ``mode`` (``RGB`` or ``L``), or raise :class:`BadInput`."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            return img.convert(mode)
    except (UnidentifiedImageError, OSError, ValueError):
        if what == "mask":
            raise BadInput("The mask could not be read as a picture. Please use a PNG or JPEG file.") from None
        raise BadInput("This picture could not be read. Please use a PNG or JPEG file.") from None


def working_size(width: int, height: int, native: int, multiple: int) -> tuple[int, int]:
    """A size the model handles for a ``width x height`` picture: longer side native, same shape."""
    scale = native / max(width, height)

    def snap(side: float) -> int:
        return max(multiple, round(side / multiple) * multiple)

    return snap(width * scale), snap(height * scale)


def to_png(img: Image.Image) -> bytes:
    """PNG bytes with nothing time-dependent in them, so equal pixels give equal bytes."""
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def paste_outside_mask(original: Image.Image, painted: Image.Image, mask: Image.Image) -> Image.Image:
    """``painted`` where the mask is set, ``original`` untouched where it is 0.

    Diffusion repaints the whole picture (and the VAE blurs even the kept part), so the kept
    pixels are copied back from the original: where the mask is 0 they are exactly the same.
    """
    painted = painted.convert("RGB")
    if painted.size != original.size:
        painted = painted.resize(original.size, Image.Resampling.LANCZOS)
    return Image.composite(painted, original, mask)
