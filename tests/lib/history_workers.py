"""Child-process bodies for the history tests (a module of its own so that spawn can import it)."""

from __future__ import annotations

import io

from PIL import Image

from lib.engines.base import GeneratedImage
from lib.history import History


def tiny_png(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (16, 16)) -> bytes:
    """A small solid PNG made with Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def make_image(
    prompt: str = "a red fox", *, seed: int | None = 7, color: tuple[int, int, int] = (200, 30, 30)
) -> GeneratedImage:
    """A GeneratedImage as an engine would return it."""
    return GeneratedImage(
        png=tiny_png(color),
        engine="storybook",
        model="storybook-1",
        operation="generate",
        prompt_sent=f"A friendly picture: {prompt}",
        prompt_typed=prompt,
        size="256x256",
        seed=seed,
        temperature=0.5,
        quality="auto",
        extra={"drawn": ["fox"]},
    )


def write_many(data_dir: str, owner: str, count: int) -> None:
    """Save ``count`` images for ``owner``, each prompt naming its owner and number."""
    history = History(data_dir)
    for i in range(count):
        history.save(make_image(f"{owner} picture {i}", seed=i, color=(i % 256, 10, 10)), owner=owner, page="create")


def write_forever(data_dir: str, owner: str) -> None:
    """Save images until killed."""
    history = History(data_dir)
    i = 0
    while True:
        history.save(make_image(f"picture {i}", seed=i), owner=owner, page="create")
        i += 1
