"""Pictures in, masks out: the checks and conversions between students' files and the engines.

Two jobs, both without Streamlit:

* :func:`load_image` turns whatever a student uploads (phone photo, GIF, CMYK scan, a text file
  renamed ``.png``...) into a PNG the engines accept, or refuses with a :class:`BadInput` that
  says what is wrong and what is allowed. It never crashes on hostile files.
* Masks. Inside the app there is ONE convention (see :mod:`lib.engines.base`): a mode ``L`` PNG
  at the picture's own size, 255 where the picture should change, 0 where it must stay.
  :func:`mask_from_canvas` makes one from the drawing canvas (which works at display size);
  :func:`to_openai_mask` and :func:`to_diffusers_mask` convert it for the engines at the edges.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from lib.errors import BadInput
from lib.messages import N_, Msg

#: Mask value for "change this pixel"; 0 means "keep it".
CHANGE = 255
#: Biggest upload read at all (matches ``server.maxUploadSize`` in ``.streamlit/config.toml``).
MAX_INPUT_BYTES = 50_000_000
#: Biggest picture decoded. Below Pillow's own bomb threshold (~89 Mpx), so its warning never fires
#: for a picture this module accepts; anything larger is refused before decoding.
MAX_SOURCE_PIXELS = 64_000_000
#: Smallest side accepted: the engines cannot do anything useful with a few pixels.
MIN_SIDE = 16
#: Formats read. Pillow knows many more; exotic decoders are attack surface a classroom does not need.
# (Phone "MPO" pictures open through the JPEG plugin.)
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")
ALLOWED = "PNG, JPEG, WEBP, GIF, BMP or TIFF"
_ORIENTATION = 0x0112


@dataclass(frozen=True, kw_only=True)
class ImageRules:
    """What one engine/model accepts as a source picture."""

    #: Bigger pictures are made smaller (never refused) to stay under this many pixels.
    max_pixels: int = 2048 * 2048
    #: The provider's byte limit for the PNG sent (pictures are shrunk until they fit).
    max_bytes: int = 50_000_000
    #: The model takes square pictures only (the centre square is kept).
    square: bool = False


#: The provider limits we know of (research notes: openai-images-api.md, "Edit requirements").
GPT_IMAGE_RULES = ImageRules(max_pixels=2048 * 2048, max_bytes=50_000_000)
DALLE2_RULES = ImageRules(max_pixels=1024 * 1024, max_bytes=4_000_000, square=True)
LOCAL_RULES = ImageRules(max_pixels=1024 * 1024, max_bytes=50_000_000)
#: Masks sent to OpenAI must be PNGs under 4 MB.
MASK_MAX_BYTES = 4_000_000


def rules_for(engine: str, model: str | None) -> ImageRules:
    """The source-picture rules for ``model`` on ``engine`` (a safe default for unknown ones)."""
    if engine in ("openai", "azure"):
        return DALLE2_RULES if (model or "").lower().startswith("dall-e-2") else GPT_IMAGE_RULES
    if engine == "diffusers":
        return LOCAL_RULES
    return ImageRules(max_pixels=1024 * 1024)


@dataclass(frozen=True, kw_only=True)
class LoadedImage:
    """A checked picture: PNG bytes (mode RGB or RGBA), its size, and what was changed on the way."""

    png: bytes
    size: tuple[int, int]
    #: Friendly sentences ("The picture was turned upright.") to show next to it.
    notes: tuple[str, ...] = ()


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def _open(data: bytes) -> Image.Image:
    """Open (not decode) ``data``; a bomb or a non-picture becomes BadInput."""
    try:
        with warnings.catch_warnings():
            # pytest (and careful servers) turn warnings into errors; here the bomb warning is a
            # decision point, so it becomes an exception this function handles itself.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadInput(
            "This picture is far too big to open safely (hundreds of millions of pixels). "
            "Please use a picture of at most {millions} million pixels, for example 8000 x 8000.",
            params={"millions": MAX_SOURCE_PIXELS // 1_000_000},
            code="picture_bomb",
            detail=str(exc),
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BadInput(
            "This file is not a picture the studio can read (its name may end in .png, but what is "
            "inside is something else). Please choose a {formats} picture.",
            params={"formats": ALLOWED},
            code="not_a_picture",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    return img


def _check_dimensions(img: Image.Image) -> None:
    w, h = img.size
    if w * h > MAX_SOURCE_PIXELS:
        raise BadInput(
            "This picture is {w} x {h} pixels, which is too big to open safely. Please use a picture "
            "of at most {millions} million pixels, for example 8000 x 8000.",
            params={"w": w, "h": h, "millions": MAX_SOURCE_PIXELS // 1_000_000},
            code="picture_too_big",
        )
    if min(w, h) < MIN_SIDE:
        raise BadInput(
            "This picture is only {w} x {h} pixels. Please use one at least {least} pixels on each side.",
            params={"w": w, "h": h, "least": MIN_SIDE},
            code="picture_too_small",
        )


def _first_frame(img: Image.Image, notes: list[str]) -> None:
    frames = int(getattr(img, "n_frames", 1))
    # Phone JPEGs open as MPO with a hidden preview frame: that is not an animation.
    if frames > 1 and img.format != "MPO":
        notes.append(
            Msg("This is a moving picture with {frames} frames; the studio uses the first one.", frames=frames)
        )
    if frames > 1:
        img.seek(0)


def _decode(img: Image.Image, rules: ImageRules) -> Image.Image:
    """Load pixels (JPEGs at a reduced scale when they are huge, which saves memory)."""
    w, h = img.size
    if img.format in ("JPEG", "MPO") and w * h > rules.max_pixels:
        scale = math.sqrt(rules.max_pixels / (w * h))
        img.draft(img.mode if img.mode in ("RGB", "L", "CMYK") else "RGB", (int(w * scale) + 1, int(h * scale) + 1))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img.load()
    except Exception as exc:  # noqa: BLE001 - Pillow's decoders raise many types on damaged files
        raise BadInput(
            "This picture file is damaged or cut short (maybe it did not finish downloading). "
            "Please save the picture again and upload the new file.",
            code="picture_damaged",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    return img


def _to_rgb_or_rgba(img: Image.Image) -> Image.Image:
    """Every mode Pillow reads, as 8-bit RGB, or RGBA when the picture really has see-through parts."""
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit grey: scale to 8 bits (a plain convert would clip everything above 255 to white).
        img = img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif mode == "F":
        img = img.point(lambda v: max(0.0, min(255.0, v))).convert("L")
    elif mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif mode in ("LA", "PA", "La", "RGBa"):
        img = img.convert("RGBA")
    if img.mode != "RGBA":
        return img.convert("RGB")
    if img.getchannel("A").getextrema() == (255, 255):
        return img.convert("RGB")
    return img


def _shrink(img: Image.Image, max_pixels: int) -> Image.Image:
    w, h = img.size
    if w * h <= max_pixels:
        return img
    scale = math.sqrt(max_pixels / (w * h))
    size = (max(1, int(w * scale)), max(1, int(h * scale)))
    return img.resize(size, Image.Resampling.LANCZOS)


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def load_image(data: bytes, rules: ImageRules | None = None) -> LoadedImage:
    """Check and normalise an uploaded picture; raise :class:`BadInput` with a clear message.

    Turns it upright (EXIF), keeps the first frame of an animation, converts every colour mode to
    RGB or RGBA, cuts the centre square when the model wants squares, and makes it smaller (never
    refuses it) when it has more pixels or bytes than the model takes.
    """
    rules = rules or ImageRules()
    if not data:
        raise BadInput(
            "This file is empty (0 bytes). Please choose a {formats} picture.",
            params={"formats": ALLOWED},
            code="empty_file",
        )
    if len(data) > MAX_INPUT_BYTES:
        raise BadInput(
            "This file is {size}; the studio takes files up to {most}.",
            params={"size": _mb(len(data)), "most": _mb(MAX_INPUT_BYTES)},
            code="file_too_big",
        )
    notes: list[str] = []
    with _open(data) as img:
        _check_dimensions(img)
        _first_frame(img, notes)
        decoded = _decode(img, rules)
        if decoded.getexif().get(_ORIENTATION, 1) not in (0, 1):
            notes.append(N_("The picture was turned the right way up (as the camera saved it)."))
        pic = _to_rgb_or_rgba(ImageOps.exif_transpose(decoded))
    if rules.square and pic.width != pic.height:
        side = min(pic.size)
        left, top = (pic.width - side) // 2, (pic.height - side) // 2
        pic = pic.crop((left, top, left + side, top + side))
        notes.append(N_("This model takes square pictures only, so the middle square was kept."))
    # Turning or cropping is said above; "made smaller" compares with the turned, cropped picture.
    turned = pic.size
    shrunk = _shrink(pic, rules.max_pixels)
    png = _png(shrunk)
    # The byte limit: shrink further until the PNG fits (noise-like photos compress badly).
    for _ in range(8):
        if len(png) <= rules.max_bytes:
            break
        factor = math.sqrt(rules.max_bytes / len(png)) * 0.9
        shrunk = shrunk.resize((max(1, int(shrunk.width * factor)), max(1, int(shrunk.height * factor))))
        png = _png(shrunk)
    if len(png) > rules.max_bytes:
        raise BadInput(
            "This picture cannot be made small enough for this model ({most} at most).",
            params={"most": _mb(rules.max_bytes)},
            code="cannot_shrink",
        )
    if shrunk.size != turned:
        w, h = turned
        notes.append(
            Msg(
                "The picture was made smaller to fit the image engine: {w} x {h} → {new_w} x {new_h}.",
                w=w, h=h, new_w=shrunk.width, new_h=shrunk.height,
            )
        )  # fmt: skip
    return LoadedImage(png=png, size=shrunk.size, notes=tuple(notes))


# -- masks ---------------------------------------------------------------------------------------
def _mask_image(mask: bytes | Image.Image | np.ndarray[Any, Any]) -> Image.Image:
    """Any mask-like input as a mode ``L`` image (alpha for RGBA/LA, else the grey level)."""
    if isinstance(mask, np.ndarray):
        arr = mask
        if arr.ndim == 3:
            arr = arr[:, :, -1] if arr.shape[2] in (2, 4) else arr.max(axis=2)
        return Image.fromarray(np.asarray(arr, dtype=np.uint8), mode="L")
    img: Image.Image
    if isinstance(mask, bytes | bytearray):
        try:
            img = Image.open(io.BytesIO(bytes(mask)), formats=("PNG",))
            img.load()
        except Exception as exc:  # noqa: BLE001 - a damaged mask must read as BadInput, never a crash
            raise BadInput(
                "The mask is not a PNG picture the studio can read. Please paint it again.", code="bad_mask"
            ) from exc
    else:
        img = mask
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        return img.convert("RGBA").getchannel("A")
    return img.convert("L")


def _binary(img: Image.Image) -> Image.Image:
    return img.point(lambda v: CHANGE if v >= 128 else 0, mode="L")


def _save_l(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def mask_from_canvas(canvas: bytes | Image.Image | np.ndarray[Any, Any], image_size: tuple[int, int]) -> bytes:
    """The canvas drawing (RGBA at display size; alpha > 0 = painted) as the app's mask at ``image_size``.

    The canvas shows the picture smaller than it is, so strokes are stretched to the picture's true
    size: a stroke in the canvas's bottom-right corner lands in the picture's bottom-right corner.
    The result stays strictly black and white (0 or 255).
    """
    alpha = _mask_image(canvas)
    painted = alpha.point(lambda v: CHANGE if v > 0 else 0, mode="L")
    if painted.size != image_size:
        # Bilinear then a 50% threshold: smooth edges when enlarging, and still only 0 or 255.
        painted = _binary(painted.resize(image_size, Image.Resampling.BILINEAR))
    return _save_l(painted)


def normalize_mask(mask: bytes | Image.Image | np.ndarray[Any, Any], size: tuple[int, int]) -> bytes:
    """Any mask as the app's convention at ``size``: mode ``L`` PNG, 255 = change, 0 = keep.

    This is also the storybook engine's format. RGBA masks are read by their alpha (painted = change).
    """
    img = _mask_image(mask)
    if img.size != size:
        img = img.resize(size, Image.Resampling.NEAREST)
    return _save_l(_binary(img))


def mask_coverage(mask: bytes | Image.Image | np.ndarray[Any, Any]) -> float:
    """The share of the picture the mask will change, from 0.0 (nothing) to 1.0 (everything)."""
    arr = np.asarray(_mask_image(mask))
    return float((arr >= 128).mean()) if arr.size else 0.0


def to_openai_mask(mask: bytes, size: tuple[int, int]) -> bytes:
    """The app's mask as OpenAI and Azure want it: an RGBA PNG of ``size``, alpha 0 where to change.

    Raises :class:`BadInput` if even this binary PNG is over the provider's 4 MB limit.
    """
    keep = Image.open(io.BytesIO(normalize_mask(mask, size))).point(lambda v: 255 - v)
    rgba = Image.new("RGBA", size, (0, 0, 0, 255))
    rgba.putalpha(keep)
    out = io.BytesIO()
    rgba.save(out, format="PNG")
    if out.tell() > MASK_MAX_BYTES:
        raise BadInput(
            "The mask is bigger than the image service allows ({most}). Use a smaller picture.",
            params={"most": _mb(MASK_MAX_BYTES)},
            code="mask_too_big",
        )
    return out.getvalue()


def to_diffusers_mask(mask: bytes, size: tuple[int, int]) -> Image.Image:
    """The app's mask as diffusers inpainting wants it: a mode ``L`` image, white where to change."""
    return Image.open(io.BytesIO(normalize_mask(mask, size))).convert("L")


