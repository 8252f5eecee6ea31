"""Seeded randomness with a temperature: one shared draw blended with each image's own.

Every random number the renderer uses is ``shared + t * (own - shared)``, where ``shared`` comes
from a stream seeded by the batch seed alone and ``own`` from a stream seeded by the seed and the
image's place in the batch. At ``t = 0`` every image of a batch is identical; at ``t = 1`` each is
independent; in between, layouts drift apart smoothly. Each part of the picture (the sky, the
dog, the rain) has its own named sub-stream, so changing one part never reshuffles the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

import numpy as np

T = TypeVar("T")

#: Seeds live in [0, SEED_LIMIT): the pages' seed box takes numbers up to 2**31 - 1.
SEED_LIMIT = 2**31


def image_seed(seed: int, index: int) -> int:
    """Picture ``index``'s own seed in a batch seeded ``seed``: that picture's own random stream.

    At temperature 1 the picture is exactly what a batch of one with this seed paints; the first
    picture's own seed is the batch seed.
    """
    return (seed + index) % SEED_LIMIT


def _seed(*parts: object) -> int:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Blend:
    """A random stream blended between a shared draw and this image's own draw by ``t``."""

    def __init__(self, seed: int, index: int, t: float, key: str = "") -> None:
        self.seed, self.index, self.t, self.key = seed, index, min(1.0, max(0.0, t)), key
        self._shared = np.random.default_rng(_seed(seed, key))
        # Image 0's own stream is the shared one, so the first picture never depends on t.
        own = image_seed(seed, index)
        self._own = self._shared if own == seed else np.random.default_rng(_seed(own, key))

    def sub(self, key: str) -> Blend:
        """An independent named sub-stream (same seed, index and t)."""
        return Blend(self.seed, self.index, self.t, f"{self.key}/{key}")

    def uniforms(self, n: int) -> np.ndarray:
        """``n`` blended numbers in [0, 1)."""
        shared = self._shared.random(n)
        if self._own is self._shared:
            return shared
        own = self._own.random(n)
        return shared + self.t * (own - shared)

    def u(self) -> float:
        """One blended number in [0, 1)."""
        return float(self.uniforms(1)[0])

    def uniform(self, low: float, high: float) -> float:
        """One blended number in [low, high)."""
        return low + (high - low) * self.u()

    def randint(self, low: int, high: int) -> int:
        """A blended integer in [low, high] (both ends included)."""
        return min(high, low + int(self.u() * (high - low + 1)))

    def choice(self, options: Sequence[T]) -> T:
        """One of ``options``, picked by a blended number."""
        return options[min(len(options) - 1, int(self.u() * len(options)))]

    def chance(self, p: float) -> bool:
        """True with probability ``p`` (blended, so nearby temperatures agree)."""
        return self.u() < p


class Mix(Blend):
    """``base`` moved towards ``other`` by ``amount``: Vary's "same picture, changed this much"."""

    def __init__(self, base: Blend, other: Blend, amount: float) -> None:
        self.base, self.other, self.amount = base, other, min(1.0, max(0.0, amount))
        self.seed, self.index, self.t, self.key = base.seed, base.index, base.t, base.key

    def sub(self, key: str) -> Blend:
        """Both streams' named sub-streams, mixed the same way."""
        return Mix(self.base.sub(key), self.other.sub(key), self.amount)

    def uniforms(self, n: int) -> np.ndarray:
        """Numbers of ``base``, moved towards ``other``'s by ``amount``."""
        a = self.base.uniforms(n)
        b = self.other.uniforms(n)
        mixed: np.ndarray = a + self.amount * (b - a)
        return mixed
