"""Layer 4 (optional): an offline nudity check of finished pictures with the ``nudenet`` package.

Judgement: it does not earn a place in ``requirements.txt``. ``nudenet`` 3.4.2 is a 10.6 MB wheel
(its 320n YOLO model is inside, 12 MB unpacked) and pulls in ``onnxruntime`` (a 28 MB wheel) and
``opencv-python-headless`` (about 50 MB), close to 100 MB installed, to detect one kind of harm
(nudity; not violence, not gore) at 320 px. The hosted engines already refuse such pictures
themselves, and the moderation layer checks pictures for nudity, violence and self-harm. It is
worth it for a school that runs the local diffusion engine with no OpenAI key: install it with
``pip install nudenet`` and turn the layer on in the Teacher page.
"""

from __future__ import annotations

import importlib
import io
import logging
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

#: NudeNet labels that make a picture wrong for school (covered body parts are fine).
EXPOSED = frozenset(
    {
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "FEMALE_BREAST_EXPOSED",
        "BUTTOCKS_EXPOSED",
        "ANUS_EXPOSED",
    }
)


def available() -> bool:
    """Whether ``nudenet`` can be imported here."""
    try:
        importlib.import_module("nudenet")
    except ImportError:
        return False
    return True


class NudityChecker:
    """Finds exposed body parts in a PNG. Raises ``ImportError`` when nudenet is missing."""

    def __init__(self, threshold: float = 0.5) -> None:
        module: Any = importlib.import_module("nudenet")
        self._detector = module.NudeDetector()
        self.threshold = threshold

    def exposed(self, png: bytes) -> list[str]:
        """The exposed-part labels found with at least ``threshold`` confidence."""
        from PIL import Image

        # nudenet decodes with OpenCV; hand it a plain RGB PNG so transparency cannot hide parts.
        buffer = io.BytesIO()
        Image.open(io.BytesIO(png)).convert("RGB").save(buffer, format="PNG")
        found = self._detector.detect(buffer.getvalue())
        return sorted({d["class"] for d in found if d.get("class") in EXPOSED and d.get("score", 0) >= self.threshold})


@lru_cache(maxsize=1)
def shared_checker() -> NudityChecker:
    """One detector for the process (loading the model takes a moment)."""
    return NudityChecker()