# -- display helpers -----------------------------------------------------------------------------
def display_size(size: tuple[int, int], max_width: int = 640, max_height: int = 640) -> tuple[int, int]:
    """The size to show a picture at: fits the box, keeps the aspect ratio, never enlarges."""
    w, h = size
    scale = min(max_width / w, max_height / h, 1.0)
    return max(1, round(w * scale)), max(1, round(h * scale))


def resized(png: bytes, size: tuple[int, int]) -> Image.Image:
    """The picture ``png`` as an RGB(A) image of exactly ``size`` (for the canvas background)."""
    with Image.open(io.BytesIO(png)) as img:
        return img.convert("RGBA").resize(size, Image.Resampling.LANCZOS)


def mask_preview(image_png: bytes, mask: bytes, tint: tuple[int, int, int] = (230, 40, 120)) -> bytes:
    """The picture with the part to change tinted, so students see exactly what the engine gets."""
    with Image.open(io.BytesIO(image_png)) as img:
        base = img.convert("RGB")
    area = Image.open(io.BytesIO(normalize_mask(mask, base.size))).point(lambda v: v * 6 // 10)
    tinted = Image.composite(Image.new("RGB", base.size, tint), base, area)
    out = io.BytesIO()
    tinted.save(out, format="PNG")
    return out.getvalue()


def image_size(png: bytes) -> tuple[int, int]:
    """The ``(width, height)`` of a picture the app already checked."""
    with Image.open(io.BytesIO(png)) as img:
        return img.size


def same_pixels(a: bytes, b: bytes) -> bool:
    """Whether two pictures show the same pixels (size and colours), whatever their PNG chunks say.

    An edit that changed nothing returns the picture with new metadata, so comparing bytes would
    not see it; comparing the decoded RGBA pixels does.
    """
    with Image.open(io.BytesIO(a)) as first, Image.open(io.BytesIO(b)) as second:
        if first.size != second.size:
            return False
        return first.convert("RGBA").tobytes() == second.convert("RGBA").tobytes()
