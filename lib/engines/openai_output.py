"""Bytes in and out of the OpenAI engines: image answers to PNG, URL downloads, the mask format.

GPT image models answer in base64; OpenAI-compatible servers (and retired DALL-E) may answer with a
URL, sometimes a ``data:`` URI. Whatever comes back is normalised to PNG bytes here.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import cast
from urllib.parse import unquote_to_bytes, urlsplit

import requests
from PIL import Image, UnidentifiedImageError

from lib.errors import BadInput, EngineUnavailable
from lib.messages import N_

_CHUNK = 64 * 1024
DOWNLOAD_FAILED = N_(
    "The picture was made, but the studio could not download it from the image service. Please try again."
)
#: What ``_open`` reads, in the words of its message.
_WHAT = {"picture": N_("This picture is not one the studio can read."),
         "sketch": N_("This sketch is not one the studio can read.")}  # fmt: skip


def to_png(data: bytes) -> tuple[bytes, str]:
    """``data`` (any image format Pillow reads) as PNG bytes, with its real ``WxH`` size.

    PNG input is checked (chunk CRCs) and kept as it is, which avoids a costly re-encode.
    """
    try:
        with Image.open(io.BytesIO(data)) as probe:
            size = f"{probe.width}x{probe.height}"
            if probe.format == "PNG":
                probe.verify()
                return data, size
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            mode = "RGBA" if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info else "RGB"
            out = io.BytesIO()
            img.convert(mode).save(out, format="PNG")
            return out.getvalue(), size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise EngineUnavailable(
            "The image service sent back something that is not a picture. Please try again.",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc


def decode_b64(text: str) -> bytes:
    """The bytes of a base64 answer; a broken one is the service's fault, not the student's."""
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise EngineUnavailable(
            "The image service sent back a picture the studio could not read. Please try again.",
            detail=f"bad base64: {exc}",
        ) from exc


def _data_uri(url: str, max_bytes: int) -> bytes:
    header, _, payload = url.partition(",")
    if len(payload) > max_bytes * 4 // 3 + 4:
        raise EngineUnavailable("The picture from the image service is too big to download.", detail="data: URI")
    if header.endswith(";base64"):
        return decode_b64(payload)
    return unquote_to_bytes(payload)


def download(url: str, *, timeout: float, max_bytes: int) -> bytes:
    """The bytes behind ``url`` (http, https or data: only), streamed and capped at ``max_bytes``."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "data":
        return _data_uri(url, max_bytes)
    if scheme not in ("http", "https"):
        raise EngineUnavailable(DOWNLOAD_FAILED, detail=f"refused URL scheme {scheme!r}")
    try:
        with requests.get(url, timeout=(5.0, timeout), stream=True) as response:
            response.raise_for_status()
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_content(_CHUNK):
                total += len(chunk)
                if total > max_bytes:
                    raise EngineUnavailable(
                        "The picture from the image service is too big to download.",
                        detail=f"more than {max_bytes} bytes",
                    )
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.RequestException as exc:
        # The URL may carry a signature; keep only the host in the detail.
        host = urlsplit(url).netloc
        raise EngineUnavailable(DOWNLOAD_FAILED, detail=f"{type(exc).__name__} from {host}") from exc


def _open(data: bytes, what: str) -> Image.Image:
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
        return img
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BadInput(_WHAT.get(what, _WHAT["picture"]), code="unreadable_" + what) from exc


def image_png(data: bytes) -> tuple[bytes, tuple[int, int]]:
    """The source picture of an edit as PNG, with its size."""
    img = _open(data, "picture")
    out = io.BytesIO()
    img.convert("RGBA" if "A" in img.getbands() else "RGB").save(out, format="PNG")
    return out.getvalue(), img.size


def square_png(data: bytes) -> bytes:
    """The centre square of a picture as PNG (dall-e-2 variations take squares only)."""
    img = _open(data, "picture")
    side = min(img.size)
    left, top = (img.width - side) // 2, (img.height - side) // 2
    out = io.BytesIO()
    img.convert("RGBA").crop((left, top, left + side, top + side)).save(out, format="PNG")
    return out.getvalue()


def markup_png(data: bytes, size: tuple[int, int]) -> bytes:
    """A sketch as the ``markup`` the API wants: an RGBA PNG of the picture's ``size``, transparent
    where nothing was drawn. A sketch of another size (the canvas works at display size) is
    stretched to fit; one with no transparent pixel at all is refused (it would hide the picture)."""
    img = _open(data, "sketch").convert("RGBA")
    if img.size != size:
        img = img.resize(size, Image.Resampling.BILINEAR)
    low, high = cast(tuple[int, int], img.getchannel("A").getextrema())
    if high == 0:
        raise BadInput("The sketch is empty: draw what you want on the picture first.")
    if low > 0:
        raise BadInput("The sketch covers the whole picture. Leave some of it clear so the picture still shows.")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()
