"""How alike a batch of pictures is, as one number the Compare page can plot.

In one sentence for students: each picture is shrunk to a tiny grey thumbnail, and two pictures
are as similar as their thumbnails are close, pixel by pixel (1.0 = identical, 0.0 = as different
as black and white).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import combinations

import numpy as np
from PIL import Image

from lib.messages import N_

#: Shown next to the score on the Compare page.
EXPLANATION = N_(
    "Each picture is shrunk to a tiny grey thumbnail and compared with the others, pixel by pixel: "
    "1.00 means the pictures are identical, lower means they differ more."
)

#: Thumbnail side: small enough to ignore noise, big enough to see the layout.
THUMB = 32

ImageLike = bytes | Image.Image


def thumbnail(image: ImageLike, side: int = THUMB) -> np.ndarray:
    """A ``side`` x ``side`` greyscale array in [0, 1] (PNG bytes or a PIL image)."""
    picture = Image.open(io.BytesIO(image)) if isinstance(image, bytes) else image
    small = picture.convert("L").resize((side, side), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255.0


def similarity(a: ImageLike, b: ImageLike) -> float:
    """Similarity of two pictures in [0, 1]: 1 minus the mean absolute thumbnail difference."""
    return float(1.0 - np.abs(thumbnail(a) - thumbnail(b)).mean())


def batch_similarity(images: Sequence[ImageLike]) -> float:
    """Mean similarity over every pair in ``images`` (1.0 for fewer than two pictures)."""
    thumbs = [thumbnail(image) for image in images]
    pairs = list(combinations(thumbs, 2))
    if not pairs:
        return 1.0
    return float(np.mean([1.0 - np.abs(x - y).mean() for x, y in pairs]))
