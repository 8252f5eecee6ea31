"""Test pictures, and child-process bodies for the store tests (a module of its own so that spawn can import it)."""

from __future__ import annotations

import io

from PIL import Image

from lib.engines.base import GeneratedImage
from tests.store_servers import StoreSpec


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


def write_many(spec: StoreSpec, owner: str, count: int) -> None:
    """Save ``count`` pictures for ``owner``, each prompt naming its owner and number."""
    store = spec.open()
    for i in range(count):
        store.pictures.save(
            make_image(f"{owner} picture {i}", seed=i, color=(i % 256, 10, 10)), owner=owner, page="create"
        )


def write_forever(spec: StoreSpec, owner: str) -> None:
    """Save pictures until killed."""
    store = spec.open()
    i = 0
    while True:
        store.pictures.save(make_image(f"picture {i}", seed=i), owner=owner, page="create")
        i += 1


def take_quota(spec: StoreSpec, owner: str, tries: int, limit: int) -> int:
    """Try to take one picture ``tries`` times against ``limit``; return how many were granted."""
    from lib.store import LimitReached

    store = spec.open()
    granted = 0
    for _ in range(tries):
        try:
            store.counters.take(owner, "hosted_pictures", 1, limit, 3600)
            granted += 1
        except LimitReached:
            pass
    return granted


def batch_then_die(spec: StoreSpec, owner: str, die_after: int) -> None:
    """Make a batch of four storybook pictures through the Studio, killed once ``die_after`` exist."""
    import os
    import signal

    from lib.settings import Settings
    from lib.studio import Studio

    store = spec.open()

    def progress(done: int, total: int) -> None:
        if done >= die_after:
            os.kill(os.getpid(), signal.SIGKILL)  # a server killed in the middle of the batch

    studio = Studio(Settings(engine="storybook", data_dir=spec.data_dir), save=store.pictures.save)
    studio.generate(prompt="a fox in the snow", engine="storybook", model="storybook-1", size="256x256", n=4,
                    seed=3, owner=owner, progress=progress)  # fmt: skip
