"""The model of meaning: a small offline classifier of what a prompt is about.

Words cannot see "a sad kid on a roof ready to jump" or "soldiers executing prisoners". This
model reads the whole prompt: ``wordllama`` turns it into a 256-number embedding (its weights ship
inside its wheel, so nothing is downloaded), and a logistic regression trained on our labelled
prompts (``tests/data/*_tune.txt``) gives the chance of each category. The prompt is refused when
the chance that it is safe falls below the threshold chosen in training.

The model file (``data/intent_model.json``: the labels, one weight row per label, the threshold)
is rebuilt by ``scripts/train_safety_model.py`` from the data alone.
"""

from __future__ import annotations

import json
import logging
import zlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MODEL_FILE = "data/intent_model.json"
SAFE = "safe"


def load_embedder() -> Any:
    """wordllama from the weights inside its own package folder; never reaches the network."""
    import wordllama

    return wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


HASH_BINS = 4096


def features(embedder: Any, texts: list[str]) -> np.ndarray:
    """Per text: the wordllama embedding, then hashed word pairs and words (L2-normalised)."""
    # A text with no tokens embeds to 0 / 0: no meaning at all, not NaN (which ranks as anything).
    dense = np.nan_to_num(embedder.embed(texts, norm=True), nan=0.0)
    sparse = np.zeros((len(texts), HASH_BINS), dtype=np.float32)
    for row, text in enumerate(texts):
        tokens = ["".join(c for c in w if c.isalnum()) for w in text.split()]
        tokens = [t for t in tokens if t]
        grams = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
        grams += [f"#{t[i : i + 4]}" for t in tokens for i in range(max(1, len(t) - 3))]
        for gram in grams:
            sparse[row, zlib.crc32(gram.encode()) % HASH_BINS] += 1.0
        norm = float(np.linalg.norm(sparse[row]))
        if norm:
            sparse[row] /= norm
    return np.hstack([dense, sparse])


class IntentModel:
    """Chance per category for one prompt; see the module docstring."""

    def __init__(self, embedder: Any, model: dict[str, Any]) -> None:
        self._embedder = embedder
        self.labels: list[str] = list(model["labels"])
        self._weights = np.asarray(model["weights"], dtype=np.float32)
        self._bias = np.asarray(model["bias"], dtype=np.float32)
        self.threshold = float(model["threshold"])
        self._safe = self.labels.index(SAFE)

    def probabilities(self, text: str) -> np.ndarray:
        """Softmax over :attr:`labels` for the (already folded) text."""
        vector = features(self._embedder, [text])[0]
        logits = self._weights @ vector + self._bias
        logits = logits - logits.max()
        exp = np.exp(logits)
        out: np.ndarray = exp / exp.sum()
        return out

    def predict(self, text: str) -> tuple[str, float]:
        """``(category, chance)`` when the prompt looks unsafe, else ``("", chance it is unsafe)``.

        A text without a word (a prompt that was all classroom phrases, "killer whale", once they
        are set aside) has no meaning to read: it is allowed here, the word lists having passed it.
        """
        if not any(c.isalnum() for c in text):
            return "", 0.0
        p = self.probabilities(text)
        unsafe = 1.0 - float(p[self._safe])
        if float(p[self._safe]) >= self.threshold:
            return "", unsafe
        ranked = [i for i in np.argsort(-p) if i != self._safe]
        return self.labels[int(ranked[0])], unsafe


@lru_cache(maxsize=1)
def shared_model() -> IntentModel | None:
    """The one model of the process, or None (with a warning) when wordllama is missing."""
    try:
        embedder = load_embedder()
    except (ImportError, OSError, ValueError) as error:
        log.warning("the intent model is off: wordllama could not load (%s)", error)
        return None
    model = json.loads(resources.files("lib.safety").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    return IntentModel(embedder, model)
